"""A read never writes: every GET route, for every role, leaves every table as it was, but
the audit log's new rows (a view is recorded) and the reader's own "seen" mark on a case
(what is new since their last visit is worked out from it)."""

import pytest

from app.extensions import db
from app.models import Case
from tests.support import Client
from tests.web.records import plant, snapshot
from tests.web.routes import ROUTES, routes
from tests.web.test_matrix import url

pytestmark = pytest.mark.persistence

# Rows a read may add: its audit row, and the reader's visit to the case.
RECORDS_OF_READING = {"audit_event", "case_visit"}


@pytest.fixture
def planted(app, world):
    with app.app_context():
        return plant(db.session.get(Case, world["north"]), "Nora North")


@pytest.mark.parametrize("role", ["admin", "clinician", "coordinator"])
def test_no_get_route_changes_anything_but_the_record_of_reading(app, planted, role):
    client = Client(app)
    client.login(f"{role}@north.test")
    wrote = []
    for name, rule in routes(app):
        spec = ROUTES[name]
        if not name.startswith("GET ") or spec.public:
            continue
        address = url(rule, spec, planted)
        for hx in (False, True):
            before = snapshot(app)
            client.get(address, headers={"HX-Request": "true"} if hx else {})
            after = snapshot(app)
            tables = sorted(t for t in before if before[t] != after[t])
            if set(tables) - RECORDS_OF_READING:
                wrote.append(f"{name} {address}{' (htmx)' if hx else ''}: {', '.join(tables)}")
    assert not wrote, "\n".join(wrote)


def test_a_new_team_has_the_default_bank_before_anyone_opens_it(app):
    from sqlalchemy import func, select

    from app.domain.rebuttals import DEFAULT_REBUTTALS
    from app.models import Rebuttal, Team

    with app.app_context():
        team = Team(slug="east", name="East Clinic")
        db.session.add(team)
        db.session.commit()
        count = db.session.scalar(
            select(func.count(Rebuttal.id)).where(Rebuttal.team_id == team.id)
        )
    assert count == len(DEFAULT_REBUTTALS)


def test_opening_an_emptied_bank_or_the_talking_points_writes_nothing(app, world):
    from sqlalchemy import delete

    from app.models import Rebuttal

    with app.app_context():
        db.session.execute(delete(Rebuttal))  # a team that removed every answer
        db.session.commit()
    client = Client(app)
    client.login("clinician@north.test")
    before = snapshot(app)
    bank = client.get("/teams/north/rebuttals/?category=not_medically_necessary")
    points = client.get(f"/cases/{world['north']}/points")
    assert bank.status_code == 200 and points.status_code == 200
    after = snapshot(app)
    assert [t for t in before if before[t] != after[t]] == ["audit_event"]
    assert "Add an objection" in bank.get_data(as_text=True)


def test_upgrading_gives_a_team_that_never_opened_its_bank_the_defaults(tmp_path):
    from flask_migrate import upgrade
    from sqlalchemy import text

    from app import create_app
    from app.domain.rebuttals import DEFAULT_REBUTTALS

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.sqlite3'}"})
    with app.app_context():
        upgrade(revision="5b6eaca3f89e")  # before banks were made with their team
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO team (slug, name, synthetic) VALUES ('a', 'A', 0)"))
            conn.execute(text("INSERT INTO team (slug, name, synthetic) VALUES ('b', 'B', 0)"))
            conn.execute(
                text(
                    "INSERT INTO rebuttal (team_id, category, objection, rebuttal, position) "
                    "VALUES (2, 'coding', 'Their own', 'Kept', 0)"
                )
            )
        upgrade()
        with db.engine.connect() as conn:
            counts = dict(
                conn.execute(text("SELECT team_id, count(*) FROM rebuttal GROUP BY team_id")).all()
            )
        db.engine.dispose()
    assert counts == {1: len(DEFAULT_REBUTTALS), 2: 1}
