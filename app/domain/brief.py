"""The medical-necessity letter of a case, assembled sentence by sentence, each knowing its
source, and argued against the denial it answers.

Nothing here invents a clinical statement: every sentence comes from what the clinician
entered (a fact, a criterion, a claim, the denial, their own wording) or from the library
(a citation), or is fixed connecting text of the letter itself. The argument follows the
denial category's plan (`app.domain.arguments`); a step with nothing to draw on is left
out. The Letter it builds is data (`app.domain.letter`); renderers draw it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from app.domain import argue as steps
from app.domain import dates
from app.domain import facts as fact_domain
from app.domain.arguments import plan_for
from app.domain.citing import apply_edits, number
from app.domain.letter import (
    Letter,
    Paragraph,
    Section,
    Sentence,
    Signer,
    Source,
    TreatmentRow,
    running_head,
)
from app.domain.prose import clause, lower_first, sentence
from app.domain.vocabulary import DENIAL_CATEGORIES, PLAN_TYPES, label

CRITERION_STATUSES = {
    "met": "Met",
    "not_met": "Not met",
    "na": "Not applicable",
    "needs_doc": "Needs documentation",
    "unset": "Not yet reviewed",
}
INTAKE = "intake"


def assemble(
    case: Any,
    today: date,
    edits: Mapping[str, str] | None = None,
    signers: Iterable[Any] = (),
    style: str = "dmy",
) -> Letter:
    """Build the letter for `case` (an object with the case's fields, facts, criteria,
    claims and documents) as of `today`, dates in `style`; `edits` maps paragraph keys to
    the clinician's own wording."""
    ctx = steps.Context.of(case, today, style)
    request = Section("request", "Request", [request_paragraph(ctx)])
    history = Section("history", "History and diagnosis", _history(ctx))
    plan = plan_for(case.denial_category)
    treatments = Section("treatments", "Prior treatments", _treatments(ctx, plan))
    argued = steps.argue(ctx, plan)
    request.paragraphs.append(denial_paragraph(ctx, plan, argued))
    sections = [
        request,
        history,
        treatments,
        Section("argument", plan.heading, argued.paragraphs),
        Section("consequences", "Consequences of denial", _consequences(ctx, argued)),
        Section("closing", "", [_closing()]),
    ]
    for s in sections:
        s.paragraphs = [p for p in s.paragraphs if p.sentences]
    sections = [s for s in sections if s.paragraphs]
    apply_edits(sections, edits or {}, ctx.registry)
    references = number(sections, ctx.registry)
    tried = ctx.by_kind.get("prior_treatment", [])
    return Letter(
        date=today,
        addressee=["Medical Director", "Utilization Management / Appeals", case.payer],
        re_block=re_block(case, style),
        sections=sections,
        treatments=[_row(f, style) for f in tried],
        enclosures=enclosures(case.documents, style),
        signers=[Signer.of(u) for u in signers],
        references=references,
        table_after="argument" if plan.category == "step_therapy" else "treatments",
        missing_steps=tuple(s.key for s in plan.steps if s.key not in argued.present),
        style=style,
        running_head=running_head(case.patient_name, case.patient_dob, case.member_id),
    )


def enclosures(documents: Iterable[Any], style: str = "dmy") -> list[str]:
    """What goes with the letter, itemized: each of the case's source documents."""
    return [
        f"{d.title} ({d.kind.lower()}, {dates.show(d.document_date, style)})" for d in documents
    ]


def possessive(payer: str) -> str:
    """A payer's name as a possessive: Summit Health's, Keystone Benefit Administrators'
    (a payer's name ending in s is a plural: Administrators, Services, Partners)."""
    return f"{payer}'" if payer.endswith("s") else f"{payer}'s"


def re_block(case: Any, style: str = "dmy") -> list[tuple[str, str]]:
    """The RE block's (label, value) rows: who, which plan and claim, what was denied; rows
    with no value are left out."""
    category = next((c for c in DENIAL_CATEGORIES if c.value == case.denial_category), None)
    service = case.service_description
    if case.drug_name and case.drug_strength:
        service = f"{service} ({case.drug_name} {case.drug_strength})"
    when = [dates.show(d, style) for d in (case.service_start, case.service_end) if d]
    rows = [
        ("Patient", case.patient_name),
        ("Date of birth", dates.show(case.patient_dob, style)),
        ("Member ID", case.member_id),
        ("Group number", case.group_number),
        ("Plan", label(PLAN_TYPES, case.plan_type)),
        ("Reference number", case.denial_reference),
        ("Denial date", dates.show(case.denial_received, style)),
        ("Denial reason", f"{category.label} (CARC {category.carc})" if category else ""),
        ("Service", service),
        ("CPT/HCPCS", case.procedure_codes),
        ("ICD-10-CM", case.diagnosis_codes),
        ("Dates of service", " – ".join(dict.fromkeys(when))),
    ]
    return [(k, v) for k, v in rows if v]


# --- the request and the denial -------------------------------------------------------------


