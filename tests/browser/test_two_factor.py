"""A clinician sets up two-factor sign-in with an authenticator app (pyotp plays the app),
keeps the recovery codes, and signs in again with a code."""

import re
import time

import pyotp
import pytest
from playwright.sync_api import expect

from tests.browser.helpers import labelled, sign_in, snap, unlabelled_fields

pytestmark = [pytest.mark.browser]


def test_set_up_two_factor_and_sign_in_with_a_code(page, world):
    sign_in(page)
    page.get_by_role("link", name="Two-factor", exact=True).click()
    expect(page.get_by_role("heading", name="Two-factor sign-in")).to_be_visible()
    page.get_by_role("button", name="Set up two-factor sign-in").click()

    # The QR code is drawn in the page, where the CSP allows it (no console error either).
    qr = page.locator("figure.qr svg")
    expect(qr).to_be_visible()
    assert qr.bounding_box()["width"] >= 100
    assert unlabelled_fields(page) == []
    snap(page, "two-factor-setup")
    app = pyotp.TOTP(page.locator("#two-factor-key").inner_text().replace(" ", ""))

    labelled(page, "Code from your app").fill("000000" if app.now() != "000000" else "111111")
    page.get_by_role("button", name="Confirm and turn on").click()
    expect(page.get_by_text("That code is not right")).to_be_visible()
    labelled(page, "Code from your app").fill(app.now())
    page.get_by_role("button", name="Confirm and turn on").click()
    expect(page.get_by_role("heading", name="Recovery codes")).to_be_visible()
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-9]{4}(-[a-z2-9]{4}){3}", c) for c in codes)
    snap(page, "two-factor-recovery-codes")
    page.get_by_role("link", name="I have kept them: go on").click()
    expect(page.get_by_role("heading", name=re.compile("^Cases"))).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    page.goto("/login")
    labelled(page, "Email").fill("clinician@north.test")
    labelled(page, "Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Two-factor code")).to_be_visible()
    assert unlabelled_fields(page) == []
    snap(page, "two-factor-code")
    # The case list stays closed until the code is given.
    page.goto("/cases/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.goto("/account/two-factor/code")
    # Now's code was used to confirm: the app's next one (one step of drift is allowed).
    labelled(page, "Code").fill(app.at(time.time() + app.interval))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=re.compile("^Cases"))).to_be_visible()
