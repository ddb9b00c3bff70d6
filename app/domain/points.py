"""One page for the P2P call: the story in 60 seconds, the payer's own words answered first,
the criteria with all their proof, the objections this case can answer, the questions to
ask, the ask and the fallbacks.

Like the letter, it says only what the case holds: a rebuttal of the team's bank appears
only when the case has everything it needs (`app.domain.rebuttals.applies`), filled with
the case's own facts and claims.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.domain import dates
from app.domain.arguments import answered, plan_for
from app.domain.brief import CRITERION_STATUSES, approval, fallbacks
from app.domain.prose import Patient, Writer, clause, joined, sentence, strongest_first
from app.domain.rebuttals import applies, fill, trial_brief, values_of
from app.domain.vocabulary import category

OPENING_WORDS = 150  # about 60 seconds said aloud


@dataclass(frozen=True)
class ProvenCriterion:
    number: int
    text: str
    status: str
    facts: tuple[str, ...] = ()  # every fact that shows it, the strongest first
    citations: tuple[str, ...] = ()  # short forms, with pinpoint and grade
    note: str = ""  # the clinician's own note on it

    @property
    def fact(self) -> str:
        return self.facts[0] if self.facts else ""

    @property
    def citation(self) -> str:
        return "; ".join(self.citations)

    grade: str = ""


@dataclass(frozen=True)
class BankRebuttal:
    """A rebuttal of the team's bank, as the talking points read it."""

    objection: str
    rebuttal: str
    needs: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()  # short forms of the citations the team attached


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
    answers: list[tuple[str, str]] = field(default_factory=list)  # (the payer's words, reply)


def short(citation: Any) -> str:
    """A citation as said aloud: issuer or first author, year, journal."""
    who = citation.issuer or (citation.authors[0] + " et al" if citation.authors else "")
    return ", ".join(p for p in (who, citation.year, citation.journal) if p)


def opening(case: Any, today: date, style: str = "dmy", calling: bool = True) -> list[str]:
    """The 60-second story as sentences to say aloud, at most `OPENING_WORDS` words: who,
    what is asked, what was tried, the latest score, why it matters. Not `calling`, the
    same story is told of the patient (a case conference's packet)."""
    who = Patient.of(case)
    w = Writer(who, style)
    facts = [f for f in case.facts if f.in_letter]
    age = dates.age(case.patient_dob, today)
    diagnosis = next((f for f in facts if f.kind == "diagnosis"), None)
    lead = "I'm calling about " if calling else ""
    has = ""
    if diagnosis is not None:
        has = f", {'who has' if calling else 'has'} {w.diagnosis(diagnosis)}"
    said = [sentence(f"{lead}{who.name()}, {age}{has}")]
    what = approval(case)
    if what:
        said.append(f"{'I am asking you' if calling else 'The request is'} to approve {what}.")
    elif not calling and case.service_description.strip():
        # The team's own screen: the service as ordered, when no ask is written yet.
        said.append(f"The request is for {clause(case.service_description)}.")
    tried = [f for f in facts if f.kind == "prior_treatment" and f.outcome != "contraindicated"]
    if tried:
        verb = who.verb("has", "have")
        said.append(sentence(f"{who.he} {verb} tried {joined([trial_brief(w, f) for f in tried])}"))
    scores = sorted((f for f in facts if f.kind == "pro"), key=lambda f: f.fact_date or "")
    if scores:
        said.append(sentence(w.score(scores[-1])))
    for text in (getattr(case, "thesis", ""), case.framing):
        if text.strip():
            said.append(sentence(text))
    while len(" ".join(said).split()) > OPENING_WORDS and len(said) > 2:
        said.pop()
    return said


