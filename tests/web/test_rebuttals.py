"""The team's rebuttal bank: seeded from the defaults, edited, citations linked, used in calls."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.library import importer
from app.models import Rebuttal
from citations.starter import starter_bibtex
from tests.support import Client

pytestmark = pytest.mark.persistence


def test_edit_a_rebuttal_link_a_citation_and_see_it_in_the_talking_points(signed_in, app, world):
    with app.app_context():
        importer.run(1, starter_bibtex())
    page = signed_in.get("/teams/north/rebuttals/?category=not_medically_necessary")
    assert page.status_code == 200
    with app.app_context():
        rows = db.session.scalars(
            select(Rebuttal).where(
                Rebuttal.team_id == 1, Rebuttal.category == "not_medically_necessary"
            )
        ).all()
        assert 2 <= len(rows) <= 4
        first = rows[0]
    url = f"/teams/north/rebuttals/{first.id}"
    signed_in.post(
        url,
        {
            "objection": first.objection,
            "rebuttal": "Our answer for {patient}, with the ACP guideline.",
        },
    )
    signed_in.post(url, {"action": "cite", "key": "qaseem2017acp"})
    bad = signed_in.post(url, {"action": "cite", "key": "nope"})
    assert "No entry with the key “nope”" in signed_in.get(bad.location).get_data(as_text=True)
    points = signed_in.get(f"/cases/{world['north']}/points").get_data(as_text=True)
    assert "Our answer for Nora North, with the ACP guideline." in points
    assert (
        "(Evidence: American College of Physicians, 2017, Annals of Internal Medicine.)" in points
    )


def test_another_teams_bank_is_not_reachable(app, world):
    south = Client(app)
    south.login("clinician@south.test")
    south.get("/teams/south/rebuttals/")
    north = Client(app)
    north.login("clinician@north.test")
    assert north.get("/teams/south/rebuttals/").status_code == 404
    with app.app_context():
        south_row = db.session.scalar(select(Rebuttal).where(Rebuttal.team_id == 2))
    response = north.post(f"/teams/north/rebuttals/{south_row.id}", {"action": "remove"})
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(Rebuttal, south_row.id) is not None
