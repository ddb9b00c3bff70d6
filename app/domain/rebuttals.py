"""The default rebuttal bank: objections a payer's reviewer raises on a P2P call, by denial
category, and what the clinician can say back.

A team starts from `DEFAULT_REBUTTALS` and edits its own copy. Each rebuttal is in the
clinician's voice, one to three sentences, and answers the category with what DOMAIN.md says
answers it (criteria mapped to chart facts, prior trials, label and compendia, network gap,
site-of-care safety, the InterQual/MCG element, corrected codes, plan language).

Placeholders, filled from the case by `fill`:

- {patient}: the patient's name as the clinician refers to them on the call
- {service}: the requested drug, test or procedure
- {prior_treatments}: the prior trials, each with dose, dates and outcome
- {criteria_set}: the criteria the payer applied (policy number, InterQual, MCG, NCD/LCD)
- {guideline}: the guideline or compendium relied on, with its grade
- {score}: a dated functional or disease-activity score ("CDAI 31 on 12 Sep 2026")

A placeholder with no value stays visible as "[prior treatments]" so the gap shows on the
page instead of disappearing.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass

PLACEHOLDERS = ("patient", "service", "prior_treatments", "criteria_set", "guideline", "score")


@dataclass(frozen=True)
class Rebuttal:
    category: str  # a DENIAL_CATEGORIES value
    objection: str  # what the reviewer says
    rebuttal: str  # what the clinician says back, with placeholders


def _bank(category: str, *pairs: tuple[str, str]) -> tuple[Rebuttal, ...]:
    return tuple(Rebuttal(category, objection, rebuttal) for objection, rebuttal in pairs)


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
            "documented. {guideline} supports {service} at this point, and further delay "
            "prolongs a functional decline we have measured: {score}.",
        ),
        (
            "Imaging is not indicated before six weeks of conservative care.",
            "The six-week wait does not apply with a progressive neurological deficit, which "
            "{guideline} lists as a red flag. {patient}'s weakness is documented on two dates "
            "and is getting worse, so the result will change management now.",
        ),
    ),
    *_bank(
        "experimental",
        (
            "This use is experimental or investigational under our policy.",
            "For this indication {service} is listed in the FDA label or a recognized compendium, "
            "and {guideline} includes it. Which part of the policy treats a listed use as "
            "investigational, and what is its date?",
        ),
        (
            "The evidence is not strong enough.",
            "There is phase III evidence for this use, and {guideline} grades the "
            "recommendation; the trials and their results are cited in the letter. If your "
            "policy sets a different bar, please name the document so I can answer it directly.",
        ),
        (
            "This is off-label.",
            "An off-label use supported by a recognized compendium is a medically accepted "
            "indication under Medicare rules and many plan policies. The compendium listing "
            "for this use is in the packet; please note it in the review.",
        ),
    ),
    *_bank(
        "step_therapy",
        (
            "The member has not tried and failed the required drugs.",
            "{patient} has tried {prior_treatments}, each documented with dose, dates, duration, "
            "outcome and why it was stopped. Which of those do you count as not meeting the step?",
        ),
        (
            "Please have the patient try the preferred drug first.",
            "That drug is contraindicated for {patient} for the reason documented in the chart, "
            "so a trial would carry a known risk with little chance of benefit. I'm asking you "
            "to apply the step-therapy exception for a contraindicated drug.",
        ),
        (
            "The prior trial was not long enough.",
            "It was stopped early because of an adverse effect, not impatience; continuing it "
            "would have harmed {patient}. The dates and results that show this are in the record.",
        ),
        (
            "The patient should switch to the preferred product.",
            "{patient} is stable on {service}, and switching a stable patient risks losing "
            "disease control. Many state step-therapy laws provide an exception for exactly this; "
            "I'm requesting it.",
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
            "The procedures were done and the results recorded at the time; those records are "
            "enclosed now. With them, each element of {criteria_set} is met.",
        ),
    ),
    *_bank(
        "no_prior_auth",
        (
            "No authorization was requested before the service.",
            "A request was submitted, and the confirmation with its date is attached. Please "
            "check it against your records before treating the authorization as missing.",
        ),
        (
            "Retroactive authorization is not allowed.",
            "This was urgent: {patient} needed {service} before a standard review could have "
            "finished. I'm asking for a retrospective review on the clinical facts under your "
            "urgent-care and retro-authorization provisions.",
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
            "We checked: no in-network clinician with the expertise {patient} needs is available "
            "within a reasonable distance or wait. I'm requesting a network-gap exception so this "
            "care is covered at the in-network level.",
        ),
        (
            "The in-network wait time is acceptable.",
            "The earliest in-network appointment we found is later than is safe for {patient}'s "
            "condition. The practices we contacted and the dates they offered are documented.",
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
            "A lower-cost site is not safe for {patient}: the chart documents risk factors for a "
            "serious infusion reaction. This setting provides the monitoring and immediate "
            "hospital resources that risk calls for.",
        ),
        (
            "Most patients receive this at a lower-cost site without problems.",
            "The site-of-care policy is built for typical patients, and its own exception covers "
            "patients who need closer monitoring. {patient}'s history puts them in that group.",
        ),
        (
            "Could later doses move to a lower-cost site?",
            "Yes, once {patient} has had stable infusions here, and I'll reassess then. For now "
            "I'm asking for approval at this site for the first doses.",
        ),
    ),
    *_bank(
        "level_of_care",
        (
            "This stay meets observation criteria, not inpatient.",
            "Under {criteria_set}, {patient} met the inpatient element at admission, and the "
            "note from that time records it. Which element did you find unmet, so we can look "
            "at the same page?",
        ),
        (
            "The stay does not qualify as inpatient for this Medicare Advantage member.",
            "The two-midnight rule applies to Medicare Advantage: at admission I expected "
            "{patient} to need hospital care spanning two midnights, and the admission note "
            "says why. That expectation, not the eventual length of stay, is the standard.",
        ),
        (
            "The patient could have been managed at a lower level of care.",
            "At the time, {patient} needed treatment and monitoring that a lower level could "
            "not provide; the orders and nursing notes show them. I can list each one with "
            "its time.",
        ),
    ),
    *_bank(
        "quantity_limit",
        (
            "The requested quantity exceeds our limit.",
            "The quantity follows the FDA label dosing for this indication, and the label "
            "section is in the packet. I'm asking for a quantity-limit exception on that basis.",
        ),
        (
            "A lower dose should be tried.",
            "The lower dose was tried and did not control the condition, as documented; the "
            "requested dose is supported by the label or published dosing for {patient}'s "
            "weight and response.",
        ),
        (
            "The dosing frequency is more than the plan allows.",
            "Symptoms returned before the next dose at the standard interval, and the record "
            "shows when. The shorter interval is supported by published dosing, which I've cited.",
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
            "The diagnosis code on the request did not carry the full picture. The corrected "
            "ICD-10-CM code links directly to {service}, and the note documents that diagnosis.",
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


_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")


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
