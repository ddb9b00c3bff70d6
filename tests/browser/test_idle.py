"""The idle sign-out in a real browser: a warning with "Stay signed in" before it, and notes
typed on the P2P call sheet that survive a save sent after it."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.helpers import labelled, sign_in

pytestmark = [pytest.mark.browser]

NOTES = "Reviewer wants the infliximab infusion records from 2024."


NOTES_LABEL = "What was said (your notes; never in a letter)"


def _call(app, case_id: int) -> int:
    from app.extensions import db
    from app.models import PeerCall

    with app.app_context():
        call = PeerCall(case_id=case_id)
        db.session.add(call)
        db.session.commit()
        return call.id


def test_notes_typed_before_the_idle_sign_out_are_back_after_signing_in(page, app, world):
    from app.extensions import db
    from app.models import PeerCall

    call_id = _call(app, world["north"])
    sign_in(page)
    page.goto(f"/cases/{world['north']}/p2p")
    sheet = page.locator(".card.call").first
    labelled(sheet, NOTES_LABEL).fill(NOTES)
    # The session goes idle past a (shortened) limit while the clinician is on the phone.
    app.config["IDLE_TIMEOUT"] = timedelta(seconds=1)
    page.wait_for_timeout(1500)
    sheet.get_by_role("button", name="Save call sheet").click()

    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.locator("#flash")).to_contain_text("Nothing you typed is lost")
    app.config["IDLE_TIMEOUT"] = timedelta(minutes=15)
    labelled(page, "Email").fill("clinician@north.test")
    labelled(page, "Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(re.compile(rf"/cases/{world['north']}/p2p$"))
    expect(page.locator("#flash")).to_contain_text("What you typed is back in the form")
    sheet = page.locator(".card.call").first
    expect(labelled(sheet, NOTES_LABEL)).to_have_value(NOTES)
    with app.app_context():
        assert not db.session.get(PeerCall, call_id).discussion  # not saved behind their back
    sheet.get_by_role("button", name="Save call sheet").click()
    expect(labelled(page.locator(".card.call").first, NOTES_LABEL)).to_have_value(NOTES)
    with app.app_context():
        assert db.session.scalar(select(PeerCall.discussion).where(PeerCall.id == call_id)) == NOTES


def test_the_page_warns_before_the_idle_sign_out_and_can_stay_signed_in(page, app, world):
    sign_in(page)
    app.config["IDLE_TIMEOUT"] = timedelta(seconds=6)  # the warning comes halfway, here
    page.goto("/cases/")
    warning = page.locator("#idle-warning")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("you will be signed out in")
    with page.expect_response(lambda r: r.url.endswith("/session/keepalive")) as answer:
        warning.get_by_role("button", name="Stay signed in").click()
    assert answer.value.status == 204
    expect(warning).to_be_hidden()
    app.config["IDLE_TIMEOUT"] = timedelta(minutes=15)
    page.reload()
    expect(page.get_by_role("heading", name=re.compile("^Cases"))).to_be_visible()
