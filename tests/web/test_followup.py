"""The letters after the call through the app: the export checklist, the .docx, the kept
export, the refusals, the command line and the one-click links."""

import io
import re
from datetime import date, datetime

import pytest
from docx import Document
from flask import render_template
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Case, Export, PeerCall, SourceDocument, User

pytestmark = pytest.mark.persistence

KINDS = ("confirmation", "appeal", "external")


def log_call(case: Case, **over) -> PeerCall:
    values = dict(
        held_at=datetime(2026, 10, 8, 14, 30),
        reviewer_name="Alan Reyes",
        reviewer_credentials="MD",
        reviewer_specialty="Internal medicine",
        same_specialty=False,
        criteria_named="Pharmacy policy RX-417",
        outcome="upheld",
        reference_number="P2P-26-55190",
        would_change="Pharmacy fill history for the leflunomide trial",
        reviewer_reason="Only one conventional DMARD is on the claims record",
        reviewer_commitment="Re-review the request once the fill history arrives",
        next_step="File the internal appeal",
    )
    values.update(over)
    call = PeerCall(case=case, **values)
    db.session.add(call)
    db.session.commit()
    return call


@pytest.fixture
def case_id(app, world):
    """North's case with a signing clinician, an upheld call and an upheld appeal."""
    with app.app_context():
        case = db.session.get(Case, world["north"])
        case.clinician = db.session.scalar(select(User).where(User.email == "clinician@north.test"))
        case.clinician.specialty = "Rheumatology"
        case.member_id = "M-1"
        case.denial_received = date(2026, 10, 2)
        case.denial_reference = "R-77"
        case.appeal_filed = date(2026, 10, 20)
        case.appeal_decided = date(2026, 11, 12)
        case.appeal_outcome = "upheld"
        case.team.specialty_note = "Our state provides for same-specialty review on appeal."
        log_call(case)
        return case.id


def export(client, case_id, kind, query=""):
    """Open the checklist, tick every item on it, export: as a clinician would."""
    page = client.get(f"/cases/{case_id}/export/{kind}{query}")
    assert page.status_code == 200, page.get_data(as_text=True)
    codes = re.findall(r'name="ack" value="([^"]+)"', page.get_data(as_text=True))
    return client.post(f"/cases/{case_id}/export/{kind}{query}", {"ack": codes})


