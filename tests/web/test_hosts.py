"""The Host header: only the names in PEERBRIEF_ALLOWED_HOSTS (by default this machine's own)
are answered; any other gets 400 before sign-in, a redirect or a page is built from it."""

import re

import pytest

from app import create_app
from app.extensions import db
from tests.support import PASSWORD, Client

pytestmark = pytest.mark.persistence

REFUSED = "This server does not answer to that host name"
MADE = []  # the apps a test made, their connections closed after it


@pytest.fixture(autouse=True)
def _close_made_apps():
    yield
    while MADE:
        with MADE.pop().app_context():
            db.engine.dispose()


def _app(monkeypatch, url: str, **env):
    for name in ("PEERBRIEF_ALLOWED_HOSTS", "PEERBRIEF_TRUST_PROXY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    made = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    MADE.append(made)
    return made


def _refused(response) -> bool:
    return response.status_code == 400 and REFUSED in response.get_data(as_text=True)


def test_by_default_only_this_machines_names_are_answered(app, world, monkeypatch):
    default = _app(monkeypatch, app.config["SQLALCHEMY_DATABASE_URI"])
    http = default.test_client()
    for host in ("localhost", "127.0.0.1", "localhost:5000", "127.0.0.1:8000"):
        assert http.get("/login", headers={"Host": host}).status_code == 200, host
    for host in ("evil.example", "localhost.evil.example", "127.0.0.1.nip.io", "x" * 300):
        assert _refused(http.get("/login", headers={"Host": host})), host
        # Signed out, a page would redirect to sign in: not to the forged name.
        answer = http.get("/cases/", headers={"Host": host})
        assert _refused(answer) and "Location" not in answer.headers
        assert _refused(http.post("/login", headers={"Host": host}))


def test_a_signed_in_member_gets_400_and_no_page_under_another_name(app, world):
    member = Client(app)
    member.login("clinician@north.test")
    assert member.get(f"/cases/{world['north']}").status_code == 200
    answer = member.get(f"/cases/{world['north']}", headers={"Host": "evil.example"})
    assert _refused(answer) and "Nora North" not in answer.get_data(as_text=True)
    # The calendar address a member copies is built from the Host: never from a forged one.
    made = member.post("/calendar/token", headers={"Host": "evil.example"})
    assert _refused(made)


def test_the_configured_names_and_subdomains_are_answered_and_no_others(app, monkeypatch):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    http = _app(
        monkeypatch, url, PEERBRIEF_ALLOWED_HOSTS="peerbrief.clinic.example, .north.example"
    ).test_client()
    for host in ("peerbrief.clinic.example", "peerbrief.clinic.example:443", "app.north.example"):
        assert http.get("/login", headers={"Host": host}).status_code == 200, host
    for host in ("localhost", "clinic.example", "evil.example", "peerbrief.clinic.example.evil"):
        assert _refused(http.get("/login", headers={"Host": host})), host


def test_behind_a_trusted_proxy_the_forwarded_host_is_the_one_checked(app, world, monkeypatch):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    allowed = "peerbrief.clinic.example"
    proxied = _app(monkeypatch, url, PEERBRIEF_ALLOWED_HOSTS=allowed, PEERBRIEF_TRUST_PROXY="1")
    http = proxied.test_client()
    good = {"Host": "127.0.0.1:8000", "X-Forwarded-Host": allowed}
    assert http.get("/login", headers=good).status_code == 200
    forged = {"Host": "127.0.0.1:8000", "X-Forwarded-Host": "evil.example"}
    assert _refused(http.get("/login", headers=forged))
    # Without the proxy trusted, X-Forwarded-Host says nothing: the Host itself is checked.
    direct = _app(monkeypatch, url, PEERBRIEF_ALLOWED_HOSTS=allowed).test_client()
    assert _refused(
        direct.get("/login", headers={"Host": "evil.example", "X-Forwarded-Host": allowed})
    )


def test_the_calendar_address_carries_the_allowed_name(app, world, monkeypatch):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    named = _app(monkeypatch, url, PEERBRIEF_ALLOWED_HOSTS="peerbrief.clinic.example")
    http = named.test_client()
    host = {"Host": "peerbrief.clinic.example"}
    page = http.get("/login", headers=host).get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    form = {"email": "clinician@north.test", "password": PASSWORD, "csrf_token": token}
    assert http.post("/login", data=form, headers=host).status_code == 302
    page = http.get("/calendar", headers=host).get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    made = http.post("/calendar/token", headers={**host, "X-CSRFToken": token})
    assert "http://peerbrief.clinic.example/calendar/feed/" in made.get_data(as_text=True)
