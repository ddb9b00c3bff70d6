"""The letter of medical necessity as a Word document, laid out in the order payers expect.

The team's letterhead .docx, when there is one, is the base document: its header, footer,
styles and page setup frame the letter and its body is replaced. Fonts and sizes come from
the base document's styles; only styles it lacks are added. The letter's content comes
entirely from the `Letter`: nothing here decides what the letter says.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Inches, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph as DocxParagraph

from app.domain.letter import SALUTATION as SALUTATION  # re-exported: a Letter's defaults
from app.domain.letter import TITLE as TITLE
from app.domain.letter import Letter, Paragraph, Reference, Signer, TreatmentRow
from app.render.letterhead import (
    base_document,
    body_size,
    has_style,
    heading_style,
    numbered_style,
    text_width,
)
from app.render.pages import furnish
from app.render.wordml import borders, fixed_widths, properties, run, save

CLOSING = "Sincerely,"
OWN_STYLE = "Clinician text"  # marks the clinician's own wording; no visible formatting
TREATMENT_HEADER = ("Therapy", "Dose", "Dates", "Outcome", "Reason stopped")
RE_MARK_WIDTH = Inches(0.45)
CELL_PADDING = Inches(0.2)
KEEP_TOGETHER_ROWS = 12  # a longer treatments table may break across pages
IMAGE_WIDTH = Inches(6)
HANGING = Inches(0.3)
SIGNATURE_LINE = Inches(3.25)
# Paragraph properties the schema orders after pBdr (a border placed after them is refused).
_AFTER_PBDR = {qn(f"w:{t}") for t in ("shd", "tabs", "suppressAutoHyphens", "spacing", "ind")}
_AFTER_PBDR |= {qn(f"w:{t}") for t in ("jc", "outlineLvl", "rPr")}


def render_letter(
    letter: Letter, letterhead: bytes | None = None, images: Sequence[tuple[str, bytes]] = ()
) -> bytes:
    """Return `letter` as .docx bytes.

    `letterhead` is the team's .docx (already accepted by `check_letterhead`); its header,
    footer, styles and margins are kept. `images` are (caption, PNG bytes) pairs placed after
    the treatments table. The same input always gives the same bytes.
    """
    doc = base_document(letterhead)
    width = text_width(doc)
    size = body_size(doc)
    heading = doc.styles[heading_style(doc)].style_id
    own = doc.styles[_own_style(doc)].style_id

    doc.add_paragraph(letter.dated)
    run(doc.add_paragraph()._p, "\n".join(letter.addressee))
    _re_block(doc, letter.re_block, width, size)
    doc.add_paragraph(letter.salutation).paragraph_format.space_before = Pt(12)

    placed = False
    for section in letter.sections:
        if section.heading:
            _styled(doc.add_paragraph(section.heading), heading)
        for paragraph in section.paragraphs:
            _body_paragraph(doc, paragraph, own)
        if section.key == letter.table_after:
            placed = _treatments_and_images(doc, letter.treatments, images, width, size)
    if not placed:
        _treatments_and_images(doc, letter.treatments, images, width, size)

    if letter.enclosures:
        _styled(doc.add_paragraph("Enclosures"), heading)
        _numbered(doc, letter.enclosures)
    _signatures(doc, letter.signers, width)
    if letter.references:
        _styled(doc.add_paragraph("References"), heading)
        style_id = _reference_style(doc)
        for reference in sorted(letter.references, key=lambda r: r.number):
            _reference(doc, reference, style_id)

    furnish(doc, letter.running_head)
    properties(doc, letter.title, letter.date)
    return save(doc, letter.date)


def superscript(refs: Sequence[int]) -> str:
    """AMA citation numbers: "1", "1,2", and runs of three or more as a range, "1-3"."""
    numbers = sorted(set(refs))
    parts: list[str] = []
    i = 0
    while i < len(numbers):
        j = i
        while j + 1 < len(numbers) and numbers[j + 1] == numbers[j] + 1:
            j += 1
        if j - i >= 2:
            parts.append(f"{numbers[i]}-{numbers[j]}")
        else:
            parts.extend(str(n) for n in numbers[i : j + 1])
        i = j + 1
    return ",".join(parts)


def _own_style(doc: DocxDocument) -> str:
    if not has_style(doc, OWN_STYLE, WD_STYLE_TYPE.CHARACTER):
        style = doc.styles.add_style(OWN_STYLE, WD_STYLE_TYPE.CHARACTER)
        style.base_style = doc.styles.default(WD_STYLE_TYPE.CHARACTER)
    return OWN_STYLE


# --- blocks of the letter ----------------------------------------------------------------


def _re_block(doc: DocxDocument, rows: list[tuple[str, str]], width: Emu, size: float) -> None:
    if not rows:
        return
    table = doc.add_table(rows=0, cols=3)
    _borderless(table)
    longest = max(len(label) + 1 for label, _ in rows)
    label_width = max(Inches(1.2), _chars_width(longest, size, bold=True) + CELL_PADDING)
    widths = (RE_MARK_WIDTH, label_width, Emu(width - RE_MARK_WIDTH - label_width))
    for i, (label, value) in enumerate(rows):
        mark, name, text = (tc.p_lst[0] for tc in table.add_row()._tr.tc_lst)
        if i == 0:
            run(mark, "RE:", bold=True)
        run(name, f"{label}:", bold=True)
        run(text, value)
    fixed_widths(table, widths)


def _body_paragraph(doc: DocxDocument, paragraph: Paragraph, own: str) -> None:
    """A paragraph of sentences; the clinician's own wording carries the `own` style (by id)."""
    p = doc.add_paragraph()._p
    style = own if paragraph.own else None
    first = True
    for sentence in paragraph.sentences:
        if not sentence.text:
            continue
        run(p, sentence.text if first else f" {sentence.text}", style=style)
        first = False
        if sentence.mark or sentence.refs:
            mark = sentence.mark or superscript(sentence.refs)
            run(p, mark, style=style, superscript=True)


