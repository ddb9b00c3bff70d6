"""The talking points as one printed page (.docx): compact type, two columns of questions
and asks at the foot, nothing that pushes onto a second sheet."""

import io
from datetime import datetime

from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor

from app.domain.points import TalkingPoints

MUTED = RGBColor(0x5B, 0x67, 0x76)


def _heading(doc, text: str) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.space_before = Pt(5)
    p.paragraph_format.space_after = Pt(1)
    p.paragraph_format.keep_with_next = True
    run = p.add_run(text.upper())
    run.bold, run.font.size, run.font.color.rgb = True, Pt(8), MUTED


def _para(doc, text: str = "", bold_lead: str = "", style: str | None = None, italic=False):
    p = doc.add_paragraph(style=style)
    p.paragraph_format.space_after = Pt(1)
    if bold_lead:
        p.add_run(bold_lead).bold = True
    run = p.add_run(text)
    run.italic = italic
    return p


def render_points(tp: TalkingPoints, case_line: str, when: datetime | None = None) -> bytes:
    """One page of talking points as .docx bytes; `case_line` heads the page (payer, ref)."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Inches(0.5))
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Calibri", Pt(9)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Calibri")
    normal.paragraph_format.space_after = Pt(1)
    doc.core_properties.title = "P2P talking points"
    if when:
        doc.core_properties.created = doc.core_properties.modified = when

    head = doc.add_paragraph()
    head.add_run(f"P2P · {tp.patient}").bold = True
    head.add_run(f" · {case_line}")
    _heading(doc, "60-second opening")
    _para(doc, " ".join(tp.opening))
    _heading(doc, "Denial, as written")
    _para(
        doc,
        f"“{tp.denial_quote}”" if tp.denial_quote else "Not received in writing: ask for it.",
        italic=bool(tp.denial_quote),
    )
    for words, reply in tp.answers:
        p = _para(doc, f" {reply}", bold_lead=f"“{words}”")
        p.paragraph_format.left_indent = Inches(0.1)
    if tp.criteria:
        _heading(doc, "Criteria and proof")
        for c in tp.criteria:
            p = _para(doc, f" ({c.status})", bold_lead=f"{c.number}. {c.text}")
            proof = [*c.facts, f"Evidence: {c.citation}" if c.citation else "", c.note]
            for line in filter(None, proof):
                p.add_run().add_break(WD_BREAK.LINE)
                p.add_run(f"   {line}")
            if not c.facts and not c.citations and not c.note:
                p.add_run().add_break(WD_BREAK.LINE)
                p.add_run("   Nothing linked").bold = True
    if tp.objections:
        _heading(doc, "Objections to expect")
        for objection, rebuttal in tp.objections:
            p = _para(doc, f" {rebuttal}", bold_lead=f"“{objection}”")
            p.paragraph_format.left_indent = Inches(0.1)
    table = doc.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.width = right.width = Inches(3.7)
    _cell_heading(left, "Ask the reviewer", first=True)
    for q in tp.questions:
        left.add_paragraph(f"• {q}")
    _cell_heading(right, "The ask", first=True)
    right.add_paragraph().add_run(tp.ask).bold = True
    if tp.fallbacks:
        _cell_heading(right, "Fallbacks")
        for f in tp.fallbacks:
            right.add_paragraph(f"• {f}")
    if tp.documents:
        _cell_heading(right, "Have at hand")
        for d in tp.documents:
            right.add_paragraph(f"• {d}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _cell_heading(cell, text: str, first: bool = False) -> None:
    p = cell.paragraphs[0] if first else cell.add_paragraph()
    run = p.add_run(text.upper())
    run.bold, run.font.size, run.font.color.rgb = True, Pt(8), MUTED
