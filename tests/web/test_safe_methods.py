"""GET and HEAD never sign in, check a password or save: Flask answers HEAD on every GET route
and Flask-WTF checks no CSRF token on it, so a view that treated "not GET" as a post ran its
post branch for HEAD, unthrottled and without the token (TECH.md, "HEAD runs the POST branch")."""

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Export, ParagraphEdit, User
from tests.support import PASSWORD, Client
from tests.web.routes import NEW_PASSWORD

pytestmark = pytest.mark.persistence


def head(client: Client, url: str, form: dict):
    """A HEAD request carrying a form body and this session's CSRF token, as a script could."""
    return client.http.open(
        url,
        method="HEAD",
        data={**form, "csrf_token": client.token},
        headers={"X-CSRFToken": client.token},
    )


def test_head_on_the_sign_in_page_signs_no_one_in(app, world):
    c = Client(app)
    c.get("/login")
    response = head(c, "/login", {"email": "clinician@north.test", "password": PASSWORD})
    assert response.status_code == 200
    assert c.get("/cases/").status_code == 302  # still signed out


def test_head_on_the_password_page_changes_no_password(app, world, signed_in):
    form = {"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert head(signed_in, "/password", form).status_code == 200
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "clinician@north.test"))
        assert user.check_password(PASSWORD)


def test_head_saves_no_paragraph_rewrite(app, world, signed_in):
    url = f"/cases/{world['north']}/letter/paragraphs/closing"
    assert head(signed_in, url, {"text": "Planted by HEAD", "version": "0"}).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count(ParagraphEdit.id))) == 0


def test_head_keeps_no_export(app, world, signed_in):
    url = f"/cases/{world['north']}/export/points"
    page = signed_in.get(url)
    assert page.status_code in (200, 409)
    # Whatever the checklist asks to acknowledge, a HEAD that acknowledges it keeps no file.
    head(signed_in, url, {"ack": ["missing_facts", "no_citations", "unsigned"]})
    with app.app_context():
        assert db.session.scalar(select(func.count(Export.id))) == 0
