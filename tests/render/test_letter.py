import io
import re
import zipfile
from datetime import UTC, datetime

import pytest
from docx import Document
from docx.shared import Inches

from app.domain.letter import Signer
from app.render.letter import OWN_STYLE, TITLE, TREATMENT_HEADER, render_letter, superscript
from tests.render.fixtures.letters import (
    FOOTER,
    HEADER,
    OWN_WORDS,
    PATIENT,
    TREATMENTS,
    letterhead_docx,
    png,
    scenario_letter,
)
from tests.render.office import pdf_pages

HEADINGS = [
    "Request",
    "History and diagnosis",
    "Prior treatments",
    "Why this request meets the criteria",
    "Consequences of denial",
    "Enclosures",
    "References",
]


def read(data: bytes):
    return Document(io.BytesIO(data))


def body_items(doc):
    """Paragraphs and tables in the order they appear in the body."""
    paragraphs = {p._p: p for p in doc.paragraphs}
    tables = {t._tbl: t for t in doc.tables}
    for child in doc.element.body:
        item = paragraphs.get(child) or tables.get(child)
        if item is not None:
            yield item


def texts_after(doc, heading):
    paragraphs = doc.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text == heading) + 1
    return [p for p in paragraphs[start:] if p.text]


def cited(text):
    numbers = []
    for part in text.split(","):
        first, _, last = part.partition("-")
        numbers.extend(range(int(first), int(last or first) + 1))
    return numbers


@pytest.fixture(scope="module")
def letter():
    return scenario_letter()


@pytest.fixture(scope="module")
def plain(letter):
    return read(render_letter(letter, images=[("Figure 1. Treatments tried.", png())]))


@pytest.fixture(scope="module")
def headed(letter):
    return read(render_letter(letter, letterhead_docx()))


def test_re_block_carries_the_identifiers_with_bold_labels(plain):
    table = plain.tables[0]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0][:3] == ["RE:", "Patient:", PATIENT]
    values = {label: value for _, label, value in rows}
    assert values["Date of birth:"] == "May 14, 1980"
    assert values["Member ID:"] == "SBA448120937"
    assert values["Reference number:"] == "RX-26-0419-77"
    assert values["CPT/HCPCS:"] == "J0135"
    assert values["ICD-10-CM:"] == "M05.79"
    assert all(row.cells[1].paragraphs[0].runs[0].bold for row in table.rows)
    assert not table.rows[0].cells[2].paragraphs[0].runs[0].bold


def test_date_addressee_and_salutation_come_first(plain):
    top = [p.text for p in plain.paragraphs[:3]]
    assert top[0] == "20 Oct 2026"
    assert top[1].splitlines() == [
        "Medical Director",
        "Utilization Management / Appeals",
        "Summit Benefit Administrators",
    ]
    assert top[2] == "Dear Medical Director:"


def test_headings_are_word_headings_in_the_order_payers_expect(plain, headed):
    for doc in (plain, headed):
        assert [p.text for p in doc.paragraphs if p.style.name == "Heading 2"] == HEADINGS


def test_superscripts_number_the_references_in_order_of_first_use(plain):
    body = plain.paragraphs[: [p.text for p in plain.paragraphs].index("References")]
    seen = []
    for p in body:
        for run in p.runs:
            if run.font.superscript:
                seen.extend(n for n in cited(run.text) if n not in seen)
    references = texts_after(plain, "References")
    assert seen == list(range(1, len(references) + 1)) == [1, 2, 3]
    assert [int(re.match(r"(\d+)\.\t", p.text).group(1)) for p in references] == [1, 2, 3]


def test_superscript_follows_the_sentence_punctuation(plain):
    p = next(p for p in plain.paragraphs if "graded GRADE conditional" in p.text)
    sup = next(i for i, r in enumerate(p.runs) if r.font.superscript)
    assert p.runs[sup - 1].text.endswith("conditional.")
    assert p.runs[sup].text == "2,3"


