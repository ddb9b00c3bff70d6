"""The default rebuttal bank: objections a payer's reviewer raises on a P2P call, by denial
category, and what the clinician can say back.

A team starts from `DEFAULT_REBUTTALS` and edits its own copy. Each rebuttal is in the
clinician's voice and asserts only what the case holds: it states what it NEEDS from the
case (`NEEDS`), it appears on the talking points only when the case has all of it, and its
placeholders are filled with the case's own facts and claims. A rebuttal written as a
question or an offer needs nothing.

Placeholders, filled from the case (`values_of`), each also a need of the rebuttal using it:

- {patient}: the patient as the clinician refers to them ("Ms. Quintero")
- {service}: what to approve, from the structured ask
- {prior_treatments}: the prior trials, each with its outcome
- {contraindication}: the documented contraindication(s)
- {current_therapy}: the therapy the patient is on now, as the chart records it
- {criteria_set}: the criteria the payer applied (policy number, InterQual, MCG, NCD/LCD)
- {guideline}: the guideline or consensus statement relied on, named ("the 2021 American
  College of Rheumatology guideline")
- {regulatory}: the claim stating the regulatory status (FDA approval, clearance, labeling)
- {compendium}: the claim stating a compendium listing (an off-label use)
- {trial}: the pivotal trial's result, as the claim states it
- {durability}: the long-term follow-up, as the claim states it
- {score}: the latest dated functional or disease-activity score
- {findings}: the dated examination, laboratory and imaging findings
- {enclosed}: the records enclosed as the ones the denial asked for
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

PLACEHOLDERS = (
    "patient",
    "service",
    "prior_treatments",
    "contraindication",
    "current_therapy",
    "criteria_set",
    "guideline",
    "regulatory",
    "compendium",
    "trial",
    "durability",
    "score",
    "findings",
    "enclosed",
)
# What a rebuttal may need beyond its placeholders (the team edits these too).
NEEDS = {
    **{p: p.replace("_", " ") for p in PLACEHOLDERS},
    "guideline_grade": "a guideline with its grade",
}


@dataclass(frozen=True)
class Rebuttal:
    category: str  # a DENIAL_CATEGORIES value
    objection: str  # what the reviewer says
    rebuttal: str  # what the clinician says back, with placeholders
    needs: tuple[str, ...] = field(default=())  # beyond its placeholders


def needs_of(text: str, extra: Iterable[str] | None = ()) -> list[str]:
    """What a rebuttal needs from the case: each placeholder it uses, and its extra needs
    (patient and service are always known)."""
    used = [m for m in _PLACEHOLDER.findall(text) if m in NEEDS]
    wanted = dict.fromkeys([*used, *(extra or ())])
    return [n for n in wanted if n in NEEDS and n not in ("patient", "service")]


def applies(text: str, extra: Iterable[str] | None, values: Mapping[str, str | None]) -> bool:
    """True when the case holds everything the rebuttal needs."""
    return all((values.get(n) or "").strip() for n in needs_of(text, extra))


def _bank(category: str, *pairs: tuple[str, str]) -> tuple[Rebuttal, ...]:
    return tuple(Rebuttal(category, objection, rebuttal) for objection, rebuttal in pairs)


_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")


DEFAULT_REBUTTALS: tuple[Rebuttal, ...] = (
    *_bank(
        "not_medically_necessary",
        (
            "The documentation does not show the patient meets our criteria.",
            "Which element of {criteria_set} do you see as unmet? I can take you through each "
            "one against {patient}'s chart, with the date and the objective finding for every "
            "element, including {score}.",
        ),
        (
            "Conservative treatment should be tried first.",
            "{patient} has already had {prior_treatments}, with the dates and responses "
            "documented; the latest score is {score}. The basis for {service} at this point is "
            "{guideline}.",
        ),
        (
            "Imaging is not indicated before six weeks of conservative care.",
            "The findings are dated: {findings}. A progressive neurological deficit is a red "
            "flag under {guideline}, and imaging then does not wait out conservative care.",
        ),
    ),
    *_bank(
        "experimental",
        (
            "This use is experimental or investigational under our policy.",
            "{regulatory} Which part of the policy treats this use as investigational, and what "
            "is its date?",
        ),
        (
            "The evidence is not strong enough.",
            "{trial} The trial and its results are cited in the letter. If your policy sets a "
            "different bar, please name the document so I can answer it directly.",
        ),
        (
            "Long-term outcomes are not established.",
            "{durability} The follow-up is cited in the letter.",
        ),
        (
            "No guideline supports this use.",
            "This use is addressed by {guideline}; the recommendation is cited in the letter "
            "with its grade.",
        ),
        (
            "This is off-label.",
            "{compendium} An off-label use supported by a recognized compendium is a medically "
            "accepted indication under Medicare rules and many plan policies; please note the "
            "listing in the review.",
        ),
    ),
    *_bank(
        "step_therapy",
        (
            "The member has not tried and failed the required drugs.",
            "{patient} has tried {prior_treatments}, each documented with dose, dates, outcome "
            "and why it was stopped. Which of those do you count as not meeting the step?",
        ),
        (
            "Please have the patient try the preferred drug first.",
            "The chart documents a contraindication: {contraindication}. I'm asking you to apply "
            "the step-therapy exception for a contraindicated drug.",
        ),
        (
            "The prior trial was not long enough.",
            "The record gives each trial's dates and why it ended: {prior_treatments}. Which "
            "trial do you count as too short, and against what duration in the policy?",
        ),
        (
            "The patient should switch to the preferred product.",
            "{patient} is on {current_therapy}, as the chart records. Many state step-therapy "
            "laws provide an exception for a patient stable on a drug; I'm requesting it.",
        ),
    ),
    *_bank(
        "insufficient_documentation",
        (
            "We did not receive records supporting the request.",
            "I'll send them today with an itemized list of enclosures. Can you tell me which "
            "document was missing and where to send it so it is attached to this reference "
            "number?",
        ),
        (
            "The notes do not document the required findings.",
            "They are in the chart, and I can read you the entry and its date now. Please note "
            "on this call that the information was provided and review the request on it.",
        ),
        (
            "The required test or procedure results were not submitted.",
            "The records are enclosed: {enclosed}. Please review the request against "
            "{criteria_set} with them.",
        ),
    ),
    *_bank(
        "no_prior_auth",
        (
            "No authorization was requested before the service.",
            "Please check your records for our request and its date before treating the "
            "authorization as missing; I can send the confirmation we hold.",
        ),
        (
            "Retroactive authorization is not allowed.",
            "I'm asking for a retrospective review of {service} on the clinical facts under "
            "your urgent-care and retro-authorization provisions. What do they require?",
        ),
        (
            "The authorization on file was for a different code or date.",
            "The service delivered is the one we requested; only the detail on file differs. "
            "I'll send the corrected detail so the authorization can be updated rather than the "
            "claim denied.",
        ),
    ),
    *_bank(
        "out_of_network",
        (
            "There are in-network providers for this service.",
            "Which in-network clinician with this expertise can see {patient}, and how soon? If "
            "none can within a reasonable distance or wait, I'm requesting a network-gap "
            "exception so this care is covered at the in-network level.",
        ),
        (
            "The in-network wait time is acceptable.",
            "What is the earliest in-network appointment you can confirm? I can give you the "
            "clinical reason the wait matters for {patient}.",
        ),
        (
            "The patient should transfer to an in-network specialist.",
            "{patient} is in the middle of treatment with our team, and a transfer now would "
            "interrupt it. I'm asking you to apply your continuity-of-care provision.",
        ),
    ),
    *_bank(
        "site_of_care",
        (
            "This can be given at home or in a lower-cost infusion center.",
            "The chart documents why a lower-cost site is not safe for {patient}: "
            "{contraindication}. This setting provides the monitoring that risk calls for.",
        ),
        (
            "Most patients receive this at a lower-cost site without problems.",
            "Does the site-of-care policy have an exception for patients who need closer "
            "monitoring? {patient}'s record documents {contraindication}.",
        ),
        (
            "Could later doses move to a lower-cost site?",
            "I'll reassess once {patient} has had the first doses here. For now I'm asking for "
            "approval at this site.",
        ),
    ),
    *_bank(
        "level_of_care",
        (
            "This stay meets observation criteria, not inpatient.",
            "Which element of {criteria_set} did you find unmet, so we can look at the same "
            "page? I can read you the admission note against it.",
        ),
        (
            "The stay does not qualify as inpatient for this Medicare Advantage member.",
            "The two-midnight rule applies to Medicare Advantage: the standard is the expectation "
            "at admission, not the eventual length of stay. I can read you the admission note "
            "that records it.",
        ),
        (
            "The patient could have been managed at a lower level of care.",
            "Which element of {criteria_set} would the lower level have met? I can list the "
            "orders and nursing notes for {patient} with their times.",
        ),
    ),
    *_bank(
        "quantity_limit",
        (
            "The requested quantity exceeds our limit.",
            "{regulatory} I'm asking for a quantity-limit exception on that basis.",
        ),
        (
            "A lower dose should be tried.",
            "{patient} has had {prior_treatments}, as documented. Which dose does the policy "
            "require first, and on what source?",
        ),
        (
            "The dosing frequency is more than the plan allows.",
            "{trial} I'm asking for the interval requested on that basis.",
        ),
    ),
    *_bank(
        "coding_error",
        (
            "The code billed does not match the service.",
            "Thank you for catching that. I'll submit the corrected code today; can the review "
            "continue on the corrected code rather than start over?",
        ),
        (
            "The diagnosis does not support the procedure.",
            "I'll send the corrected ICD-10-CM code for {service}; can the review continue on it "
            "rather than start over?",
        ),
        (
            "A required modifier is missing.",
            "The modifier was left off; I'll resubmit with it. The service itself and its "
            "documentation are unchanged.",
        ),
    ),
    *_bank(
        "not_covered",
        (
            "This service is excluded under the member's benefit plan.",
            "Please point me to the section of the plan document that excludes {service}. If "
            "the language is ambiguous, I'd ask that it be read in the member's favour.",
        ),
        (
            "It is a benefit exclusion, so medical necessity does not apply.",
            "Understood that this is a contract question. A state mandate may still require "
            "coverage of {service}; please check whether one applies, and send the exclusion "
            "language in writing so {patient} can take it to the next level of review.",
        ),
    ),
)


def for_category(category: str) -> list[Rebuttal]:
    """The default rebuttals for a denial category value, in bank order; [] if none."""
    return [r for r in DEFAULT_REBUTTALS if r.category == category]


def fill(text: str, values: Mapping[str, str | None]) -> str:
    """`text` with each {name} replaced by `values[name]`; never raises.

    Any {name} with no value (missing, None or blank) stays visible as "[name with spaces]",
    e.g. "[prior treatments]", so the clinician sees what to complete. Values are inserted
    as given, so braces inside a value are not expanded again. Other braces, such as a
    {cite:ID} marker, are left alone.
    """

    def replace(match: re.Match[str]) -> str:
        value = values.get(match.group(1))
        if value is None or not str(value).strip():
            return "[" + match.group(1).replace("_", " ") + "]"
        return str(value).strip()

    return _PLACEHOLDER.sub(replace, text)


def values_of(case: Any, style: str = "dmy") -> dict[str, str]:
    """The placeholders' values for `case`, each from what the case holds ("" when it holds
    nothing for it, so the rebuttals needing it stay off the page)."""
    from app.domain.brief import approval, enclosures
    from app.domain.prose import Patient, Writer, clause, joined, lower_first, sentence

    patient = Patient.of(case)
    patient._named = True  # on the call the patient is "Ms. Quintero" from the start
    w = Writer(patient, style)
    facts = [f for f in case.facts if f.in_letter]
    of = {kind: [f for f in facts if f.kind == kind] for kind in {f.kind for f in facts}}
    tried = [f for f in of.get("prior_treatment", []) if f.outcome != "contraindicated"]
    against = [f for f in of.get("prior_treatment", []) if f.outcome == "contraindicated"]
    claims = {}
    for link in case.citations:
        claims.setdefault(getattr(link, "kind", "") or "trial", []).append(sentence(link.claim))
    guideline = [
        guideline_name(link.citation)
        for link in case.citations
        if getattr(link, "kind", "") in ("guideline", "consensus")
    ]
    scores = sorted(of.get("pro", []), key=lambda f: f.fact_date or "")
    findings = [f for f in of.get("finding", []) if f.fact_date]
    answering = [d for d in case.documents if getattr(d, "answers_denial", False)]
    return {
        "patient": patient.short,
        "service": approval(case) or clause(case.drug_name),
        "prior_treatments": joined([trial_brief(w, f) for f in tried]),
        "contraindication": joined(
            [lower_first(w.said(f)) for f in of.get("contraindication", [])]
            + [w.trial(f) for f in against]
        ),
        "current_therapy": joined([_current_brief(w, f) for f in of.get("current_treatment", [])]),
        "criteria_set": clause(case.criteria_detail),
        "guideline": " ".join(guideline[:1]),
        "guideline_grade": " ".join(guideline[:1])
        if any(
            (link.citation.grade or "").strip()
            for link in case.citations
            if getattr(link, "kind", "") in ("guideline", "consensus")
        )
        else "",
        "regulatory": " ".join([*claims.get("regulatory", []), *claims.get("label", [])][:1]),
        "compendium": " ".join(claims.get("compendium", [])[:1]),
        "trial": " ".join(claims.get("trial", [])[:1]),
        "durability": " ".join(claims.get("durability", [])[:1]),
        "score": score_phrase(w, scores[-1]) if scores else "",
        "findings": "; ".join(w.finding(f) for f in findings),
        "enclosed": joined(enclosures(answering, style)),
    }


def trial_brief(w: Any, f: Any, why: bool = False) -> str:
    """A prior trial as said on the phone: "methotrexate (not tolerated)"; `why` adds the
    reason it was stopped."""
    from app.domain.prose import clause, lower_first

    what = lower_first(clause(f.therapy))
    outcome = {
        "ineffective": "ineffective",
        "intolerant": "not tolerated",
        "partial": "partial response",
    }
    reason = lower_first(clause(f.reason_stopped)) if why else ""
    tail = ", ".join(p for p in (outcome.get(f.outcome or "", ""), reason) if p)
    return f"{what} ({tail})" if tail else what


def _current_brief(w: Any, f: Any) -> str:
    from app.domain.prose import clause, lower_first

    what = " ".join(p for p in (lower_first(clause(f.therapy)), clause(f.dose)) if p)
    since = f" since {w.day(f.start_date)}" if f.start_date else ""
    note = f", {lower_first(clause(f.text))}" if f.text else ""
    return f"{what}{since}{note}"


def score_phrase(w: Any, f: Any) -> str:
    """A dated score as a noun phrase: "CDAI 31 on 12 Sep 2026, in the high activity range"."""
    from app.domain import facts as fact_domain
    from app.domain.outcomes import fmt, instrument

    item = instrument(f.instrument)
    if item is None:
        return ""
    band = fact_domain.band(f.instrument, f.score)
    on = f" on {w.day(f.fact_date)}" if f.fact_date else ""
    return f"{item.name} {fmt(f.score)}{item.unit}{on}{f', in the {band} range' if band else ''}"


def guideline_name(citation: Any) -> str:
    """A guideline as said mid-sentence: "the 2021 American College of Rheumatology
    guideline"; the first author's when no issuer is recorded."""
    issuer = (citation.issuer or "").strip()
    year = f"{citation.year} " if citation.year else ""
    if issuer:
        return f"the {year}{issuer} guideline"
    author = citation.authors[0].split()[0] if citation.authors else ""
    return f"the {year}guideline by {author} et al" if author else f"the {year}guideline"
