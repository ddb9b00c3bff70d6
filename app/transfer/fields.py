"""Which fields a case export carries, and the limits an import holds them to (the columns'
sizes and the forms' choices)."""

from app.domain import calls as call_domain
from app.domain import intake
from app.domain.arguments import CLAIM_KIND_VALUES
from app.domain.brief import CRITERION_STATUSES
from app.domain.vocabulary import PRONOUNS, SEXES, TITLES, values

# The case beyond the intake form: how the letters refer to the patient, the structured ask,
# the argument's thesis, framing and asks, and the path after the denial. A field the
# intake form comes to check itself is read by the intake's rules, not twice.
_CHOICE = {
    "patient_sex": values(SEXES),
    "patient_title": values(TITLES),
    "patient_pronouns": values(PRONOUNS),
    "appeal_outcome": values(call_domain.DECISIONS),
    "external_outcome": values(call_domain.DECISIONS),
}
_TEXT = {
    "requested_service": 300,
    "requested_quantity": 200,
    "requested_duration": 200,
    "thesis": None,
    "framing": None,
    "risks": None,
    "ask": None,
    "fallback_asks": None,
}
_DATES = (
    "request_received",
    "appeal_filed",
    "appeal_decided",
    "external_review_requested",
    "external_decided",
)
CASE_CHOICES = {k: v for k, v in _CHOICE.items() if k not in intake.FIELDS}
CASE_TEXT = {k: v for k, v in _TEXT.items() if k not in intake.FIELDS}
CASE_DATES = tuple(k for k in _DATES if k not in intake.FIELDS)
BRIEF_FIELDS = (*CASE_CHOICES, *CASE_TEXT, *CASE_DATES)
CASE_FIELDS = (*intake.FIELDS, *BRIEF_FIELDS)

SIGNER_FIELDS = ("email", "name", "credentials", "specialty", "npi")

CALL_DATES = ("offered_on", "request_by")
CALL_TIMES = ("scheduled_at", "held_at")
# Text fields of a call, with their column's size (None: free text).
CALL_TEXT = {
    "windows": None,
    "callback_number": 40,
    "reviewer_name": 200,
    "reviewer_credentials": 60,
    "reviewer_specialty": 120,
    "criteria_named": 300,
    "criteria_version": 100,
    "discussion": None,
    "reviewer_reason": None,
    "reference_number": 100,
    "would_change": None,
    "next_step": None,
    "reviewer_commitment": None,
}
CALL_OUTCOMES = values(call_domain.OUTCOMES)
ATTEMPT_RESULTS = values(call_domain.ATTEMPT_RESULTS)

STATUSES = frozenset(CRITERION_STATUSES)
CLAIM_KINDS = CLAIM_KIND_VALUES
PINPOINT = 300
REWRITE_KEY = 60
ATTEMPT_NOTE = 300
BIBTEX = 50_000  # one entry's BibTeX; a real one is a few kilobytes
