import pytest

from app import create_app
from tests.support import Client, same_page

pytestmark = pytest.mark.persistence


def test_sign_in_and_out(app, world):
    c = Client(app)
    response = c.login("clinician@north.test")
    assert response.status_code == 302 and response.location.endswith("/cases/")
    assert "Nora North" in c.get("/cases/").get_data(as_text=True)
    assert c.post("/logout").status_code == 302
    assert c.get("/cases/").status_code == 302


def test_failed_sign_in_does_not_say_whether_the_account_exists(app, world):
    c = Client(app)
    wrong_password = c.login("clinician@north.test", "nope")
    no_account = c.login("nobody@north.test", "nope")
    assert wrong_password.status_code == no_account.status_code == 401
    assert same_page(wrong_password, no_account, "clinician@north.test", "nobody@north.test")


def test_passwords_are_stored_hashed(app, world):
    from app.extensions import db
    from app.models import User

    with app.app_context():
        user = db.session.query(User).filter_by(email="clinician@north.test").one()
        assert "correct horse" not in user.password_hash
        assert user.password_hash.startswith("pbkdf2:sha256:1000$")
        assert user.check_password("correct horse battery")
    production = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with production.app_context():
        user = User(email="x@y.test", name="X")
        user.set_password("correct horse battery")
        assert user.password_hash.startswith("scrypt:")


def test_every_page_needs_sign_in(app, world):
    c = Client(app)
    for url in ("/cases/", f"/cases/{world['north']}", "/cases/new", "/teams/north/members"):
        response = c.get(url)
        assert response.status_code == 302 and "/login" in response.location


def test_htmx_request_after_sign_out_redirects_the_window(app, world):
    response = Client(app).post(
        f"/cases/{world['north']}/facts", {"kind": "history"}, hx=True, csrf=False
    )
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/login")


def test_session_ends_after_idle_minutes(app, world):
    from datetime import timedelta

    app.config["IDLE_TIMEOUT"] = timedelta(minutes=15)
    c = Client(app)
    c.login("clinician@north.test")
    with c.http.session_transaction() as session:
        session["seen"] -= 15 * 60 + 1
    response = c.get("/cases/")
    assert response.status_code == 302 and "/login" in response.location
    assert "inactivity" in c.get("/login").get_data(as_text=True)


def test_sign_in_does_not_redirect_off_site(app, world):
    c = Client(app)
    c.get("/login")
    response = c.post(
        "/login?next=//evil.example/x",
        {"email": "clinician@north.test", "password": "correct horse battery"},
    )
    assert response.location.endswith("/cases/")


def test_login_without_csrf_token_is_refused(app, world):
    response = Client(app).post(
        "/login", {"email": "clinician@north.test", "password": "correct horse battery"}, csrf=False
    )
    assert response.status_code == 400
