"""One page for the P2P call: the story in 60 seconds, the criteria with their proof, the
objections to expect, the questions to ask, the ask and the fallbacks."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.domain import dates
from app.domain import facts as fact_domain
from app.domain.brief import CRITERION_STATUSES
from app.domain.vocabulary import category


@dataclass(frozen=True)
class ProvenCriterion:
    number: int
    text: str
    status: str
    fact: str = ""  # the one fact that proves it
    citation: str = ""  # the one citation that supports it, short form
    grade: str = ""


@dataclass
class TalkingPoints:
    patient: str
    opening: list[str]
    denial_quote: str
    criteria: list[ProvenCriterion]
    objections: list[tuple[str, str]]
    questions: list[str]
    ask: str
    fallbacks: list[str]
    documents: list[str] = field(default_factory=list)


def short(citation: Any) -> str:
    """A citation as said aloud: issuer or first author, year, journal."""
    who = citation.issuer or (citation.authors[0] + " et al" if citation.authors else "")
    return ", ".join(p for p in (who, citation.year, citation.journal) if p)


def assemble(
    case: Any, today: date, rebuttals: Iterable[tuple[str, str]] = (), clinician: Any = None
) -> TalkingPoints:
    """The talking points of `case`; `rebuttals` are (objection, rebuttal) pairs for its
    denial category, already filled in for this case."""
    facts = [f for f in case.facts if f.in_letter]
    diagnosis = next((f for f in facts if f.kind == "diagnosis"), None)
    age = dates.age(case.patient_dob, today)
    who = f"{case.patient_name}, {age}"
    if diagnosis is not None:
        who += f", {diagnosis.text.strip().rstrip('.')}"
        if diagnosis.severity:
            who += f" ({diagnosis.severity.strip()})"
    opening = [f"{who}."]
    codes = f" ({case.procedure_codes})" if case.procedure_codes else ""
    opening.append(f"We asked for {case.service_description}{codes}.")
    tried = [f for f in facts if f.kind == "prior_treatment"]
    if tried:
        opening.append("Already tried: " + "; ".join(fact_domain.summary(f) for f in tried) + ".")
    why = [case.framing.strip()] if case.framing.strip() else []
    latest = sorted((f for f in facts if f.kind == "pro"), key=lambda f: f.fact_date or "")
    if latest:
        why.append(fact_domain.summary(latest[-1]))
    why += [f.text.strip() for f in facts if f.kind == "functional_impact"][:1]
    if case.urgency == "expedited":
        why.insert(0, "Expedited")
    if why:
        opening.append("Why now: " + "; ".join(w.rstrip(".") for w in why) + ".")

    criteria = []
    for n, c in enumerate((c for c in case.criteria if c.status != "na"), start=1):
        proof = next((f for f in c.facts if f.in_letter), None)
        support = c.evidence[0] if c.evidence else None
        criteria.append(
            ProvenCriterion(
                n,
                c.text,
                CRITERION_STATUSES.get(c.status, ""),
                fact_domain.summary(proof) if proof else "",
                short(support.citation)
                + (f", {support.pinpoint}" if support and support.pinpoint else "")
                if support
                else "",
                f"{support.citation.grade_system} {support.citation.grade}"
                if support and support.citation.grade
                else "",
            )
        )

    specialty = getattr(clinician, "specialty", "") if clinician else ""
    questions = [
        "Your name, credentials and specialty?"
        + (
            f" (Mine: {specialty}; ask for a same-specialty reviewer if they differ.)"
            if specialty
            else ""
        ),
        "Which criteria set and version are you applying?",
        "Which criterion do you consider not met, and why?",
        "What documentation would change the decision?",
        "What is the reference number for this call, and when will the decision be in writing?",
    ]
    kind = category(case.denial_category)
    documents = [f"{d.title} ({dates.show(d.document_date)})" for d in case.documents]
    if kind and not kind.clinical:
        documents.append(kind.answer)
    return TalkingPoints(
        patient=case.patient_name,
        opening=opening,
        denial_quote=case.denial_reason.strip() if not case.denial_reason_missing else "",
        criteria=criteria,
        objections=list(rebuttals),
        questions=questions,
        ask=case.ask.strip() or f"Approve {case.service_description}.",
        fallbacks=[line.strip() for line in case.fallback_asks.splitlines() if line.strip()],
        documents=documents,
    )
