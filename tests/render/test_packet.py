"""The case packet .docx, read back as Word would: no planted identifier anywhere in a
de-identified file (body, tables, headers, footers, metadata, raw XML); all of them in an
identified one; the agenda first."""

import io
import re
import zipfile
from datetime import UTC, date, datetime

from docx import Document

from app.domain.packet import case_packet
from app.render.packet import render_packet
from tests.domain import planted
from tests.render.office import pdf_pages

TODAY = date(2026, 11, 23)
AGENDA = ["Adalimumab after two DMARDs: appeal or new request?", "Lumbar MRI: red flags"]


def packet(deidentify: bool, **changes):
    return case_packet(
        planted.case(**changes), TODAY, planted.deadlines(), deidentify, offset_days=-91
    )[0]


def texts(docx: bytes) -> dict[str, str]:
    """What a reader or a program can find in the file, by where it is."""
    doc = Document(io.BytesIO(docx))
    cells = [
        p.text for t in doc.tables for row in t.rows for cell in row.cells for p in cell.paragraphs
    ]
    section = doc.sections[0]
    props = doc.core_properties
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        xml = " ".join(
            re.sub(r"<[^>]+>", "", archive.read(name).decode("utf-8"))
            for name in archive.namelist()
            if name.endswith((".xml", ".rels"))
        )
    return {
        "paragraphs": "\n".join(p.text for p in doc.paragraphs),
        "tables": "\n".join(cells),
        "headers": "\n".join(p.text for p in section.header.paragraphs + section.footer.paragraphs),
        "properties": "\n".join(
            str(getattr(props, name))
            for name in dir(props)
            if not name.startswith("_") and not callable(getattr(props, name))
        ),
        "xml": xml,
    }


def test_no_planted_identifier_anywhere_in_a_deidentified_packet():
    docx = render_packet([packet(True)], AGENDA, day=TODAY)
    found = texts(docx)
    for where, text in found.items():
        left = [p for p in planted.ABSENT if p in text]
        assert left == [], where
    assert "[Patient]" in found["tables"] and "[Phone]" in found["paragraphs"]
    assert "CDAI 31" in found["paragraphs"] + found["tables"]


def test_identified_packet_carries_the_identifiers_but_its_metadata_does_not():
    found = texts(render_packet([packet(False)], day=TODAY))
    body = found["paragraphs"] + found["tables"]
    for identifier in (planted.NAME, planted.MRN, planted.MEMBER, planted.PHONE, planted.EMAIL):
        assert identifier in body
    assert "Identified: for the treating team only" in found["headers"]
    assert [p for p in planted.ABSENT if p in found["properties"]] == []
    assert "Avery" not in found["properties"]  # not the author either


def test_a_deidentified_packet_says_so_at_the_top_and_on_every_page():
    doc = Document(io.BytesIO(render_packet([packet(True)], day=TODAY)))
    first = doc.paragraphs[0].text
    assert first.startswith("De-identified packet:")
    assert "For discussion outside the treating team." in first
    assert doc.paragraphs[2].text.startswith("De-identified: patient name, date of birth")
    assert "De-identified" in doc.sections[0].header.paragraphs[0].text


def test_metadata_dates_nothing_and_names_no_one():
    props = Document(io.BytesIO(render_packet([packet(True)], day=TODAY))).core_properties
    assert props.title == "Case conference packet (de-identified)"
    assert props.author == "" and props.last_modified_by == "" and props.comments == ""
    assert props.created == props.modified == datetime(2000, 1, 1, tzinfo=UTC)
    with zipfile.ZipFile(io.BytesIO(render_packet([packet(True)], day=TODAY))) as archive:
        assert {m.date_time[:3] for m in archive.infolist()} == {(2000, 1, 1)}


def test_the_agenda_comes_first_then_each_case_on_its_own_page():
    docx = render_packet([packet(True), packet(False)], AGENDA, day=TODAY)
    doc = Document(io.BytesIO(docx))
    headings = [p for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert [h.text for h in headings] == [
        "Agenda",
        "Case 1 · Adalimumab 40 mg subcutaneous every 2 weeks",
        f"Case 2 · {planted.NAME} (synthetic) · Adalimumab 40 mg subcutaneous every 2 weeks",
    ]
    items = [p.text for p in doc.paragraphs if p.style.name == "List Number"]
    assert items == AGENDA
    body = [p.text for p in doc.paragraphs]
    assert body.index(AGENDA[-1]) < body.index(headings[1].text)
    assert all(h.paragraph_format.page_break_before for h in headings[1:])


def test_one_identified_case_makes_the_whole_file_identified():
    doc = Document(io.BytesIO(render_packet([packet(True), packet(False)], day=TODAY)))
    assert (
        doc.sections[0].header.paragraphs[0].text.endswith("Identified: for the treating team only")
    )
    assert not doc.paragraphs[0].text.startswith("De-identified packet")
    assert doc.core_properties.title == "Case conference packet"


def test_the_conference_question_is_de_identified_with_the_rest():
    asked = f"Appeal for {planted.NAME} before 10/2/26, or a new request?"
    p = case_packet(planted.case(), TODAY, [], True, offset_days=-91, question=asked)[0]
    assert p.question == "Appeal for [Patient] before 7/3/26, or a new request?"
    doc = Document(io.BytesIO(render_packet([p], day=TODAY)))
    assert doc.paragraphs[3].text == f"Question for the conference: {p.question}"


def test_real_styles_and_tables():
    doc = Document(io.BytesIO(render_packet([packet(True)], day=TODAY)))
    sections = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert sections[:4] == [
        "The story in 60 seconds",
        "The denial",
        "Criteria and proof",
        "Prior treatments",
    ]
    grids = [t for t in doc.tables if t.style is not None and t.style.name == "Table Grid"]
    header_rows = [[c.text for c in t.rows[0].cells] for t in grids]
    assert ["#", "Criterion", "Status", "Proof"] in header_rows
    assert ["Therapy", "Dose", "Dates", "Outcome", "Reason stopped"] in header_rows
    treatments = next(t for t in grids if t.rows[0].cells[0].text == "Therapy")
    assert [c.text for c in treatments.rows[1].cells] == [
        "Methotrexate",
        "15 → 25 mg weekly",
        "Oct 2023 – Jun 2024",
        "Intolerant",
        "ALT 3.4× ULN",
    ]
    assert any(p.style.name == "List Bullet" for p in doc.paragraphs)


def test_the_same_packet_gives_the_same_bytes():
    assert render_packet([packet(False)], day=TODAY) == render_packet([packet(False)], day=TODAY)


def test_libreoffice_opens_it(tmp_path):
    docx = render_packet([packet(True), packet(True)], AGENDA, day=TODAY)
    assert pdf_pages(docx, tmp_path, "packet") >= 3  # the agenda, then a page or more per case
