"""Every document of every demo case passes the document lint (tests/lint.py), and the lint
finds what a physician would rewrite: it fails on the letters Peerbrief used to write."""

from datetime import date

import pytest
from sqlalchemy import select

from app import demo
from app.domain import patient as patient_domain
from app.extensions import db
from app.models import Case
from app.services import documents
from app.services.documents import NotReady, call_of
from tests.lint import letter_problems, text_problems

pytestmark = pytest.mark.persistence

TODAY = date(2026, 12, 6)


def every_document(case: Case) -> dict[str, list[str]]:
    """Problems of each document kind of `case`, by kind (empty lists when clean)."""
    found = {}
    for kind in documents.LETTERS:
        try:
            call = call_of(case, kind)
        except NotReady:
            continue
        made = documents.letter(case, kind, call, TODAY)
        found[kind] = letter_problems(made)
    tp = documents.talking_points(case, TODAY)
    spoken = [*tp.opening, *(r for _, r in tp.objections), *(r for _, r in tp.answers)]
    spoken += tp.fallbacks + [tp.ask]
    found["points"] = text_problems(spoken, case.team.date_style)
    # Each criterion shows all its facts: one fact may prove two criteria.
    proof = [f for c in tp.criteria for f in c.facts]
    found["points"] += text_problems(proof, case.team.date_style, repeats=False)
    summary = patient_domain.assemble(case, case.clinician, TODAY)
    found["patient"] = text_problems(summary.denied + summary.why + summary.next_steps)
    return found


@pytest.mark.parametrize("name", sorted(p.stem for p in demo.CASES_DIR.glob("*.json")))
def test_every_document_of_every_scenario_passes_the_lint(app, name):
    """The six scenarios (the five of SCENARIOS.md and the stimulator case), each built
    from its case JSON and finished: every document of each."""
    from app.transfer import import_case

    with app.app_context():
        team, _ = demo.load()
        case = import_case(demo.fixture(name), team.id).case
        db.session.commit()
        problems = {kind: found for kind, found in every_document(case).items() if found}
    assert problems == {}


def test_every_document_of_every_demo_case_passes_the_lint(app):
    with app.app_context():
        demo.load()
        cases = db.session.scalars(select(Case).order_by(Case.id)).all()
        problems = {
            f"case {c.id} {kind}": found
            for c in cases
            for kind, found in every_document(c).items()
            if found
        }
    assert problems == {}


@pytest.mark.parametrize(
    "sentence, rule",
    [
        ("…HbA1c 10% or less);. This criterion is met.", "doubled punctuation"),
        ("Lab: HbA1c 7.1% (Oct 2026).", "label as sentence"),
        ("Cardiology clearance obtained (cardiology note). (Mar 2025).", "doubled punctuation"),
        ("Methotrexate 15 mg weekly, 2024 – 2024, stopped.", "empty or one-point range"),
        ("A clinical claim with no citation in your wording (claim-1).", "internal id"),
        ("This is supported by the published evidence (U.S., 2021).", "author-year"),
        ("This is supported by the published evidence (Petersen, 2021).", "author-year"),
        ("[prior treatments] were tried.", "internal id"),
    ],
)
def test_the_lint_finds_what_the_old_letters_said(sentence, rule):
    assert any(p.startswith(rule) for p in text_problems([sentence]))


def test_the_lint_finds_a_second_date_style_and_a_repeated_sentence():
    text = ["The denial is dated 2 Oct 2026.", "The appeal was filed on October 20, 2026."]
    assert any("mdy style" in p for p in text_problems(text, "dmy"))
    twice = ["She tried methotrexate for 8 months.", "She tried methotrexate for 8 months."]
    assert any(p.startswith("sentence said twice") for p in text_problems(twice))
    assert text_problems(["She tried methotrexate from Jan 2024 to Sep 2024."], "dmy") == []
