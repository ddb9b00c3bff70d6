"""The case packet: one case as a case conference reads it, as data.

A packet is identified, for the treating team, or de-identified, for people outside it. A
de-identified packet is built from a de-identified view of the case: every free text and
every date passes through one `Deidentifier` before the talking points, the fact summaries
and the readiness checks see it, so nothing downstream can put an identifier back. Renderers
draw a `CasePacket`; they never decide what it says.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

from app.domain import dates, readiness
from app.domain import facts as fact_domain
from app.domain import points as points_domain
from app.domain.brief import CRITERION_STATUSES
from app.domain.deidentify import PATIENT, DateMode, Deidentifier, ReportEntry
from app.domain.vocabulary import CRITERIA_SETS, DENIAL_CATEGORIES, PLAN_TYPES, URGENCIES, label

TITLE = "Case packet"
OUTCOMES = {c.value: c.label for c in fact_domain.TREATMENT_OUTCOMES}


@dataclass(frozen=True)
class Denial:
    category: str
    reason: str  # as the payer wrote it; "" when not received in writing
    payer: str
    plan: str
    reference: str
    received: str
    criteria: str  # the criteria set the payer applied


@dataclass(frozen=True)
class CriterionRow:
    number: int
    text: str
    status: str
    facts: tuple[str, ...]
    evidence: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class FactLine:
    kind: str
    when: str
    text: str
    in_letter: bool = True


@dataclass(frozen=True)
class TreatmentLine:
    therapy: str
    dose: str
    dates: str
    outcome: str
    reason: str


@dataclass(frozen=True)
class DeadlineLine:
    step: str
    due: str
    left: str  # "12 days left"; empty in a de-identified packet (see `case_packet`)
    source: str


@dataclass(frozen=True)
class CommentLine:
    author: str
    when: str
    body: str


@dataclass(frozen=True)
class DocumentLine:
    title: str
    kind: str
    when: str
    text: str


@dataclass
class CasePacket:
    """One case for a case conference; `notice` says how it was de-identified, if it was."""

    title: str
    story: list[str]  # the 60-second opening of the talking points
    denial: Denial
    criteria: list[CriterionRow]
    facts: list[FactLine]
    treatments: list[TreatmentLine]
    gaps: list[str]
    deadlines: list[DeadlineLine]
    comments: list[CommentLine]
    framing: list[tuple[str, str]]  # (heading, text): why it matters, risks, the ask, fallbacks
    patient: list[tuple[str, str]] = field(default_factory=list)
    request: list[tuple[str, str]] = field(default_factory=list)
    documents: list[DocumentLine] = field(default_factory=list)
    deidentified: bool = False
    notice: str = ""
    prepared: str = ""  # the day it was made; left out of a de-identified packet
    question: str = ""  # what the conference is asked to decide


class _Identified:
    """The treating team's view: every value as the case holds it."""

    report: list[ReportEntry] = []

    def text(self, value: str | None, where: str) -> str:
        return value or ""

    def partial(self, iso: str | date | datetime | None, where: str) -> str | None:
        if isinstance(iso, datetime):
            return iso.date().isoformat()
        return iso.isoformat() if isinstance(iso, date) else iso


