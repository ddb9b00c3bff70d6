"""The case packet as a Word document: an optional agenda, then one section per case.

Real Word styles throughout (headings, List Bullet, List Number, Table Grid), so the packet
navigates and re-styles in Word; runs are written with `wordml.run` and the file saved with
`wordml.save` for stable bytes. Nothing here decides what the packet says: the `CasePacket`
does, identified or de-identified. The file's metadata names no one and dates nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Inches, Pt, RGBColor
from lxml import etree

from app.domain.packet import CasePacket
from app.render.letterhead import (
    _clear_theme_font,
    base_document,
    has_style,
    heading_style,
    numbered_style,
    text_width,
)
from app.render.wordml import borders, fixed_widths, properties, run, save

TITLE = "Case conference packet"
# A de-identified file is dated by this day, not the export's: it should date nothing.
UNDATED = date(2000, 1, 1)
IDENTIFIED_MARK = "Identified: for the treating team only"
DEIDENTIFIED_MARK = "De-identified"
TREATMENT_HEADER = ("Therapy", "Dose", "Dates", "Outcome", "Reason stopped")
CRITERIA_HEADER = ("#", "Criterion", "Status", "Proof")
FACTS_HEADER = ("When", "Kind", "Fact")
MUTED = RGBColor(0x4A, 0x55, 0x63)


def render_packet(
    packets: list[CasePacket],
    agenda: list[str] | None = None,
    letterhead: bytes | None = None,
    day: date | None = None,
) -> bytes:
    """The packets as one .docx: the agenda first when given, then each case on its own pages.

    `letterhead` is a team's .docx (its header, footer and styles are kept); without one the
    pages carry a header saying whether the packet is de-identified (every case is) or
    identified. `day` dates an identified file (its zip entries and core properties; today by
    default); a file holding any de-identified case is dated 2000-01-01 whatever `day` says.
    """
    doc = base_document(letterhead)
    if letterhead is None:
        _packet_styles(doc)
    styles = _Styles(doc)
    width = text_width(doc)
    # Every page says "De-identified" only when every case is; one identified case makes the
    # whole file the treating team's.
    deidentified = bool(packets) and all(p.deidentified for p in packets)
    if letterhead is None:
        _header_and_footer(doc, deidentified)
    if deidentified:
        _banner(
            doc,
            "De-identified packet: ",
            "each case's identifiers are replaced and its dates shifted (see the note at the "
            "head of each case). For discussion outside the treating team.",
        )
    if agenda:
        _paragraph(doc, "Agenda", styles.heading1)
        for n, item in enumerate(agenda, start=1):
            _list_item(doc, item, styles.numbered, f"{n}.")
    for n, packet in enumerate(packets, start=1):
        _case(doc, n, packet, styles, width, page_break=n > 1 or bool(agenda))
    kept = UNDATED if any(p.deidentified for p in packets) else day or date.today()
    properties(doc, f"{TITLE} (de-identified)" if deidentified else TITLE, kept)
    return save(doc, kept)


class _Styles:
    """The style ids the packet uses, added when a letterhead lacks them."""

    def __init__(self, doc: DocxDocument) -> None:
        self.heading2 = doc.styles[heading_style(doc)].style_id
        self.heading1 = self._id(doc, "Heading 1", WD_STYLE_TYPE.PARAGRAPH) or self.heading2
        self.bullet = self._id(doc, "List Bullet", WD_STYLE_TYPE.PARAGRAPH)
        numbered = numbered_style(doc)
        self.numbered = doc.styles[numbered].style_id if numbered else None
        self.grid = self._id(doc, "Table Grid", WD_STYLE_TYPE.TABLE)

    @staticmethod
    def _id(doc: DocxDocument, name: str, kind: WD_STYLE_TYPE) -> str | None:
        return doc.styles[name].style_id if has_style(doc, name, kind) else None


# --- one case -------------------------------------------------------------------------------


def _case(
    doc: DocxDocument, n: int, p: CasePacket, styles: _Styles, width: Emu, page_break: bool
) -> None:
    title = _paragraph(doc, f"Case {n} · {p.title}", styles.heading1)
    if page_break:
        title.get_or_add_pPr().append(OxmlElement("w:pageBreakBefore"))
    if p.deidentified:
        lead, _, rest = p.notice.partition(": ")
        _banner(doc, f"{lead}: ", rest)
    else:
        prepared = f"Prepared {p.prepared}. " if p.prepared else ""
        _banner(doc, "Identified: ", f"{prepared}For the treating team only.")
    if p.question:
        _lead(doc, "Question for the conference: ", p.question)
    _pairs(doc, p.patient + p.request, width)

    _paragraph(doc, "The story in 60 seconds", styles.heading2)
    _paragraph(doc, " ".join(p.story))

    _paragraph(doc, "The denial", styles.heading2)
    d = p.denial
    said = [d.category, f"{d.payer} ({d.plan})"]
    said += [f"ref {d.reference}"] if d.reference else []
    said += [f"received {d.received}"] if d.received else []
    _paragraph(doc, " · ".join(said))
    if d.criteria:
        _lead(doc, "Criteria applied: ", d.criteria)
    if d.reason:
        run(doc.add_paragraph()._p, f"“{d.reason}”", italic=True)
    else:
        _paragraph(doc, "Not received in writing.")

    _paragraph(doc, "Criteria and proof", styles.heading2)
    if p.criteria:
        rows = [
            (
                str(c.number),
                c.text + (f"\nNote: {c.note}" if c.note else ""),
                c.status,
                "\n".join([f"Fact: {f}" for f in c.facts] + [f"Evidence: {e}" for e in c.evidence])
                or "Nothing linked",
            )
            for c in p.criteria
        ]
        _table(doc, CRITERIA_HEADER, rows, (0.05, 0.4, 0.15, 0.4), width, styles.grid)
    else:
        _paragraph(doc, "The payer's criteria are not mapped yet.")

    if p.treatments:
        _paragraph(doc, "Prior treatments", styles.heading2)
        rows = [(t.therapy, t.dose, t.dates, t.outcome, t.reason) for t in p.treatments]
        _table(doc, TREATMENT_HEADER, rows, (0.24, 0.2, 0.2, 0.13, 0.23), width, styles.grid)

    if p.facts:
        _paragraph(doc, "Facts, in order", styles.heading2)
        rows = [
            (f.when, f.kind, f.text + ("" if f.in_letter else " (not in the letter)"))
            for f in p.facts
        ]
        _table(doc, FACTS_HEADER, rows, (0.14, 0.2, 0.66), width, styles.grid)

    if p.framing:
        _paragraph(doc, "Framing and asks", styles.heading2)
        for heading, text in p.framing:
            _lead(doc, f"{heading}: ", text)

    _paragraph(doc, "Open gaps", styles.heading2)
    for gap in p.gaps or ["None found."]:
        _list_item(doc, gap, styles.bullet if p.gaps else None, "•" if p.gaps else "")

    _paragraph(doc, "Deadlines", styles.heading2)
    if p.deadlines:
        for dl in p.deadlines:
            when = f"{dl.due}, {dl.left}" if dl.left else dl.due
            _list_item(doc, f"{dl.step}: due {when} ({dl.source})", styles.bullet, "•")
        if p.deidentified:
            _paragraph(doc, "Due dates are shifted like every date here.", muted=True)
    else:
        _paragraph(doc, "No deadline running.")

    if p.comments:
        _paragraph(doc, "Team comments", styles.heading2)
        for c in p.comments:
            _lead(doc, f"{c.author}, {c.when}: ", c.body)

    if p.documents:
        _paragraph(doc, "Source documents", styles.heading2)
        for s in p.documents:
            head = ", ".join(x for x in (s.kind, s.when) if x)
            title = _lead(doc, s.title, f" ({head})" if head else "")
            title.paragraph_format.keep_with_next = True
            for block in (b.strip() for b in s.text.split("\n\n")):
                if block:
                    _paragraph(doc, block)


# --- blocks -------------------------------------------------------------------------------


def _paragraph(
    doc: DocxDocument, text: str, style: str | None = None, muted: bool = False
) -> etree._Element:
    p = doc.add_paragraph()
    if style:
        p._p.get_or_add_pPr().style = style
    if muted:
        p.add_run(text).font.color.rgb = MUTED
        return p._p
    run(p._p, text)
    return p._p


def _lead(doc: DocxDocument, lead: str, text: str):
    p = doc.add_paragraph()
    run(p._p, lead, bold=True)
    if text:
        run(p._p, text)
    return p


def _list_item(doc: DocxDocument, text: str, style: str | None, mark: str) -> None:
    """A bullet or numbered item in the list style, or with a typed mark when there is none."""
    p = doc.add_paragraph()
    if style:
        p._p.get_or_add_pPr().style = style
        run(p._p, text)
    else:
        run(p._p, f"{mark} {text}".strip())


def _banner(doc: DocxDocument, lead: str, text: str) -> None:
    """A boxed line that says what kind of packet this is."""
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.space_before, fmt.space_after = Pt(4), Pt(8)
    borders = OxmlElement("w:pBdr")
    for edge in ("top", "left", "bottom", "right"):
        line = OxmlElement(f"w:{edge}")
        for key, value in (("val", "single"), ("sz", "6"), ("space", "4"), ("color", "4A5563")):
            line.set(qn(f"w:{key}"), value)
        borders.append(line)
    p._p.get_or_add_pPr().append(borders)
    run(p._p, lead, bold=True)
    run(p._p, text)


def _pairs(doc: DocxDocument, rows: Sequence[tuple[str, str]], width: Emu) -> None:
    """Labels and values side by side, without borders."""
    if not rows:
        return
    table = doc.add_table(rows=0, cols=2)
    borders(table, "nil")
    for label, value in rows:
        name, text = (tc.p_lst[0] for tc in table.add_row()._tr.tc_lst)
        run(name, label, bold=True)
        run(text, value)
    fixed_widths(table, [Emu(int(width * 0.22)), Emu(int(width * 0.78))])


def _table(
    doc: DocxDocument,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    shares: Sequence[float],
    width: Emu,
    grid: str | None,
) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    if grid:
        table._tbl.tblPr.style = grid
    else:
        borders(table, "single")
    for i, texts in enumerate([header, *rows]):
        tr = table.rows[0]._tr if i == 0 else table.add_row()._tr
        trPr = tr.get_or_add_trPr()
        trPr.append(OxmlElement("w:cantSplit"))
        if i == 0:
            trPr.append(OxmlElement("w:tblHeader"))  # repeated on every page
        for tc, text in zip(tr.tc_lst, texts, strict=True):
            run(tc.p_lst[0], text, bold=i == 0, size=9)
    fixed_widths(table, [Emu(int(width * share)) for share in shares])


# --- the document around the cases ----------------------------------------------------------


def _packet_styles(doc: DocxDocument) -> None:
    """Compact, black type: a packet is read on paper around a table."""
    normal = doc.styles["Normal"]
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(4)
    for name, size in (("Heading 1", 15), ("Heading 2", 11.5)):
        style = doc.styles[name]
        _clear_theme_font(style)
        style.font.name = "Calibri"
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = RGBColor(0, 0, 0)
    doc.styles["Heading 1"].paragraph_format.space_after = Pt(6)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(doc.sections[0], side, Inches(0.8))


def _header_and_footer(doc: DocxDocument, deidentified: bool) -> None:
    section = doc.sections[0]
    mark = DEIDENTIFIED_MARK if deidentified else IDENTIFIED_MARK
    head = section.header.paragraphs[0]._p
    run(head, f"{TITLE} · ", size=8)
    run(head, mark, size=8, bold=True)
    foot = section.footer.paragraphs[0]._p
    run(foot, "Page ", size=8)
    _page_field(foot)


def _page_field(p: etree._Element) -> None:
    """The page number, as Word's PAGE field."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run(field, "1", size=8)
    p.append(field)
