"""Two-factor and the team: waiting for a code opens nothing, an admin requires it of every
member, and resets a member's when a phone is lost."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Membership, RecoveryCode, Team, TwoFactor
from tests.support import Client
from tests.web.mfa_support import audit_of, code_step, enrol, next_code, password_step, user_id
from tests.web.records import snapshot
from tests.web.test_matrix import plan, planted, send  # noqa: F401 - planted is a fixture

pytestmark = pytest.mark.persistence

ADMIN, CLINICIAN = "admin@north.test", "clinician@north.test"


def signed_in_as(app, email: str) -> Client:
    client = Client(app)
    client.login(email)
    return client


def team_id(app, slug: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Team.id).where(Team.slug == slug))


def test_waiting_for_a_code_opens_no_page(app, planted):  # noqa: F811
    """After the password, before the code: every route of the URL map answers as to a
    signed-out visitor (sent to sign in), shows nothing of a team, and changes nothing."""
    enrol(app, signed_in_as(app, ADMIN), ADMIN)
    waiting = Client(app)
    assert "/account/two-factor/code" in password_step(waiting, ADMIN).location
    assert waiting.get("/account/two-factor/code").status_code == 200
    markers = [m for ids in planted.values() for m in ids["markers"]]
    before = snapshot(app)
    wrong = []
    calls = plan(app, "anonymous", "north", planted)
    assert len(calls) > 200
    for call in calls:
        response = send(app, waiting, call)
        location = response.headers.get("Location", "") or response.headers.get("HX-Redirect", "")
        if "/login" not in location or response.status_code != (401 if call.hx else 302):
            wrong.append(f"{call}: {response.status_code} {location}")
        body = response.get_data().decode(errors="replace")
        if shown := [m for m in markers if m in body]:
            wrong.append(f"{call}: shows {shown}")
    assert wrong == []
    assert snapshot(app) == before


def test_a_team_requiring_two_factor_leads_its_members_to_set_it_up_first(app, world):
    admin = signed_in_as(app, ADMIN)
    page = admin.get("/teams/north/members").get_data(as_text=True)
    assert 'name="required" value="on">' in page  # not checked yet
    assert admin.post("/teams/north/two-factor", {"required": "on"}).status_code == 302
    north = team_id(app, "north")
    assert audit_of(app)[-1] == (
        user_id(app, ADMIN),
        north,
        "two-factor sign-in now required of every member",
    )
    # The admin too: the next page is the set-up.
    assert admin.get("/cases/").location.endswith("/account/two-factor/")

    member = Client(app)
    assert password_step(member, CLINICIAN).status_code == 302  # the password alone, this once
    led = member.get("/cases/")
    assert led.status_code == 302 and led.location.endswith("/account/two-factor/")
    hx = member.get(f"/cases/{world['north']}", headers={"HX-Request": "true"})
    assert hx.status_code == 204 and hx.headers["HX-Redirect"] == "/account/two-factor/"
    assert member.get("/password").status_code == 302
    before = snapshot(app)
    member.get("/account/two-factor/")
    blocked = member.post(f"/cases/{world['north']}/status", {"status": "appeal"})
    assert blocked.status_code == 302 and snapshot(app) == before
    page = member.get("/account/two-factor/")
    assert page.status_code == 200
    assert "Your team requires two-factor sign-in" in page.get_data(as_text=True)
    secret, _ = enrol(app, member, CLINICIAN)
    assert member.get("/cases/").status_code == 200

    # Another team's members are not asked.
    assert signed_in_as(app, "clinician@south.test").get("/cases/").status_code == 200
    # Signing in again asks for the code, then opens the pages.
    again = Client(app)
    assert "/account/two-factor/code" in password_step(again, CLINICIAN).location
    assert code_step(again, next_code(app, CLINICIAN, secret)).status_code == 302
    assert again.get("/cases/").status_code == 200

    # The admin sets it up too, and can then make it each member's choice again.
    enrol(app, admin, ADMIN)
    admin.get("/teams/north/members")
    assert admin.post("/teams/north/two-factor", {}).status_code == 302
    assert audit_of(app)[-1][2] == "two-factor sign-in no longer required of every member"


def test_an_admin_resets_a_members_two_factor_and_they_set_it_up_again(app, world):
    member = signed_in_as(app, CLINICIAN)
    _, codes = enrol(app, member, CLINICIAN)
    uid, north = user_id(app, CLINICIAN), team_id(app, "north")
    with app.app_context():
        membership = db.session.scalar(
            select(Membership.id).where(Membership.user_id == uid, Membership.team_id == north)
        )
    admin = signed_in_as(app, ADMIN)
    page = admin.get("/teams/north/members").get_data(as_text=True)
    assert "Two-factor on" in page and "Reset two-factor<span" in page
    reset = admin.post(f"/teams/north/members/{membership}/access", {"action": "reset_two_factor"})
    assert reset.status_code == 302
    after = admin.get("/teams/north/members").get_data(as_text=True)
    assert "is reset: they set it up again" in after and "Reset two-factor<span" not in after
    assert audit_of(app)[-1] == (
        user_id(app, ADMIN),
        north,
        f"reset two-factor sign-in of user {uid}",
    )
    with app.app_context():
        assert db.session.get(TwoFactor, uid) is None
        assert (
            db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == uid)).all() == []
        )

    # No code is asked now, and the old recovery codes are gone with the app.
    fresh = Client(app)
    assert password_step(fresh, CLINICIAN).location.endswith("/cases/")
    # Where the team requires it, the member is led to set it up again.
    enrol(app, admin, ADMIN)
    admin.get("/teams/north/members")
    admin.post("/teams/north/two-factor", {"required": "on"})
    assert fresh.get("/cases/").location.endswith("/account/two-factor/")
    assert codes  # shown once at set-up; nothing of them is left to try


def test_the_operator_resets_two_factor_when_no_admin_can(app, world):
    """The team's only admin lost their phone and their recovery codes."""
    enrol(app, signed_in_as(app, ADMIN), ADMIN)
    runner = app.test_cli_runner()
    done = runner.invoke(args=["two-factor", "reset", "Admin@North.test"])
    assert done.exit_code == 0 and "is reset" in done.output
    uid = user_id(app, ADMIN)
    assert audit_of(app)[-1] == (None, None, f"reset two-factor sign-in of user {uid}")
    assert password_step(Client(app), ADMIN).location.endswith("/cases/")
    again = runner.invoke(args=["two-factor", "reset", ADMIN])
    assert again.exit_code == 1 and "has no two-factor sign-in" in again.output
    unknown = runner.invoke(args=["two-factor", "reset", "nobody@north.test"])
    assert unknown.exit_code == 1 and "No account" in unknown.output
