import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Case

pytestmark = pytest.mark.persistence

INTAKE = dict(
    patient_name="Harold Brandt",
    patient_dob="1955-06-02",
    mrn="SYN-100874",
    member_id="SYNMA5530912",
    payer="Evergreen Medicare Advantage",
    plan_type="medicare_advantage",
    service_description="MRI lumbar spine without contrast",
    procedure_codes="72148",
    diagnosis_codes="M54.17, M21372",
    urgency="expedited",
    denial_received="2026-10-23",
    denial_reference="MA-IMG-77120",
    denial_category="not_medically_necessary",
    denial_reason="Not medically necessary: conservative care of at least 6 weeks not documented.",
    criteria_set="policy",
    criteria_detail="Vendor imaging guideline, spine section",
    token="tok-1",
)


def test_open_a_case_and_see_it_in_the_workspace(signed_in, app):
    response = signed_in.post("/cases/new", INTAKE)
    assert response.status_code == 302
    page = signed_in.get(response.location).get_data(as_text=True)
    assert "Harold Brandt" in page
    assert "conservative care of at least 6 weeks not documented" in page
    assert "M54.17 M21.372" in page
    assert "Expedited" in page
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.patient_name == "Harold Brandt"))
        assert case.status == "draft" and case.team.slug == "north"


def test_refused_code_is_named_on_its_field_and_nothing_typed_is_lost(signed_in, app):
    response = signed_in.post("/cases/new", {**INTAKE, "procedure_codes": "7214"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "“7214” is not a CPT code" in page
    assert 'value="7214"' in page and 'value="SYNMA5530912"' in page
    assert "conservative care of at least 6 weeks" in page
    with app.app_context():
        assert db.session.scalar(select(Case).where(Case.patient_name == "Harold Brandt")) is None


def test_a_form_posted_twice_makes_one_case(signed_in, app):
    first = signed_in.post("/cases/new", INTAKE)
    second = signed_in.post("/cases/new", INTAKE)
    assert first.location == second.location
    with app.app_context():
        count = len(
            db.session.scalars(select(Case).where(Case.patient_name == "Harold Brandt")).all()
        )
    assert count == 1


def test_reason_not_in_writing_shows_as_an_open_todo(signed_in):
    form = {**INTAKE, "denial_reason": "", "denial_reason_missing": "on"}
    page = signed_in.get(signed_in.post("/cases/new", form).location).get_data(as_text=True)
    assert "Request the denial reason in writing" in page
    assert "not been received in writing" in page
    listing = signed_in.get("/cases/").get_data(as_text=True)
    assert "Request the denial reason in writing" in listing


def test_edit_keeps_values_and_saves(signed_in, world, app):
    url = f"/cases/{world['north']}/edit"
    page = signed_in.get(url).get_data(as_text=True)
    assert 'value="Nora North"' in page
    assert '<input type="hidden" name="version" value="1">' in page  # sent back with the form
    form = {**INTAKE, "patient_name": "Nora North", "payer": "Blue Lake", "token": "", "version": 1}
    assert signed_in.post(url, form).status_code == 302
    with app.app_context():
        assert db.session.get(Case, world["north"]).payer == "Blue Lake"


def test_case_list_filters_by_status_and_searches_patient_or_payer(signed_in, world, app):
    signed_in.post("/cases/new", INTAKE)
    signed_in.post(f"/cases/{world['north']}/status", {"status": "appeal"})
    listing = signed_in.get("/cases/?status=appeal").get_data(as_text=True)
    assert "Nora North" in listing and "Harold Brandt" not in listing
    assert "Harold Brandt" in signed_in.get("/cases/?q=evergreen").get_data(as_text=True)
    fragment = signed_in.get("/cases/?q=harold", headers={"HX-Request": "true"})
    text = fragment.get_data(as_text=True)
    assert text.lstrip().startswith('<div id="case-rows">') and "Harold Brandt" in text
    assert "Nora North" not in text and "Sam South" not in text


def test_views_changes_and_status_are_audited_without_patient_data(signed_in, world, app):
    case_id = world["north"]
    signed_in.get(f"/cases/{case_id}")
    signed_in.post(f"/cases/{case_id}/status", {"status": "p2p_scheduled"})
    with app.app_context():
        rows = db.session.scalars(select(AuditEvent).where(AuditEvent.case_id == case_id)).all()
        actions = [(r.action, r.what) for r in rows]
        assert ("view", "workspace") in actions
        assert ("status", "status draft -> p2p_scheduled (set by hand)") in actions
        assert all("Nora" not in r.what for r in rows)
        assert {r.user.email for r in rows} == {"clinician@north.test"}


def test_only_a_team_admin_sees_the_audit_trail(app, world):
    from tests.support import Client

    clinician, admin = Client(app), Client(app)
    clinician.login("clinician@north.test")
    admin.login("admin@north.test")
    clinician.get(f"/cases/{world['north']}")
    assert clinician.get(f"/cases/{world['north']}/audit").status_code == 403
    page = admin.get(f"/cases/{world['north']}/audit").get_data(as_text=True)
    assert "clinician@north.test" in page and "workspace" in page


def test_a_nul_character_in_a_form_is_refused_and_nothing_saved(signed_in, app):
    response = signed_in.post("/cases/new", {**INTAKE, "patient_name": "Harold\x00Brandt"})
    assert response.status_code == 400
    assert "cannot be stored" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Case).where(Case.mrn == "SYN-100874")) is None
