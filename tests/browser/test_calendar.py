"""A clinician makes a private calendar feed, sees its address once, and revokes it."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import labelled, sign_in, snap, unlabelled_fields

pytestmark = [pytest.mark.browser]


def test_make_a_feed_see_its_address_once_and_revoke_it(page, world):
    sign_in(page)
    page.get_by_role("link", name="Calendar", exact=True).click()
    expect(page.get_by_role("heading", name="Calendar feed")).to_be_visible()
    expect(page.get_by_role("heading", name="No feed")).to_be_visible()
    snap(page, "calendar-feed")

    page.get_by_role("button", name="Make a feed address").click()
    address = labelled(page, "Feed address")
    expect(address).to_have_value(re.compile(r"^http://127\.0\.0\.1:\d+/calendar/feed/.+\.ics$"))
    expect(page.get_by_role("heading", name="A feed is active")).to_be_visible()
    assert unlabelled_fields(page) == []
    snap(page, "calendar-feed-made")

    url = address.input_value()
    feed = page.request.get(url)
    assert feed.status == 200 and "BEGIN:VCALENDAR" in feed.text()

    page.goto("/calendar")
    expect(page.get_by_label("Feed address")).to_have_count(0)  # shown once, not stored
    page.get_by_role("button", name="Revoke the feed").click()
    expect(page.get_by_text("The calendar feed was revoked")).to_be_visible()
    assert page.request.get(url).status == 404


def test_the_case_page_downloads_its_calendar_file(page, world):
    sign_in(page)
    page.goto(f"/cases/{world['north']}")
    with page.expect_download() as download:
        page.get_by_role("link", name="Calendar (.ics)").click()
    assert download.value.suggested_filename == f"case-{world['north']}-deadlines.ics"
    snap(page, "case-calendar-link")
