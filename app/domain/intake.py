"""Checking a case's intake form: patient, plan, requested service and the denial."""

from collections.abc import Mapping
from typing import Any

from app.domain import codes, dates
from app.domain.vocabulary import (
    CRITERIA_SETS,
    DENIAL_CATEGORIES,
    PLAN_TYPES,
    PRONOUNS,
    SEXES,
    STATUSES,
    TITLES,
    URGENCIES,
    values,
)

TEXT = (
    "patient_name",
    "mrn",
    "member_id",
    "group_number",
    "payer",
    "service_description",
    "drug_name",
    "drug_strength",
    "drug_quantity",
    "site_of_care",
    "denial_reference",
    "denial_reason",
    "criteria_detail",
)
DATES = ("patient_dob", "service_start", "service_end", "denial_received")
CHOICES = {
    "plan_type": values(PLAN_TYPES),
    "urgency": values(URGENCIES),
    "denial_category": values(DENIAL_CATEGORIES),
    "criteria_set": values(CRITERIA_SETS),
    "status": values(STATUSES),
    "patient_sex": values(SEXES),
    "patient_title": values(TITLES),
    "patient_pronouns": values(PRONOUNS),
}
# Choices kept as "" when not made (the column is a plain string, not nullable).
OPTIONAL_CHOICES = frozenset({"patient_sex", "patient_title", "patient_pronouns"})
REQUIRED = {
    "patient_name": "the patient's name",
    "patient_dob": "the date of birth",
    "payer": "the payer",
    "plan_type": "the plan type",
    "service_description": "the requested service",
    "denial_category": "the denial category",
    "urgency": "the urgency",
}
FIELDS = (
    TEXT + DATES + tuple(CHOICES) + ("procedure_codes", "diagnosis_codes", "denial_reason_missing")
)
# The most characters a field holds (its column's size); the others are free text.
LIMITS = {
    "patient_name": 200,
    "mrn": 64,
    "member_id": 64,
    "group_number": 64,
    "payer": 200,
    "drug_name": 200,
    "drug_strength": 100,
    "drug_quantity": 100,
    "site_of_care": 200,
    "denial_reference": 100,
    "criteria_detail": 300,
    "procedure_codes": 200,
    "diagnosis_codes": 200,
}


def clean(form: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """Typed case values and a message per refused field; what was typed is never dropped."""
    out: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name in TEXT:
        out[name] = (form.get(name) or "").strip()
    for name in DATES:
        raw = (form.get(name) or "").strip()
        out[name] = None
        if raw:
            try:
                out[name] = dates.full_date(raw)
            except ValueError as exc:
                errors[name] = str(exc)
    for name, allowed in CHOICES.items():
        raw = (form.get(name) or "").strip()
        out[name] = raw or ("" if name in OPTIONAL_CHOICES else None)
        if raw and raw not in allowed:
            errors[name] = "Choose one of the listed options."
    for name, parse in (
        ("procedure_codes", codes.procedure_codes),
        ("diagnosis_codes", codes.diagnosis_codes),
    ):
        raw = form.get(name) or ""
        try:
            out[name] = " ".join(parse(raw))
        except codes.CodeError as exc:
            out[name] = raw.strip()
            errors[name] = str(exc)
    for name, limit in LIMITS.items():
        if len(out[name]) > limit and name not in errors:
            errors[name] = f"At most {limit} characters (this has {len(out[name])})."
    out["denial_reason_missing"] = form.get("denial_reason_missing") in ("on", "1", "true", True)
    for name, what in REQUIRED.items():
        if not out.get(name) and name not in errors:
            errors[name] = f"Enter {what}."
    if not out["denial_reason"] and not out["denial_reason_missing"]:
        errors["denial_reason"] = (
            "Paste the denial reason word for word, or tick “not received in writing”."
        )
    start, end = out["service_start"], out["service_end"]
    if start and end and end < start:
        errors["service_end"] = "The last date of service is before the first."
    dob = out["patient_dob"]
    if dob and out["denial_received"] and dob > out["denial_received"]:
        errors["patient_dob"] = "The date of birth is after the denial date."
    return out, errors
