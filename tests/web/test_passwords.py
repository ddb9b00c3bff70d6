"""Password rules wherever a password is set, changing one's own, and an admin resetting
a member's access."""

import re

import pytest
from sqlalchemy import select

from app.domain import passwords
from app.extensions import db
from app.models import AuditEvent, Team, User
from tests.support import PASSWORD, Client, add_member

# --- the rules -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery",
        "a long password 1",
        "x" * 3 + "nine more",  # twelve, nothing else asked
        "naïve café tables 😀",
        "all lower case words",
        "q" + "w" * 127,  # 128
    ],
)
def test_long_uncommon_passwords_are_accepted_without_composition_rules(password):
    assert passwords.problem(password, "jane.doe@clinic.example") is None


@pytest.mark.parametrize(
    ("password", "says"),
    [
        ("elevenchars", "12 characters"),
        ("w" * 129, "128 characters or fewer"),
        ("password1234", "most common"),
        ("Password1234!", "most common"),
        ("Summer2024!!", "most common"),
        ("!!Welcome2025", "most common"),
        ("qwertyuiop123", "most common"),
        ("1qaz2wsx3edc", "most common"),
        ("123456789012", "most common"),
        ("aaaaaaaaaaaa", "most common"),
        ("abcabcabcabc", "most common"),
        ("iloveyouiloveyou", "most common"),
        ("MONKEYMONKEY", "most common"),
        ("Jane.Doe@Clinic.example", "email"),
        ("jane.doe.hospital", None),
    ],
)
def test_short_long_common_and_own_email_passwords_are_refused(password, says):
    problem = passwords.problem(password, "jane.doe@clinic.example")
    if says is None:
        assert problem is None
    else:
        assert problem is not None and says in problem


def test_the_bundled_list_is_large_and_lower_case():
    common = passwords.common_passwords()
    assert len(common) >= 1000
    assert all(p == p.lower() and p.strip() == p and p for p in common)
    assert {"password", "qwerty", "iloveyou", "123456789012"} <= common


# --- changing one's own password -------------------------------------------------------------


def change(c, current, new, confirm=None):
    c.get("/password")
    return c.post(
        "/password",
        {"current": current, "password": new, "confirm": new if confirm is None else confirm},
    )


@pytest.mark.persistence
@pytest.mark.parametrize(
    ("current", "new", "confirm", "field", "says"),
    [
        ("not my password", "a new long phrase", None, "current", "not your current password"),
        (PASSWORD, "short", None, "password", "12 characters"),
        (PASSWORD, "Password12345", None, "password", "most common"),
        (PASSWORD, "clinician@north.test", None, "password", "email"),
        (PASSWORD, PASSWORD, None, "password", "other than the one you have"),
        (PASSWORD, "a new long phrase", "a new long phrasE", "confirm", "differ"),
    ],
)
def test_a_refused_change_says_why_and_keeps_the_password(
    app, world, current, new, confirm, field, says
):
    c = Client(app)
    c.login("clinician@north.test")
    response = change(c, current, new, confirm)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(rf'id="{field}"[^>]*aria-invalid="true"', html), field
    assert says in html
    c.post("/logout")
    assert Client(app).login("clinician@north.test").status_code == 302


@pytest.mark.persistence
def test_changing_ones_password_keeps_this_session_and_ends_the_others(app, world):
    here, elsewhere = Client(app), Client(app)
    here.login("clinician@north.test")
    elsewhere.login("clinician@north.test")
    page = here.get("/password")
    assert page.status_code == 200 and 'autocomplete="new-password"' in page.get_data(as_text=True)
    response = change(here, PASSWORD, "tea at the lake house")
    assert response.status_code == 302 and response.location.endswith("/cases/")
    assert here.get("/cases/").status_code == 200
    assert elsewhere.get("/cases/").status_code == 302  # back to sign-in
    assert Client(app).login("clinician@north.test").status_code == 401
    assert Client(app).login("clinician@north.test", "tea at the lake house").status_code == 302
    with app.app_context():
        user_id = db.session.scalar(select(User.id).filter_by(email="clinician@north.test"))
        event = db.session.scalar(select(AuditEvent).filter_by(action="password"))
        assert event.user_id == user_id and event.what == f"user {user_id} changed their password"


@pytest.mark.persistence
def test_the_password_page_needs_sign_in(app, world):
    response = Client(app).get("/password")
    assert response.status_code == 302 and "/login" in response.location


# --- setting a password elsewhere ------------------------------------------------------------


@pytest.mark.persistence
@pytest.mark.parametrize(
    ("password", "says"),
    [("qwerty123456", "most common"), ("short one", "12 characters"), ("new@north.test", "email")],
)
def test_an_admin_cannot_give_a_new_member_a_weak_first_password(app, world, password, says):
    admin = Client(app)
    admin.login("admin@north.test")
    form = {"email": "new@north.test", "role": "clinician", "name": "New", "password": password}
    response = admin.post("/teams/north/members", form)
    assert response.status_code == 422 and says in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User).filter_by(email="new@north.test")) is None


@pytest.mark.persistence
def test_the_command_line_refuses_a_common_password(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["create-team", "ortho", "Orthopaedics"])
    args = ["create-user", "lee@ortho.test", "--team", "ortho", "--role", "admin"]
    common = runner.invoke(args=args, input="Password123456\n")
    assert common.exit_code != 0 and "most common" in common.output
    mine = runner.invoke(args=args, input="lee@ortho.test\n")
    assert mine.exit_code != 0 and "email" in mine.output
    assert runner.invoke(args=args, input="a long password 1\n").exit_code == 0


