"""Signing in: guessing is throttled, in counters every worker shares, without locking the
owner out; and no answer tells whether an account exists."""

import socket
import subprocess
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app import create_app
from app.auth import FAILED
from app.extensions import db
from app.models import SigninFailure, User
from app.models.core import now
from tests.support import PASSWORD, Client, same_page

pytestmark = pytest.mark.persistence


LIMITS = {
    "RATELIMIT_ENABLED": True,
    "LOGIN_LIMIT_PER_ADDRESS": "4 per minute",
    "LOGIN_LIMIT_PER_PAIR": "2 per minute",
    "LOGIN_LIMIT_PER_ACCOUNT": "5 per minute",
}


def worker(app, **config):
    """Another app on the test app's database, with throttling on and low limits: another
    worker process of the same deployment, as gunicorn runs several."""
    keep = ("TESTING", "SQLALCHEMY_DATABASE_URI", "PASSWORD_HASH_METHOD")
    return create_app({**{k: app.config[k] for k in keep}, **LIMITS, **config})


def closed(*apps):
    for each in apps:
        with each.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def throttled(app, world):
    limited = worker(app)
    yield limited
    closed(limited)


def client_at(app, address: str = "127.0.0.1") -> Client:
    c = Client(app)
    c.http.environ_base["REMOTE_ADDR"] = address
    c.get("/login")
    return c


def attempt(c: Client, email: str, password: str = "wrong password here", **kw):
    return c.post("/login", {"email": email, "password": password}, **kw)


def test_wrong_passwords_for_one_account_are_refused_for_a_while(throttled):
    c = client_at(throttled)
    assert [attempt(c, "clinician@north.test").status_code for _ in range(2)] == [401, 401]
    refused = attempt(c, "clinician@north.test", PASSWORD)  # even the right one, for now
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    body = refused.get_data(as_text=True)
    assert "Too many wrong passwords. Wait 1 minute and try again" in body
    assert "Content-Security-Policy" in refused.headers
    # The same address signs another account in: only the guessed-at account waits.
    assert attempt(c, "admin@north.test", PASSWORD).status_code == 302


def test_an_unknown_account_is_throttled_exactly_like_a_real_one(throttled):
    statuses = {}
    for email in ("clinician@north.test", "nobody@north.test"):
        c = client_at(throttled, address=f"10.0.0.{len(statuses) + 1}")
        statuses[email] = [attempt(c, email).status_code for _ in range(3)]
    assert statuses["clinician@north.test"] == statuses["nobody@north.test"] == [401, 401, 429]


def test_one_address_guessing_many_accounts_is_refused(throttled):
    c = client_at(throttled, "192.0.2.7")
    emails = [f"user{n}@north.test" for n in range(4)]
    assert [attempt(c, e).status_code for e in emails] == [401] * 4
    assert attempt(c, "admin@north.test", PASSWORD).status_code == 429
    # Another address is not affected.
    assert (
        attempt(client_at(throttled, "192.0.2.8"), "admin@north.test", PASSWORD).status_code == 302
    )


def test_successful_sign_ins_do_not_count(throttled):
    c = client_at(throttled)
    for _ in range(6):
        assert c.login("clinician@north.test").status_code == 302
        c.post("/logout")


def test_wrong_current_password_on_the_password_page_counts_too(throttled):
    c = client_at(throttled)
    c.login("clinician@north.test")
    c.get("/password")
    form = {"current": "not my password!", "password": "a brand new phrase", "confirm": "x"}
    assert [c.post("/password", form).status_code for _ in range(2)] == [422, 422]
    refused = c.post("/password", form)
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    c.post("/logout")
    assert attempt(client_at(throttled), "clinician@north.test", PASSWORD).status_code == 429


def test_behind_a_trusted_proxy_each_client_address_counts_apart(app, world, monkeypatch):
    monkeypatch.setenv("PEERBRIEF_TRUST_PROXY", "1")
    keep = ("TESTING", "SQLALCHEMY_DATABASE_URI", "PASSWORD_HASH_METHOD")
    proxied = create_app(
        {**{k: app.config[k] for k in keep}, "LOGIN_LIMIT_PER_ADDRESS": "2 per minute"}
    )
    c = client_at(proxied)
    first = {"X-Forwarded-For": "198.51.100.1"}
    second = {"X-Forwarded-For": "198.51.100.2"}
    assert [attempt(c, f"u{n}@x.test", headers=first).status_code for n in range(3)] == [
        401,
        401,
        429,
    ]
    assert attempt(c, "u9@x.test", headers=second).status_code == 401
    with proxied.app_context():
        db.engine.dispose()


def test_throttling_is_off_in_the_general_test_configuration(app, world):
    c = client_at(app)
    assert {attempt(c, "clinician@north.test").status_code for _ in range(12)} == {401}