def case_packet(
    case: Any,
    today: date,
    deadlines: Iterable[Any],
    deidentify: bool = False,
    *,
    date_policy: DateMode = "shift",
    offset_days: int | None = None,
    documents: bool = True,
    question: str = "",
) -> tuple[CasePacket, list[ReportEntry]]:
    """The packet of `case`, and the report of what de-identification replaced (empty for an
    identified packet). `deadlines` are the case's (`app.deadlines.for_case`); those done are
    left out. `date_policy` and `offset_days` are passed to the `Deidentifier` (a random
    shift by default); `documents` includes the source documents' text. `question` is what a
    case conference is asked to decide, de-identified with the rest.

    A de-identified packet shows its deadlines by their shifted due dates without the days
    left: next to a shifted date, a count from today gives the offset away to anyone who
    knows the date of the conference. For the same reason it carries no date of its own.
    """
    clean: Deidentifier | _Identified = (
        Deidentifier.for_case(case, today, dates=date_policy, offset_days=offset_days)
        if deidentify
        else _Identified()
    )
    age = dates.age(case.patient_dob, today)
    if isinstance(clean, Deidentifier):
        # The structured identifiers first, so the report opens with them.
        patient = [
            ("Patient", clean.patient("Patient: name")),
            ("Age", clean.age(age, "Patient: date of birth")),
        ]
        numbers = (("MRN", case.mrn), ("member ID", case.member_id))
        numbers += (("group number", case.group_number),)
        for kind, value in numbers:
            clean.number(kind, value or "", f"Patient: {kind}")
        reference = clean.number(
            "reference number", case.denial_reference or "", "Denial: reference number"
        )
    else:
        patient = [
            ("Patient", case.patient_name),
            ("Date of birth", f"{dates.show(case.patient_dob)} (age {age})"),
            ("MRN", case.mrn),
            ("Member ID", case.member_id),
            ("Group number", case.group_number),
        ]
        reference = case.denial_reference
    view = _view(case, clean, deidentify)
    story = points_domain.opening(view, today, calling=False)
    if deidentify:
        # The talking points say the age as a number; over 89 it is one category.
        story[0] = story[0].replace(f"{PATIENT}, {age}", f"{PATIENT}, {patient[1][1]}", 1)
    packet = CasePacket(
        title=view.service_description
        if deidentify
        else f"{case.patient_name} · {case.service_description}",
        story=story,
        denial=Denial(
            category=label(DENIAL_CATEGORIES, case.denial_category),
            reason="" if case.denial_reason_missing else view.denial_reason.strip(),
            payer=clean.text(case.payer, "Payer"),
            plan=label(PLAN_TYPES, case.plan_type),
            reference=reference or "",
            received=dates.show(clean.partial(case.denial_received, "Denial: received")),
            criteria=" · ".join(
                p for p in (label(CRITERIA_SETS, case.criteria_set), view.criteria_detail) if p
            ),
        ),
        criteria=[_criterion(n, c) for n, c in enumerate(view.criteria, start=1)],
        facts=[_fact_line(f) for f in view.facts],
        treatments=[_treatment(f) for f in view.facts if f.kind == "prior_treatment"],
        gaps=[w.message for w in readiness.gaps(view, [case.clinician] if case.clinician else [])],
        deadlines=[_deadline(d, clean, deidentify) for d in deadlines if not d.done],
        comments=[_comment(n, c, clean) for n, c in enumerate(case.comments, start=1)],
        framing=_framing(view),
        patient=[(k, v) for k, v in patient if v],
        request=_request(case, view, clean),
        documents=[
            DocumentLine(d.title, d.kind, dates.show(d.document_date), d.text)
            for d in view.documents
        ]
        if documents
        else [],
        deidentified=deidentify,
        prepared="" if deidentify else dates.show(today),
        question=clean.text(question.strip(), "Question for the conference"),
    )
    if isinstance(clean, Deidentifier):
        report = [clean.shift_note(), *clean.report]
        packet.notice = _notice(report, clean)
        return packet, report
    return packet, []


# --- the view of the case the packet is built from -----------------------------------------


def _view(case: Any, clean: Deidentifier | _Identified, deidentify: bool) -> SimpleNamespace:
    """The case as the packet may see it: its free text and dates already cleaned. The talking
    points and the readiness checks read it exactly as they read a case."""
    facts: dict[int, SimpleNamespace] = {}
    for n, f in enumerate(case.facts, start=1):
        kind = fact_domain.kind(f.kind)
        where = f"Fact {n} ({kind.label if kind else f.kind})"
        facts[id(f)] = SimpleNamespace(
            id=f.id,
            kind=f.kind,
            in_letter=f.in_letter,
            finding_type=f.finding_type,
            outcome=f.outcome,
            instrument=f.instrument,
            score=f.score,
            **{
                name: clean.text(getattr(f, name), f"{where}: {name.replace('_', ' ')}") or None
                for name in ("text", "severity", "therapy", "dose", "reason_stopped")
            },
            **{
                name: clean.partial(getattr(f, name), f"{where}: {name.replace('_', ' ')}")
                for name in ("fact_date", "start_date", "stop_date")
            },
        )
    criteria = []
    for n, c in enumerate(case.criteria, start=1):
        where = f"Criterion {n}"
        criteria.append(
            SimpleNamespace(
                id=c.id,
                status=c.status,
                text=clean.text(c.text, where),
                note=clean.text(c.note, f"{where}: note"),
                facts=[facts[id(f)] for f in c.facts if id(f) in facts],
                evidence=[
                    SimpleNamespace(
                        citation=e.citation, pinpoint=clean.text(e.pinpoint, f"{where}: pinpoint")
                    )
                    for e in c.evidence
                ],
            )
        )
    documents = [
        SimpleNamespace(
            title=clean.text(d.title, f"Source document {n}: title"),
            kind=clean.text(d.kind, f"Source document {n}: kind"),
            document_date=clean.partial(d.document_date, f"Source document {n}: date"),
            text=clean.text(d.text, f"Source document {n}: text"),
        )
        for n, d in enumerate(case.documents, start=1)
    ]
    fields = ("service_description", "procedure_codes", "diagnosis_codes", "site_of_care")
    fields += ("drug_name", "drug_strength", "drug_quantity", "criteria_detail", "framing")
    fields += ("risks", "ask", "fallback_asks", "denial_reason", "thesis")
    fields += ("requested_service", "requested_quantity", "requested_duration")
    claims = [
        SimpleNamespace(
            id=link.id,
            claim=clean.text(link.claim, f"Claim {n}"),
            pinpoint=link.pinpoint,
            kind=link.kind,
            criterion_id=link.criterion_id,
            position=link.position,
            citation=link.citation,
        )
        for n, link in enumerate(case.citations, start=1)
    ]
    return SimpleNamespace(
        patient_sex=case.patient_sex,
        patient_title=case.patient_title,
        patient_pronouns=case.patient_pronouns,
        citations=claims,
        patient_name=PATIENT if deidentify else case.patient_name,
        patient_dob=case.patient_dob,  # the talking points say the age, never the date
        member_id=(case.member_id and "[Member ID]") if deidentify else case.member_id,
        denial_reason_missing=case.denial_reason_missing,
        denial_category=case.denial_category,
        urgency=case.urgency,
        facts=list(facts.values()),
        criteria=criteria,
        documents=documents,
        clinician=case.clinician,
        **{name: clean.text(getattr(case, name), _where(name)) for name in fields},
    )


