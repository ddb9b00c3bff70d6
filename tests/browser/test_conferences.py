"""A case conference in a real browser: plan it, choose two cases, present them, move with →."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import labelled, settled, sign_in, snap, unlabelled_fields

pytestmark = [pytest.mark.browser]


def _demo_with_criteria(app):
    """The demo team, Marisol's case with the payer's criteria mapped, as a clinician would."""
    from sqlalchemy import select

    from app import demo
    from app.extensions import db
    from app.models import Case, Criterion

    with app.app_context():
        demo.load()
        case = db.session.scalar(select(Case).where(Case.patient_name.startswith("Marisol")))
        trials = [f for f in case.facts if f.kind == "prior_treatment"]
        moderate = Criterion(text="Moderate to severe RA (CDAI above 10)", status="met")
        moderate.facts = [f for f in case.facts if f.kind == "pro"][-1:]
        dmards = Criterion(text="Trial and failure of two conventional DMARDs", status="met")
        dmards.facts = trials[:2]
        rheum = Criterion(text="Prescribed by a rheumatologist", status="unset")
        case.criteria = [moderate, dmards, rheum]
        db.session.commit()
        db.session.remove()


def test_plan_present_and_move_between_cases(page, app):
    _demo_with_criteria(app)
    sign_in(page, "demo@peerbrief.test", "peerbrief-demo")
    page.get_by_role("link", name="Conferences").click()
    expect(page.get_by_role("heading", name=re.compile("^Case conferences"))).to_be_visible()
    assert unlabelled_fields(page) == []
    snap(page, "conferences")
    labelled(page, "Title").fill("Weekly rheumatology conference")
    labelled(page, "Day").fill("2026-12-03")
    page.get_by_role("button", name="Plan the conference").click()
    expect(page.get_by_role("heading", name="Weekly rheumatology conference")).to_be_visible()

    labelled(page, "Case").select_option(
        label="Marisol Quintero (synthetic) · Keystone Benefit Administrators · Appeal"
    )
    page.locator("#new-question").fill("Appeal now, or wait for the pharmacy fill history?")
    page.get_by_role("button", name="Add to the conference").click()
    expect(page.locator(".conference-cases > li")).to_have_count(1)
    settled(page)
    expect(labelled(page, "Case")).to_be_focused()  # ready for the next one
    option = page.locator("#case-id option", has_text="Harold Brandt")
    labelled(page, "Case").select_option(option.get_attribute("value"))
    page.get_by_role("button", name="Add to the conference").click()
    expect(page.locator(".conference-cases > li")).to_have_count(2)
    settled(page)

    # Harold goes first: the move button keeps the focus, on the case that moved.
    harold = page.locator(".conference-cases > li").nth(1)
    harold.get_by_role("button", name=re.compile("Move Harold Brandt .* earlier")).click()
    expect(page.locator(".conference-cases > li").first).to_contain_text("Harold Brandt")
    settled(page)
    first = page.locator(".conference-cases > li").first
    first.get_by_label(re.compile("^Question for the team")).fill("Is the MRI worth a P2P?")
    first.get_by_role("button", name="Save the question").click()
    settled(page)
    expect(page.locator(".conference-cases > li").first.locator("textarea")).to_have_value(
        "Is the MRI worth a P2P?"
    )
    assert unlabelled_fields(page) == []
    snap(page, "conference")

    page.get_by_role("link", name="Present").click()
    expect(page.get_by_text("Case 1 of 2")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(r"^H\.B\. · case"))).to_be_visible()
    expect(page.locator(".present-question")).to_contain_text("Is the MRI worth a P2P?")
    expect(page.get_by_role("heading", name="The story")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Harold Brandt")
    expect(page.locator(".topbar")).to_be_hidden()  # nothing on the projector but the case
    snap(page, "conference-present-1")

    page.keyboard.press("ArrowRight")
    expect(page.get_by_text("Case 2 of 2")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(r"^M\.Q\. · case"))).to_be_visible()
    expect(page.locator(".present-criteria tbody tr")).to_have_count(3)
    expect(page.get_by_role("img", name=re.compile("^Timeline of"))).to_be_visible()
    expect(page.get_by_role("heading", name="Open gaps")).to_be_visible()
    expect(page.locator(".present-deadlines")).to_be_visible()
    snap(page, "conference-present-2")

    page.keyboard.press("ArrowRight")  # the last case: nowhere further to go
    expect(page.get_by_text("Case 2 of 2")).to_be_visible()
    page.keyboard.press("ArrowLeft")
    expect(page.get_by_text("Case 1 of 2")).to_be_visible()
    page.get_by_role("link", name="Back to the conference").click()
    expect(page.get_by_role("heading", name="Weekly rheumatology conference")).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="Agenda (.docx)").click()
    assert re.fullmatch(
        r"conference-\d+-agenda-2026-12-03\.docx", download.value.suggested_filename
    )
    expect(page.get_by_label(re.compile("^De-identified"))).to_be_checked()  # the default
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the packet (.docx)").click()
    assert re.fullmatch(
        r"conference-\d+-packet-deidentified\.docx", download.value.suggested_filename
    )

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete this conference").click()
    expect(page.get_by_text("“Weekly rheumatology conference” deleted")).to_be_visible()
    expect(page.get_by_text("No conference planned yet.")).to_be_visible()
