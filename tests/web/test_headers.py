"""Every answer carries the browser protections; cookies and HSTS follow the deployment."""

import pytest

from app import create_app
from tests.support import Client

pytestmark = pytest.mark.persistence

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def assert_protected(response, what):
    h = response.headers
    csp = h.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in csp, what
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp, what
    assert h.get("X-Content-Type-Options") == "nosniff", what
    assert h.get("Referrer-Policy") in ("same-origin", "no-referrer"), what
    assert "Strict-Transport-Security" not in h, what  # plain http here


def test_every_kind_of_answer_carries_the_headers(app, world):
    case_id = world["north"]
    signed_out = Client(app)
    assert_protected(signed_out.get("/login"), "login page")
    refused = signed_out.post("/login", {"email": "nobody@north.test", "password": "x" * 12})
    assert refused.status_code == 401
    assert_protected(refused, "failed sign-in")

    c = Client(app)
    c.login("admin@north.test")
    page = c.get(f"/cases/{case_id}")
    assert page.status_code == 200 and "<html" in page.get_data(as_text=True)
    assert_protected(page, "full page")

    partial = c.get(f"/cases/{case_id}/facts/form?kind=history", headers={"HX-Request": "true"})
    assert partial.status_code == 200 and "<html" not in partial.get_data(as_text=True)
    assert_protected(partial, "htmx partial")

    docx = c.post(f"/cases/{case_id}/export/packet", {"deidentify": "0"})
    assert docx.mimetype == DOCX and docx.get_data().startswith(b"PK")
    assert_protected(docx, ".docx download")
    assert docx.headers["Cache-Control"] == "no-store"

    missing = c.get(f"/cases/{world['south']}")
    assert missing.status_code == 404
    assert_protected(missing, "error page")
    assert_protected(c.get("/no/such/page"), "404 page")


def _app(monkeypatch, env: dict, url: str):
    for name in ("PEERBRIEF_ENV", "PEERBRIEF_SECURE_COOKIES", "PEERBRIEF_TRUST_PROXY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})


def session_cookie(response) -> str:
    cookies = response.headers.getlist("Set-Cookie")
    assert len(cookies) == 1, cookies
    return cookies[0]


def test_production_is_the_default_and_its_cookie_is_secure(app, monkeypatch):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    cookie = session_cookie(_app(monkeypatch, {}, url).test_client().get("/login"))
    assert cookie.startswith("__Host-session=")
    assert "; Secure" in cookie and "; HttpOnly" in cookie and "; SameSite=Lax" in cookie
    assert "Domain=" not in cookie and "; Path=/" in cookie  # what __Host- requires

    explicit = _app(monkeypatch, {"PEERBRIEF_ENV": "production"}, url)
    assert "; Secure" in session_cookie(explicit.test_client().get("/login"))


def test_development_cookie_works_over_plain_http(app, monkeypatch):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    dev = _app(monkeypatch, {"PEERBRIEF_ENV": "development"}, url)
    cookie = session_cookie(dev.test_client().get("/login"))
    assert cookie.startswith("session=") and "Secure" not in cookie
    assert "; HttpOnly" in cookie and "; SameSite=Lax" in cookie
    # An explicit PEERBRIEF_SECURE_COOKIES wins over the environment's default.
    forced = _app(
        monkeypatch, {"PEERBRIEF_ENV": "development", "PEERBRIEF_SECURE_COOKIES": "1"}, url
    )
    assert "; Secure" in session_cookie(forced.test_client().get("/login"))


def test_an_unknown_environment_name_stops_the_start(app, monkeypatch):
    with pytest.raises(ValueError, match="PEERBRIEF_ENV"):
        _app(monkeypatch, {"PEERBRIEF_ENV": "prod"}, app.config["SQLALCHEMY_DATABASE_URI"])


def test_hsts_only_over_https(app, monkeypatch):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    client = _app(monkeypatch, {}, url).test_client()
    assert "Strict-Transport-Security" not in client.get("/login").headers
    hsts = client.get("/login", base_url="https://localhost").headers
    assert hsts["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "frame-ancestors 'none'" in hsts["Content-Security-Policy"]
    dev = _app(monkeypatch, {"PEERBRIEF_ENV": "development"}, url).test_client()
    assert (
        "Strict-Transport-Security" not in dev.get("/login", base_url="https://localhost").headers
    )


def test_forwarded_https_counts_only_behind_a_trusted_proxy(app, monkeypatch):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    untrusted = _app(monkeypatch, {}, url).test_client()
    assert "Strict-Transport-Security" not in untrusted.get("/login", headers=forwarded).headers
    trusted = _app(monkeypatch, {"PEERBRIEF_TRUST_PROXY": "1"}, url).test_client()
    assert "Strict-Transport-Security" in trusted.get("/login", headers=forwarded).headers
