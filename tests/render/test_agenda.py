"""A conference's agenda: eight cases with real questions on one printed page, same bytes
for the same agenda."""

import io
from datetime import date, datetime
from types import SimpleNamespace as NS

from docx import Document

from app.domain.conference import agenda
from app.domain.deadlines import Deadline
from app.render.agenda import render_agenda
from tests.render.office import pdf_pages

APPEAL = Deadline(
    "File internal appeal", datetime(2027, 3, 31, 23, 59, 59), "k", "src",
    "denial_received", 128, "open", "calendar_days",
)  # fmt: skip
QUESTION = (
    "Appeal now with the leflunomide records, or wait for the pharmacy fill history the "
    "reviewer asked for, and who calls the medical director if it is upheld again?"
)


def eight_cases():
    entries = []
    for n in range(8):
        case = NS(
            id=100 + n,
            patient_name=f"Marisol Quintero-Abernathy {n} (synthetic)",
            payer="Keystone Benefit Administrators of the Mid-Atlantic",
            service_description="Adalimumab 40 mg/0.4 mL subcutaneous every 2 weeks, 2 pens",
            denial_category="step_therapy",
            status="external_review",
        )
        entries.append((case, QUESTION, [APPEAL]))
    return agenda("Rheumatology and spine case conference", date(2026, 11, 26), entries, "Demo")


def test_eight_cases_fit_one_page(tmp_path):
    content = render_agenda(eight_cases())
    text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    assert text.count("Question for the team: Appeal now") == 8
    assert "Quintero" not in text
    assert pdf_pages(content, tmp_path, "agenda") == 1


def test_the_same_agenda_gives_the_same_bytes():
    assert render_agenda(eight_cases()) == render_agenda(eight_cases())


def test_an_empty_agenda_says_so():
    empty = agenda("Case conference", date(2026, 11, 26), [], "Demo")
    paragraphs = [p.text for p in Document(io.BytesIO(render_agenda(empty))).paragraphs]
    assert paragraphs[:3] == [
        "Case conference",
        "Demo · November 26, 2026 · 0 cases",
        "No cases on the agenda yet.",
    ]