def test_wrong_password_unknown_email_and_deactivated_account_answer_alike(app, world):
    with app.app_context():
        user = db.session.scalar(select(User).filter_by(email="coordinator@north.test"))
        user.active = False
        expired = db.session.scalar(select(User).filter_by(email="admin@south.test"))
        expired.temporary_password_until = now() - timedelta(minutes=1)
        db.session.commit()
    c = client_at(app)
    wrong = attempt(c, "clinician@north.test", "not the password!")
    unknown = attempt(c, "nobody@north.test", PASSWORD)
    deactivated = attempt(c, "coordinator@north.test", PASSWORD)  # the right password
    lapsed = attempt(c, "admin@south.test", PASSWORD)
    assert wrong.status_code == unknown.status_code == deactivated.status_code == 401
    assert lapsed.status_code == 401
    assert FAILED in wrong.get_data(as_text=True)
    assert same_page(wrong, unknown, "clinician@north.test", "nobody@north.test")
    assert same_page(wrong, deactivated, "clinician@north.test", "coordinator@north.test")
    assert same_page(wrong, lapsed, "clinician@north.test", "admin@south.test")


def test_an_unknown_email_takes_as_long_as_a_wrong_password(app, world):
    # A deliberately slow hash makes the work visible against the request's own cost.
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:400000"
    with app.app_context():
        user = db.session.scalar(select(User).filter_by(email="clinician@north.test"))
        user.set_password(PASSWORD)
        db.session.commit()
    c = client_at(app)

    def seconds(email):
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            assert attempt(c, email).status_code == 401
            runs.append(time.perf_counter() - start)
        return sorted(runs)[1]

    known, unknown = seconds("clinician@north.test"), seconds("nobody@north.test")
    assert unknown > 0.5 * known and known > 0.5 * unknown, (known, unknown)


def test_the_counts_are_shared_by_every_worker(app, world):
    """Two workers on one database: guesses sent to one count on the other (memory:// counted
    per process, so n workers let n times as many guesses through)."""
    first, second = worker(app), worker(app)
    try:
        a, b = client_at(first, "192.0.2.10"), client_at(second, "192.0.2.10")
        assert attempt(a, "clinician@north.test").status_code == 401
        assert attempt(b, "clinician@north.test").status_code == 401
        assert attempt(a, "clinician@north.test", PASSWORD).status_code == 429
        assert attempt(b, "clinician@north.test", PASSWORD).status_code == 429
    finally:
        closed(first, second)


def test_a_guesser_does_not_lock_the_owner_out(app, world):
    first, second = worker(app), worker(app)
    try:
        guesser = client_at(first, "203.0.113.66")
        assert [attempt(guesser, "clinician@north.test").status_code for _ in range(3)] == [
            401,
            401,
            429,
        ]
        owner = client_at(second, "198.51.100.20")  # at the clinic, on the other worker
        assert attempt(owner, "clinician@north.test", PASSWORD).status_code == 302
        assert attempt(guesser, "clinician@north.test", PASSWORD).status_code == 429
    finally:
        closed(first, second)


def test_many_addresses_guessing_one_account_lock_it_for_a_while(throttled):
    """The longer, higher account-wide count: five addresses, one wrong guess each."""
    for n in range(5):
        assert (
            attempt(client_at(throttled, f"203.0.113.{n}"), "admin@north.test").status_code == 401
        )
    owner = client_at(throttled, "198.51.100.20")
    refused = attempt(owner, "admin@north.test", PASSWORD)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) <= 60
    assert attempt(owner, "clinician@north.test", PASSWORD).status_code == 302


def test_the_counters_keep_no_email_address(app, throttled):
    attempt(client_at(throttled), "clinician@north.test")
    with app.app_context():
        keys = db.session.scalars(select(SigninFailure.key)).all()
    assert len(keys) == 3 and not any("@" in k or "north" in k for k in keys)


@pytest.fixture
def redis_url(tmp_path):
    """A real redis-server on loopback, on a free port, for this test alone."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
    )
    import redis

    client = redis.Redis(port=port)
    for _ in range(200):  # until it answers (bounded: 200 tries)
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.02)
    yield f"redis://127.0.0.1:{port}"
    server.terminate()
    server.wait()


def test_with_a_redis_store_the_counts_are_kept_there(app, world, redis_url):
    first, second = (
        worker(app, RATELIMIT_STORAGE_URI=redis_url),
        worker(app, RATELIMIT_STORAGE_URI=redis_url),
    )
    try:
        a, b = client_at(first), client_at(second)
        assert attempt(a, "clinician@north.test").status_code == 401
        assert attempt(b, "clinician@north.test").status_code == 401
        assert attempt(a, "clinician@north.test", PASSWORD).status_code == 429
        with app.app_context():
            assert db.session.scalar(select(func.count(SigninFailure.id))) == 0
    finally:
        closed(first, second)


def test_a_lost_counter_store_does_not_stop_sign_in(app, world):
    """A redis:// store that does not answer: the database counts meanwhile."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        nothing = s.getsockname()[1]  # closed again: no server listens there
    lost = worker(app, RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{nothing}")
    try:
        c = client_at(lost)
        assert [attempt(c, "clinician@north.test").status_code for _ in range(3)] == [
            401,
            401,
            429,
        ]
        assert attempt(c, "admin@north.test", PASSWORD).status_code == 302
    finally:
        closed(lost)
