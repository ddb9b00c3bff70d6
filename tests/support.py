"""Helpers for the web tests: members, cases, and a client that behaves like the pages."""

import re
from datetime import date

from app.extensions import db
from app.models import Case, Membership, Team, User

PASSWORD = "correct horse battery"


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
