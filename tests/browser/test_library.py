"""The library in a real browser: a large import with its progress bar, search, a case link."""

import re
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import labelled, settled, sign_in, snap

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from bench_import import make_library  # noqa: E402

pytestmark = [pytest.mark.browser]


def test_large_import_shows_progress_while_the_app_stays_usable(page, world, tmp_path):
    big = tmp_path / "zotero.bib"
    big.write_text(make_library(4000), encoding="utf-8")
    sign_in(page)
    page.get_by_role("link", name="Library").click()
    labelled(page, "BibTeX file").set_input_files(big)
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_label("Import progress")).to_be_visible()
    # Meanwhile, the rest of Peerbrief answers.
    other = page.context.new_page()
    other.goto("/cases/")
    expect(other.get_by_role("link", name="Nora North")).to_be_visible()
    other.close()
    expect(page.get_by_text(re.compile(r"^4000 added"))).to_be_visible(timeout=120_000)
    snap(page, "import-report")

    page.get_by_role("link", name="Back to the library").click()
    labelled(page, "Search title, authors, journal, year, keywords, notes").fill("zzzz-nothing")
    expect(page.get_by_text("Nothing matches.")).to_be_visible()
    labelled(page, "Search title, authors, journal, year, keywords, notes").fill("müller")
    expect(page.locator("#citation-rows .ama").first).to_contain_text("Müller")
    page.locator("#citation-rows a").first.click()
    expect(page.get_by_role("heading", name="Evidence")).to_be_visible()
    snap(page, "citation")


def test_link_a_library_entry_to_a_claim_on_the_case(page, world, app):
    from app.extensions import db
    from app.library import importer

    with app.app_context():
        from citations.starter import starter_bibtex

        importer.run(1, starter_bibtex())
        db.session.remove()
    sign_in(page)
    page.get_by_role("link", name="Nora North").click()
    evidence = page.locator("#evidence")
    labelled(evidence, "The claim, as the letter should say it").fill(
        "Adding a biologic is recommended when csDMARDs have not reached target"
    )
    labelled(evidence, "Find a citation").fill("fraenkel")
    expect(evidence.get_by_role("radio").first).to_be_visible()
    settled(page)
    evidence.get_by_role("button", name="Link citation").click()
    expect(page.locator("#evidence")).to_contain_text("Arthritis Care Res (Hoboken)")
    expect(page.locator("#evidence")).to_contain_text("have not reached target")
    snap(page, "workspace-with-evidence")
    page.get_by_role("link", name="Library").click()
    snap(page, "library")
