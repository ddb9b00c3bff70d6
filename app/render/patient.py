"""The patient's plain-language letter as .docx: large type, short lines, words explained."""

import io

from docx import Document
from docx.shared import Inches, Pt

from app.domain.patient import PatientSummary


def render_patient(summary: PatientSummary) -> bytes:
    """The summary as .docx bytes, in 12-point type for easy reading."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Inches(1))
    doc.styles["Normal"].font.size = Pt(12)
    doc.core_properties.title = "About your coverage decision"
    doc.add_paragraph(summary.greeting)
    doc.add_paragraph(" ".join(summary.denied))
    if summary.plan_words:
        doc.add_paragraph("The plan wrote:")
        doc.add_paragraph(f"“{summary.plan_words}”").runs[0].italic = True
    for heading, items in (
        ("Why we believe this treatment is right for you", summary.why),
        ("What happens next", summary.next_steps),
    ):
        doc.add_heading(heading, level=2)
        for item in items:
            doc.add_paragraph(item, style="List Bullet")
    if summary.jargon:
        doc.add_heading("Words you may see", level=2)
        for term, meaning in summary.jargon:
            p = doc.add_paragraph()
            p.add_run(f"{term}: ").bold = True
            p.add_run(meaning)
    doc.add_paragraph(summary.signoff)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