def _treatments_and_images(
    doc: DocxDocument,
    rows: list[TreatmentRow],
    images: Sequence[tuple[str, bytes]],
    width: Emu,
    size: float,
) -> bool:
    if rows:
        # The sentence that introduces the table stays on its page.
        last = doc.paragraphs[-1] if doc.paragraphs else None
        if last is not None:
            last.paragraph_format.keep_with_next = True
        _treatment_table(doc, rows, width, size)
    for caption, png in images:
        picture = doc.add_paragraph()
        picture.paragraph_format.space_before = Pt(10)
        picture.paragraph_format.space_after = Pt(2)
        picture.paragraph_format.keep_with_next = True
        picture.add_run().add_picture(io.BytesIO(png), width=min(IMAGE_WIDTH, width))
        if has_style(doc, "Caption", WD_STYLE_TYPE.PARAGRAPH):
            _styled(doc.add_paragraph(caption), doc.styles["Caption"].style_id)
        else:
            doc.add_paragraph().add_run(caption).italic = True
    return True


def _treatment_table(doc: DocxDocument, rows: list[TreatmentRow], width: Emu, size: float) -> None:
    table = doc.add_table(rows=1, cols=len(TREATMENT_HEADER))
    for name in ("Table Grid", "Light Grid Accent 1"):
        if has_style(doc, name, WD_STYLE_TYPE.TABLE):
            table._tbl.tblPr.style = doc.styles[name].style_id
            break
    else:
        borders(table, "single")
    # A size below the body text keeps drug names and date ranges on one line in a cell.
    cell_size = max(size - 1, 8)
    values = [TREATMENT_HEADER] + [(r.therapy, r.dose, r.dates, r.outcome, r.reason) for r in rows]
    for i, texts in enumerate(values):
        tr = table.rows[0]._tr if i == 0 else table.add_row()._tr
        for tc, text in zip(tr.tc_lst, texts, strict=True):
            run(tc.p_lst[0], text, size=cell_size, bold=i == 0)
    fixed_widths(table, _column_widths(values, width, cell_size))
    together = len(table.rows) <= KEEP_TOGETHER_ROWS
    for i, row in enumerate(table.rows):
        props = row._tr.get_or_add_trPr()
        props.append(OxmlElement("w:cantSplit"))
        if i == 0:
            # A table broken across pages repeats its header row.
            props.append(OxmlElement("w:tblHeader"))
        if together and i < len(table.rows) - 1:
            for cell in row.cells:
                for p in cell.paragraphs:
                    p.paragraph_format.keep_with_next = True


def _chars_width(chars: int, size: float, bold: bool = False) -> Emu:
    """A generous estimate of the width of `chars` characters of body text."""
    return Emu(int(Pt(size) * chars * (0.58 if bold else 0.53)))