def approval(case: Any) -> str:
    """What to approve, from the structured ask: "adalimumab 40 mg every 2 weeks (J0135),
    2 pens per 28 days, for 12 months"; "" when the ask names no service."""
    what = clause(getattr(case, "requested_service", "")) or clause(
        " ".join(p for p in (case.drug_name, case.drug_strength) if p)
    )
    if not what:
        return ""
    codes = f" ({case.procedure_codes})" if case.procedure_codes else ""
    quantity = clause(getattr(case, "requested_quantity", "")) or clause(case.drug_quantity)
    duration = clause(getattr(case, "requested_duration", ""))
    if duration and not duration.lower().startswith(("for ", "over ", "through ", "until ")):
        duration = f"for {duration}"
    site = lower_first(clause(case.site_of_care))
    parts = [f"{what}{codes}", quantity, duration]
    text = ", ".join(p for p in parts if p)
    return f"{text}, at the requested site of care, {site}" if site else text


def request_paragraph(ctx: steps.Context) -> Paragraph:
    """The request in one sentence, built from the structured ask; the clinician's own ask
    stands in only when no service to approve is recorded."""
    case = ctx.case
    src = (Source("case", case.id, "ask"),)
    who = ctx.patient.name()
    what = approval(case)
    sentences = []
    if what:
        sentences.append(
            Sentence(
                f"I am writing on behalf of my patient, {who}, to ask {case.payer} to reverse "
                f"its denial and approve {what}.",
                src,
            )
        )
    elif case.ask.strip():
        sentences.append(
            Sentence(f"I am writing on behalf of my patient, {who}.", (Source("case", case.id),))
        )
        sentences.append(Sentence(sentence(case.ask), (Source("own", case.id, "ask"),)))
    if case.urgency == "expedited":
        sentences.append(
            Sentence(
                "I ask that this request be decided on an expedited basis.",
                (Source("case", case.id, "urgency"),),
            )
        )
    return Paragraph("request", sentences)


def denial_statement(case: Any, style: str = "dmy") -> Sentence:
    """The denial's reason quoted verbatim, or a request for it in writing when the plan
    gave none."""
    src = (Source("case", case.id, "denial_reason"),)
    if case.denial_reason.strip() and not case.denial_reason_missing:
        when = f" dated {dates.show(case.denial_received, style)}" if case.denial_received else ""
        ref = f" (reference {case.denial_reference})" if case.denial_reference else ""
        quoted = " ".join(case.denial_reason.split())
        return Sentence(f"The denial{when}{ref} states: “{quoted}”", src)
    return Sentence(
        "The reason for the denial has not been provided in writing; I ask that it be "
        "sent to my office with the criteria applied.",
        src,
    )


def denial_paragraph(ctx: steps.Context, plan: Any, argued: steps.Argued) -> Paragraph:
    """The payer's reason quoted, then one sentence on why it does not hold: the
    clinician's own, or what the letter goes on to show."""
    case = ctx.case
    sentences = [denial_statement(case, ctx.style)]
    if case.denial_reason.strip() and not case.denial_reason_missing:
        thesis = getattr(case, "thesis", "").strip()
        if thesis:
            sentences.append(Sentence(sentence(thesis), (Source("own", case.id, "thesis"),)))
        elif argued.gists:
            sentences.append(
                Sentence(
                    f"It does not hold, for the reasons set out below: {argued.roadmap()}.",
                    (Source("letter"),),
                )
            )
    return Paragraph("denial", sentences)


# --- history, treatments, consequences -----------------------------------------------------


def _history(ctx: steps.Context) -> list[Paragraph]:
    w, case = ctx.writer, ctx.case
    who = ctx.patient
    age = dates.age(case.patient_dob, ctx.today)
    diagnoses = ctx.by_kind.get("diagnosis", [])
    first = []
    if diagnoses:
        d = diagnoses[0]
        first.append(
            Sentence(
                f"{who.name()}, aged {age}, has {w.diagnosis(d)}.",
                (Source("case", case.id, "patient_dob"), *ctx.source(d)),
            )
        )
        for d in diagnoses[1:]:
            text = f"{who.he.capitalize()} also {who.verb('has', 'have')} {w.diagnosis(d)}."
            first.append(Sentence(text, ctx.source(d)))
        ctx.said.update({d.id: "above" for d in diagnoses})
    else:
        first.append(
            Sentence(f"{who.name()} is {age} years old.", (Source("case", case.id, "patient_dob"),))
        )
    for f in ctx.unargued("history"):
        first.append(Sentence(sentence(w.said(f)), ctx.source(f)))
    for f in ctx.unargued("finding"):
        first.append(Sentence(sentence(w.finding(f)), ctx.source(f)))
    paragraphs = [Paragraph("history", first)]
    scores = _scores(ctx, ctx.unargued("pro"))
    if scores:
        paragraphs.append(Paragraph("outcomes", scores))
    return paragraphs


