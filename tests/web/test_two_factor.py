"""Two-factor sign-in (45 CFR 164.312(d), ASVS 4.0.3 V2.7 and V2.8): setting up an app, the
code asked after the password, the wait after wrong codes, replay, and recovery codes."""

import time
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select, text, update

from app import create_app
from app.domain import totp
from app.extensions import db
from app.mfa import gate, service
from app.models import RecoveryCode, TwoFactor, User, now
from tests.support import Client
from tests.web.mfa_support import (
    audit_of,
    code_step,
    enrol,
    next_code,
    password_step,
    user_id,
    wrong_code,
)

pytestmark = pytest.mark.persistence

EMAIL = "clinician@north.test"


@pytest.fixture
def enrolled(app, world, signed_in):
    """The north clinician with an authenticator app set up a minute ago (the steps of its
    codes since then are fresh): its key and the recovery codes."""
    secret, codes = enrol(app, signed_in, EMAIL)
    with app.app_context():
        a_minute_ago = totp.step_at(time.time()) - 2
        db.session.execute(update(TwoFactor).values(last_step=a_minute_ago))
        db.session.commit()
    return secret, codes


def test_setting_up_shows_a_key_and_qr_code_and_turns_on_with_a_first_code(app, signed_in):
    page = signed_in.get("/account/two-factor/").get_data(as_text=True)
    assert "Off." in page and "Set up two-factor sign-in" in page
    assert signed_in.post("/account/two-factor/setup").status_code == 302
    setup = signed_in.get("/account/two-factor/setup")
    body = setup.get_data(as_text=True)
    # The QR code is drawn in the page: no image from elsewhere, nothing the CSP refuses.
    assert '<svg width="' in body and "<title>QR code to add Peerbrief" in body
    assert "<img" not in body and "<script>" not in body
    secret = body.split('id="two-factor-key">')[1].split("<")[0].replace(" ", "")
    assert len(secret) == 32

    wrong = signed_in.post("/account/two-factor/confirm", {"code": wrong_code(secret)})
    assert wrong.status_code == 422 and "That code is not right" in wrong.get_data(as_text=True)
    assert "two-factor-key" in wrong.get_data(as_text=True)  # the key is still there to retry
    assert "Off." in signed_in.get("/account/two-factor/").get_data(as_text=True)

    done = signed_in.post("/account/two-factor/confirm", {"code": pyotp.TOTP(secret).now()})
    shown = done.get_data(as_text=True)
    assert done.status_code == 200 and "They are shown only now" in shown
    codes = [c for c in shown.split("<code>")[1:]]
    assert len(codes) == 10
    after = signed_in.get("/account/two-factor/").get_data(as_text=True)
    assert "On." in after and "<strong>10</strong> unused recovery codes" in after
    assert "<code>" not in after  # the codes are never shown again

    uid = user_id(app, EMAIL)
    assert [(u, t, w) for u, t, w in audit_of(app)] == [
        (uid, None, f"user {uid} began setting up two-factor"),
        (uid, None, f"wrong code for user {uid}"),
        (uid, None, f"user {uid} set up two-factor sign-in"),
    ]


def test_the_secret_is_sealed_and_recovery_codes_are_kept_only_as_hashes(app, enrolled):
    secret, codes = enrolled
    with app.app_context():
        stored = db.session.execute(text("SELECT secret FROM two_factor")).scalar_one()
        hashes = db.session.execute(text("SELECT salt, code_hash FROM recovery_code")).all()
        assert secret not in stored and service.unseal(stored) == secret
        dump = " ".join(stored for row in hashes for stored in row)
        assert not any(c in dump or c.replace("-", "") in dump for c in codes)
        audit = " ".join(w for _, _, w in audit_of(app))
        assert secret not in audit and not any(c in audit for c in codes)
    # Another key (a copy of the database somewhere else) opens nothing.
    other = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "TWO_FACTOR_KEY": "another key",
        }
    )
    with other.app_context():
        assert service.unseal(stored) is None
        db.engine.dispose()


def test_after_the_password_a_code_is_asked_before_any_page_opens(app, enrolled):
    secret, _ = enrolled
    member = Client(app)
    answer = password_step(member, EMAIL, next_page="/dashboard/")
    assert answer.status_code == 302 and answer.location.endswith("/account/two-factor/code")
    refused = member.get("/cases/")
    assert refused.status_code == 302 and "/login" in refused.location
    page = member.get("/account/two-factor/code")
    assert page.status_code == 200 and "Two-factor code" in page.get_data(as_text=True)
    signed = code_step(member, next_code(app, EMAIL, secret))
    assert signed.status_code == 302 and signed.location.endswith("/dashboard/")
    assert member.get("/cases/").status_code == 200


def test_a_code_works_once(app, enrolled):
    """RFC 6238 5.2: a code seen once (over a shoulder, by a phishing page) is refused after."""
    secret, _ = enrolled
    member = Client(app)
    password_step(member, EMAIL)
    code = next_code(app, EMAIL, secret)
    assert code_step(member, code).status_code == 302
    member.post("/logout")
    password_step(member, EMAIL)
    again = code_step(member, code)
    assert again.status_code == 401
    assert "That code was just used" in again.get_data(as_text=True)
    uid = user_id(app, EMAIL)
    assert audit_of(app)[-1] == (uid, None, f"reused code for user {uid}")
    assert member.get("/cases/").status_code == 302
    # The app's next code signs in.
    assert code_step(member, next_code(app, EMAIL, secret)).status_code == 302


