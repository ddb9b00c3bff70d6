"""Two clinicians edit the same fact in two browsers: the later save is refused with both
versions shown, nothing typed is lost, and the second clinician resolves it and saves."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import Case, Fact, Team
from tests.browser.helpers import labelled, settled, sign_in, snap
from tests.support import add_member

pytestmark = [pytest.mark.browser]

THEIRS = "Seropositive RA since 2023; erosions on hand X-ray (Dana)."
YOURS = "Seropositive RA since 2023, CDAI 31 in September."


@pytest.fixture
def fact_id(app, world):
    with app.app_context():
        north = db.session.scalar(select(Team).where(Team.slug == "north"))
        add_member("dana@north.test", north, "clinician", name="Dana Reyes")
        case = db.session.get(Case, world["north"])
        fact = Fact(case=case, kind="history", text="Seropositive RA since 2023.", position=1)
        db.session.add(fact)
        db.session.commit()
        return fact.id


def open_fact_form(page, case_id, fact_id):
    page.goto(f"/cases/{case_id}")
    fact = page.locator(f"#fact-{fact_id}")
    fact.get_by_role("button", name="Edit").click()
    expect(page.locator(f"#fact-{fact_id}.editing")).to_be_visible()
    settled(page)
    return page.locator(f"#fact-{fact_id}")


def test_two_people_save_the_same_fact_and_nothing_is_lost(page, other_page, world, fact_id, app):
    case_id = world["north"]
    sign_in(other_page, "dana@north.test")
    sign_in(page)  # the clinician, who saves second
    theirs = open_fact_form(other_page, case_id, fact_id)
    mine = open_fact_form(page, case_id, fact_id)

    labelled(theirs, "History").fill(THEIRS)
    theirs.get_by_role("button", name="Save").click()
    expect(other_page.locator("#fact-list")).to_contain_text(THEIRS)

    labelled(mine, "History").fill(YOURS)
    mine.get_by_role("button", name="Save").click()
    conflict = page.locator(f"#fact-{fact_id} .conflict")
    expect(conflict).to_contain_text("Dana Reyes saved a change at")
    heads = conflict.locator("thead th")
    expect(heads.nth(1)).to_have_text("Saved version (Dana Reyes)")
    expect(heads.nth(2)).to_have_text("Your version (not saved)")
    expect(conflict.locator("tbody td").nth(0)).to_have_text(THEIRS)  # side by side
    expect(conflict.locator("tbody td").nth(1)).to_have_text(YOURS)
    editing = page.locator(f"#fact-{fact_id}.editing")
    expect(labelled(editing, "History")).to_have_value(YOURS)  # still in the form
    settled(page)
    snap(page, "conflict-fact")
    with app.app_context():
        assert db.session.get(Fact, fact_id).text == THEIRS  # theirs is saved, not overwritten

    # Resolved: part of theirs copied into mine, saved against the version now current.
    labelled(editing, "History").fill(YOURS + " Erosions on hand X-ray.")
    editing.get_by_role("button", name="Save my version").click()
    expect(page.locator(f"#fact-{fact_id}")).not_to_have_class("fact editing")
    expect(page.locator("#fact-list")).to_contain_text("CDAI 31 in September. Erosions")
    with app.app_context():
        assert db.session.get(Fact, fact_id).text == YOURS + " Erosions on hand X-ray."
    other_page.reload()
    expect(other_page.locator("#fact-list")).to_contain_text("CDAI 31 in September. Erosions")


def test_use_their_version_opens_the_form_from_theirs(page, other_page, world, fact_id, app):
    case_id = world["north"]
    sign_in(other_page, "dana@north.test")
    sign_in(page)
    theirs = open_fact_form(other_page, case_id, fact_id)
    mine = open_fact_form(page, case_id, fact_id)
    labelled(theirs, "History").fill(THEIRS)
    theirs.get_by_role("button", name="Save").click()
    expect(other_page.locator("#fact-list")).to_contain_text(THEIRS)
    labelled(mine, "History").fill(YOURS)
    mine.get_by_role("button", name="Save").click()
    settled(page)
    page.get_by_role("button", name="Use their version").click()
    editing = page.locator(f"#fact-{fact_id}.editing")
    expect(labelled(editing, "History")).to_have_value(THEIRS)
    expect(page.locator(".conflict")).to_have_count(0)
    editing.get_by_role("button", name="Cancel").click()
    expect(page.locator("#fact-list")).to_contain_text(THEIRS)