def _scores(ctx: steps.Context, pros: list[Any]) -> list[Sentence]:
    """Scores with their bands; a measure scored more than once reads as a change over time."""
    from app.domain.outcomes import fmt, instrument

    series: dict[str, list[Any]] = {}
    for f in sorted(pros, key=lambda f: f.fact_date or ""):
        series.setdefault(f.instrument, []).append(f)
    out = []
    for code, points in series.items():
        item = instrument(code)
        if item is None:
            continue
        sources = tuple(s for p in points for s in ctx.source(p))
        last = points[-1]
        if len(points) == 1:
            out.append(Sentence(sentence(ctx.writer.score(last)), sources))
            continue
        band = fact_domain.band(code, last.score)
        first = points[0]
        text = (
            f"{ctx.patient.his} {item.name} score went from {fmt(first.score)}{item.unit} on "
            f"{ctx.writer.day(first.fact_date)} to {fmt(last.score)}{item.unit} on "
            f"{ctx.writer.day(last.fact_date)}{f', in the {band} range' if band else ''}"
        )
        out.append(Sentence(sentence(text), sources))
    ctx.said.update({f.id: "above" for f in pros})
    return out


def _row(f: Any, style: str) -> TreatmentRow:
    first, last = (dates.show(d, style) for d in (f.start_date, f.stop_date))
    if first and last:
        span = first if first == last else f"{first} – {last}"
    else:
        span = f"since {first}" if first else (f"until {last}" if last else "")
    outcome = label(fact_domain.TREATMENT_OUTCOMES, f.outcome)
    return TreatmentRow(f.therapy or "", f.dose or "", span, outcome, f.reason_stopped or "", f.id)


def _treatments(ctx: steps.Context, plan: Any) -> list[Paragraph]:
    if plan.category == "step_therapy":
        return []  # the step-therapy argument walks each trial itself, with the table
    tried = ctx.by_kind.get("prior_treatment", [])
    sentences = []
    if tried:
        n = len(tried)
        sentences.append(
            Sentence(
                f"{ctx.patient.name()} has tried {n} treatment{'s' if n > 1 else ''} for this "
                "condition, set out in the table below with dates and outcomes.",
                tuple(s for f in tried for s in ctx.source(f)),
            )
        )
        ctx.said.update({f.id: "above" for f in tried})
    for f in ctx.unargued("contraindication"):
        text = f"The chart documents a contraindication: {lower_first(ctx.writer.said(f))}."
        sentences.append(Sentence(text, ctx.source(f)))
        ctx.said[f.id] = "above"
    return [Paragraph("treatments", sentences)] if sentences else []


def _consequences(ctx: steps.Context, argued: steps.Argued) -> list[Paragraph]:
    case, w = ctx.case, ctx.writer
    sentences = [
        Sentence(sentence(w.said(f)), ctx.source(f))
        for f in ctx.by_kind.get("functional_impact", [])
        if f.id not in ctx.said
    ]
    for f in ctx.by_kind.get("goal", []):
        if f.id in ctx.said:
            continue
        goal = clause(f.text)
        text = (
            f"{ctx.patient.his.capitalize()} goal is {lower_first(goal)}."
            if lower_first(goal).startswith("to ")
            else f"{ctx.patient.his.capitalize()} own goal, as recorded: “{goal}.”"
        )
        sentences.append(Sentence(text, ctx.source(f)))
    for name in ("framing", "risks"):
        if name == "risks" and argued.used_risks:
            continue
        text = getattr(case, name).strip()
        if text:
            sentences.append(Sentence(sentence(text), (Source("own", case.id, name),)))
    paragraphs = [Paragraph("consequences", sentences)] if sentences else []
    fallback = fallback_sentence(case)
    if fallback is not None:
        paragraphs.append(Paragraph("fallback", [fallback]))
    return paragraphs


_ASK_VERB = re.compile(r"^(?:please\s+)?(?:approve|authori[sz]e|allow|cover)\s+", re.IGNORECASE)
_ACCEPTABLE = re.compile(r"\s+(?:is\s+|would be\s+)?acceptable$", re.IGNORECASE)


def fallbacks(case: Any) -> list[str]:
    """The fallbacks the clinician would accept, each as what to approve."""
    out = []
    for line in case.fallback_asks.splitlines():
        text = _ACCEPTABLE.sub("", _ASK_VERB.sub("", clause(line)))
        if text:
            out.append(lower_first(text))
    return out


def fallback_sentence(case: Any) -> Sentence | None:
    """The fallbacks written as requests: "If … cannot approve the full request, I ask it to
    approve a 6-month trial; failing that, biosimilar adalimumab." """
    asks = fallbacks(case)
    if not asks:
        return None
    text = f"If {case.payer} cannot approve the full request, I ask it to approve {asks[0]}"
    text += "".join(f"; failing that, {a}" for a in asks[1:])
    return Sentence(f"{text}.", (Source("own", case.id, "fallback asks"),))


def _closing() -> Paragraph:
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


# --- the clinician's rewrites, and the reference numbers --------------------------------------
