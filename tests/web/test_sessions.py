"""Sessions live on the server and end there (ASVS 4.0.3 V3.3, 45 CFR 164.312(a)(2)(iii)): a
copy of the cookie opens nothing once its session has ended, by sign-out, "sign out
everywhere", a password change, deactivation, a reset or the absolute lifetime. The calendar
feed's address ends with the password too."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app import create_app
from app.extensions import db
from app.models import Team, User, UserSession, now
from app.sessions import digest
from tests.support import PASSWORD, Client
from tests.web.routes import NEW_PASSWORD

pytestmark = pytest.mark.persistence


def cookie_of(client: Client) -> str:
    return client.http.get_cookie(client.app.config["SESSION_COOKIE_NAME"]).value


def with_cookie(app, value: str) -> Client:
    """Another browser, given a copy of someone's session cookie."""
    thief = Client(app)
    thief.http.set_cookie(app.config["SESSION_COOKIE_NAME"], value)
    return thief


def opens_cases(client: Client) -> bool:
    return client.get("/cases/").status_code == 200


def test_the_cookie_carries_only_a_random_id_and_the_server_only_its_hash(app, world, signed_in):
    value = cookie_of(signed_in)
    assert value.startswith("sid:")
    token = value.removeprefix("sid:")
    assert len(token) >= 43 and "." not in token  # not a signed session: nothing to decode
    with app.app_context():
        rows = db.session.execute(select(UserSession.token_hash, UserSession.data)).all()
        assert [r.token_hash for r in rows] == [digest(token)]
        assert token not in str(rows)


def test_a_cookie_copied_before_sign_out_opens_nothing_after(app, world, signed_in):
    copy = cookie_of(signed_in)
    assert opens_cases(with_cookie(app, copy))  # the copy works while the session lives
    signed_in.post("/logout")
    thief = with_cookie(app, copy)
    response = thief.get("/cases/")
    assert response.status_code == 302 and "/login" in response.location
    assert "Nora North" not in thief.get("/login").get_data(as_text=True)


def test_signing_in_again_makes_a_new_id_and_ends_the_old(app, world, signed_in):
    before = cookie_of(signed_in)
    signed_in.login("clinician@north.test")
    assert cookie_of(signed_in) != before
    assert not opens_cases(with_cookie(app, before))
    assert opens_cases(signed_in)


def test_sign_out_everywhere_ends_every_session_of_the_user(app, world, signed_in):
    laptop, copy = Client(app), cookie_of(signed_in)
    laptop.login("clinician@north.test")
    colleague = Client(app)
    colleague.login("admin@north.test")
    page = signed_in.get("/password").get_data(as_text=True)
    assert "Sign out everywhere" in page
    response = signed_in.post("/logout/everywhere")
    assert response.status_code == 302 and "/login" in response.location
    assert "signed out everywhere" in signed_in.get("/login").get_data(as_text=True)
    assert not opens_cases(signed_in)
    assert not opens_cases(laptop)
    assert not opens_cases(with_cookie(app, copy))
    assert opens_cases(colleague)  # another user's session goes on
    assert Client(app).login("clinician@north.test").status_code == 302


def test_a_password_change_ends_the_other_sessions_and_their_copies(app, world, signed_in):
    laptop = Client(app)
    laptop.login("clinician@north.test")
    copy = cookie_of(laptop)
    signed_in.get("/password")
    form = {"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert signed_in.post("/password", form).status_code == 302
    assert opens_cases(signed_in)  # the browser that changed it goes on
    assert not opens_cases(laptop)
    assert not opens_cases(with_cookie(app, copy))


def test_deactivation_ends_a_copied_cookie_even_after_reactivation(app, world):
    member = Client(app)
    member.login("coordinator@north.test")
    copy = cookie_of(member)
    admin = Client(app)
    admin.login("admin@north.test")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "coordinator@north.test"))
        team = db.session.scalar(select(Team).where(Team.slug == "north"))
        mid = next(m.id for m in user.memberships if m.team_id == team.id)
    admin.get("/teams/north/members")
    for action in ("deactivate", "reactivate"):
        assert admin.post(f"/teams/north/members/{mid}/access", {"action": action}).status_code
    assert not opens_cases(with_cookie(app, copy))
    assert not opens_cases(member)


def signed_in_hours_ago(app, hours: float) -> None:
    with app.app_context():
        db.session.execute(update(UserSession).values(created_at=now() - timedelta(hours=hours)))
        db.session.commit()


def test_a_session_ends_after_its_absolute_lifetime_however_busy(app, world, signed_in):
    app.config["SESSION_LIFETIME"] = timedelta(hours=12)
    signed_in_hours_ago(app, 11)
    assert opens_cases(signed_in)  # eleven hours in, and busy: still signed in
    signed_in_hours_ago(app, 12.02)
    response = signed_in.get("/cases/")
    assert response.status_code == 302 and "/login" in response.location
    assert "at most 12 hours" in signed_in.get("/login").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(UserSession.ended_why)) == "lifetime"


def test_the_lifetime_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("PEERBRIEF_SESSION_HOURS", "8")
    assert create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).config[
        "SESSION_LIFETIME"
    ] == timedelta(hours=8)
    monkeypatch.delenv("PEERBRIEF_SESSION_HOURS")
    assert create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).config[
        "SESSION_LIFETIME"
    ] == timedelta(hours=12)


def test_signing_out_a_session_that_ended_elsewhere_is_just_a_sign_in_page(app, world, signed_in):
    signed_in.post("/logout/everywhere")
    assert signed_in.get("/cases/").status_code == 302
    assert signed_in.login("clinician@north.test").status_code == 302
    assert opens_cases(signed_in)


# --- the calendar feed's address ends with the password --------------------------------------


def make_feed(client: Client) -> str:
    client.get("/calendar")
    found = re.search(r"(/calendar/feed/[^\"]+\.ics)", client.post("/calendar/token").text)
    return found.group(1)


def test_a_password_change_ends_the_calendar_feed(app, world, signed_in):
    feed = make_feed(signed_in)
    assert app.test_client().get(feed).status_code == 200
    signed_in.get("/password")
    form = {"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    response = signed_in.post("/password", form)
    assert response.status_code == 302
    assert "calendar feed" in signed_in.get("/cases/").get_data(as_text=True)
    assert app.test_client().get(feed).status_code == 404
    assert "A feed is active" not in signed_in.get("/calendar").get_data(as_text=True)


def test_deactivation_ends_the_calendar_feed_for_good(app, world):
    member = Client(app)
    member.login("coordinator@north.test")
    feed = make_feed(member)
    admin = Client(app)
    admin.login("admin@north.test")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "coordinator@north.test"))
        mid = user.memberships[0].id
    admin.get("/teams/north/members")
    admin.post(f"/teams/north/members/{mid}/access", {"action": "deactivate"})
    admin.post(f"/teams/north/members/{mid}/access", {"action": "reactivate"})
    assert app.test_client().get(feed).status_code == 404
