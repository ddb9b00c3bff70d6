"""Sign-ins, failures, lockouts and sign-outs leave an audit row and a log line (45 CFR
164.312(b), 164.308(a)(5)(ii)(C) log-in monitoring; ASVS 4.0.3 V7.1.3, V7.2.1): the account by
its user id where it exists, never the email typed or a password; and the team admin sees
the recent ones of the team's members."""

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, User
from tests.support import PASSWORD, Client
from tests.web.test_signin import client_at, closed, worker

pytestmark = pytest.mark.persistence

WRONG = "not my password at all"


def events(app) -> list[tuple]:
    with app.app_context():
        return db.session.execute(
            select(AuditEvent.action, AuditEvent.user_id, AuditEvent.what)
            .where(AuditEvent.action.in_(("signin", "signin-failed", "lockout", "signout")))
            .order_by(AuditEvent.id)
        ).all()


def user_id(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == email))


def test_sign_in_failure_and_sign_out_are_audited_and_logged(app, world, caplog):
    caplog.set_level(logging.INFO, logger="peerbrief.signin")
    me = user_id(app, "clinician@north.test")
    c = Client(app)
    assert c.login("clinician@north.test", WRONG).status_code == 401
    assert c.login("nobody@north.test", WRONG).status_code == 401
    assert c.login("clinician@north.test").status_code == 302
    c.post("/logout")
    rows = events(app)
    assert [(a, u) for a, u, _ in rows] == [
        ("signin-failed", me),
        ("signin-failed", None),  # no such account: no user, and not the email typed
        ("signin", me),
        ("signout", me),
    ]
    assert "wrong password" in rows[0][2] and "127.0.0.1" in rows[0][2]
    assert "no such account" in rows[1][2]
    text = " ".join(w for _, _, w in rows) + caplog.text
    for secret in ("@north.test", "nobody", WRONG, PASSWORD):
        assert secret not in text
    assert f"failed sign-in: wrong password, from 127.0.0.1 (user {me})" in caplog.text
    assert f"sign-in: user {me} from 127.0.0.1" in caplog.text


def test_a_refused_account_is_audited_with_its_reason(app, world):
    with app.app_context():
        db.session.scalar(select(User).where(User.email == "coordinator@north.test")).active = False
        db.session.commit()
    Client(app).login("coordinator@north.test")
    assert events(app)[-1][0] == "signin-failed" and "account deactivated" in events(app)[-1][2]


def test_a_lockout_is_audited_once_when_it_starts(app, world, caplog):
    limited = worker(app)
    try:
        c = client_at(limited, "203.0.113.9")
        for _ in range(4):
            c.post("/login", {"email": "clinician@north.test", "password": WRONG})
    finally:
        closed(limited)
    me = user_id(app, "clinician@north.test")
    rows = events(app)
    # Two wrong guesses fill the (address, account) count; the two after them are refused
    # without a password check and write nothing more.
    assert [(a, u) for a, u, _ in rows] == [
        ("signin-failed", me),
        ("signin-failed", me),
        ("lockout", me),
    ]
    assert "sign-in locked (pair)" in rows[-1][2] and "203.0.113.9" in rows[-1][2]
    assert "sign-in locked (pair)" in caplog.text


def test_the_end_of_an_idle_session_is_audited(app, world, signed_in):
    app.config["IDLE_TIMEOUT"] = timedelta(minutes=15)
    with signed_in.http.session_transaction() as session:
        session["seen"] -= 15 * 60 + 1
    signed_in.get("/cases/")
    action, who, what = events(app)[-1]
    assert (action, who) == ("signout", user_id(app, "clinician@north.test"))
    assert "idle" in what


def test_sign_out_everywhere_is_audited(app, world, signed_in):
    signed_in.post("/logout/everywhere")
    assert events(app)[-1][:2] == ("signout", user_id(app, "clinician@north.test"))
    assert "everywhere" in events(app)[-1][2]


def test_the_team_admin_sees_the_members_recent_sign_ins_and_no_other_teams(app, world):
    Client(app).login("clinician@north.test", WRONG)
    Client(app).login("coordinator@north.test")
    Client(app).login("clinician@south.test")
    admin = Client(app)
    admin.login("admin@north.test")
    page = admin.get("/teams/north/members").get_data(as_text=True)
    listed = page.split('id="sign-ins"')[1]
    assert "Sign-in failed" in listed and "wrong password, from 127.0.0.1" in listed
    # The coordinator's and the admin's sign-ins; not the south clinician's.
    assert listed.count("<td>Signed in</td>") == 2
    assert "Coordinator" in listed and "Admin" in listed
    south_admin = Client(app)
    south_admin.login("admin@south.test")
    theirs = south_admin.get("/teams/south/members").get_data(as_text=True)
    assert "wrong password" not in theirs.split('id="sign-ins"')[1]