def body(data: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


@pytest.mark.parametrize(
    ("kind", "says"),
    [
        ("confirmation", "This letter confirms my peer-to-peer conversation"),
        ("appeal", "to request an internal appeal of Acme Health's denial"),
        ("external", "to request an external review of Acme Health's final decision"),
    ],
)
def test_each_letter_exports_as_docx_and_is_kept_byte_for_byte(signed_in, app, case_id, kind, says):
    sent = export(signed_in, case_id, kind)
    assert sent.status_code == 200 and sent.mimetype.endswith("wordprocessingml.document")
    assert f"-{kind}-" in sent.headers["Content-Disposition"]
    assert says in body(sent.data)
    with app.app_context():
        kept = db.session.scalar(select(Export).where(Export.kind == kind))
        assert kept.content == sent.data and kept.case_id == case_id
        audit = db.session.scalars(select(AuditEvent.what).where(AuditEvent.action == "export"))
        assert any(w.startswith(f"{kind} export {kept.id}") for w in audit)
        kept_id = kept.id
    assert signed_in.get(f"/cases/{case_id}/exports/{kept_id}").data == sent.data


def test_the_appeal_checklist_asks_whether_what_the_reviewer_wanted_is_enclosed(
    signed_in, app, case_id
):
    page = signed_in.get(f"/cases/{case_id}/export/appeal").get_data(as_text=True)
    assert "Pharmacy fill history for the leflunomide trial" in page
    assert 'value="would-change-not-enclosed"' in page
    assert 'value="would-change-enclosed"' not in page
    assert "The denial was upheld at a peer-to-peer review on 8 Oct 2026" in page  # which call
    blocked = signed_in.post(f"/cases/{case_id}/export/appeal", {"ack": []})
    assert blocked.status_code == 422
    unmarked = body(export(signed_in, case_id, "appeal").data)
    assert "the following documentation would change the decision" in unmarked
    assert "enclosed" not in unmarked.split("would change the decision", 1)[1].split("\n")[0]

    # The fill history arrives and is marked as what the reviewer asked for on the call.
    with app.app_context():
        call_id = db.session.scalar(select(PeerCall.id).where(PeerCall.case_id == case_id))
        document = SourceDocument(
            case_id=case_id,
            kind="Pharmacy record",
            title="Pharmacy fill history",
            document_date=date(2026, 10, 14),
            text="Leflunomide 20 mg daily, filled monthly.",
        )
        db.session.add(document)
        db.session.commit()
        document_id = document.id
    marked = signed_in.post(
        f"/cases/{case_id}/documents/{document_id}/answers", {"answers": f"call-{call_id}"}, hx=True
    )
    assert marked.status_code == 200
    page = signed_in.get(f"/cases/{case_id}/export/appeal").get_data(as_text=True)
    assert "would-change-not-enclosed" not in page
    letter = body(export(signed_in, case_id, "appeal").data)
    assert (
        "would change the decision: Pharmacy fill history for the leflunomide trial. It is "
        "enclosed: the pharmacy fill history of 14 Oct 2026." in letter
    )
    assert "The reviewer gave this reason for the decision: “Only one conventional DMARD" in letter


def test_the_confirmation_says_what_the_reviewer_agreed_to_and_not_our_next_step(
    signed_in, case_id
):
    letter = body(export(signed_in, case_id, "confirmation").data)
    assert "You agreed to re-review the request once the fill history arrives." in letter
    assert "The reason you gave was: “Only one conventional DMARD is on the claims record.”" in (
        letter
    )
    assert "File the internal appeal" not in letter and "We agreed" not in letter


def test_a_confirmation_for_a_chosen_call_names_that_call(signed_in, app, case_id):
    with app.app_context():
        earlier = log_call(
            db.session.get(Case, case_id),
            held_at=datetime(2026, 9, 30, 9, 0),
            outcome="pending",
            reference_number="P2P-EARLIER",
        )
        earlier_id = earlier.id
    latest = body(export(signed_in, case_id, "confirmation").data)
    assert "P2P-26-55190" in latest and "P2P-EARLIER" not in latest
    chosen = body(export(signed_in, case_id, "confirmation", f"?call={earlier_id}").data)
    assert "reference number P2P-EARLIER" in chosen
    assert "The reviewer told me that the decision is pending." in chosen
    with app.app_context():
        audit = db.session.scalars(select(AuditEvent.what).where(AuditEvent.action == "export"))
        assert any(f"(call {earlier_id})" in w for w in audit)


def test_confirmation_without_a_logged_call_is_refused_clearly(signed_in, app, world):
    case_id = world["north"]
    for response in (
        signed_in.get(f"/cases/{case_id}/export/confirmation"),
        signed_in.post(f"/cases/{case_id}/export/confirmation", {"ack": []}),
    ):
        assert response.status_code == 409
        assert "No peer-to-peer call is logged for this case yet" in response.get_data(as_text=True)
    with app.app_context():
        unlogged = log_call(db.session.get(Case, case_id), outcome="", held_at=None)
        unlogged_id = unlogged.id
        assert db.session.scalar(select(Export)) is None
    refused = signed_in.get(f"/cases/{case_id}/export/confirmation?call={unlogged_id}")
    assert refused.status_code == 409 and "no outcome logged yet" in refused.get_data(as_text=True)
    # An appeal needs no call: it goes without the peer-to-peer section.
    appeal = export(signed_in, case_id, "appeal")
    assert appeal.status_code == 200 and "The peer-to-peer review" not in body(appeal.data)


def test_another_teams_call_is_not_found(signed_in, app, world, case_id):
    with app.app_context():
        theirs = log_call(db.session.get(Case, world["south"]), reference_number="SOUTH-1")
        theirs_id = theirs.id
    for kind in ("confirmation", "appeal"):
        response = signed_in.get(f"/cases/{case_id}/export/{kind}?call={theirs_id}")
        assert response.status_code == 404
        assert "SOUTH-1" not in response.get_data(as_text=True)


def test_command_line_exports_the_letters_after_the_call(app, case_id, tmp_path, world):
    runner = app.test_cli_runner()
    for kind in KINDS:
        out = tmp_path / f"{kind}.docx"
        args = ["export", str(case_id), "--kind", kind, "--out", str(out)]
        result = runner.invoke(args=[*args, "--acknowledge-warnings"])
        assert result.exit_code == 0, result.output
        assert "Alan Reyes, MD" in body(out.read_bytes())
    refused = runner.invoke(
        args=["export", str(world["south"]), "--kind", "confirmation", "--out", str(tmp_path / "x")]
    )
    assert refused.exit_code != 0 and "No peer-to-peer call is logged" in refused.output
    with app.app_context():
        kinds = [e.kind for e in db.session.scalars(select(Export).order_by(Export.id))]
        assert kinds == list(KINDS)


def test_followup_links_partial_offers_one_click_to_each_letter(app, case_id, world):
    with app.test_request_context(), app.app_context():
        logged = render_template(
            "documents/partials/followup_links.html", case=db.session.get(Case, case_id)
        )
        for kind in KINDS:
            assert f'href="/cases/{case_id}/export/{kind}"' in logged
        fresh = db.session.get(Case, world["south"])
        fresh.plan_type = "medicare_advantage"
        unlogged = render_template("documents/partials/followup_links.html", case=fresh)
    assert "/export/confirmation" not in unlogged and "log a call" in unlogged
    assert "Reconsideration request" in unlogged
