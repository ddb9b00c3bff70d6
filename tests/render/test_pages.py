"""Page furniture of every letter: "Page 2 of 3" in the footer and, from page 2 on, a header
naming the patient; page 1 keeps the letterhead's own header. Read back from the .docx, and
from the PDF LibreOffice prints."""

import io
import shutil
import subprocess

import pytest
from docx import Document
from docx.oxml.ns import qn

from app.render.letter import render_letter
from tests.render.fixtures.letters import (
    FOOTER,
    HEADER,
    RUNNING_HEAD,
    letterhead_docx,
    png,
    scenario_letter,
)
from tests.render.office import to_pdf


def read(data: bytes):
    return Document(io.BytesIO(data))


def texts(story) -> list[str]:
    return [p.text for p in story.paragraphs]


def fields(story) -> list[str]:
    return [t.text.strip() for t in story._element.iter(qn("w:instrText"))]


def test_without_a_letterhead_page_one_is_bare_and_later_pages_name_the_patient():
    section = read(render_letter(scenario_letter())).sections[0]
    assert section.different_first_page_header_footer  # w:titlePg
    assert not any(texts(section.first_page_header))
    assert [t for t in texts(section.header) if t] == [RUNNING_HEAD]
    for footer in (section.first_page_footer, section.footer):
        assert fields(footer) == ["PAGE", "NUMPAGES"]
        assert [t for t in texts(footer) if t] == ["Page 1 of 1"]  # Word updates the numbers


def test_with_a_letterhead_page_one_keeps_its_header_and_every_page_its_footer():
    section = read(render_letter(scenario_letter(), letterhead_docx())).sections[0]
    assert section.different_first_page_header_footer
    assert texts(section.first_page_header) == [HEADER]
    assert texts(section.header) == [RUNNING_HEAD]  # not the letterhead again
    assert texts(section.first_page_footer) == [FOOTER, "Page 1 of 1"]
    assert texts(section.footer) == [FOOTER, "Page 1 of 1"]
    assert fields(section.footer) == ["PAGE", "NUMPAGES"]


def test_the_running_head_is_the_letters_own_and_may_be_empty():
    letter = scenario_letter()
    letter.running_head = ""
    section = read(render_letter(letter, letterhead_docx())).sections[0]
    assert not any(texts(section.header))
    assert texts(section.first_page_header) == [HEADER]


def _letterhead_with(picture_in_footer=False, first_page=False) -> bytes:
    doc = Document(io.BytesIO(letterhead_docx()))
    section = doc.sections[0]
    if picture_in_footer:
        section.footer.paragraphs[0].add_run().add_picture(io.BytesIO(png(120, 40)))
    if first_page:
        section.different_first_page_header_footer = True
        section.first_page_header.paragraphs[0].text = "FIRST PAGE LOGO"
        section.first_page_footer.paragraphs[0].text = "First page footer"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_a_picture_in_the_letterheads_footer_is_on_every_page():
    data = render_letter(scenario_letter(), _letterhead_with(picture_in_footer=True))
    section = read(data).sections[0]
    for footer in (section.first_page_footer, section.footer):
        blips = list(footer._element.iter(qn("a:blip")))
        assert len(blips) == 1
        rid = blips[0].get(qn("r:embed"))
        image = footer.part.rels[rid].target_part
        assert image.content_type == "image/png" and image.blob.startswith(b"\x89PNG")
    assert section.first_page_footer.part is not section.footer.part


def test_a_letterhead_with_its_own_first_page_keeps_it_and_its_later_header():
    data = render_letter(scenario_letter(), _letterhead_with(first_page=True))
    section = read(data).sections[0]
    assert texts(section.first_page_header) == ["FIRST PAGE LOGO"]
    assert texts(section.first_page_footer) == ["First page footer", "Page 1 of 1"]
    # The letterhead's header for later pages stays, and gains the patient.
    assert texts(section.header) == [HEADER, RUNNING_HEAD]
    assert texts(section.footer) == [FOOTER, "Page 1 of 1"]


def test_the_same_letter_still_gives_the_same_bytes():
    assert render_letter(scenario_letter(), letterhead_docx()) == render_letter(
        scenario_letter(), letterhead_docx()
    )


def _pdf_text_by_page(data: bytes, tmp_path) -> list[str]:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.fail("poppler-utils (pdftotext) is needed")
    to_pdf(data, tmp_path, "letter")
    text = subprocess.run(
        [pdftotext, "-layout", str(tmp_path / "letter.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return text.split("\f")[:-1]


def test_libreoffice_prints_the_numbers_and_the_patient_from_page_two(tmp_path):
    data = render_letter(scenario_letter(), letterhead_docx(), [("Figure 1.", png())])
    pages = _pdf_text_by_page(data, tmp_path)
    assert len(pages) == 3
    first, *later = pages
    assert first.lstrip().startswith(HEADER) and RUNNING_HEAD not in first
    assert "Page 1 of 3" in first and FOOTER in first
    for n, page in enumerate(later, start=2):
        assert page.lstrip().startswith(RUNNING_HEAD) and HEADER not in page
        assert f"Page {n} of 3" in page and FOOTER in page
    assert "Anna Berg, MD, FACR" in pages[-1] and "NPI: 1234567893" in pages[-1]
