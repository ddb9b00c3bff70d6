"""An admin adds an existing account to the team by invitation: its holder accepts or
declines after signing in; until then it is no member. A new account joins as before."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Invitation, Membership, Team, User
from tests.support import PASSWORD, Client

pytestmark = pytest.mark.persistence

INVITED = "admin@south.test"  # an account of another team, with its own patients


def _ids(app, email: str, slug: str) -> tuple[int, int]:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        team = db.session.scalar(select(Team).where(Team.slug == slug))
        return user.id, team.id


def _is_member(app, email: str, slug: str) -> bool:
    user_id, team_id = _ids(app, email, slug)
    with app.app_context():
        return (
            db.session.scalar(
                select(Membership).where(
                    Membership.user_id == user_id, Membership.team_id == team_id
                )
            )
            is not None
        )


def _member_audit(app) -> list[str]:
    with app.app_context():
        return db.session.scalars(
            select(AuditEvent.what).where(AuditEvent.action == "member").order_by(AuditEvent.id)
        ).all()


def _invite(app, email=INVITED, role="clinician"):
    admin = Client(app)
    admin.login("admin@north.test")
    return admin, admin.post("/teams/north/members", {"email": email, "role": role})


def test_adding_an_existing_account_invites_it_and_makes_no_member(app, world):
    admin, answer = _invite(app)
    assert answer.status_code == 302
    page = admin.get("/teams/north/members").get_data(as_text=True)
    assert "they are invited to join North Rheumatology as clinician" in page
    assert "Invited, not answered yet" in page and INVITED in page
    assert not _is_member(app, INVITED, "north")
    invited = Client(app)
    invited.login(INVITED)
    assert invited.get(f"/cases/{world['north']}").status_code == 404  # no access yet
    user_id, _ = _ids(app, INVITED, "south")
    assert _member_audit(app) == [f"invited user {user_id} as clinician"]


def test_the_holder_accepts_after_signing_in_and_then_works_in_the_team(app, world):
    _invite(app)
    invited = Client(app)
    invited.login(INVITED)
    listing = invited.get("/cases/").get_data(as_text=True)
    assert "invites you to join" in listing and "North Rheumatology" in listing
    with app.app_context():
        invitation = db.session.scalar(select(Invitation))
    answer = invited.post(
        "/invitations/answer", {"invitation_id": invitation.id, "answer": "accept"}
    )
    assert answer.status_code == 302
    assert "You joined North Rheumatology as clinician" in invited.get("/cases/").get_data(
        as_text=True
    )
    assert _is_member(app, INVITED, "north")
    assert invited.get(f"/cases/{world['north']}").status_code == 200
    user_id, _ = _ids(app, INVITED, "south")
    assert _member_audit(app)[-1] == f"user {user_id} accepted to join as clinician"
    with app.app_context():
        assert db.session.scalar(select(Invitation)) is None


def test_the_holder_may_decline_and_stays_out(app, world):
    _invite(app)
    invited = Client(app)
    invited.login(INVITED)
    invited.get("/cases/")
    with app.app_context():
        invitation_id = db.session.scalar(select(Invitation.id))
    invited.post("/invitations/answer", {"invitation_id": invitation_id, "answer": "decline"})
    assert "You declined to join North Rheumatology" in invited.get("/cases/").get_data(
        as_text=True
    )
    assert not _is_member(app, INVITED, "north")
    user_id, _ = _ids(app, INVITED, "south")
    assert _member_audit(app)[-1] == f"user {user_id} declined to join"


def test_no_one_else_can_answer_an_invitation(app, world):
    _invite(app)
    with app.app_context():
        invitation_id = db.session.scalar(select(Invitation.id))
    for email in ("clinician@north.test", "clinician@south.test", "admin@north.test"):
        other = Client(app)
        other.login(email)
        other.post("/invitations/answer", {"invitation_id": invitation_id, "answer": "accept"})
    assert not _is_member(app, INVITED, "north")
    with app.app_context():
        assert db.session.get(Invitation, invitation_id) is not None


def test_a_withdrawn_invitation_can_no_longer_be_accepted(app, world):
    admin, _ = _invite(app)
    with app.app_context():
        invitation_id = db.session.scalar(select(Invitation.id))
    admin.post(f"/teams/north/invitations/{invitation_id}/withdraw")
    invited = Client(app)
    invited.login(INVITED)
    invited.get("/cases/")
    invited.post("/invitations/answer", {"invitation_id": invitation_id, "answer": "accept"})
    assert "withdrawn or already answered" in invited.get("/cases/").get_data(as_text=True)
    assert not _is_member(app, INVITED, "north")
    user_id, _ = _ids(app, INVITED, "south")
    assert f"withdrew the invitation of user {user_id}" in _member_audit(app)


def test_inviting_twice_says_so(app, world):
    admin, _ = _invite(app)
    again = admin.post("/teams/north/members", {"email": INVITED, "role": "coordinator"})
    assert again.status_code == 422
    assert "is invited already and has not answered yet" in again.get_data(as_text=True)


def test_an_account_of_no_team_sees_its_invitation_on_the_first_page(app, world):
    with app.app_context():
        loner = User(email="loner@example.test", name="Lone Ranger")
        loner.set_password(PASSWORD)
        db.session.add(loner)
        db.session.commit()
    _invite(app, "loner@example.test", "coordinator")
    invited = Client(app)
    invited.login("loner@example.test")
    page = invited.get("/cases/").get_data(as_text=True)
    assert "not a member of any team yet" in page and "invites you to join" in page


def test_a_new_account_an_admin_creates_joins_at_once(app, world):
    admin = Client(app)
    admin.login("admin@north.test")
    form = {
        "email": "newcomer@north.test",
        "role": "coordinator",
        "name": "New Comer",
        "password": "long enough password",
    }
    assert admin.post("/teams/north/members", form).status_code == 302
    assert _is_member(app, "newcomer@north.test", "north")