@pytest.mark.parametrize(
    ("refs", "printed"),
    [((1,), "1"), ((1, 2), "1,2"), ((3, 1, 2), "1-3"), ((1, 2, 3, 5, 7, 8), "1-3,5,7,8")],
)
def test_superscript_numbers_read_as_ama_asks(refs, printed):
    assert superscript(refs) == printed


def test_reference_is_ama_text_with_its_journal_in_italics(plain):
    second = texts_after(plain, "References")[1]
    assert second.text == (
        "2.\tFraenkel L, Bathon JM, England BR, et al. 2021 American College of Rheumatology "
        "guideline for the treatment of rheumatoid arthritis. Arthritis Care Res (Hoboken). "
        "2021;73(7):924-939. doi:10.1002/acr.24596"
    )
    assert [r.text for r in second.runs if r.italic] == ["Arthritis Care Res (Hoboken)"]


def test_treatments_table_follows_prior_treatments_with_a_row_per_treatment(plain):
    items = list(body_items(plain))
    heading = next(i for i, x in enumerate(items) if getattr(x, "text", "") == "Prior treatments")
    table = items[heading + 2]
    assert [c.text for c in table.rows[0].cells] == list(TREATMENT_HEADER)
    assert all(r.bold for c in table.rows[0].cells for r in c.paragraphs[0].runs)
    assert [[c.text for c in row.cells] for row in table.rows[1:]] == [
        [t.therapy, t.dose, t.dates, t.outcome, t.reason] for t in TREATMENTS
    ]
    assert table.style.name == "Table Grid"


def test_images_follow_the_treatments_table_with_their_caption(plain):
    items = list(body_items(plain))
    table = next(i for i, x in enumerate(items) if x._element is plain.tables[1]._tbl)
    picture, caption = items[table + 1], items[table + 2]
    assert picture._p.xpath(".//pic:pic")
    assert caption.text == "Figure 1. Treatments tried."
    assert plain.inline_shapes[0].width == Inches(6)


def test_enclosures_are_a_numbered_list(plain):
    enclosures = texts_after(plain, "Enclosures")[:3]
    assert [p.style.name for p in enclosures] == ["List Number"] * 3
    assert enclosures[0].text.startswith("Rheumatology clinic notes")


def test_each_signer_signs_in_turn_after_the_closing(plain):
    texts = [p.text for p in plain.paragraphs]
    closing = texts.index("Sincerely,")
    # Each signer: a line to sign on, then the block their profile gives.
    assert texts[closing + 1] == ""
    assert texts[closing + 2].splitlines() == [
        "Anna Berg, MD, FACR",
        "Rheumatology · Board certified, American Board of Internal Medicine",
        "NPI: 1234567893",
        "Phone (555) 010-2030 · Fax (555) 010-2031",
    ]
    assert texts[closing + 3] == ""
    assert texts[closing + 4].splitlines() == [
        "Maya Chen, PharmD",
        "Clinical pharmacist",
        "NPI: 1987654328",
    ]
    assert texts[closing + 5] == "References"
    assert plain.paragraphs[closing].paragraph_format.keep_with_next


def test_the_signature_line_is_a_rule_to_sign_on_above_the_name(plain):
    paragraphs = plain.paragraphs
    closing = [p.text for p in paragraphs].index("Sincerely,")
    for rule, block in ((closing + 1, closing + 2), (closing + 3, closing + 4)):
        line = paragraphs[rule]
        assert line._p.xpath("./w:pPr/w:pBdr/w:bottom/@w:val") == ["single"]
        # A line about 3.25 inches long: the rest of the width is indent.
        assert line.paragraph_format.right_indent == Inches(6.5) - Inches(3.25)
        assert line.paragraph_format.space_before.pt >= 24  # room for the signature
        assert line.paragraph_format.keep_with_next  # the line stays with its name
        assert paragraphs[block].runs[0].bold  # the name
        assert paragraphs[block].paragraph_format.keep_together


def test_without_signers_there_is_still_room_to_sign():
    letter = scenario_letter()
    letter.signers = []
    doc = read(render_letter(letter))
    texts = [p.text for p in doc.paragraphs]
    closing = texts.index("Sincerely,")
    assert doc.paragraphs[closing + 1]._p.xpath("./w:pPr/w:pBdr/w:bottom")
    assert texts[closing + 3] == "References"


