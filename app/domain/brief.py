"""The medical-necessity letter of a case, assembled sentence by sentence, each knowing its
source.

Nothing here invents a clinical statement: every sentence comes from what the clinician
entered (a fact, a criterion, the denial, their own wording) or from the library (a
citation), or is fixed connecting text of the letter itself. The Letter it builds is data
(`app.domain.letter`); renderers draw it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from app.domain import dates
from app.domain import facts as fact_domain
from app.domain.letter import (
    Letter,
    Paragraph,
    Reference,
    Section,
    Sentence,
    Signer,
    Source,
    TreatmentRow,
    full_stop,
    running_head,
)
from app.domain.outcomes import fmt, instrument
from app.domain.vocabulary import CRITERIA_SETS, DENIAL_CATEGORIES, PLAN_TYPES, label

CRITERION_STATUSES = {
    "met": "Met",
    "not_met": "Not met",
    "na": "Not applicable",
    "needs_doc": "Needs documentation",
    "unset": "Not yet reviewed",
}


LETTER_STATUS = {
    "met": "This criterion is met.",
    "needs_doc": "The supporting records are enclosed.",
}


class _Numbers:
    """Reference numbers in order of first use (AMA)."""

    def __init__(self) -> None:
        self.order: list[Any] = []

    def __call__(self, citation: Any) -> int:
        if citation not in self.order:
            self.order.append(citation)
        return self.order.index(citation) + 1


def assemble(
    case: Any, today: date, edits: Mapping[str, str] | None = None, signers: Iterable[Any] = ()
) -> Letter:
    """Build the letter for `case` (an object with the case's fields, facts, criteria,
    citations and documents) as of `today`; `edits` maps paragraph keys to the clinician's
    own wording."""
    numbers = _Numbers()
    facts = [f for f in case.facts if f.in_letter]
    by_kind: dict[str, list[Any]] = {}
    for f in facts:
        by_kind.setdefault(f.kind, []).append(f)
    sections = [
        Section("request", "Request", [_request(case)]),
        Section("history", "History and diagnosis", _history(case, by_kind, today)),
        Section("treatments", "Prior treatments", _treatments(case, by_kind)),
        Section(
            "rationale", "Why this request meets the criteria", _rationale(case, facts, numbers)
        ),
        Section("consequences", "Consequences of denial", _consequences(case, by_kind)),
        Section("closing", "", [_closing(case)]),
    ]
    sections = [s for s in sections if s.paragraphs]
    apply_edits(sections, edits or {})
    references = [
        Reference(
            n,
            c.id,
            tuple((r["text"], bool(r.get("italic"))) for r in c.ama),
            f"{c.grade_system}: {c.grade}" if c.grade else "",
        )
        for n, c in enumerate(numbers.order, start=1)
    ]
    return Letter(
        date=today,
        addressee=["Medical Director", "Utilization Management / Appeals", case.payer],
        re_block=re_block(case),
        sections=sections,
        treatments=[_row(f) for f in by_kind.get("prior_treatment", [])],
        enclosures=[
            f"{d.title} ({d.kind.lower()}, {dates.show(d.document_date)})" for d in case.documents
        ],
        signers=[Signer.of(u) for u in signers],
        references=references,
        running_head=running_head(case.patient_name, case.patient_dob, case.member_id),
    )


def possessive(payer: str) -> str:
    """A payer's name as a possessive: Summit Health's, Keystone Benefit Administrators'
    (a payer's name ending in s is a plural: Administrators, Services, Partners)."""
    return f"{payer}'" if payer.endswith("s") else f"{payer}'s"


def re_block(case: Any) -> list[tuple[str, str]]:
    """The RE block's (label, value) rows: who, which plan and claim, what was denied; rows
    with no value are left out."""
    category = next((c for c in DENIAL_CATEGORIES if c.value == case.denial_category), None)
    service = case.service_description
    if case.drug_name and case.drug_strength:
        service = f"{service} ({case.drug_name} {case.drug_strength})"
    rows = [
        ("Patient", case.patient_name),
        ("Date of birth", dates.show(case.patient_dob)),
        ("Member ID", case.member_id),
        ("Group number", case.group_number),
        ("Plan", label(PLAN_TYPES, case.plan_type)),
        ("Reference number", case.denial_reference),
        ("Denial date", dates.show(case.denial_received)),
        ("Denial reason", f"{category.label} (CARC {category.carc})" if category else ""),
        ("Service", service),
        ("CPT/HCPCS", case.procedure_codes),
        ("ICD-10-CM", case.diagnosis_codes),
        (
            "Dates of service",
            " – ".join(dates.show(d) for d in (case.service_start, case.service_end) if d),
        ),
    ]
    return [(k, v) for k, v in rows if v]


def _request(case: Any) -> Paragraph:
    codes = f" ({case.procedure_codes})" if case.procedure_codes else ""
    urgent = " as an expedited request" if case.urgency == "expedited" else ""
    first = Sentence(
        f"I am writing on behalf of my patient, {case.patient_name}, to ask {case.payer} to "
        f"reverse its denial of {case.service_description}{codes} and to approve it{urgent}.",
        (Source("case", case.id, "intake"),),
    )
    return Paragraph("request", [first, denial_statement(case), *own_ask(case)])


def denial_statement(case: Any) -> Sentence:
    """The denial's reason quoted verbatim, or a request for it in writing when the plan
    gave none."""
    src = (Source("case", case.id, "intake"),)
    if case.denial_reason and not case.denial_reason_missing:
        when = f" dated {dates.show(case.denial_received)}" if case.denial_received else ""
        ref = f" (reference {case.denial_reference})" if case.denial_reference else ""
        return Sentence(f"The denial{when}{ref} states: “{case.denial_reason.strip()}”", src)
    return Sentence(
        "The reason for the denial has not been provided in writing; I ask that it be "
        "sent to my office with the criteria applied.",
        src,
    )


def own_ask(case: Any) -> list[Sentence]:
    """The clinician's own ask, when they wrote one."""
    if not case.ask.strip():
        return []
    return [Sentence(full_stop(case.ask), (Source("own", case.id, "ask"),))]


def _fact_source(f: Any) -> tuple[Source, ...]:
    """The fact a sentence comes from; a treatment or a measure by name, as one sentence may
    rest on several of them."""
    if f.kind == "pro":
        measure = instrument(f.instrument)
        name = measure.name if measure else f.instrument
    else:
        name = f.therapy if f.kind == "prior_treatment" else ""
    kind = fact_domain.kind(f.kind).label
    return (Source("fact", f.id, f"{kind} ({name})" if name else kind),)


def _history(case: Any, by_kind: dict[str, list[Any]], today: date) -> list[Paragraph]:
    age = dates.age(case.patient_dob, today)
    first = [Sentence(f"{case.patient_name} is {age} years old.", (Source("case", case.id),))]
    for f in by_kind.get("diagnosis", []):
        text = f"Diagnosis: {f.text.strip().rstrip('.')}"
        if f.severity:
            text += f", {f.severity.strip().rstrip('.')}"
        if f.fact_date:
            text += f", since {dates.show(f.fact_date)}"
        first.append(Sentence(full_stop(text), _fact_source(f)))
    for f in by_kind.get("history", []):
        first.append(Sentence(full_stop(f.text), _fact_source(f)))
    for f in by_kind.get("finding", []):
        kind = {"exam": "Examination", "lab": "Laboratory", "imaging": "Imaging"}.get(
            f.finding_type, "Finding"
        )
        when = f" ({dates.show(f.fact_date)})" if f.fact_date else ""
        first.append(Sentence(full_stop(f"{kind}{when}: {f.text.strip()}"), _fact_source(f)))
    paragraphs = [Paragraph("history", first)]
    scores = _scores(by_kind.get("pro", []))
    if scores:
        paragraphs.append(Paragraph("outcomes", scores))
    return paragraphs


def _scores(pros: list[Any]) -> list[Sentence]:
    """Scores with their bands; a measure scored more than once reads as a change over time."""
    series: dict[str, list[Any]] = {}
    for f in sorted(pros, key=lambda f: f.fact_date or ""):
        series.setdefault(f.instrument, []).append(f)
    sentences = []
    for code, points in series.items():
        item = instrument(code)
        if item is None:
            continue
        last = points[-1]
        band = fact_domain.band(code, last.score)
        value = f"{fmt(last.score)}{item.unit}"
        on = f" on {dates.show(last.fact_date)}" if last.fact_date else ""
        sources = tuple(s for p in points for s in _fact_source(p))
        if len(points) > 1:
            first = points[0]
            text = (
                f"The {item.name} score went from {fmt(first.score)}{item.unit} "
                f"({dates.show(first.fact_date)}) to {value}{on}, in the {band} range."
            )
        else:
            text = f"The {item.name} score was {value}{on}, in the {band} range."
        sentences.append(Sentence(text, sources))
    return sentences


def _row(f: Any) -> TreatmentRow:
    span = " – ".join(dates.show(d) for d in (f.start_date, f.stop_date) if d)
    outcome = label(fact_domain.TREATMENT_OUTCOMES, f.outcome)
    return TreatmentRow(f.therapy or "", f.dose or "", span, outcome, f.reason_stopped or "", f.id)


def _treatments(case: Any, by_kind: dict[str, list[Any]]) -> list[Paragraph]:
    tried = by_kind.get("prior_treatment", [])
    contraindications = by_kind.get("contraindication", [])
    if not tried and not contraindications:
        return []
    sentences = []
    if tried:
        sentences.append(
            Sentence(
                f"{case.patient_name} has tried {len(tried)} "
                f"treatment{'s' if len(tried) > 1 else ''} for this condition, listed in the "
                "table below with dates and outcomes.",
                tuple(s for f in tried for s in _fact_source(f)),
            )
        )
    for f in contraindications:
        sentences.append(
            Sentence(full_stop(f"Contraindication: {f.text.strip()}"), _fact_source(f))
        )
    return [Paragraph("treatments", sentences)]


def _citation_sentence(citation: Any, pinpoint: str, numbers: _Numbers) -> Sentence:
    n = numbers(citation)
    where = f" ({pinpoint})" if pinpoint else ""
    src = (Source("citation", citation.id, citation.key),)
    grade = f", graded {citation.grade_system} {citation.grade}" if citation.grade else ""
    if citation.recommendation:
        who = citation.issuer or "The guideline"
        text = f"{who} recommends: {citation.recommendation.strip().rstrip('.')}{grade}{where}."
    else:
        author = citation.authors[0].split(" ")[0] if citation.authors else citation.journal
        text = f"This is supported by the published evidence ({author}, {citation.year}){where}."
    return Sentence(text, src, (n,))


def _rationale(case: Any, facts: list[Any], numbers: _Numbers) -> list[Paragraph]:
    included = {f.id for f in facts}
    paragraphs = []
    criteria = [c for c in case.criteria if c.status != "na"]
    if criteria:
        named = label(CRITERIA_SETS, case.criteria_set) if case.criteria_set else ""
        policy = ", ".join(p for p in (named, case.criteria_detail) if p)
        intro = (
            f"{possessive(case.payer)} criteria{f' ({policy})' if policy else ''} are addressed "
            "one by one below."
        )
        paragraphs.append(Paragraph("rationale", [Sentence(intro, (Source("case", case.id),))]))
    for n, c in enumerate(criteria, start=1):
        # The letter states only what helps: "met", or that the missing records are enclosed.
        status = LETTER_STATUS.get(c.status, "")
        text = f"Criterion {n}: {c.text.strip().rstrip('.')}.{f' {status}' if status else ''}"
        sentences = [Sentence(text, (Source("criterion", c.id, f"criterion {n}"),))]
        for f in c.facts:
            if f.id in included:
                sentences.append(Sentence(full_stop(fact_domain.summary(f)), _fact_source(f)))
        for link in c.evidence:
            sentences.append(_citation_sentence(link.citation, link.pinpoint, numbers))
        if c.note.strip():
            sentences.append(Sentence(full_stop(c.note), (Source("own", c.id, "note"),)))
        paragraphs.append(Paragraph(f"criterion-{c.id}", sentences))
    for link in case.citations:
        claim = Sentence(full_stop(link.claim), (Source("own", link.id, "claim"),))
        support = _citation_sentence(link.citation, link.pinpoint, numbers)
        paragraphs.append(Paragraph(f"claim-{link.id}", [claim, support]))
    return paragraphs


def _consequences(case: Any, by_kind: dict[str, list[Any]]) -> list[Paragraph]:
    sentences = [
        Sentence(full_stop(f.text), _fact_source(f)) for f in by_kind.get("functional_impact", [])
    ]
    for f in by_kind.get("goal", []):
        sentences.append(
            Sentence(
                full_stop(f"{case.patient_name}'s own goal: {f.text.strip()}"), _fact_source(f)
            )
        )
    for name in ("framing", "risks"):
        text = getattr(case, name).strip()
        if text:
            sentences.append(Sentence(full_stop(text), (Source("own", case.id, name),)))
    paragraphs = [Paragraph("consequences", sentences)] if sentences else []
    fallbacks = [line.strip() for line in case.fallback_asks.splitlines() if line.strip()]
    if fallbacks:
        text = (
            "If full approval is not possible, I would accept: "
            f"{'; '.join(f.rstrip('.') for f in fallbacks)}."
        )
        paragraphs.append(
            Paragraph("fallback", [Sentence(text, (Source("own", case.id, "fallback asks"),))])
        )
    return paragraphs


def _closing(case: Any) -> Paragraph:
    src = (Source("letter"),)
    return Paragraph(
        "closing",
        [
            Sentence(
                "I am available for a peer-to-peer review with a physician of the same or a "
                "similar specialty.",
                src,
            ),
            Sentence(
                "Please send the decision in writing, with the reviewer's name and specialty, "
                "the criteria applied and the reference number.",
                src,
            ),
        ],
    )


def apply_edits(sections: list[Section], edits: Mapping[str, str]) -> None:
    """Replace, in place, each paragraph the clinician rewrote (by key) with their wording."""
    for section in sections:
        for i, p in enumerate(section.paragraphs):
            own = edits.get(p.key, "").strip()
            if own:
                section.paragraphs[i] = Paragraph(
                    p.key,
                    [Sentence(own, (Source("own", None, "rewritten"),))],
                    own=True,
                    generated=p.text,
                )
