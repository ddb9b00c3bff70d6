"""The talking points of every demo case fit one printed page."""

import pytest
from docx import Document

from app import demo
from app.extensions import db
from app.render.points import render_points
from app.services.documents import talking_points
from tests.render.office import pdf_pages

pytestmark = pytest.mark.persistence


def test_talking_points_of_every_demo_case_fit_one_page(app, tmp_path):
    import io

    with app.app_context():
        _, cases = demo.load()
        for case in cases:
            case.ask = "Approve the requested service as ordered, for 12 months."
            case.fallback_asks = "A 6-month trial with a re-check\nAnother site of care"
            tp = talking_points(case)
            docx = render_points(tp, f"{case.payer} · ref {case.denial_reference}")
            text = "\n".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)
            assert case.patient_name in text and "60-SECOND OPENING" in text
            assert tp.denial_quote in text
            assert pdf_pages(docx, tmp_path, f"points-{case.id}") == 1, case.patient_name
        db.session.rollback()
