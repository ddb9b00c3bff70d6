"""How each denial category is argued: the plan a letter follows, as data a team can read.

The plans follow DOMAIN.md, "How each denial is argued": a letter quotes the payer's reason,
says in one sentence why it does not hold, then proves it in the order the category calls
for. Each step names what in the case it draws on; a step with nothing to draw on is left
out of the letter, and its `missing` text is what the readiness check says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.domain.vocabulary import Choice

CLAIM_KINDS = (
    Choice("regulatory", "Regulatory action (FDA approval, clearance or De Novo grant)"),
    Choice("label", "FDA-approved labeling"),
    Choice("compendium", "Compendium listing"),
    Choice("trial", "Trial result"),
    Choice("durability", "Long-term follow-up"),
    Choice("guideline", "Guideline recommendation"),
    Choice("consensus", "Consensus statement"),
    Choice("other", "Other evidence"),
)
CLAIM_KIND_VALUES = frozenset(c.value for c in CLAIM_KINDS)


@dataclass(frozen=True)
class Step:
    key: str
    argues: str  # what the step shows, as the team reads the plan
    draws_on: str  # what in the case it is built from
    missing: str = ""  # the readiness message when the case holds nothing for it
    kinds: tuple[str, ...] = ()  # the claim kinds it cites
    answers: str = ""  # the payer's words it answers (a regular expression)
    gist: str = ""  # the step in a few words, for the sentence that says why the denial fails


@dataclass(frozen=True)
class Plan:
    category: str
    heading: str  # the heading of the letter's argument
    steps: tuple[Step, ...]


REGULATORY = Step(
    "regulatory",
    "Regulatory status for this indication: a device's PMA approval, 510(k) clearance or De "
    "Novo grant, with its number; a drug's FDA-approved labeling or, off label, its listing "
    "in a recognized compendium.",
    "claims of kind regulatory action, labeling or compendium listing",
    "No claim states the regulatory status of this use (the FDA approval, clearance or grant "
    "and its number; the labeling; or the compendium listing): add it as a claim with its "
    "citation.",
    ("regulatory", "label", "compendium"),
    r"\bFDA\b|approv|label|compendi|investigational|experimental|unproven",
    "the regulatory status of this use",
)
TRIALS = Step(
    "trials",
    "The pivotal trial or trials: design, size and effect (responders, absolute difference).",
    "claims of kind trial result",
    "No trial result is among the claims: add the pivotal trial's result with its citation.",
    ("trial",),
    r"evidence|stud(?:y|ies)|trials?\b|proven|efficacy|effective",
    "the trial results",
)
DURABILITY = Step(
    "durability",
    "Durability: how long the benefit held.",
    "claims of kind long-term follow-up",
    "No long-term follow-up is among the claims: add the durability data with its citation.",
    ("durability",),
    r"long[- ]term|durab|sustain|follow[- ]up|outcomes? (?:are|is|have|has) not (?:been )?"
    r"established",
    "the long-term follow-up",
)
GUIDELINE = Step(
    "guideline",
    "The guideline or society position, with its grade.",
    "claims of kind guideline recommendation or consensus statement",
    "No guideline or consensus statement is among the claims: add the recommendation with "
    "its grade.",
    ("guideline", "consensus"),
    r"guideline|standard of care|consensus|recommend",
    "the guideline's position",
)
CRITERIA = Step(
    "criteria",
    "The payer's criteria one by one, each met with the dated fact that shows it.",
    "criteria with their linked facts, claims and citations",
    "No criterion is mapped to a fact: paste the payer's criteria and link the facts that "
    "meet each one.",
    answers=r"criteria|not (?:been )?met|does not meet|not medically necessary|necessity",
    gist="how each of the plan's criteria is met",
)
POPULATION = Step(
    "population",
    "This patient matches the studied population: the payer's criteria, each met with the "
    "dated fact that shows it.",
    CRITERIA.draws_on,
    CRITERIA.missing,
    gist="how the patient matches the population studied",
)
RULE = Step(
    "rule",
    "The plan's step rule, quoted from the criterion that states it.",
    "a criterion that states the step rule (try, trial, fail, preferred)",
    answers=r"tr(?:y|ied|ial)|fail|step",
    gist="the prior trials, each with its dates and outcome",
)
PRIOR_TRIALS = Step(
    "prior_trials",
    "Each required step against the record: drug, dose, dates, duration, outcome and the "
    "reason it was stopped.",
    "prior treatments",
    "",  # the readiness check's step-no-trials says it
    answers=r"tr(?:y|ied|ial)|fail|step",
    gist="the prior trials, each with its dates and outcome",
)
EXCEPTIONS = Step(
    "exceptions",
    "Each contraindicated or expected-harmful step as an exception, with the documented reason.",
    "contraindications, and prior treatments recorded as contraindicated",
    gist="the documented contraindications",
)
STABILITY = Step(
    "stability",
    "Stability on current therapy, only when the chart records that the patient is on it.",
    "current therapy",
    gist="",
)
ENCLOSED = Step(
    "enclosed",
    "The record the payer named as missing, enclosed and itemized.",
    "source documents marked as the record the denial asked for",
    "No enclosed document is marked as the record the denial says was missing: mark it on "
    "the case's documents.",
    answers=r"not (?:been )?(?:submitted|received|provided|documented)|missing|insufficient",
    gist="the records the denial asked for, enclosed",
)
SHOWS = Step(
    "shows",
    "What the enclosed record shows.",
    "facts taken from the enclosed records",
    gist="",
)
UNSAFE = Step(
    "unsafe",
    "Why the other setting is unsafe or insufficient for this patient (monitoring, therapy "
    "intensity, physician supervision).",
    "the clinician's risks of the alternative, and the contraindications",
    "Say why the other setting is unsafe for this patient: write the risks of the "
    "alternative on the brief.",
    gist="why the other setting is unsafe for the patient",
)
EVIDENCE = Step(
    "evidence",
    "Every other claim, each introduced as the kind of source it is.",
    "claims not placed by an earlier step",
    gist="",
)


def _plan(category: str, heading: str, *steps: Step) -> Plan:
    return Plan(category, heading, steps)


PLANS = {
    p.category: p
    for p in (
        _plan(
            "experimental",
            "Why this is not investigational",
            REGULATORY,
            TRIALS,
            DURABILITY,
            GUIDELINE,
            POPULATION,
            EVIDENCE,
        ),
        _plan(
            "step_therapy",
            "The step-therapy requirement",
            RULE,
            PRIOR_TRIALS,
            EXCEPTIONS,
            STABILITY,
            GUIDELINE,
            CRITERIA,
            EVIDENCE,
        ),
        _plan(
            "not_medically_necessary",
            "Why this request meets the criteria",
            CRITERIA,
            GUIDELINE,
            EVIDENCE,
        ),
        _plan(
            "insufficient_documentation",
            "The records requested",
            ENCLOSED,
            SHOWS,
            CRITERIA,
            GUIDELINE,
            EVIDENCE,
        ),
        _plan("site_of_care", "Why this site of care", UNSAFE, CRITERIA, GUIDELINE, EVIDENCE),
        _plan("level_of_care", "Why this level of care", UNSAFE, CRITERIA, GUIDELINE, EVIDENCE),
        _plan(
            "out_of_network",
            "Why this clinician",
            CRITERIA,
            UNSAFE,
            GUIDELINE,
            EVIDENCE,
        ),
    )
}
GENERAL = _plan("", "Why this request should be approved", CRITERIA, GUIDELINE, EVIDENCE)
# The payer's words are matched to the most specific step first: "long-term outcomes are
# not established" is a durability question even in a denial that also says
# "investigational".
ANSWER_ORDER = ("durability", "enclosed", "rule", "prior_trials", "trials", "guideline")
ANSWER_ORDER += ("regulatory",)
ANSWER_ORDER += ("criteria",)


def plan_for(category: str | None) -> Plan:
    """The argument plan of a denial category; the general plan for the others."""
    return PLANS.get(category or "", GENERAL)


_CLAUSES = re.compile(r"[^.;]+")


def payer_clauses(reason: str) -> list[str]:
    """The denial's reason in clauses, as they can be quoted back one at a time."""
    return [
        " ".join(m.group().split()) for m in _CLAUSES.finditer(reason or "") if m.group().strip()
    ]


def answered(plan: Plan, reason: str, present: set[str]) -> dict[str, str]:
    """Which step answers which clause of the payer's words: {step key: clause}. Only steps
    the letter holds (`present`) answer, each clause once, the most specific step first."""
    clauses = payer_clauses(reason)
    taken: dict[str, str] = {}
    used: set[int] = set()
    steps = {s.key: s for s in plan.steps}
    if "population" in steps:
        steps["criteria"] = CRITERIA
    for key in ANSWER_ORDER:
        step = steps.get(key)
        if (
            step is None
            or not step.answers
            or key not in present
            and not (key == "criteria" and "population" in present)
        ):
            continue
        pattern = re.compile(step.answers, re.IGNORECASE)
        for i, text in enumerate(clauses):
            if i not in used and pattern.search(text):
                taken["population" if key == "criteria" and "population" in present else key] = text
                used.add(i)
                break
    return taken
