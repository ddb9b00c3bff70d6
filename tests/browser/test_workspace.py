"""A clinician signs in, opens a case, builds its facts inline, reorders, reloads: all kept."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import choose_kind, fact_texts, labelled, settled, sign_in

pytestmark = [pytest.mark.browser]


def test_open_a_case_build_facts_inline_reorder_and_reload(page, world):
    sign_in(page)
    page.get_by_role("link", name="New case").first.click()
    labelled(page, "Name").fill("Tessa Marlow")
    labelled(page, "Date of birth").fill("1992-02-11")
    labelled(page, "Payer").fill("Harbor Marketplace Health")
    labelled(page, "Plan type").select_option("aca")
    labelled(page, "Service").fill("Erenumab 140 mg monthly")
    labelled(page, "ICD-10-CM codes").fill("G43709")
    labelled(page, "CPT / HCPCS codes").fill("J31")
    labelled(page, "Category").select_option("step_therapy")
    labelled(page, "Denial reason, word for word").fill(
        "Member has not tried and failed at least two preventive medications."
    )
    page.get_by_role("button", name="Open case").click()
    # A code of the wrong shape is refused on its field; everything typed is still there.
    expect(page.get_by_text("“J31” is not a CPT code")).to_be_visible()
    expect(labelled(page, "Name")).to_have_value("Tessa Marlow")
    labelled(page, "CPT / HCPCS codes").fill("")
    page.get_by_role("button", name="Open case").click()
    expect(page.get_by_role("heading", name="Tessa Marlow")).to_be_visible()
    expect(page.get_by_text("G43.709")).to_be_visible()
    url = page.url

    form = choose_kind(page, "prior_treatment")
    expect(labelled(form, "Therapy")).to_be_visible()
    labelled(form, "Therapy").fill("Topiramate")
    labelled(form, "Dose").fill("50 mg twice daily")
    labelled(form, "Started").fill("2025-03")
    labelled(form, "Stopped").fill("2025-06")
    labelled(form, "Outcome").select_option("intolerant")
    labelled(form, "Reason stopped").fill("Word-finding difficulty")
    form.get_by_role("button", name="Add prior treatment").click()
    expect(page.locator("#fact-list")).to_contain_text("Topiramate")

    form = choose_kind(page, "pro")
    labelled(form, "Instrument").select_option("midas")
    labelled(form, "Score").fill("300")
    labelled(form, "Date").fill("2026-09-20")
    form.get_by_role("button", name="Add patient-reported outcome").click()
    expect(page.get_by_text("A MIDAS score runs from 0 to 270")).to_be_visible()
    page.locator("#new-fact").get_by_label("Score").fill("46")
    page.locator("#new-fact").get_by_role("button", name="Add patient-reported outcome").click()
    expect(page.locator("#fact-list")).to_contain_text("MIDAS 46 (severe disability)")

    form = choose_kind(page, "contraindication")
    labelled(form, "Contraindication").fill("Propranolol: asthma, FEV1 68% predicted")
    form.get_by_role("button", name="Add contraindication").click()
    expect(page.locator("#fact-list")).to_contain_text("Propranolol")
    assert len(fact_texts(page)) == 3

    # Reorder from the keyboard: focus the last fact's "Move up" and press Enter twice.
    last = page.locator("#fact-list .fact").nth(2)
    settled(page)
    last.get_by_role("button", name="Move up").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#fact-list .fact").nth(1)).to_contain_text("Propranolol")
    settled(page)
    page.keyboard.press("Enter")  # focus stayed on the moved fact's button
    expect(page.locator("#fact-list .fact").nth(0)).to_contain_text("Propranolol")
    expect(page.locator("#fact-list .fact")).to_have_count(3)  # swapped, nothing duplicated
    top = page.locator("#fact-list .fact").nth(0)
    expect(top.get_by_role("button", name="Move up")).to_be_disabled()
    expect(
        page.locator("#fact-list .fact").nth(1).get_by_role("button", name="Move up")
    ).to_be_enabled()

    page.goto(url)
    texts = fact_texts(page)
    assert "Propranolol" in texts[0] and "Topiramate" in texts[1] and "MIDAS 46" in texts[2]


def test_edit_a_fact_in_place_and_make_one_from_a_note(page, world):
    sign_in(page)
    page.get_by_role("link", name="Nora North").click()
    page.get_by_text("Paste a clinical note").click()
    labelled(page, "Date of the note").fill("2026-10-20")
    labelled(page, "Title").fill("Spine clinic")
    page.locator("#doc-text").fill("Exam. Left ankle dorsiflexion 4/5, down from 5/5. Plan MRI.")
    page.get_by_role("button", name="Add document").click()
    area = labelled(page, "Text of Spine clinic")
    expect(area).to_be_visible()
    area.evaluate(
        "a => { a.focus(); a.setSelectionRange(6, 49); "
        "a.dispatchEvent(new Event('select', {bubbles: true})); }"
    )
    passage = page.locator("form.passage")
    labelled(passage, "Make the selected passage a").select_option("finding")
    passage.get_by_role("button", name="Make fact").click()
    form = page.locator("#new-fact")
    expect(labelled(form, "Finding")).to_have_value("Left ankle dorsiflexion 4/5, down from 5/5.")
    labelled(form, "Type").select_option("exam")
    form.get_by_role("button", name="Add exam, lab or imaging finding").click()
    expect(page.locator("#fact-list")).to_contain_text(
        "From Spine clinic (progress note, 20 Oct 2026)"
    )

    page.locator("#fact-list").get_by_role("button", name="Edit").click()
    editing = page.locator("#fact-list .editing")
    expect(labelled(editing, "Type")).to_be_focused()  # the first field of a finding
    labelled(editing, "Finding").fill("Left ankle dorsiflexion 4/5 (was 5/5 on 6 Oct).")
    editing.get_by_role("button", name="Save").click()
    expect(page.locator("#fact-list")).to_contain_text("was 5/5 on 6 Oct")
    page.reload()
    expect(page.locator("#fact-list")).to_contain_text("was 5/5 on 6 Oct")


def test_screenshots_of_case_list_and_workspace(page, app):
    """Every input has a label; with PEERBRIEF_SCREENSHOTS set, PNGs go to that folder."""
    from app.extensions import db

    with app.app_context():
        from app import demo

        demo.load()
        db.session.remove()
    sign_in(page, "demo@peerbrief.test", "peerbrief-demo")
    out = os.environ.get("PEERBRIEF_SCREENSHOTS")
    shots = [("case-list", "/cases/")]
    page.get_by_role("link", name=re.compile("Marisol Quintero")).click()
    shots.append(("workspace", page.url))
    page.get_by_role("link", name="Edit case").click()
    shots.append(("intake", page.url))
    for name, url in shots:
        page.goto(url)
        unlabelled = page.evaluate("""() => [...document.querySelectorAll(
            'input:not([type=hidden]), select, textarea')].filter(e => !e.labels.length
            && !e.getAttribute('aria-label')).map(e => e.name || e.id)""")
        assert unlabelled == [], (name, unlabelled)
        if out:
            Path(out).mkdir(exist_ok=True)
            page.screenshot(path=f"{out}/{name}.png", full_page=True)