def test_own_wording_is_marked_by_an_invisible_character_style(plain):
    own = next(p for p in plain.paragraphs if p.text == OWN_WORDS)
    assert {r.style.name for r in own.runs} == {OWN_STYLE}
    style = plain.styles[OWN_STYLE]
    assert (style.font.bold, style.font.italic, style.font.color.rgb) == (None, None, None)
    others = [r for p in plain.paragraphs if p.text != OWN_WORDS for r in p.runs]
    assert all(r.style.name != OWN_STYLE for r in others)


def test_letterhead_header_footer_and_margins_are_kept_and_its_body_replaced(headed):
    section = headed.sections[0]
    assert [p.text for p in section.first_page_header.paragraphs] == [HEADER]
    assert [p.text for p in section.first_page_footer.paragraphs] == [FOOTER, "Page 1 of 1"]
    assert [p.text for p in section.footer.paragraphs] == [FOOTER, "Page 1 of 1"]
    assert section.left_margin == Inches(0.9)
    assert "Type the letter here." not in [p.text for p in headed.paragraphs]
    assert headed.paragraphs[0].text == "20 Oct 2026"


def test_without_a_letterhead_the_page_is_plain_with_one_inch_margins(plain):
    section = plain.sections[0]
    assert not any(p.text for p in section.first_page_header.paragraphs)
    assert section.left_margin == section.right_margin == Inches(1)
    assert plain.styles["Normal"].font.size.pt == 11


def test_a_letterhead_without_the_styles_still_gets_headings_lists_and_a_grid():
    letterhead = letterhead_docx(
        drop_styles=("Heading2", "ListNumber", "TableGrid", "LightGrid-Accent1", "Caption")
    )
    doc = read(render_letter(scenario_letter(), letterhead, images=[("Chart", png())]))
    headings = [p for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert [p.text for p in headings] == HEADINGS
    assert headings[0].style.element.xpath("./w:pPr/w:outlineLvl/@w:val") == ["1"]
    assert not headings[0].style.element.xpath("./@w:customStyle")
    assert [p.text[:3] for p in texts_after(doc, "Enclosures")[:3]] == ["1.\t", "2.\t", "3.\t"]
    grid = doc.tables[1]._tbl.xpath("./w:tblPr/w:tblBorders/w:insideH/@w:val")
    assert grid == ["single"]
    assert any(p.text == "Chart" and p.runs[0].italic for p in doc.paragraphs)


def test_core_properties_have_a_title_and_the_letter_date_but_no_patient(letter):
    data = render_letter(letter, letterhead_docx())
    props = read(data).core_properties
    assert props.title == TITLE
    assert (props.author, props.subject, props.last_modified_by, props.comments) == ("",) * 4
    assert props.created == props.modified == datetime(2026, 10, 20, tzinfo=UTC)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        metadata = b"".join(package.read(n) for n in package.namelist() if n.startswith("docP"))
    assert b"Whitfield" not in metadata
    assert b"Front Desk" not in metadata


def test_the_same_letter_renders_to_the_same_bytes(letter):
    letterhead = letterhead_docx()
    images = [("Figure 1.", png())]
    assert render_letter(letter, letterhead, images) == render_letter(letter, letterhead, images)


def test_a_signer_without_an_npi_gets_no_empty_npi_line():
    letter = scenario_letter()
    letter.signers = [Signer("Anna Berg", "MD", "", "Rheumatology")]
    texts = [p.text for p in read(render_letter(letter)).paragraphs]
    assert texts[texts.index("Sincerely,") + 2].splitlines() == ["Anna Berg, MD", "Rheumatology"]


def test_libreoffice_prints_the_letter_on_one_to_three_pages(letter, tmp_path):
    data = render_letter(letter, letterhead_docx(), [("Figure 1. Treatments tried.", png())])
    assert 1 <= pdf_pages(data, tmp_path, "letter") <= 3
