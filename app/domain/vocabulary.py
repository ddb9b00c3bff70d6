"""The fixed vocabularies of a case: plan types, statuses, denial categories, criteria sets.

Denial categories and their typical X12 claim adjustment reason codes (CARC) follow the
"Denial categories and what answers them" table of DOMAIN.md.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class DenialCategory:
    value: str
    label: str
    carc: str
    clinical: bool
    answer: str  # what the clinician brings against it


PLAN_TYPES = (
    Choice("commercial", "Commercial, fully insured"),
    Choice("erisa", "ERISA self-funded employer plan"),
    Choice("medicare_advantage", "Medicare Advantage"),
    Choice("medicaid_mco", "Medicaid managed care"),
    Choice("aca", "ACA marketplace"),
    Choice("other", "Other"),
)

STATUSES = (
    Choice("draft", "Draft"),
    Choice("p2p_scheduled", "P2P scheduled"),
    Choice("p2p_done", "P2P done"),
    Choice("appeal", "Appeal"),
    Choice("external_review", "External review"),
    Choice("approved", "Approved"),
    Choice("upheld", "Upheld"),
    Choice("closed", "Closed"),
)
OPEN_STATUSES = frozenset({"draft", "p2p_scheduled", "p2p_done", "appeal", "external_review"})

# How the letters refer to the patient (app.domain.prose.Patient).
SEXES = (Choice("female", "Female"), Choice("male", "Male"), Choice("other", "Other / not said"))
TITLES = (Choice("Ms.", "Ms."), Choice("Mr.", "Mr."), Choice("Mrs.", "Mrs."), Choice("Mx.", "Mx."))
PRONOUNS = (Choice("she", "she / her"), Choice("he", "he / him"), Choice("they", "they / them"))

URGENCIES = (Choice("standard", "Standard"), Choice("expedited", "Expedited"))

CRITERIA_SETS = (
    Choice("policy", "Plan medical or pharmacy policy"),
    Choice("interqual", "InterQual"),
    Choice("mcg", "MCG"),
    Choice("ncd_lcd", "NCD / LCD (Medicare)"),
    Choice("unknown", "Unknown"),
)

DENIAL_CATEGORIES = (
    DenialCategory(
        "not_medically_necessary",
        "Not medically necessary",
        "50",
        True,
        "The payer's own criteria mapped point by point to chart facts; objective data; "
        "a guideline with its grade; functional scores.",
    ),
    DenialCategory(
        "experimental",
        "Experimental / investigational",
        "55, 56",
        True,
        "FDA label or compendia listing; guideline listing (e.g. NCCN category); "
        "phase III evidence.",
    ),
    DenialCategory(
        "step_therapy",
        "Step therapy / fail-first not met",
        "plan-specific",
        True,
        "Each prior trial: drug, dose, dates, duration, outcome, reason stopped; "
        "contraindications; stability on current therapy.",
    ),
    DenialCategory(
        "insufficient_documentation",
        "Insufficient documentation",
        "16, 252",
        False,
        "The missing records and an itemized list of enclosures.",
    ),
    DenialCategory(
        "no_prior_auth",
        "Prior authorization not obtained",
        "197, 198, 15",
        False,
        "Proof of request, urgency, retro-authorization rules.",
    ),
    DenialCategory(
        "out_of_network",
        "Out of network",
        "242, 38",
        False,
        "Network-gap exception: no in-network clinician with the expertise within reasonable "
        "distance or wait.",
    ),
    DenialCategory(
        "site_of_care",
        "Site of care",
        "58",
        True,
        "Why the cheaper site is unsafe: infusion risk, monitoring, immediate hospital resources.",
    ),
    DenialCategory(
        "level_of_care",
        "Level of care",
        "plan-specific",
        True,
        "The exact InterQual/MCG element met; two-midnight rule for Medicare Advantage.",
    ),
    DenialCategory(
        "quantity_limit",
        "Quantity / frequency / dose",
        "119, 151, 153",
        True,
        "Label or literature dosing justification.",
    ),
    DenialCategory(
        "coding_error",
        "Coding error",
        "4, 11, 16",
        False,
        "Corrected code or modifier, diagnosis-procedure link.",
    ),
    DenialCategory(
        "not_covered",
        "Not a covered benefit",
        "96, 204",
        False,
        "Plan document language, state mandates (rarely overturned).",
    ),
)

_CATEGORIES = {c.value: c for c in DENIAL_CATEGORIES}


def category(value: str | None) -> DenialCategory | None:
    """The denial category with this value, or None."""
    return _CATEGORIES.get(value or "")


def label(choices: tuple[Choice, ...] | tuple[DenialCategory, ...], value: str | None) -> str:
    """The human label of `value` among `choices`; the value itself when unknown."""
    return next((c.label for c in choices if c.value == value), value or "")


def values(choices) -> frozenset[str]:
    return frozenset(c.value for c in choices)
