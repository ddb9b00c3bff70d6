"""The team working a case: comments and mentions, what is new, tasks, co-signing, live."""

from datetime import date, timedelta

from docx import Document
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Case, Comment, Fact, Signature, Task, Team, User
from tests.support import Client, add_member


def _client(app, email):
    client = Client(app)
    client.login(email)
    return client


def _user(app, email):
    with app.app_context():
        return db.session.scalar(select(User).where(User.email == email)).id


def test_a_mention_reaches_the_member_and_news_shows_until_they_look(app, world):
    case_id = world["north"]
    author = _client(app, "clinician@north.test")
    reader = _client(app, "coordinator@north.test")
    reader.get(f"/cases/{case_id}")  # a first visit, before the comment
    posted = author.post(
        f"/cases/{case_id}/comments", {"body": "@coordinator please get the PT notes"}, hx=True
    )
    assert posted.status_code == 200 and "please get the PT notes" in posted.get_data(as_text=True)
    with app.app_context():
        (note,) = db.session.scalars(select(Comment)).all()
        assert [u.email for u in note.mentions] == ["coordinator@north.test"]
    listing = reader.get("/cases/").get_data(as_text=True)
    assert "1 new comment" in listing
    assert "1 new comment" not in author.get("/cases/").get_data(as_text=True)
    page = reader.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Mentions you" in page and ">New</span>" in page
    assert "1 new comment" not in reader.get("/cases/").get_data(as_text=True)
    again = reader.get(f"/cases/{case_id}").get_data(as_text=True)
    assert ">New</span>" not in again


def test_a_change_by_a_teammate_shows_on_the_case_list(app, world):
    case_id = world["north"]
    reader = _client(app, "coordinator@north.test")
    reader.get(f"/cases/{case_id}")
    author = _client(app, "clinician@north.test")
    author.post(f"/cases/{case_id}/facts", {"kind": "history", "text": "New pain"}, hx=True)
    assert 'class="tag">Changed<' in reader.get("/cases/").get_data(as_text=True)


def test_an_empty_or_overlong_comment_is_refused_and_the_text_kept(app, world):
    client = _client(app, "clinician@north.test")
    empty = client.post(f"/cases/{world['north']}/comments", {"body": "  "}, hx=True)
    assert empty.status_code == 422 and "Write the comment first." in empty.get_data(as_text=True)
    long = client.post(f"/cases/{world['north']}/comments", {"body": "x" * 5001}, hx=True)
    assert long.status_code == 422 and "x" * 5001 in long.get_data(as_text=True)


def test_tasks_are_assigned_listed_for_the_assignee_and_done(app, world):
    case_id = world["north"]
    lead = _client(app, "clinician@north.test")
    coordinator = _user(app, "coordinator@north.test")
    due = (date.today() + timedelta(days=2)).isoformat()
    form = {"title": "Obtain the written denial", "assignee_id": str(coordinator), "due": due}
    added = lead.post(f"/cases/{case_id}/tasks", form, hx=True)
    assert added.status_code == 200 and "Obtain the written denial" in added.get_data(as_text=True)
    helper = _client(app, "coordinator@north.test")
    mine = helper.get("/tasks/").get_data(as_text=True)
    assert "Obtain the written denial" in mine and "Nora North" in mine
    assert "Obtain the written denial" not in lead.get("/tasks/").get_data(as_text=True)
    with app.app_context():
        task_id = db.session.scalar(select(Task.id))
    helper.post(f"/cases/{case_id}/tasks/{task_id}/done", {"from": "mine"})
    assert "No open task is assigned to you." in helper.get("/tasks/").get_data(as_text=True)
    with app.app_context():
        south_admin = _user(app, "admin@south.test")
    bad = lead.post(
        f"/cases/{case_id}/tasks",
        {"title": "Call Sam", "assignee_id": str(south_admin), "due": "next week"},
        hx=True,
    )
    body = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert "Choose a member of the team." in body and "The due date should be a date" in body
    assert 'value="Call Sam"' in body and 'value="next week"' in body


def _second_clinician(app):
    with app.app_context():
        team = db.session.scalar(select(Team).where(Team.slug == "north"))
        user = add_member("cosigner@north.test", team, "clinician", name="Casey Cosign")
        user.npi, user.specialty = "1987654321", "Physical medicine"
        db.session.commit()
    return _client(app, "cosigner@north.test")


def _version(client, case_id):
    html = client.get(f"/cases/{case_id}/brief").get_data(as_text=True)
    form = html.split('action="/cases/')[-1]  # the co-sign form comes last on the page
    return form.split('name="version" value="')[1].split('"')[0]


def _letter_text(client, case_id):
    page = client.get(f"/cases/{case_id}/export/letter").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    client.token = token
    acks = [v.split('"')[0] for v in page.split('name="ack" value="')[1:]]
    response = client.post(f"/cases/{case_id}/export/letter", {"ack": acks})
    assert response.status_code == 200, response.status_code
    import io

    return "\n".join(p.text for p in Document(io.BytesIO(response.data)).paragraphs)


