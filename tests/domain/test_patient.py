from types import SimpleNamespace as NS

from app.domain.patient import assemble


def fact(kind, **fields):
    base = dict(text=None, fact_date=None, therapy=None, instrument=None, score=None)
    base.update(fields)
    return NS(kind=kind, in_letter=True, **base)


def case(**over):
    values = dict(
        patient_name="Marisol Quintero",
        payer="Keystone",
        service_description="adalimumab",
        plan_type="erisa",
        urgency="standard",
        denial_received=None,
        denial_category="step_therapy",
        denial_reason="Step therapy requirement not met: member "
        "must try and fail two conventional DMARDs.",
        denial_reason_missing=False,
        framing="It would help you keep working and sleep through the night",
        facts=[
            fact("prior_treatment", therapy="methotrexate"),
            fact("prior_treatment", therapy="leflunomide"),
            fact("pro", instrument="cdai", score=22.0, fact_date="2026-06-01"),
            fact("pro", instrument="cdai", score=31.0, fact_date="2026-09-12"),
        ],
    )
    values.update(over)
    return NS(**values)


def test_summary_says_what_was_denied_why_and_what_next_in_plain_words():
    s = assemble(case())
    assert s.greeting == "Dear Marisol,"
    assert "has said it will not pay for adalimumab" in s.denied[0]
    assert "You have already tried 2 other treatments (methotrexate, leflunomide)." in s.why[0]
    assert s.why[1] == "Your latest CDAI score was 31. That is in the high activity range."
    assert any("peer-to-peer review" in step for step in s.next_steps)


def test_reading_level_is_measured_and_near_grade_8():
    s = assemble(case())
    assert s.score.words > 80
    assert s.score.grade <= 9.0


def test_jargon_in_the_plans_words_is_explained():
    terms = {term.lower() for term, _ in assemble(case()).jargon}
    assert "step therapy" in terms and "peer-to-peer review" in terms


def test_an_administrative_denial_is_said_to_be_about_rules_not_health():
    s = assemble(case(denial_category="insufficient_documentation", facts=[], framing=""))
    assert "not about your health" in " ".join(s.denied)
    assert s.why == ["We believe this treatment is the right next step for you."]


def test_the_next_steps_say_by_when_the_appeal_must_be_filed():
    from datetime import date

    erisa = case(plan_type="erisa", urgency="standard", denial_received=date(2026, 10, 2))
    steps = " ".join(assemble(erisa, today=date(2026, 11, 23)).next_steps)
    assert "The last day to ask is 31 Mar 2027." in steps  # ERISA: 180 days from the denial
    unknown = case(plan_type="erisa", urgency="standard", denial_received=None)
    assert "We will tell you the deadline" in " ".join(assemble(unknown).next_steps)
