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
    # The demo's unfinished case: its facts are in, its brief is not.
    page.get_by_role("link", name="Priya Natarajan (synthetic)").click()
    page.get_by_role("link", name="Brief and letter").click()
    labelled(page, "Paste the payer's criteria (a numbered list becomes rows)").fill(
        "Covered when all are met:\n1. Chronic migraine (15 or more headache days a month)\n"
        "2. Trial and failure of two preventive medications\n3. Prescribed by a neurologist"
    )
    page.get_by_role("button", name="Add criteria").click()
    expect(page.locator("#criteria .criterion")).to_have_count(3)
    expect(page.locator("#criteria .unlinked")).to_have_count(3)
    settled(page)
    first = page.locator("#criteria .criterion").nth(0)
    first.get_by_text("Choose the facts that meet it").click()  # the list comes when opened
    first.get_by_label("MIDAS 46", exact=False).check()
    expect(page.locator("#criteria .unlinked")).to_have_count(2)
    expect(first.locator("details.pick")).to_have_attribute("open", "")  # open for the next
    expect(first.get_by_label("MIDAS 46", exact=False)).to_be_checked()
    settled(page)
    expect(page.locator("#letter")).to_contain_text(
        "The record shows: her MIDAS score was 46 on 15 Sep 2026"
    )
    page.locator("#criteria .criterion").nth(0).get_by_label("Status of criterion").select_option(
        "met"
    )
    letter = page.locator("#letter")
    expect(letter).to_contain_text(
        "Criterion 1 of Bluewater Marketplace Health's pharmacy policy CGRP-02 requires "
        "“Chronic migraine (15 or more headache days a month)”."
    )
    expect(letter).to_contain_text(
        "Ms. Natarajan meets it: her MIDAS score was 46 on 15 Sep 2026, in the severe "
        "disability range."
    )
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
    expect(page.get_by_text("Dear Priya,")).to_be_visible()
    snap(page, "patient-summary")
