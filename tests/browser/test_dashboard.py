"""The demo clinician opens the team dashboard: what is due stands out, the chart loads."""

import re
from datetime import date, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in, snap, unlabelled_fields

pytestmark = [pytest.mark.browser]


def demo_with_calls(app) -> None:
    """The demo team, plus a case overdue, one due soon, and logged calls across payers."""
    from app import demo
    from app.extensions import db
    from app.models import Case, PeerCall
    from tests.support import add_case

    today = date.today()
    with app.app_context():
        team, cases = demo.load()
        add_case(
            team,
            patient_name="Lena Ortiz (synthetic)",
            payer="Keystone Benefit Administrators",
            plan_type="erisa",
            status="p2p_done",
            service_description="Infliximab infusion every 8 weeks",
            denial_received=today - timedelta(days=186),
        )
        add_case(team, patient_name="Omar Haddad (synthetic)", payer="Summit Health Insurance",
                 plan_type="commercial", denial_category="site_of_care",
                 service_description="Ocrelizumab infusion, hospital outpatient",
                 denial_received=today - timedelta(days=178))  # fmt: skip
        outcomes = {
            "Keystone Benefit Administrators": ["approved", "upheld", "approved", "upheld"],
            "Evergreen Medicare Advantage": ["partly_approved", "upheld", "pending"],
            "Summit Health Insurance": ["approved", "approved", "alternative_offered"],
        }
        for case in db.session.query(Case).filter_by(team_id=team.id):
            for n, outcome in enumerate(outcomes.pop(case.payer, [])):
                case.calls.append(
                    PeerCall(outcome=outcome, held_at=datetime(2026, 9, 1 + n, 10, 0))
                )
        db.session.commit()
        db.session.remove()


def test_the_dashboard_shows_what_is_due_and_how_calls_ended(page, app):
    demo_with_calls(app)
    sign_in(page, "demo@peerbrief.test", "peerbrief-demo")

    page.get_by_role("link", name="Dashboard").click()

    expect(page.get_by_role("heading", name=re.compile("^Dashboard"))).to_be_visible()
    overdue = page.locator("#pressing tr.overdue")
    expect(overdue).to_contain_text("Lena Ortiz (synthetic)")
    expect(overdue.locator(".tag.urgent")).to_have_text("Overdue")
    expect(page.locator("#pressing tr.due_soon")).to_contain_text("2 days left")
    chart = page.get_by_role("img", name=re.compile("^Overturn rate by payer"))
    expect(chart).to_be_visible()
    assert chart.evaluate("img => img.naturalWidth") == 975
    assert unlabelled_fields(page) == []
    snap(page, "dashboard")