def _where(field_name: str) -> str:
    return field_name.replace("_", " ").capitalize()


# --- the rows of the packet ---------------------------------------------------------------


def _criterion(number: int, c: SimpleNamespace) -> CriterionRow:
    evidence = []
    for e in c.evidence:
        grade = e.citation.grade
        said = points_domain.short(e.citation)
        said += f", {e.pinpoint}" if e.pinpoint else ""
        said += f" ({e.citation.grade_system} {grade})" if grade else ""
        evidence.append(said)
    return CriterionRow(
        number=number,
        text=c.text,
        status=CRITERION_STATUSES.get(c.status, c.status),
        facts=tuple(fact_domain.summary(f) for f in c.facts),
        evidence=tuple(evidence),
        note=c.note.strip(),
    )


def _fact_line(f: SimpleNamespace) -> FactLine:
    kind = fact_domain.kind(f.kind)
    # The date has its own column; a treatment's summary carries its span already.
    undated = (
        f if f.kind == "prior_treatment" else SimpleNamespace(**{**vars(f), "fact_date": None})
    )
    text = fact_domain.summary(undated)
    if f.kind in ("prior_treatment", "pro") and f.text:
        text += f". Note: {f.text.strip()}"  # a summary leaves the notes of these kinds out
    return FactLine(
        kind=kind.label if kind else f.kind,
        when=dates.show(f.fact_date or f.start_date),
        text=text,
        in_letter=f.in_letter,
    )


def _treatment(f: SimpleNamespace) -> TreatmentLine:
    span = " – ".join(dates.show(d) for d in (f.start_date, f.stop_date) if d)
    return TreatmentLine(
        therapy=f.therapy or "",
        dose=f.dose or "",
        dates=span,
        outcome=OUTCOMES.get(f.outcome or "", f.outcome or ""),
        reason=f.reason_stopped or "",
    )


def _deadline(d: Any, clean: Deidentifier | _Identified, deidentify: bool) -> DeadlineLine:
    due = dates.show(clean.partial(d.due.date(), f"Deadline: {d.step}"))
    if d.unit == "hours":
        due += f", {d.due:%H:%M}"
    if deidentify:
        left = ""
    elif d.days_left < 0:
        left = f"{-d.days_left} day{'s' if d.days_left != -1 else ''} overdue"
    elif d.days_left == 0:
        left = "due today"
    else:
        left = f"{d.days_left} day{'s' if d.days_left != 1 else ''} left"
    return DeadlineLine(step=d.step, due=due, left=left, source=d.source)


def _comment(number: int, c: Any, clean: Deidentifier | _Identified) -> CommentLine:
    author = c.user.display if c.user else "A former member"
    day = clean.partial(c.created_at, f"Comment {number}: date")
    return CommentLine(author, dates.show(day), clean.text(c.body, f"Comment {number}: text"))


def _framing(view: SimpleNamespace) -> list[tuple[str, str]]:
    fallbacks = [line.strip() for line in view.fallback_asks.splitlines() if line.strip()]
    rows = [
        ("What the treatment changes", view.framing.strip()),
        ("Risks of going without", view.risks.strip()),
        ("The ask", view.ask.strip() or f"Approve {view.service_description}."),
        ("Fallback asks", "\n".join(fallbacks)),
    ]
    return [(heading, text) for heading, text in rows if text]


def _request(case: Any, view: SimpleNamespace, clean: Deidentifier | _Identified):
    drug = " ".join(p for p in (view.drug_name, view.drug_strength, view.drug_quantity) if p)
    span = [
        dates.show(clean.partial(d, f"Service {end}"))
        for d, end in ((case.service_start, "start"), (case.service_end, "end"))
        if d
    ]
    rows = [
        ("Requested", view.service_description),
        ("Procedure codes", view.procedure_codes),
        ("Drug", drug),
        ("Diagnosis codes", view.diagnosis_codes),
        ("Site of care", view.site_of_care),
        ("Urgency", label(URGENCIES, case.urgency)),
        ("Service dates", " – ".join(span)),
    ]
    return [(k, v) for k, v in rows if v]


def _notice(report: list[ReportEntry], clean: Deidentifier) -> str:
    kinds = list(dict.fromkeys(e.kind for e in report if e.kind not in ("date policy", "date")))
    how = {
        "shift": "dates moved by a fixed number of weeks, so intervals hold",
        "month": "dates cut to month and year",
        "year": "dates cut to the year",
    }[clean.dates]
    replaced = ", ".join(kinds) if kinds else "no identifiers found"
    return f"De-identified: {replaced} replaced; {how}. For discussion outside the treating team."
