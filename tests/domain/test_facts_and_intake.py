from datetime import date
from types import SimpleNamespace

from app.domain import dates, facts, intake, progress


def test_prior_treatment_is_checked_and_typed():
    values, errors = facts.clean(
        facts.kind("prior_treatment"),
        {
            "therapy": "Methotrexate",
            "dose": "15 → 25 mg weekly",
            "start_date": "2024-1",
            "stop_date": "2024-09",
            "outcome": "intolerant",
            "reason_stopped": "ALT 3.4× ULN",
        },
    )
    assert errors == {}
    assert values["start_date"] == "2024-01" and values["outcome"] == "intolerant"
    fact = SimpleNamespace(kind="prior_treatment", **values)
    assert facts.summary(fact) == (
        "Methotrexate, 15 → 25 mg weekly, Jan 2024 – Sep 2024 — Intolerant: ALT 3.4× ULN"
    )


def test_stop_before_start_and_missing_outcome_are_refused():
    _, errors = facts.clean(
        facts.kind("prior_treatment"),
        {
            "therapy": "Leflunomide",
            "start_date": "2025-08",
            "stop_date": "2025-01",
        },
    )
    assert set(errors) == {"stop_date", "outcome"}


def test_pro_score_out_of_range_names_the_range():
    _, errors = facts.clean(
        facts.kind("pro"),
        {
            "instrument": "phq9",
            "score": "31",
            "fact_date": "2026-09-12",
        },
    )
    assert errors == {"score": "A PHQ-9 score runs from 0 to 27; 31 is outside that range."}


def test_pro_summary_shows_the_band_and_date():
    values, _ = facts.clean(
        facts.kind("pro"),
        {
            "instrument": "cdai",
            "score": "31",
            "fact_date": "2026-09-12",
        },
    )
    assert facts.summary(SimpleNamespace(kind="pro", **values)) == (
        "CDAI 31 (high activity), 12 Sep 2026"
    )


def test_partial_dates():
    assert dates.partial_date("2025") == "2025"
    assert dates.show("2025-08") == "Aug 2025"
    for bad in ("2025-13", "08/2025", "2025-02-30"):
        try:
            dates.partial_date(bad)
        except ValueError as exc:
            assert bad in str(exc)
        else:
            raise AssertionError(bad)


def _form(**over):
    form = dict(
        patient_name="Marisol Quintero",
        patient_dob="1980-03-14",
        payer="Keystone",
        plan_type="erisa",
        service_description="Adalimumab",
        procedure_codes="J0135",
        diagnosis_codes="M0579",
        urgency="standard",
        denial_category="step_therapy",
        denial_reason="Step therapy requirement not met.",
    )
    form.update(over)
    return form


def test_intake_types_values_and_normalises_codes():
    values, errors = intake.clean(_form())
    assert errors == {}
    assert values["patient_dob"] == date(1980, 3, 14)
    assert values["diagnosis_codes"] == "M05.79"


def test_intake_keeps_what_was_typed_when_refusing():
    values, errors = intake.clean(_form(procedure_codes="7214 J0135", denial_reason=""))
    assert "7214" in errors["procedure_codes"]
    assert values["procedure_codes"] == "7214 J0135"
    assert "word for word" in errors["denial_reason"]


def test_missing_written_reason_is_allowed_and_becomes_the_first_todo():
    values, errors = intake.clean(_form(denial_reason="", denial_reason_missing="on"))
    assert errors == {}
    case = SimpleNamespace(**{**values, "status": "draft"})
    assert progress.next_action(case, ["history"]) == "Request the denial reason in writing"


def test_step_therapy_without_prior_treatments_asks_for_them():
    case = SimpleNamespace(
        status="draft", denial_reason_missing=False, denial_category="step_therapy"
    )
    assert progress.next_action(case, ["history"]) == "Record each prior treatment"
    assert progress.next_action(case, ["prior_treatment"]) == (
        "Prepare the brief and request the P2P"
    )
