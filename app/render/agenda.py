"""A case conference's agenda as a Word document: one page for about eight cases.

Every paragraph carries a named style (Title, Subtitle, "Agenda case", "Agenda detail",
"Agenda question"), so a team restyles the whole agenda in Word by changing a style, and a
screen reader or the navigation pane sees each case as a heading. Nothing here decides what
the agenda says: that is the `Agenda`.
"""

from __future__ import annotations

from datetime import date

import docx
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor

from app.domain.conference import Agenda, AgendaItem, deadline_line
from app.render.wordml import long_date, properties, run, save

CASE, DETAIL, QUESTION = "Agenda case", "Agenda detail", "Agenda question"
FONT = "Calibri"
INK = RGBColor(0x1D, 0x27, 0x33)
MUTED = RGBColor(0x4A, 0x55, 0x63)  # dark enough to print and photocopy
NOTE = (
    "Cases are named by initials and case number, never by the patient's name: "
    "open the case in Peerbrief for the record."
)


def render_agenda(agenda: Agenda, day: date | None = None) -> bytes:
    """The agenda as .docx bytes; the same agenda and `day` (default: the conference's date)
    always give the same bytes."""
    doc = docx.Document()
    _page_and_styles(doc)
    title = doc.add_paragraph(style="Title")
    run(title._p, agenda.title)
    subtitle = doc.add_paragraph(style="Subtitle")
    when = long_date(agenda.held_on)
    count = f"{len(agenda.items)} case{'s' if len(agenda.items) != 1 else ''}"
    run(subtitle._p, " · ".join(p for p in (agenda.team, when, count) if p))
    if agenda.items:
        for entry in agenda.items:
            _item(doc, entry)
    else:
        run(doc.add_paragraph(style=DETAIL)._p, "No cases on the agenda yet.")
    run(doc.add_paragraph(style="Caption")._p, NOTE)
    properties(doc, f"Agenda: {agenda.title}", day or agenda.held_on)
    return save(doc, day or agenda.held_on)


def _item(doc: DocxDocument, entry: AgendaItem) -> None:
    head = doc.add_paragraph(style=CASE)
    run(head._p, f"{entry.number}.\t{entry.label}")
    run(head._p, f" · {entry.payer}")
    detail = doc.add_paragraph(style=DETAIL)
    parts = [entry.status, entry.denial, entry.service]
    run(detail._p, " · ".join(p for p in parts if p))
    run(detail._p, "\nNext deadline: ", bold=True)
    run(detail._p, deadline_line(entry.deadline) if entry.deadline else "none running")
    question = doc.add_paragraph(style=QUESTION)
    if entry.question:
        run(question._p, "Question for the team: ", bold=True)
        run(question._p, entry.question)
    else:
        run(question._p, "No question set: the presenter brings one.", italic=True)


def _page_and_styles(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Inches(0.6))
    normal = doc.styles["Normal"]
    _font(normal, 10.5)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(2)
    for name, size, bold, color, before, after in (
        ("Title", 22, True, INK, 0, 2),
        ("Subtitle", 12, False, MUTED, 0, 10),
        ("Caption", 8.5, False, MUTED, 12, 0),
    ):
        style = doc.styles[name]
        _font(style, size, bold, color)
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    _title_border_off(doc.styles["Title"])

    case = doc.styles.add_style(CASE, WD_STYLE_TYPE.PARAGRAPH)
    case.base_style = doc.styles["Heading 2"]  # an outline level: the navigation pane lists it
    case.next_paragraph_style = doc.styles["Normal"]
    _font(case, 11.5, True, INK)
    fmt = case.paragraph_format
    fmt.space_before, fmt.space_after = Pt(6), Pt(1)
    fmt.keep_with_next = True
    fmt.left_indent, fmt.first_line_indent = Inches(0.3), Inches(-0.3)
    fmt.tab_stops.add_tab_stop(Inches(0.3))

    for name, italic, keep in ((DETAIL, False, True), (QUESTION, False, False)):
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        _font(style, 10 if name == QUESTION else 9, False, INK if name == QUESTION else MUTED)
        style.font.italic = italic
        fmt = style.paragraph_format
        fmt.left_indent = Inches(0.3)
        fmt.space_after = Pt(1 if keep else 2)
        fmt.keep_with_next = keep


def _font(style, size: float, bold: bool = False, color: RGBColor = INK) -> None:
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is not None:  # theme fonts win over a named font: drop them
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)
    style.font.name = FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.color.rgb = color
    found = rpr.find(qn("w:color"))
    if found is not None:
        found.attrib.pop(qn("w:themeColor"), None)


def _title_border_off(style) -> None:
    # The default template underlines Title with a blue rule and spaces it out: a plain title.
    ppr = style.element.pPr
    if ppr is not None:
        for tag in ("w:pBdr", "w:contextualSpacing"):
            found = ppr.find(qn(tag))
            if found is not None:
                ppr.remove(found)
    rpr = style.element.rPr
    for tag in ("w:spacing", "w:kern"):
        found = rpr.find(qn(tag)) if rpr is not None else None
        if found is not None:
            rpr.remove(found)
