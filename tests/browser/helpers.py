"""What the browser tests do the way a clinician would: sign in, find fields by label."""

import re

from playwright.sync_api import expect


def sign_in(page, email="clinician@north.test", password="correct horse battery"):
    page.goto("/login")
    labelled(page, "Email").fill(email)
    labelled(page, "Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=re.compile("^Cases"))).to_be_visible()


def labelled(scope, label):
    """The field with exactly this label (a required field's label ends in " *")."""
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def settled(page):
    """Wait until htmx has swapped, settled and wired up the new content."""
    busy = "() => !!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    for _ in range(100):  # polled from here: wait_for_function would need eval, which CSP bans
        if not page.evaluate(busy):
            break
        page.wait_for_timeout(20)
    page.wait_for_timeout(50)


def choose_kind(page, kind):
    """Pick the kind of the next fact; the form comes back with that kind's fields."""
    settled(page)
    labelled(page.locator("#new-fact"), "Add a").select_option(kind)
    expect(page.locator("#new-fact button.primary")).to_have_text(re.compile(r"^Add (?!history)"))
    settled(page)
    return page.locator("#new-fact")


def fact_texts(page):
    return page.locator("#fact-list .fact-text").all_inner_texts()


def unlabelled_fields(page) -> list[str]:
    """Inputs a screen reader could not name: every field must have a label."""
    return page.evaluate(
        """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
        .filter(e => !e.labels.length && !e.getAttribute('aria-label'))
        .map(e => e.name || e.id)"""
    )


def snap(page, name: str) -> None:
    """With PEERBRIEF_SCREENSHOTS set, a full-page PNG of what the clinician sees."""
    import os
    from pathlib import Path

    out = os.environ.get("PEERBRIEF_SCREENSHOTS")
    if out:
        Path(out).mkdir(exist_ok=True)
        page.screenshot(path=f"{out}/{name}.png", full_page=True)
