"""Shared fixtures: a real database made by the migrations, and signed-in clients.

SQLite by default: the schema is migrated once into a template file and each test gets a
fresh copy. With PEERBRIEF_TEST_DATABASE_URL (PostgreSQL), the schema is migrated once and
every table is emptied after each test.
"""

import os

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

os.environ.setdefault("SECRET_KEY", "test-secret-key")

from hypothesis import settings  # noqa: E402

# The same examples on every run, so a red CI is reproducible (and a green one means the same).
settings.register_profile(
    "peerbrief", derandomize=True, database=None, deadline=None, print_blob=True
)
settings.load_profile("peerbrief")

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import Team  # noqa: E402
from tests.support import SERVER_URL, Client, add_case, add_member, app_on  # noqa: E402


@pytest.fixture(scope="session")
def database_template(tmp_path_factory):
    """A database with the migrated schema: a SQLite file to copy, or the server's URL."""
    if SERVER_URL:
        app = create_app({"SQLALCHEMY_DATABASE_URI": SERVER_URL})
        with app.app_context():
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            upgrade()
            db.engine.dispose()
        return SERVER_URL
    path = tmp_path_factory.mktemp("db") / "template.sqlite3"
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return path


@pytest.fixture
def app(database_template, tmp_path):
    # The sign-in throttle is off but in tests/web/test_signin.py, which turns it on.
    with app_on(database_template, tmp_path, RATELIMIT_ENABLED=False) as app:
        yield app


@pytest.fixture
def world(app):
    """Two teams, each with an admin, a clinician and a coordinator, and one case each."""
    with app.app_context():
        north = Team(slug="north", name="North Rheumatology")
        south = Team(slug="south", name="South Spine")
        db.session.add_all([north, south])
        db.session.commit()
        for team in (north, south):
            for role in ("admin", "clinician", "coordinator"):
                add_member(f"{role}@{team.slug}.test", team, role)
        ids = {
            "north": add_case(north, patient_name="Nora North", mrn="N-1").id,
            "south": add_case(south, patient_name="Sam South", mrn="S-1").id,
        }
    return ids


@pytest.fixture
def client(app):
    return Client(app)


@pytest.fixture
def signed_in(app, world):
    """A clinician of team north, signed in."""
    c = Client(app)
    c.login("clinician@north.test")
    return c
