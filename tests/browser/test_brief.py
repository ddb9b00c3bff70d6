"""The brief in a real browser: paste criteria, link a fact, watch the letter follow."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import labelled, settled, sign_in, snap

pytestmark = [pytest.mark.browser]


def test_criteria_facts_and_letter_preview(page, app):
    from app import demo
    from app.extensions import db

    with app.app_context():
        demo.load()
        db.session.remove()
    sign_in(page, "demo@peerbrief.test", "peerbrief-demo")
    page.get_by_role("link", name="Marisol Quintero (synthetic)").click()
    page.get_by_role("link", name="Brief and letter").click()
    labelled(page, "Paste the payer's criteria (a numbered list becomes rows)").fill(
        "Covered when all are met:\n1. Moderate to severe RA (CDAI above 10)\n"
        "2. Trial and failure of two conventional DMARDs\n3. Prescribed by a rheumatologist"
    )
    page.get_by_role("button", name="Add criteria").click()
    expect(page.locator("#criteria .criterion")).to_have_count(3)
    expect(page.locator("#criteria .unlinked")).to_have_count(3)
    settled(page)
    second = page.locator("#criteria .criterion").nth(1)
    second.get_by_text("Choose the facts that meet it").click()  # the list comes when opened
    second.get_by_label("Leflunomide", exact=False).check()
    expect(page.locator("#criteria .unlinked")).to_have_count(2)
    expect(second.locator("details.pick")).to_have_attribute("open", "")  # open for the next
    expect(second.get_by_label("Leflunomide", exact=False)).to_be_checked()
    settled(page)
    page.locator("#criteria .criterion").nth(1).get_by_label("Status of criterion").select_option(
        "met"
    )
    expect(page.locator("#letter")).to_contain_text(
        "Criterion 2: Trial and failure of two conventional DMARDs. This criterion is met."
    )
    expect(page.locator("#letter")).to_contain_text("Leflunomide, 20 mg daily")
    page.get_by_label("Show where each sentence comes from").check()
    expect(page.locator("#letter .src").first).to_be_visible()
    snap(page, "brief")
    page.get_by_role("link", name="Talking points", exact=True).click()
    expect(page.get_by_role("heading", name="60-second opening")).to_be_visible()
    snap(page, "talking-points")
    page.emulate_media(media="print")
    snap(page, "talking-points-print")
    page.emulate_media(media="screen")
    page.go_back()
    page.get_by_role("link", name="Patient summary").click()
    expect(page.get_by_text("Dear Marisol,")).to_be_visible()
    snap(page, "patient-summary")
