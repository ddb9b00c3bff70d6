"""Two teammates on one case in two browsers: a comment and a change arrive without a reload."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import labelled, settled, sign_in, snap, unlabelled_fields

pytestmark = [pytest.mark.browser]


def test_a_teammates_comment_and_change_arrive_live(page, other_page, app, world):
    app.config["LIVE_POLL_SECONDS"] = 1
    case_url = f"/cases/{world['north']}"
    sign_in(page, "coordinator@north.test")
    page.goto(case_url)
    expect(page.locator("#comments")).to_contain_text("No comments yet.")

    author = other_page
    sign_in(author, "clinician@north.test")
    author.goto(case_url)
    labelled(author, "Comment").fill("@coordinator the written denial arrived today")
    author.get_by_role("button", name="Post").click()
    expect(author.locator("#comment-list")).to_contain_text("the written denial arrived")
    settled(author)
    tasks = author.locator("#tasks")
    tasks.get_by_text("Add a task").click()
    labelled(tasks, "Task").fill("Scan the denial into the chart")
    tasks.get_by_role("button", name="Add task").click()
    expect(author.locator("#tasks")).to_contain_text("Scan the denial into the chart")

    comment = page.locator("#comment-list .comment")
    expect(comment).to_contain_text("the written denial arrived", timeout=6000)
    expect(comment).to_contain_text("Mentions you")
    expect(page.locator("#no-comments")).to_have_count(0)
    expect(page.locator("#live .notice")).to_contain_text(
        re.compile("Clinician changed this case"), timeout=6000
    )
    assert unlabelled_fields(page) == []
    snap(page, "workspace-live")
    page.locator("#live").get_by_role("link", name="Reload to see the changes").click()
    expect(page.locator("#tasks")).to_contain_text("Scan the denial into the chart")
