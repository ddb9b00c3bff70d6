"""The kinds of clinical fact a case is built from, and how a typed-in fact is checked.

`clean` turns the strings of a form into typed values and per-field messages; it never
drops what was typed, so a refused form can be shown again as the user left it.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.domain import dates, outcomes
from app.domain.vocabulary import Choice


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = "text"  # text | longtext | partial_date | choice | score
    required: bool = False
    choices: tuple[Choice, ...] = ()
    hint: str = ""


@dataclass(frozen=True)
class FactKind:
    value: str
    label: str
    fields: tuple[Field, ...]


TREATMENT_OUTCOMES = (
    Choice("ineffective", "Ineffective"),
    Choice("intolerant", "Intolerant"),
    Choice("contraindicated", "Contraindicated"),
    Choice("partial", "Partial response"),
)
FINDING_TYPES = (Choice("exam", "Exam"), Choice("lab", "Lab"), Choice("imaging", "Imaging"))
INSTRUMENT_CHOICES = tuple(Choice(i.code, i.name) for i in outcomes.INSTRUMENTS)

_WHEN = Field("fact_date", "Date", "partial_date", hint="2026-09-12, or 2026-09 for a month")

FACT_KINDS = (
    FactKind("history", "History", (Field("text", "History", "longtext", True), _WHEN)),
    FactKind(
        "diagnosis",
        "Diagnosis and severity",
        (
            Field("text", "Diagnosis", "text", True),
            Field("severity", "Severity", hint="e.g. high disease activity, erosive"),
            Field("fact_date", "Since", "partial_date", hint="2023, or 2023-04"),
        ),
    ),
    FactKind(
        "prior_treatment",
        "Prior treatment",
        (
            Field("therapy", "Therapy", required=True, hint="drug, procedure or programme"),
            Field("dose", "Dose", hint="e.g. 15 → 25 mg weekly"),
            Field("start_date", "Started", "partial_date", hint="2024-01"),
            Field("stop_date", "Stopped", "partial_date", hint="2024-09"),
            Field("outcome", "Outcome", "choice", True, TREATMENT_OUTCOMES),
            Field("reason_stopped", "Reason stopped"),
            Field("text", "Notes", "longtext"),
        ),
    ),
    FactKind(
        "current_treatment",
        "Current therapy",
        (
            Field("therapy", "Therapy", required=True, hint="what the patient is on now"),
            Field("dose", "Dose"),
            Field("start_date", "Since", "partial_date", hint="2026-03"),
            Field("text", "Response on it", "longtext", hint="e.g. stable, CDAI 8 (remission)"),
        ),
    ),
    FactKind(
        "contraindication",
        "Contraindication",
        (
            Field("text", "Contraindication", "longtext", True),
            _WHEN,
        ),
    ),
    FactKind(
        "finding",
        "Exam, lab or imaging finding",
        (
            Field("finding_type", "Type", "choice", True, FINDING_TYPES),
            Field("text", "Finding", "longtext", True),
            Field("fact_date", "Date", "partial_date", True, hint="2026-10-20"),
        ),
    ),
    FactKind(
        "pro",
        "Patient-reported outcome",
        (
            Field("instrument", "Instrument", "choice", True, INSTRUMENT_CHOICES),
            Field("score", "Score", "score", True),
            Field("fact_date", "Date", "partial_date", True, hint="2026-09-12"),
            Field("text", "Comment", "longtext"),
        ),
    ),
    FactKind(
        "functional_impact",
        "Functional impact",
        (Field("text", "Functional impact", "longtext", True),),
    ),
    FactKind("goal", "Patient goals", (Field("text", "Goal", "longtext", True),)),
)

_KINDS = {k.value: k for k in FACT_KINDS}
FACT_COLUMNS = sorted({f.name for k in FACT_KINDS for f in k.fields})
# The most characters a short text field holds (its column's size).
LIMITS = {"severity": 200, "therapy": 200, "dose": 200, "reason_stopped": 300}


def kind(value: str | None) -> FactKind | None:
    """The fact kind with this value, or None."""
    return _KINDS.get(value or "")


def clean(fact_kind: FactKind, form: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """Typed values for every column of a fact, and a message per refused field."""
    values: dict[str, Any] = dict.fromkeys(FACT_COLUMNS)
    errors: dict[str, str] = {}
    for field in fact_kind.fields:
        raw = (form.get(field.name) or "").strip()
        if not raw:
            if field.required:
                errors[field.name] = f"{field.label} is required."
            continue
        try:
            values[field.name] = _convert(field, raw)
        except ValueError as exc:
            errors[field.name] = str(exc)
    start, stop = values.get("start_date"), values.get("stop_date")
    if start and stop and stop < start:
        errors["stop_date"] = "The stop date is before the start date."
    if values.get("score") is not None and values.get("instrument") and "score" not in errors:
        try:
            outcomes.instrument(values["instrument"]).band(values["score"])
        except ValueError as exc:
            errors["score"] = str(exc)
    return values, errors


def _convert(field: Field, raw: str) -> Any:
    if len(raw) > LIMITS.get(field.name, len(raw)):
        raise ValueError(f"At most {LIMITS[field.name]} characters (this has {len(raw)}).")
    if field.kind == "partial_date":
        return dates.entered_partial(raw)
    if field.kind == "choice":
        if raw not in {c.value for c in field.choices}:
            raise ValueError(f"Choose one of the listed {field.label.lower()} options.")
        return raw
    if field.kind == "score":
        try:
            return float(raw)
        except ValueError:
            raise ValueError(f"“{raw}” is not a number.") from None
    return raw


def band(instrument_code: str | None, score: float | None) -> str:
    """The severity band of a recorded score, or "" when it cannot be computed."""
    instrument = outcomes.instrument(instrument_code)
    if instrument is None or score is None:
        return ""
    try:
        return instrument.band(score)
    except ValueError:
        return ""


_LABELS = {c.value: c.label for c in TREATMENT_OUTCOMES + FINDING_TYPES}


def summary(fact: Any) -> str:
    """One line that says the fact in the chart's words, e.g. for the letter or a list."""
    label = _LABELS
    if fact.kind == "prior_treatment":
        span = " – ".join(dates.show(d) for d in (fact.start_date, fact.stop_date) if d)
        head = ", ".join(p for p in (fact.therapy, fact.dose, span) if p)
        tail = label.get(fact.outcome, "")
        if fact.reason_stopped:
            tail = f"{tail}: {fact.reason_stopped}" if tail else fact.reason_stopped
        return f"{head} — {tail}" if tail else head
    if fact.kind == "pro":
        instrument = outcomes.instrument(fact.instrument)
        name = instrument.name if instrument else fact.instrument
        score = f"{outcomes.fmt(fact.score)}{instrument.unit if instrument else ''}"
        text = f"{name} {score} ({band(fact.instrument, fact.score)})"
        return f"{text}, {dates.show(fact.fact_date)}" if fact.fact_date else text
    text = fact.text or ""
    if fact.kind == "finding" and fact.finding_type:
        text = f"{label[fact.finding_type]}: {text}"
    if fact.kind == "diagnosis" and fact.severity:
        text = f"{text} — {fact.severity}"
    return f"{text} ({dates.show(fact.fact_date)})" if fact.fact_date else text
