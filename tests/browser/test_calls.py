"""The P2P call in a real browser: arrange it, log it upheld, draft the appeal, see the case
under appeal with its new deadline."""

import re

import pytest
from docx import Document
from playwright.sync_api import expect

from tests.browser.helpers import labelled, settled, sign_in, snap, unlabelled_fields

pytestmark = [pytest.mark.browser]

CASE = "Priya Natarajan (synthetic)"  # the demo case with no call yet


def test_log_an_upheld_call_and_move_to_appeal(page, app, tmp_path):
    from app import demo
    from app.extensions import db

    with app.app_context():
        demo.load()
        db.session.remove()
    sign_in(page, "demo@peerbrief.test", "peerbrief-demo")
    row = page.get_by_role("row").filter(has_text=CASE)
    expect(row).to_contain_text("Draft")
    page.get_by_role("link", name=CASE).click()
    page.get_by_role("link", name="P2P and appeal").click()
    expect(page.get_by_role("heading", name=re.compile("^P2P and appeal"))).to_be_visible()

    arrange = page.locator("#arrange")
    labelled(arrange, "P2P offered on").fill("2026-11-20")
    labelled(arrange, "Agreed time").fill("2026-11-24T14:30")
    labelled(arrange, "Call-back number").fill("(800) 555-0177")
    arrange.get_by_role("button", name="Save").click()
    expect(page.locator("#case-status")).to_have_text("P2P scheduled")
    # Scheduling stops the clock of the plan's window to request the call.
    expect(page.locator("#deadlines .deadline.done")).to_contain_text(
        "Request the peer-to-peer review"
    )

    call = page.locator(".card.call").first
    labelled(call, "Name").fill("Dr. Ruth Kemper (synthetic)")
    labelled(call, "Credentials").fill("MD")
    labelled(call, "Specialty").fill("Family medicine")
    settled(page)
    expect(call.locator(".specialty-flag")).to_contain_text("Not Neurology")
    labelled(call, "Criteria set named").fill("MCG")
    labelled(call, "What was said (your notes; never in a letter)").fill(
        "Reviewer wants a documented beta-blocker trial."
    )
    call.get_by_label("Denial upheld").check()
    labelled(call, "Reference or authorization number").fill("P2P-88231")
    labelled(call, "What documentation would change the decision").fill("Propranolol records")
    assert unlabelled_fields(page) == []
    snap(page, "p2p-call-sheet")
    call.get_by_role("button", name="Save call sheet").click()

    expect(page.locator("#case-status")).to_have_text("Appeal")
    expect(page.locator(".card.call").first).to_contain_text("Denial upheld")
    appeal = page.locator("#deadlines .deadline").filter(has_text="File internal appeal")
    expect(appeal).to_contain_text(re.compile(r"\d+ days? (left|overdue)|due today"))
    snap(page, "p2p-appeal")

    page.locator("#letters").get_by_role("link", name="Appeal letter").click()
    # The appeal opens in its preview first, its paragraphs rewritable; then the export.
    expect(page.locator("#letter")).to_contain_text("The peer-to-peer review")
    snap(page, "p2p-appeal-preview")
    page.get_by_role("link", name="Export", exact=True).click()
    for box in page.locator(".checklist input[type=checkbox]").all():
        box.check()  # the clinician has read each warning
    snap(page, "p2p-appeal-export")
    with page.expect_download() as download:
        page.get_by_role("button", name="Export .docx").click()
    path = tmp_path / "appeal.docx"
    download.value.save_as(path)
    text = "\n".join(p.text for p in Document(path).paragraphs)
    assert "P2P-88231" in text or "P2P-88231" in "".join(
        c.text for t in Document(path).tables for r in t.rows for c in r.cells
    )
    assert "Ruth Kemper" in text

    page.goto("/cases/")
    row = page.get_by_role("row").filter(has_text=CASE)
    expect(row).to_contain_text("Appeal")
    expect(row).to_contain_text("File internal appeal")
