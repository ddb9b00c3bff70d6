"""What to check before a letter leaves the clinic: gaps a medical director would seize on.

Each warning is shown before export as a checklist the clinician acknowledges; the export
still happens, and the acknowledged list is kept with it.
"""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Warning:
    code: str
    message: str
    # Where the gap is fixed, as the name of the app's page (a Flask endpoint, e.g.
    # "profile.edit"); the checklist links to it. Empty when the fix is on the case itself.
    where: str = ""


PROFILE = "profile.edit"


def profile_gaps(signers: list[Any]) -> list[Warning]:
    """What the signing clinician's profile lacks that a letter needs: a specialty (to ask
    for a reviewer of the same one) and an NPI (payers match a prescriber by it)."""
    if not signers:
        return []
    signer = signers[0]
    # No name: the list also goes into the de-identified packet.
    who = "The signing clinician's profile"
    found = []
    if not (getattr(signer, "specialty", "") or "").strip():
        found.append(
            Warning(
                "profile-no-specialty",
                f"{who} has no specialty: the letter cannot ask for a reviewer of the same "
                "specialty. Set it on the profile page.",
                PROFILE,
            )
        )
    if not (getattr(signer, "npi", "") or "").strip():
        found.append(
            Warning(
                "profile-no-npi",
                f"{who} has no NPI: payers match a letter to its prescriber by it. Set it on "
                "the profile page.",
                PROFILE,
            )
        )
    return found


def gaps(case: Any, signers: list[Any]) -> list[Warning]:
    """Readiness gaps of a case, by denial category and in general."""
    found: list[Warning] = []
    kinds = {f.kind for f in case.facts if f.in_letter}
    if case.denial_reason_missing or not case.denial_reason.strip():
        found.append(
            Warning(
                "no-written-reason",
                "The denial reason has not been received in "
                "writing: the letter asks for it, but cannot answer it.",
            )
        )
    if not case.member_id.strip():
        found.append(
            Warning(
                "no-member-id", "No member ID: the payer may not match the letter to the claim."
            )
        )
    if case.denial_category == "step_therapy" and "prior_treatment" not in kinds:
        found.append(
            Warning(
                "step-no-trials",
                "Step therapy denial with no prior treatment in "
                "the letter: list each trial with dose, dates and outcome.",
            )
        )
    linked = [c for c in case.criteria if c.facts or c.evidence]
    if case.denial_category == "not_medically_necessary" and not linked:
        found.append(
            Warning(
                "nmn-no-criterion",
                "“Not medically necessary” with no criterion "
                "linked to a fact or citation: map the payer's criteria first.",
            )
        )
    if case.denial_category == "insufficient_documentation" and not case.documents:
        found.append(
            Warning(
                "no-enclosures",
                "Insufficient-documentation denial with nothing "
                "to enclose: add the missing records as source documents.",
            )
        )
    for n, c in enumerate(case.criteria, start=1):
        left_out = [f for f in c.facts if not f.in_letter]
        if left_out:
            found.append(
                Warning(
                    f"excluded-fact-{c.id}",
                    f"Criterion {n} relies on {len(left_out)} fact(s) left out of the letter.",
                )
            )
    if not signers:
        found.append(
            Warning("no-signer", "No signing clinician: set the ordering clinician on the case.")
        )
    found += profile_gaps(signers)
    return found