def test_a_co_signature_is_on_the_letter_until_the_letter_changes(app, world):
    case_id = world["north"]
    with app.app_context():
        case = db.session.get(Case, case_id)
        case.clinician = db.session.scalar(select(User).where(User.email == "clinician@north.test"))
        db.session.add(Fact(case=case, kind="history", text="Back pain for a year.", position=1))
        db.session.commit()
    cosigner = _second_clinician(app)
    signed = cosigner.post(
        f"/cases/{case_id}/letter/sign", {"version": _version(cosigner, case_id)}
    )
    assert signed.status_code == 302
    assert "Casey Cosign, MD" in _letter_text(cosigner, case_id)
    brief = cosigner.get(f"/cases/{case_id}/brief").get_data(as_text=True)
    assert "approved this version" in brief

    lead = _client(app, "clinician@north.test")
    # A change that leaves the letter reading as it did keeps the co-signature.
    lead.post(f"/cases/{case_id}/comments", {"body": "Thanks for signing"}, hx=True)
    with app.app_context():
        assert db.session.scalar(select(Signature.withdrawn_at)) is None
        fact_id = db.session.scalar(select(Fact.id).where(Fact.case_id == case_id))
    lead.post(f"/cases/{case_id}/facts/{fact_id}/letter", {}, hx=True)  # leave it out: new text
    with app.app_context():  # withdrawn by the change itself, before anyone reads the letter
        (signature,) = db.session.scalars(select(Signature)).all()
        assert signature.withdrawn_at is not None
        assert signature.withdrawn_why == "The letter changed after it was signed."
    brief = lead.get(f"/cases/{case_id}/brief").get_data(as_text=True)
    assert "withdrawn" in brief and "The letter changed after it was signed." in brief
    assert "Casey Cosign, MD" not in _letter_text(lead, case_id)
    with app.app_context():
        (signature,) = db.session.scalars(select(Signature)).all()
        assert signature.withdrawn_at is not None
        audit = db.session.scalars(select(AuditEvent.what).where(AuditEvent.action == "sign")).all()
        assert audit == [
            "letter co-signed",
            f"co-signature {signature.id} withdrawn: the letter changed",
        ]


def test_reading_a_changed_letter_never_withdraws_a_co_signature(app, world):
    case_id = world["north"]
    cosigner = _second_clinician(app)
    cosigner.post(f"/cases/{case_id}/letter/sign", {"version": _version(cosigner, case_id)})
    with app.app_context():  # changed outside any request: nothing has withdrawn it yet
        case = db.session.get(Case, case_id)
        db.session.add(Fact(case=case, kind="history", text="Back pain for a year.", position=1))
        db.session.commit()
    brief = cosigner.get(f"/cases/{case_id}/brief").get_data(as_text=True)
    assert "not on this version: the letter changed after it was signed." in brief
    assert "approved this version" not in brief
    assert "Casey Cosign, MD" not in _letter_text(cosigner, case_id)  # not on what it says now
    with app.app_context():
        (signature,) = db.session.scalars(select(Signature)).all()
        assert signature.withdrawn_at is None  # the reads (and the export) wrote nothing
        audit = db.session.scalars(select(AuditEvent.what).where(AuditEvent.action == "sign")).all()
        assert audit == ["letter co-signed"]


def test_only_other_clinicians_co_sign_and_only_what_they_read(app, world):
    case_id = world["north"]
    cosigner = _second_clinician(app)
    version = _version(cosigner, case_id)
    coordinator = _client(app, "coordinator@north.test")
    page = coordinator.get(f"/cases/{case_id}/brief").get_data(as_text=True)
    assert "Co-sign this version" not in page
    refused = coordinator.post(f"/cases/{case_id}/letter/sign", {"version": version})
    assert refused.status_code == 403
    stale = cosigner.post(f"/cases/{case_id}/letter/sign", {"version": "0" * 64})
    assert stale.status_code == 302 and "changed=1" in stale.location
    with app.app_context():
        assert db.session.scalars(select(Signature)).all() == []


def test_the_live_feed_brings_teammates_comments_and_changes(app, world):
    case_id = world["north"]
    reader = _client(app, "coordinator@north.test")
    page = reader.get(f"/cases/{case_id}").get_data(as_text=True)
    poll = page.split('id="live" hx-get="')[1].split('"')[0].replace("&amp;", "&")
    with reader.http.session_transaction() as session:
        session["seen"] -= 60
        seen = session["seen"]
    quiet = reader.get(poll).get_data(as_text=True)
    assert "changed this case" not in quiet and "hx-swap-oob" not in quiet
    author = _client(app, "clinician@north.test")
    author.post(f"/cases/{case_id}/comments", {"body": "Denial letter is in"}, hx=True)
    author.post(f"/cases/{case_id}/facts", {"kind": "history", "text": "Worse at night"}, hx=True)
    news = reader.get(poll).get_data(as_text=True)
    assert "Denial letter is in" in news and 'hx-swap-oob="beforeend:#comment-list"' in news
    assert "Clinician changed this case." in news
    with reader.http.session_transaction() as session:
        assert session["seen"] == seen  # polling keeps no one signed in
    with app.app_context():
        views = db.session.scalars(
            select(AuditEvent.what).where(
                AuditEvent.case_id == case_id, AuditEvent.what.like("live:%")
            )
        ).all()
        assert views == ["live: 1 new comments, 2 changes"]  # the empty poll wrote nothing
