"""Teams as their members live them: an admin adds a member, a member of two teams switches.

Isolation, roles, CSRF and the audit log over every route of the app: test_matrix.py.
"""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Team
from tests.support import Client, add_member

pytestmark = pytest.mark.persistence


def test_admin_adds_a_member_who_then_sees_the_teams_cases(app, world):
    admin = Client(app)
    admin.login("admin@north.test")
    response = admin.post(
        "/teams/north/members",
        {
            "email": "new@north.test",
            "role": "coordinator",
            "name": "New Person",
            "password": "long enough password",
        },
    )
    assert response.status_code == 302
    newcomer = Client(app)
    newcomer.login("new@north.test", "long enough password")
    assert "Nora North" in newcomer.get("/cases/").get_data(as_text=True)
    assert newcomer.get(f"/cases/{world['south']}").status_code == 404


def test_a_user_in_two_teams_switches_between_them(app, world):
    with app.app_context():
        south = db.session.scalar(select(Team).where(Team.slug == "south"))
        add_member("clinician@north.test", south, "coordinator")
    both = Client(app)
    both.login("clinician@north.test")
    assert "Nora North" in both.get("/cases/").get_data(as_text=True)
    both.post("/teams/south/switch")
    listing = both.get("/cases/").get_data(as_text=True)
    assert "Sam South" in listing and "Nora North" not in listing
    assert both.get(f"/cases/{world['north']}").status_code == 200
