"""Helpers for the web tests: members, cases, and a client that behaves like the pages."""

import os
import re
import shutil
from contextlib import contextmanager
from datetime import date

from sqlalchemy import text

from app import create_app
from app.extensions import db
from app.models import Case, Membership, Team, User

PASSWORD = "correct horse battery"
# A PostgreSQL server to test against; without it every test gets a copy of a SQLite file.
SERVER_URL = os.environ.get("PEERBRIEF_TEST_DATABASE_URL")


@contextmanager
def app_on(template, folder, **config):
    """An app on a fresh copy of the migrated `template` in `folder` (or on the server), its
    tables emptied afterwards. A cheap password hash keeps the suite fast; production uses
    scrypt (test_auth checks it)."""
    if SERVER_URL:
        url = SERVER_URL
    else:
        copy = folder / "peerbrief.sqlite3"
        shutil.copy(template, copy)
        url = f"sqlite:///{copy}"
    base = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": url}
    app = create_app({**base, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", **config})
    yield app
    with app.app_context():
        db.session.remove()
        if SERVER_URL:
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            with db.engine.begin() as conn:
                conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.engine.dispose()


def add_member(email: str, team: Team, role: str, name: str = "") -> User:
    user = db.session.query(User).filter_by(email=email).one_or_none()
    if user is None:
        user = User(email=email, name=name or email.split("@")[0].title(), credentials="MD")
        user.set_password(PASSWORD)
    db.session.add(Membership(user=user, team=team, role=role))
    db.session.commit()
    return user


def add_case(team: Team, **fields) -> Case:
    values = dict(
        patient_name="Test Patient",
        patient_dob=date(1970, 5, 1),
        payer="Acme Health",
        plan_type="commercial",
        service_description="MRI lumbar spine",
        denial_category="not_medically_necessary",
        denial_reason="Not medically necessary.",
    )
    values.update(fields)
    case = Case(team=team, **values)
    db.session.add(case)
    db.session.commit()
    return case


class Client:
    """A test client that signs in and sends the CSRF token like the pages do."""

    def __init__(self, app):
        self.app = app
        self.http = app.test_client()
        self.token = ""

    def refresh_token(self, html: str) -> None:
        found = re.search(r'name="csrf-token" content="([^"]+)"', html)
        if found:
            self.token = found.group(1)

    def get(self, url, **kw):
        response = self.http.get(url, **kw)
        if response.mimetype == "text/html":
            self.refresh_token(response.get_data(as_text=True))
        return response

    def post(self, url, data=None, hx=False, csrf=True, **kw):
        headers = dict(kw.pop("headers", {}))
        if hx:
            headers["HX-Request"] = "true"
        if csrf:
            headers["X-CSRFToken"] = self.token
        return self.http.post(url, data=data or {}, headers=headers, **kw)

    def login(self, email, password=PASSWORD):
        self.get("/login")
        response = self.post("/login", {"email": email, "password": password})
        self.get("/cases/")
        return response


TOKEN = re.compile(r'(?<=csrf-token" content=")[^"]+|(?<=name="csrf_token" value=")[^"]+')


def same_page(a, b, email_a: str, email_b: str) -> bool:
    """Two answers are alike but for the email typed and the CSRF token, which carries a
    timestamp and so differs between pages a second apart."""
    return masked(a) == masked(b).replace(email_b, email_a)


def masked(response) -> str:
    return TOKEN.sub("TOKEN", response.get_data(as_text=True))
