"""What to check before a letter leaves the clinic: gaps a medical director would seize on.

Each warning is shown before export as a checklist the clinician acknowledges; the export
still happens, and the acknowledged list is kept with it. Warnings speak in the clinician's
words, never in internal ids, and say where each is fixed (`where`: a part of the case the
page links to).
"""

from dataclasses import dataclass
from typing import Any

from app.domain.arguments import plan_for

# Where a warning is fixed: the page turns each into a link.
WHERE = {
    "intake": "the case's intake",
    "facts": "the case's facts",
    "criteria": "the criteria on the brief",
    "claims": "the claims on the brief",
    "ask": "the ask on the brief",
    "documents": "the case's documents",
    "profile": "your profile",
    "call": "the call sheet",
    "letter": "the letter preview",
}


@dataclass(frozen=True)
class Warning:
    code: str
    message: str
    where: str = ""  # a key of WHERE, with an optional "#anchor"


PROFILE = "profile"


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


def _criterion_words(text: str, n: int = 8) -> str:
    words = text.split()
    return " ".join(words[:n]) + ("…" if len(words) > n else "")


def gaps(case: Any, signers: list[Any], missing_steps: tuple[str, ...] = ()) -> list[Warning]:
    """Readiness gaps of a case, by denial category and in general; `missing_steps` are
    the argument's steps the letter had nothing for."""
    found: list[Warning] = []
    included = {f.id for f in case.facts if f.in_letter}
    if case.denial_reason_missing or not case.denial_reason.strip():
        found.append(
            Warning(
                "no-written-reason",
                "The denial reason has not been received in writing: the letter asks for it, "
                "but cannot answer it.",
                "intake",
            )
        )
    if not case.member_id.strip():
        found.append(
            Warning(
                "no-member-id",
                "No member ID: the payer may not match the letter to the claim.",
                "intake",
            )
        )
    if not (getattr(case, "requested_service", "") or case.drug_name).strip():
        found.append(
            Warning(
                "no-ask",
                "The ask does not say what to approve: without it the letter has no request "
                "sentence. Give the service, quantity and duration.",
                "ask",
            )
        )
    if not (getattr(case, "patient_sex", "") or getattr(case, "patient_title", "")):
        found.append(
            Warning(
                "no-title",
                "The patient's sex or your choice of title is not recorded: the letter names "
                "them in full each time and says “they”.",
                "intake",
            )
        )
    kinds = {f.kind for f in case.facts if f.in_letter}
    if case.denial_category == "step_therapy" and "prior_treatment" not in kinds:
        found.append(
            Warning(
                "step-no-trials",
                "Step therapy denial with no prior treatment in the letter: list each trial "
                "with dose, dates and outcome.",
                "facts",
            )
        )
    if case.denial_category == "insufficient_documentation" and not case.documents:
        found.append(
            Warning(
                "no-enclosures",
                "Insufficient-documentation denial with nothing to enclose: add the missing "
                "records as source documents.",
                "documents",
            )
        )
    plan = plan_for(case.denial_category)
    for step in plan.steps:
        if step.key in missing_steps and step.missing:
            where = "criteria" if step.key in ("criteria", "population") else "claims"
            where = {"prior_trials": "facts", "enclosed": "documents", "unsafe": "ask"}.get(
                step.key, where
            )
            found.append(Warning(f"argument-{step.key}", step.missing, where))
    for n, c in enumerate(case.criteria, start=1):
        if c.status == "na":
            continue
        words = _criterion_words(c.text)
        shown = [f for f in c.facts if f.id in included]
        left_out = [f for f in c.facts if f.id not in included]
        if left_out:
            found.append(
                Warning(
                    f"excluded-fact-{c.id}",
                    f"Criterion {n} (“{words}”) relies on {len(left_out)} fact"
                    f"{'s' if len(left_out) > 1 else ''} left out of the letter.",
                    "criteria",
                )
            )
        if not shown and not c.note.strip():
            found.append(
                Warning(
                    f"criterion-unshown-{c.id}",
                    f"Criterion {n} (“{words}”) has no fact that shows it, so the letter leaves "
                    "it out: link the facts that meet it, or mark it not applicable.",
                    "criteria",
                )
            )
        elif shown and c.status in ("unset", "not_met"):
            found.append(
                Warning(
                    f"criterion-unreviewed-{c.id}",
                    f"Criterion {n} (“{words}”) is not marked met: the letter lists its facts "
                    "but does not say it is met.",
                    "criteria",
                )
            )
    if not signers:
        found.append(
            Warning(
                "no-signer",
                "No signing clinician: set the ordering clinician on the case.",
                "intake",
            )
        )
    found += profile_gaps(signers)
    return found