def _criteria(case: Any, style: str) -> list[ProvenCriterion]:
    w = Writer(Patient.of(case), style)
    included = {f.id for f in case.facts if f.in_letter}
    out = []
    for n, c in enumerate(case.criteria, start=1):
        if c.status == "na":
            continue
        facts = strongest_first([f for f in c.facts if f.id in included])
        cited = [
            short(e.citation)
            + (f", {e.pinpoint}" if e.pinpoint else "")
            + (f" ({e.citation.grade_system} {e.citation.grade})" if e.citation.grade else "")
            for e in c.evidence
        ]
        cited += [
            short(link.citation) + (f", {link.pinpoint}" if link.pinpoint else "")
            for link in case.citations
            if getattr(link, "criterion_id", None) == c.id
        ]
        out.append(
            ProvenCriterion(
                n,
                clause(c.text),
                CRITERION_STATUSES.get(c.status, ""),
                tuple(sentence(_said_aloud(w, f)) for f in facts),
                tuple(cited),
                sentence(c.note) if c.note.strip() else "",
            )
        )
    return out


def _said_aloud(w: Writer, f: Any) -> str:
    """A fact as a line of notes for the call: a trial in a few words, with its dates."""
    if f.kind != "prior_treatment":
        return w.clause_of(f)
    dose = f" {clause(f.dose)}" if f.dose else ""
    when = dates.span(f.start_date, f.stop_date, w.style)
    brief = trial_brief(w, f, why=True)  # "gabapentin (ineffective, sedation)"
    name, _, rest = brief.partition(" (")
    return f"{name}{dose}{f' {when}' if when else ''}{f' ({rest}' if rest else ''}"


def _answers(case: Any, values: dict[str, str]) -> list[tuple[str, str]]:
    """The payer's own words, clause by clause, each with what answers it in this case."""
    if case.denial_reason_missing or not case.denial_reason.strip():
        return []
    present = {k for k, v in _STEP_VALUES.items() if values.get(v)}
    if case.criteria:
        present |= {"criteria", "population"}
    replies = answered(plan_for(case.denial_category), case.denial_reason, present)
    out = []
    for key, words in replies.items():
        reply = values.get(_STEP_VALUES.get(key, ""), "")
        if key in ("criteria", "population"):
            reply = "Take the criteria one by one: each is below with the facts that show it."
        if reply:
            out.append((words, sentence(reply)))
    return out


_STEP_VALUES = {
    "regulatory": "regulatory",
    "trials": "trial",
    "durability": "durability",
    "guideline": "guideline",
    "prior_trials": "prior_treatments",
    "enclosed": "enclosed",
}


def assemble(
    case: Any,
    today: date,
    rebuttals: Iterable[BankRebuttal] = (),
    clinician: Any = None,
    style: str = "dmy",
) -> TalkingPoints:
    """The talking points of `case`: `rebuttals` are the team's bank for its denial
    category; only those the case can back are kept, filled in from the case."""
    values = values_of(case, style)
    answers = _answers(case, values)
    # An objection already answered under the payer's words is not said a second time.
    replied = [reply.rstrip(".") for _, reply in answers]
    objections = [
        (r.objection, fill(r.rebuttal, values) + "".join(f" (Evidence: {e}.)" for e in r.evidence))
        for r in rebuttals
        if applies(r.rebuttal, r.needs, values)
        and not any(said in fill(r.rebuttal, values) for said in replied)
    ]
    specialty = (getattr(clinician, "specialty", "") or "").strip() if clinician else ""
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
    documents = [f"{d.title} ({dates.show(d.document_date, style)})" for d in case.documents]
    if kind and not kind.clinical:
        documents.append(kind.answer)
    what = approval(case)
    return TalkingPoints(
        patient=case.patient_name,
        opening=opening(case, today, style),
        denial_quote=case.denial_reason.strip() if not case.denial_reason_missing else "",
        criteria=_criteria(case, style),
        objections=objections,
        questions=questions,
        ask=f"Approve {what}." if what else sentence(case.ask),
        fallbacks=[sentence(f"approve {f}") for f in fallbacks(case)],
        documents=documents,
        answers=answers,
    )
