"""Team isolation and CSRF, enumerated from the app's URL map so a new route is covered too."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.library import store
from app.models import (
    Case,
    CaseCitation,
    Conference,
    ConferenceCase,
    Criterion,
    Export,
    Fact,
    ImportJob,
    PeerCall,
    SourceDocument,
    Task,
)
from citations import parse_bibtex
from tests.support import Client

pytestmark = pytest.mark.persistence


# Ids of records that belong to one team.
OWNED = {"case_id", "citation_id", "job_id", "conference_id"}


def case_rules(app):
    return [r for r in app.url_map.iter_rules() if r.arguments & OWNED]


def plant(case, name):
    """A record of every kind a case route reaches, named after its owner so leaks show."""
    doc = SourceDocument(
        case=case, kind="Consult", title="t", text=f"{name} note", document_date=case.patient_dob
    )
    fact = Fact(case=case, kind="history", text=f"{name} history", position=1)
    criterion = Criterion(case=case, text=f"{name} criterion", position=1)
    db.session.add_all([doc, fact, criterion])
    key = name.split()[-1].lower()
    entry = parse_bibtex(f"@article{{{key}2020, title={{{name} only}}, year={{2020}}}}").entries[0]
    citation = store.save(case.team_id, entry)
    link = CaseCitation(case=case, citation=citation, claim=f"{name} claim")
    job = ImportJob(
        team_id=case.team_id, text="@misc{x, title={y}}", state="done", report={"added": 0}
    )
    export = Export(
        case=case,
        kind="letter",
        filename="x.docx",
        sha256="0" * 64,
        content=f"{name} letter".encode(),
    )
    call = PeerCall(case=case, reviewer_name=f"{name} reviewer", reference_number="S-1")
    task = Task(case=case, title=f"{name} task")
    conference = Conference(team_id=case.team_id, title=f"{name} meets", held_on=case.patient_dob)
    item = ConferenceCase(conference=conference, case=case, position=1, question=f"{name}?")
    db.session.add_all([link, job, export, call, task, conference, item])
    db.session.commit()
    return {
        "case_id": case.id,
        "fact_id": fact.id,
        "document_id": doc.id,
        "citation_id": citation.id,
        "link_id": link.id,
        "job_id": job.id,
        "criterion_id": criterion.id,
        "export_id": export.id,
        "call_id": call.id,
        "conference_id": conference.id,
        "item_id": item.id,
        "n": 1,
        "task_id": task.id,
        "name": "timeline",
        "kind": "points",
        "key": "request",
    }


@pytest.fixture
def south_objects(app, world):
    """Records on team south's case, so nested routes have real ids to probe."""
    with app.app_context():
        return plant(db.session.get(Case, world["south"]), "Sam South")


def urls(app, ids):
    for rule in case_rules(app):
        url = rule.build({k: ids[k] for k in rule.arguments}, append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, url


def test_every_case_route_is_enumerated(app):
    endpoints = {r.endpoint for r in case_rules(app)}
    assert {
        "cases.show",
        "cases.edit",
        "facts.create",
        "facts.move",
        "cases.audit",
        "library.show",
        "library.evidence",
        "library.job",
        "evidence.link",
        "calls.log",
        "calls.path",
    } <= endpoints


@pytest.mark.parametrize("role", ["admin", "clinician", "coordinator"])
def test_a_member_of_another_team_gets_404_and_no_data(app, world, south_objects, role):
    north = Client(app)
    north.login(f"{role}@north.test")
    checked = 0
    for method, url in urls(app, south_objects):
        data = {"kind": "history", "text": "x", "status": "closed", "direction": "up"}
        response = north.get(url) if method == "GET" else north.post(url, data, hx=True)
        body = response.get_data(as_text=True)
        assert response.status_code == 404, (method, url)
        assert "Sam South" not in body and "S-1" not in body and "South only" not in body
        checked += 1
    assert checked >= 15
    with app.app_context():
        case = db.session.get(Case, world["south"])
        assert case.status == "draft" and [f.text for f in case.facts] == ["Sam South history"]


def test_anonymous_requests_are_sent_to_sign_in(app, south_objects):
    anonymous = Client(app)
    for method, url in urls(app, south_objects):
        response = anonymous.get(url) if method == "GET" else anonymous.post(url, csrf=False)
        assert response.status_code == 302 and "/login" in response.location, (method, url)


def test_state_changing_requests_without_csrf_token_are_refused(app, world):
    member = Client(app)
    member.login("clinician@north.test")
    with app.app_context():
        ids = plant(db.session.get(Case, world["north"]), "Nora North")
    posts = [url for method, url in urls(app, ids) if method == "POST"]
    posts += [
        "/cases/new",
        "/teams/north/members",
        "/teams/north/switch",
        "/logout",
        "/library/import",
        "/library/lookup",
        "/teams/north/letterhead",
        "/teams/north/rebuttals/",
    ]
    for url in posts:
        for hx in (False, True):
            response = member.post(url, {"kind": "history", "text": "x"}, hx=hx, csrf=False)
            assert response.status_code == 400, url
    with app.app_context():
        assert [f.text for f in db.session.get(Case, world["north"]).facts] == [
            "Nora North history"
        ]
        assert db.session.scalars(select(Case)).all().__len__() == 2


def test_team_members_page_is_for_that_teams_admin_only(app, world):
    admin, clinician = Client(app), Client(app)
    admin.login("admin@north.test")
    clinician.login("clinician@north.test")
    assert admin.get("/teams/north/members").status_code == 200
    assert admin.get("/teams/south/members").status_code == 404
    assert clinician.get("/teams/north/members").status_code == 403


def test_admin_adds_a_member_who_then_sees_the_teams_cases(app, world):
    admin = Client(app)
    admin.login("admin@north.test")
    response = admin.post(
        "/teams/north/members",
        {
            "email": "new@north.test",
            "role": "coordinator",
            "name": "New Person",
            "password": "long enough password",
        },
    )
    assert response.status_code == 302
    newcomer = Client(app)
    newcomer.login("new@north.test", "long enough password")
    assert "Nora North" in newcomer.get("/cases/").get_data(as_text=True)
    assert newcomer.get(f"/cases/{world['south']}").status_code == 404


def test_a_user_in_two_teams_switches_between_them(app, world):
    from tests.support import add_member

    with app.app_context():
        from app.models import Team

        add_member(
            "clinician@north.test",
            db.session.scalar(select(Team).where(Team.slug == "south")),
            "coordinator",
        )
    both = Client(app)
    both.login("clinician@north.test")
    assert "Nora North" in both.get("/cases/").get_data(as_text=True)
    both.post("/teams/south/switch")
    listing = both.get("/cases/").get_data(as_text=True)
    assert "Sam South" in listing and "Nora North" not in listing
    assert both.get(f"/cases/{world['north']}").status_code == 200