# --- an admin resetting a member's access ----------------------------------------------------


def membership_id(app, email, slug="north"):
    with app.app_context():
        user = db.session.scalar(select(User).filter_by(email=email))
        team = db.session.scalar(select(Team).filter_by(slug=slug))
        return next(m.id for m in user.memberships if m.team_id == team.id), user.id


def access(admin, app, email, action, slug="north"):
    mid, _ = membership_id(app, email, slug)
    admin.get(f"/teams/{slug}/members")
    return admin.post(f"/teams/{slug}/members/{mid}/access", {"action": action})


def audit_lines(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.what).filter_by(action="member")))


@pytest.mark.persistence
def test_a_temporary_password_works_once_to_choose_ones_own(app, world):
    member = Client(app)
    member.login("clinician@north.test")  # an open session, which the reset ends
    admin = Client(app)
    admin.login("admin@north.test")
    shown = access(admin, app, "clinician@north.test", "temporary")
    assert shown.status_code == 200
    html = shown.get_data(as_text=True)
    temporary = re.search(r"<code>([a-z0-9-]{19})</code>", html).group(1)
    with admin.http.session_transaction() as session:  # not kept in the signed cookie
        assert temporary not in str(dict(session))
    assert "<code>" not in admin.get("/teams/north/members").get_data(as_text=True)
    assert "/login" in member.get("/cases/").location

    assert Client(app).login("clinician@north.test").status_code == 401  # old one is gone
    fresh = Client(app)
    signed = fresh.login("clinician@north.test", temporary)
    assert signed.status_code == 302 and signed.location.endswith("/password")
    # Every other page sends them to choose their own first, htmx requests included.
    assert fresh.get("/cases/").location.endswith("/password")
    assert (
        fresh.get("/cases/", headers={"HX-Request": "true"})
        .headers["HX-Redirect"]
        .endswith("/password")
    )
    assert "temporary password" in fresh.get("/password").get_data(as_text=True)
    assert change(fresh, temporary, "my own words at last").status_code == 302
    assert fresh.get("/cases/").status_code == 200
    assert Client(app).login("clinician@north.test", temporary).status_code == 401

    _, user_id = membership_id(app, "clinician@north.test")
    assert f"set a temporary password for user {user_id}" in audit_lines(app)
    assert not any("@" in line for line in audit_lines(app))


@pytest.mark.persistence
def test_a_deactivated_member_is_signed_out_and_cannot_sign_in_until_reactivated(app, world):
    member = Client(app)
    member.login("coordinator@north.test")
    admin = Client(app)
    admin.login("admin@north.test")
    assert access(admin, app, "coordinator@north.test", "deactivate").status_code == 302
    assert "Deactivated" in admin.get("/teams/north/members").get_data(as_text=True)
    assert "/login" in member.get("/cases/").location
    assert Client(app).login("coordinator@north.test").status_code == 401
    assert access(admin, app, "coordinator@north.test", "reactivate").status_code == 302
    assert Client(app).login("coordinator@north.test").status_code == 302
    _, user_id = membership_id(app, "coordinator@north.test")
    lines = audit_lines(app)
    assert f"deactivated user {user_id}" in lines and f"reactivated user {user_id}" in lines


@pytest.mark.persistence
def test_an_admin_cannot_reset_an_account_that_another_teams_admin_shares(app, world):
    with app.app_context():
        south = db.session.scalar(select(Team).filter_by(slug="south"))
        add_member("clinician@north.test", south, "clinician")
    admin = Client(app)
    admin.login("admin@north.test")
    page = admin.get("/teams/north/members").get_data(as_text=True)
    assert "Also in another team" in page
    refused = access(admin, app, "clinician@north.test", "temporary")
    assert refused.status_code == 302
    assert "Remove them from North Rheumatology instead" in admin.get(
        "/teams/north/members"
    ).get_data(as_text=True)
    assert access(admin, app, "clinician@north.test", "deactivate").status_code == 302
    assert Client(app).login("clinician@north.test").status_code == 302  # untouched
    assert audit_lines(app) == []


@pytest.mark.persistence
def test_an_admin_manages_neither_their_own_account_nor_another_teams_members(app, world):
    admin = Client(app)
    admin.login("admin@north.test")
    access(admin, app, "admin@north.test", "deactivate")
    assert "password page" in admin.get("/teams/north/members").get_data(as_text=True)
    assert admin.get("/cases/").status_code == 200
    mid, _ = membership_id(app, "clinician@south.test", "south")
    assert (
        admin.post(f"/teams/north/members/{mid}/access", {"action": "deactivate"}).status_code
        == 404
    )
    assert (
        admin.post(f"/teams/south/members/{mid}/access", {"action": "deactivate"}).status_code
        == 404
    )
    clinician = Client(app)
    clinician.login("clinician@north.test")
    mid, _ = membership_id(app, "coordinator@north.test")
    assert (
        clinician.post(f"/teams/north/members/{mid}/access", {"action": "deactivate"}).status_code
        == 403
    )
    assert Client(app).login("clinician@south.test").status_code == 302
    assert Client(app).login("coordinator@north.test").status_code == 302