def test_five_wrong_codes_then_a_wait_counted_in_the_database(app, enrolled):
    secret, _ = enrolled
    member = Client(app)
    password_step(member, EMAIL)
    for _ in range(4):
        answer = code_step(member, wrong_code(secret))
        assert answer.status_code == 401
        assert "That code is not right" in answer.get_data(as_text=True)
    fifth = code_step(member, wrong_code(secret))
    assert fifth.status_code == 429 and fifth.headers["Retry-After"] == "900"
    assert "Too many wrong codes. Wait 15 minutes" in fifth.get_data(as_text=True)
    # Even the right code waits, and so does a recovery code.
    right = code_step(member, next_code(app, EMAIL, secret))
    assert right.status_code == 429
    assert member.get("/cases/").status_code == 302
    # Another server process on the same database counts the same attempts.
    other = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}
    )
    elsewhere = Client(other)
    password_step(elsewhere, EMAIL)
    assert code_step(elsewhere, next_code(app, EMAIL, secret)).status_code == 429
    with other.app_context():
        db.engine.dispose()
    uid = user_id(app, EMAIL)
    rows = [w for _, _, w in audit_of(app)]
    assert rows.count(f"wrong code for user {uid}") == 5
    assert rows.count(f"user {uid} locked out of two-factor for 15 minutes") == 1
    # When the wait is over, the right code signs in.
    with app.app_context():
        db.session.execute(update(TwoFactor).values(locked_until=now() - timedelta(seconds=1)))
        db.session.commit()
    assert code_step(member, next_code(app, EMAIL, secret)).status_code == 302
    assert member.get("/cases/").status_code == 200


def test_a_recovery_code_signs_in_once(app, enrolled):
    secret, codes = enrolled
    member = Client(app)
    password_step(member, EMAIL)
    answer = code_step(member, codes[3].upper().replace("-", " "))
    assert answer.status_code == 302
    page = member.get("/cases/")
    assert page.status_code == 200 and "recovery code; 9 left" in page.get_data(as_text=True)
    uid = user_id(app, EMAIL)
    with app.app_context():
        used = db.session.scalar(select(RecoveryCode.id).where(RecoveryCode.used_at.is_not(None)))
    assert audit_of(app)[-1] == (uid, None, f"user {uid} used recovery code {used}; 9 left")
    member.post("/logout")
    password_step(member, EMAIL)
    again = code_step(member, codes[3])
    assert again.status_code == 401 and "was used before" in again.get_data(as_text=True)
    assert code_step(member, codes[4]).status_code == 302


def test_new_recovery_codes_need_a_current_code_and_replace_the_old_ones(app, enrolled, signed_in):
    secret, old = enrolled
    refused = signed_in.post("/account/two-factor/recovery-codes", {"code": wrong_code(secret)})
    assert refused.status_code == 422 and "That code is not right" in refused.get_data(as_text=True)
    also = signed_in.post("/account/two-factor/recovery-codes", {"code": old[0]})
    assert also.status_code == 422  # a recovery code does not make new recovery codes
    made = signed_in.post(
        "/account/two-factor/recovery-codes", {"code": next_code(app, EMAIL, secret)}
    )
    new = [c.split("<")[0] for c in made.get_data(as_text=True).split("<li><code>")[1:]]
    assert made.status_code == 200 and len(new) == 10 and not set(new) & set(old)
    uid = user_id(app, EMAIL)
    assert audit_of(app)[-1] == (uid, None, f"user {uid} made new recovery codes")
    member = Client(app)
    password_step(member, EMAIL)
    assert code_step(member, old[1]).status_code == 401
    assert code_step(member, new[1]).status_code == 302


def test_the_wait_for_a_code_ends_and_a_deactivated_account_gets_no_further(app, enrolled):
    secret, _ = enrolled
    member = Client(app)
    password_step(member, EMAIL)
    with member.http.session_transaction() as session:
        session[gate.PENDING] = {**session[gate.PENDING], "until": 0}
    late = member.get("/account/two-factor/code")
    assert late.status_code == 302 and "/login" in late.location
    assert member.get("/cases/").status_code == 302
    password_step(member, EMAIL)
    assert member.get("/account/two-factor/code").status_code == 200
    with app.app_context():
        db.session.execute(update(User).values(active=False))
        db.session.commit()
    gone = member.post("/account/two-factor/code", {"code": next_code(app, EMAIL, secret)})
    assert gone.status_code == 302 and "/login" in gone.location
    assert member.get("/cases/").status_code == 302


def test_a_code_page_without_a_password_first_sends_one_to_sign_in(app, world):
    stranger = Client(app)
    answer = stranger.get("/account/two-factor/code")
    assert answer.status_code == 302 and "/login" in answer.location
    stranger.get("/login")
    posted = stranger.post("/account/two-factor/code", {"code": "123456"})
    assert posted.status_code == 302 and "/login" in posted.location