def _column_widths(rows: list[Sequence[str]], width: Emu, size: float) -> list[Emu]:
    """Each column at least as wide as its longest word; the rest of the width goes to the
    columns in proportion to what they still lack to fit their longest cell on one line."""
    columns = list(zip(*rows, strict=True))
    needs = [
        _chars_width(max(len(word) for text in col for word in text.split() or [""]), size, True)
        + CELL_PADDING
        for col in columns
    ]
    wants = [_chars_width(max(len(text) for text in col), size) + CELL_PADDING for col in columns]
    if sum(needs) >= width:
        return [Emu(int(width * n / sum(needs))) for n in needs]
    spare = width - sum(needs)
    lacks = [max(w - n, 0) for n, w in zip(needs, wants, strict=True)]
    if sum(lacks) <= spare:
        # Everything fits on one line: share out what is left evenly.
        extra = (spare - sum(lacks)) // len(columns)
        return [Emu(int(max(n, w) + extra)) for n, w in zip(needs, wants, strict=True)]
    return [Emu(int(n + spare * lack / sum(lacks))) for n, lack in zip(needs, lacks, strict=True)]


def _numbered(doc: DocxDocument, items: list[str]) -> None:
    style = numbered_style(doc)
    for n, item in enumerate(items, start=1):
        if style:
            _styled(doc.add_paragraph(item), doc.styles[style].style_id)
        else:
            p = doc.add_paragraph(f"{n}.\t{item}")
            _hanging(p)
            p.paragraph_format.space_after = Pt(2)


def _signatures(doc: DocxDocument, signers: list[Signer], width: Emu) -> None:
    # A signature never stands alone on a page: the line before it comes along.
    if doc.paragraphs:
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
    closing = doc.add_paragraph(CLOSING)
    closing.paragraph_format.space_before = Pt(12)
    closing.paragraph_format.keep_with_next = True
    blocks = signers or [Signer("")]
    for b, signer in enumerate(blocks):
        # The line to sign on: a rule under an empty paragraph, room for the signature above.
        rule = doc.add_paragraph()
        fmt = rule.paragraph_format
        fmt.space_before = Pt(30)
        fmt.space_after = Pt(2)
        fmt.right_indent = Emu(max(width - SIGNATURE_LINE, 0))
        fmt.keep_with_next = True
        _bottom_rule(rule)
        # One paragraph per signer under it, so no page falls between a name and its NPI.
        p = doc.add_paragraph()._p
        for i, line in enumerate(signer.lines()):
            run(p, line if i == 0 else f"\n{line}", bold=i == 0)
        fmt = DocxParagraph(p, doc._body).paragraph_format
        fmt.keep_together = True
        # Co-signers stay on the page of the first signer and the closing.
        if b < len(blocks) - 1:
            fmt.keep_with_next = True


def _bottom_rule(p: DocxParagraph) -> None:
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        bottom.set(qn(f"w:{name}"), value)
    borders.append(bottom)
    ppr = p._p.get_or_add_pPr()
    # The schema puts pBdr after keepNext/keepLines/pageBreakBefore and before spacing.
    anchor = next((c for c in ppr if c.tag in _AFTER_PBDR), None)
    if anchor is None:
        ppr.append(borders)
    else:
        anchor.addprevious(borders)


def _reference_style(doc: DocxDocument) -> str:
    """A "Reference" paragraph style (number, tab, hanging indent); returns its style id.

    One style instead of direct formatting on forty paragraphs: it edits as one in Word, and
    python-docx resolves a style name by scanning every style, so each entry takes the id.
    """
    if "Reference" not in [s.name for s in doc.styles]:
        style = doc.styles.add_style("Reference", WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        _hanging(style)
        style.paragraph_format.space_after = Pt(4)
    return doc.styles["Reference"].style_id


def _reference(doc: DocxDocument, reference: Reference, style_id: str) -> None:
    p = _styled(doc.add_paragraph(), style_id)._p
    run(p, f"{reference.number}.\t")
    for text, italic in reference.runs:
        run(p, text, italic=italic)


def _styled(p: DocxParagraph, style_id: str) -> DocxParagraph:
    """Give a paragraph a style by id: python-docx's lookup by name scans every style of the
    document each time (~2 ms), which adds up over a letter."""
    p._p.get_or_add_pPr().style = style_id
    return p


def _hanging(p) -> None:
    """A hanging indent with a tab stop, on a paragraph or on a paragraph style."""
    fmt = p.paragraph_format
    fmt.left_indent = HANGING
    fmt.first_line_indent = -HANGING
    fmt.tab_stops.add_tab_stop(HANGING)


# --- tables ------------------------------------------------------------------------------


def _borderless(table: Table) -> None:
    borders(table, "nil")
    # No cell padding on the left, so the block lines up with the text above it.
    margins = OxmlElement("w:tblCellMar")
    for side, twips in (("left", 0), ("right", 80)):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(twips))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    if look is None:
        table._tbl.tblPr.append(margins)
    else:
        look.addprevious(margins)


# --- metadata and stable bytes -------------------------------------------------------------
