"""A plain-language letter to the patient: what was denied, why the team believes in the
treatment, what happens next. Written short and concrete, and measured (US grade 8 is the aim).
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from app.domain import dates, deadlines, readability
from app.domain.jargon import explain_jargon
from app.domain.outcomes import fmt, instrument
from app.domain.prose import clause
from app.domain.vocabulary import category


@dataclass
class PatientSummary:
    greeting: str
    denied: list[str]
    plan_words: str  # the payer's reason, quoted as written (not part of the measured text)
    why: list[str]
    next_steps: list[str]
    signoff: str
    score: readability.Readability
    jargon: list[tuple[str, str]]

    @property
    def measured_text(self) -> str:
        return " ".join(self.denied + self.why + self.next_steps)


def appeal_deadline(case: Any, today: date, rules=deadlines.DEFAULT_RULES):
    """The last day to ask for the formal appeal, from the denial date and the plan's rule."""
    if case.denial_received is None:
        return None
    found = deadlines.compute(
        rules, case.plan_type, case.urgency, {"denial_received": case.denial_received}, today
    )
    return next((d for d in found if d.starts == "denial_received"), None)


def assemble(
    case: Any, clinician: Any = None, today: date | None = None, rules=deadlines.DEFAULT_RULES
) -> PatientSummary:
    """The summary for `case`, built from what the team entered; never from the payer's jargon."""
    first = case.patient_name.split()[0] if case.patient_name.strip() else "there"
    kind = category(case.denial_category)
    denied = [
        f"Your health plan, {case.payer}, has said it will not pay for "
        f"{clause(getattr(case, 'requested_service', '')) or clause(case.service_description)}.",
        "This is called a denial. It does not mean the treatment is wrong for you.",
    ]
    if kind and not kind.clinical:
        denied.append("The plan's reason is about paperwork or plan rules, not about your health.")
    facts = [f for f in case.facts if f.in_letter]
    why = []
    tried = [f for f in facts if f.kind == "prior_treatment"]
    if tried:
        names = ", ".join(f.therapy for f in tried if f.therapy)
        why.append(
            f"You have already tried {len(tried)} other treatment"
            f"{'s' if len(tried) > 1 else ''} ({names}). They did not work well enough "
            "or caused side effects."
        )
    seen = set()
    for f in sorted(
        (f for f in facts if f.kind == "pro"), key=lambda f: f.fact_date or "", reverse=True
    ):
        item = instrument(f.instrument)
        if item is None or item.code in seen:
            continue
        seen.add(item.code)
        band = item.band(f.score)
        why.append(
            f"Your latest {item.name} score was {fmt(f.score)}{item.unit}. "
            f"That is in the {band} range."
        )
    if case.framing.strip():
        why.append(case.framing.strip().rstrip(".") + ".")
    if not why:
        why.append("We believe this treatment is the right next step for you.")
    next_steps = [
        "We will ask to speak with a doctor at your health plan. This is called a "
        "peer-to-peer review.",
        "We will send the plan a letter with your records"
        + (
            " and the medical research that supports this treatment."
            if getattr(case, "citations", None)
            else "."
        ),
        _appeal_step(appeal_deadline(case, today or date.today(), rules)),
        "Please call our office if your symptoms get worse, or if the plan contacts you.",
    ]
    text = " ".join(denied + why + next_steps)
    name = getattr(clinician, "display", "") if clinician else ""
    return PatientSummary(
        greeting=f"Dear {first},",
        denied=denied,
        plan_words=case.denial_reason.strip() if not case.denial_reason_missing else "",
        why=why,
        next_steps=next_steps,
        signoff=f"Your care team{f', {name}' if name else ''}",
        score=readability.measure(text),
        jargon=explain_jargon(" ".join([text, case.denial_reason])),
    )


def _appeal_step(deadline: Any) -> str:
    step = "If the plan still says no, we can ask for a formal appeal."
    if deadline is None:
        return f"{step} We will tell you the deadline and what we need from you."
    return (
        f"{step} The last day to ask is {dates.show(deadline.due.date())}. We will tell "
        "you what we need from you well before then."
    )
