"""The letter's argument, built step by step from the denial category's plan
(`app.domain.arguments`): each step draws only on what the case holds, and a step with
nothing to draw on gives no paragraph.

Each fact is said once in full: a later step that rests on it points back ("as set out
above", "as shown under criterion 2") instead of saying it again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.domain import facts as fact_domain
from app.domain.arguments import CLAIM_KINDS, Plan, Step, answered
from app.domain.letter import Cite, Paragraph, Sentence, Source
from app.domain.outcomes import instrument
from app.domain.prose import Patient, Writer, clause, joined, lower_first, sentence, strongest_first
from app.domain.vocabulary import CRITERIA_SETS, label

_KIND_ORDER = {c.value: i for i, c in enumerate(CLAIM_KINDS)}
_STEP_RULE = re.compile(
    r"\btr(?:y|ied|ial)|\bfail|\bstep\b|\bpreferred\b|\bconventional\b|\bformulary\b",
    re.IGNORECASE,
)
_REPLY = {
    "durability": "the long-term follow-up below answers that",
    "regulatory": "the regulatory record below answers that",
    "trials": "the trial results below answer that",
    "guideline": "the guideline's position below answers that",
    "criteria": "the criteria are taken one by one below",
    "population": "the criteria are taken one by one below",
    "prior_trials": "the record of each trial below answers that",
    "rule": "the record of each trial below answers that",
    "enclosed": "the records are enclosed with this letter",
}


@dataclass
class Context:
    """What the letter's parts share: the case, how it is written, what was said where."""

    case: Any
    today: date
    style: str
    patient: Patient
    writer: Writer
    facts: list[Any]
    by_kind: dict[str, list[Any]]
    registry: dict[int, Any]  # citation id -> citation, for numbering and {cite:KEY}
    argued: set[int] = field(default_factory=set)  # facts the argument says itself
    said: dict[int, str] = field(default_factory=dict)  # fact id -> where it was said
    placed: set[int] = field(default_factory=set)  # claims already in the letter
    policy_named: bool = False  # the criteria set is named once, with the first criterion
    included: set[int] = field(default_factory=set)  # the facts in the letter
    shown: set[int] = field(default_factory=set)  # the criteria the letter argues

    @classmethod
    def of(cls, case: Any, today: date, style: str = "dmy") -> Context:
        patient = Patient.of(case)
        facts = [f for f in case.facts if f.in_letter]
        by_kind: dict[str, list[Any]] = {}
        for f in facts:
            by_kind.setdefault(f.kind, []).append(f)
        registry = {link.citation.id: link.citation for link in case.citations}
        for c in case.criteria:
            registry.update({e.citation.id: e.citation for e in c.evidence})
        ctx = cls(case, today, style, patient, Writer(patient, style), facts, by_kind, registry)
        ctx.included = {f.id for f in facts}
        ctx.shown = {
            c.id
            for c in case.criteria
            if c.status != "na" and (any(f.id in ctx.included for f in c.facts) or c.note.strip())
        }
        ctx.argued = _argued_facts(ctx)
        return ctx

    def unargued(self, kind: str) -> list[Any]:
        """Facts of `kind` in the letter that no step of the argument says itself."""
        return [f for f in self.by_kind.get(kind, []) if f.id not in self.argued]

    def source(self, f: Any) -> tuple[Source, ...]:
        """The fact a sentence comes from, by name where one sentence may rest on several."""
        if f.kind == "pro":
            measure = instrument(f.instrument)
            name = measure.name if measure else f.instrument
        else:
            name = f.therapy if f.kind in ("prior_treatment", "current_treatment") else ""
        kind = fact_domain.kind(f.kind)
        what = kind.label if kind else f.kind
        return (Source("fact", f.id, f"{what} ({name})" if name else what),)

    def active_criteria(self) -> list[tuple[int, Any]]:
        """The criteria that apply, with the payer's own number (their place in the list)."""
        return [(n, c) for n, c in enumerate(self.case.criteria, start=1) if c.status != "na"]

    def policy(self) -> str:
        """The criteria set as a letter names it: "Keystone's pharmacy policy RX-417"."""
        from app.domain.brief import possessive

        case = self.case
        named = case.criteria_detail.strip() or (
            label(CRITERIA_SETS, case.criteria_set)
            if case.criteria_set and case.criteria_set != "unknown"
            else "policy"
        )
        return f"{possessive(case.payer)} {lower_first(named)}"


def _argued_facts(ctx: Context) -> set[int]:
    ids = {f.id for _, c in ctx.active_criteria() for f in c.facts if f.id in ctx.included}
    category = ctx.case.denial_category
    if category == "step_therapy":
        for kind in ("prior_treatment", "contraindication", "current_treatment"):
            ids |= {f.id for f in ctx.by_kind.get(kind, [])}
    if category in ("site_of_care", "level_of_care", "out_of_network"):
        ids |= {f.id for f in ctx.by_kind.get("contraindication", [])}
    if category == "insufficient_documentation":
        answering = {d.id for d in ctx.case.documents if getattr(d, "answers_denial", False)}
        ids |= {f.id for f in ctx.facts if f.source_id in answering}
    return ids - {f.id for f in ctx.by_kind.get("diagnosis", [])}


@dataclass
class Argued:
    paragraphs: list[Paragraph] = field(default_factory=list)
    gists: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)  # the keys of the steps in the letter
    used_risks: bool = False

    def roadmap(self) -> str:
        return joined(self.gists)


def argue(ctx: Context, plan: Plan) -> Argued:
    """The argument's paragraphs, step by step; steps with nothing to say are left out, and
    a step that answers a clause of the payer's words opens by quoting it."""
    built: list[tuple[Step, list[Paragraph]]] = []
    argued = Argued()
    for step in plan.steps:
        paragraphs = BUILDERS[step.key](ctx, argued)
        if paragraphs:
            built.append((step, paragraphs))
    present = {s.key for s, _ in built}
    replies = answered(
        plan, ctx.case.denial_reason if not ctx.case.denial_reason_missing else "", present
    )
    for step, paragraphs in built:
        if step.key in replies:
            quote = Sentence(
                f"The denial says “{replies[step.key]}”; {_REPLY[step.key]}.",
                (Source("case", ctx.case.id, "denial_reason"),),
            )
            paragraphs[0].sentences.insert(0, quote)
        gist = step.gist.replace("the patient", ctx.patient.short)
        if gist and gist not in argued.gists:
            argued.gists.append(gist)
        argued.present.append(step.key)
        argued.paragraphs.extend(paragraphs)
    return argued


# --- claims --------------------------------------------------------------------------------


def claim_sentence(ctx: Context, link: Any) -> Sentence:
    """A claim in the clinician's words, cited with its pinpoint; a guideline's grade is
    added when the claim does not already state it."""
    citation = link.citation
    kind = getattr(link, "kind", "") or "trial"
    text = sentence(link.claim)
    grade = (citation.grade or "").strip()
    if kind in ("guideline", "consensus") and grade and grade.lower() not in text.lower():
        system = f"{citation.grade_system}: " if citation.grade_system else ""
        text = f"{text[:-1]} ({system}{lower_first(grade)})."
    named = next((c.label for c in CLAIM_KINDS if c.value == kind), "Claim")
    ctx.placed.add(link.id)
    return Sentence(
        text,
        (Source("claim", link.id, named.split(" (")[0].lower()),),
        cites=(Cite(citation.id, citation.key, link.pinpoint or ""),),
    )


def _claims(ctx: Context, kinds: tuple[str, ...]) -> list[Any]:
    return sorted(
        (
            link
            for link in ctx.case.citations
            if link.id not in ctx.placed
            and (getattr(link, "kind", "") or "trial") in kinds
            and not _on_shown_criterion(ctx, link)
        ),
        key=lambda link: (_KIND_ORDER.get(getattr(link, "kind", ""), 99), link.position, link.id),
    )


def _on_shown_criterion(ctx: Context, link: Any) -> bool:
    """A claim linked to a criterion the letter argues is cited there, not again."""
    if not getattr(link, "criterion_id", None):
        return False
    return link.criterion_id in ctx.shown


def _claim_step(kinds: tuple[str, ...], key: str):
    def build(ctx: Context, argued: Argued) -> list[Paragraph]:
        sentences = [claim_sentence(ctx, link) for link in _claims(ctx, kinds)]
        return [Paragraph(f"argument-{key}", sentences)] if sentences else []

    return build


def _evidence(ctx: Context, argued: Argued) -> list[Paragraph]:
    every = tuple(c.value for c in CLAIM_KINDS)
    sentences = [claim_sentence(ctx, link) for link in _claims(ctx, every)]
    return [Paragraph("argument-evidence", sentences)] if sentences else []


# --- criteria ------------------------------------------------------------------------------


def _shown(ctx: Context, c: Any) -> bool:
    """A criterion is argued when a fact in the letter shows it, or the clinician wrote a
    note on it; a criterion with neither is left to the readiness check."""
    return c.id in ctx.shown


def _criteria(
    ctx: Context, argued: Argued, skip: set[int] | None = None, only: set[int] | None = None
) -> list[Paragraph]:
    paragraphs = []
    included = ctx.included
    policy = ctx.policy()
    for n, c in ctx.active_criteria():
        if (skip and c.id in skip) or (only is not None and c.id not in only):
            continue
        if not _shown(ctx, c):
            continue
        src = (Source("criterion", c.id, f"criterion {n}"),)
        # The policy is named with the first criterion; the others follow it by number.
        of = f" of {policy}" if not ctx.policy_named else ""
        ctx.policy_named = True
        sentences = [Sentence(f"Criterion {n}{of} requires “{clause(c.text)}”.", src)]
        facts = strongest_first([f for f in c.facts if f.id in included])
        fresh = [f for f in facts if f.id not in ctx.said]
        earlier = sorted({ctx.said[f.id] for f in facts if f.id in ctx.said})
        meets = c.status in ("met", "needs_doc")
        lead = f"{ctx.patient.name()} meets it" if meets else "The record shows"
        cites = tuple(
            Cite(e.citation.id, e.citation.key, e.pinpoint or "")
            for e in c.evidence
            if not (e.citation.recommendation or "").strip()
        )
        clauses = [ctx.writer.clause_of(f) for f in fresh]
        where = joined(earlier)
        also = f"as set out {where}" if where == "above" else f"as shown {where}"
        if len(clauses) == 1 and ";" not in clauses[0]:
            text = f"{lead}: {clauses[0]}"
            sentences.append(Sentence(sentence(text), ctx.source(fresh[0]) + src, cites=cites))
        elif clauses:
            # One sentence: the requirement and that it is met, then the facts that show it.
            required = sentences.pop().text.removesuffix(".")
            joined_text = (
                f"{required}, and {ctx.patient.name()} meets it"
                if meets
                else f"{required}; the record shows what follows"
            )
            sentences.append(Sentence(sentence(joined_text), src, cites=cites))
            sentences += [
                Sentence(sentence(c_), ctx.source(f)) for c_, f in zip(clauses, fresh, strict=True)
            ]
        elif earlier:
            verb = f"{lead}, as" if meets else "This is"
            text = f"{verb} {also.removeprefix('as ')}"
            sentences.append(
                Sentence(
                    sentence(text), tuple(s for f in facts for s in ctx.source(f)), cites=cites
                )
            )
        cited = len(sentences) > 1
        for f in fresh:
            ctx.said[f.id] = f"under criterion {n}"
        for e in c.evidence:
            if (e.citation.recommendation or "").strip():
                sentences.append(_recommendation(e))
        for link in ctx.case.citations:
            if getattr(link, "criterion_id", None) == c.id and link.id not in ctx.placed:
                sentences.append(claim_sentence(ctx, link))
        if c.note.strip():
            note_cites = () if cited else cites
            sentences.append(
                Sentence(sentence(c.note), (Source("own", c.id, "note"),), cites=note_cites)
            )
        paragraphs.append(Paragraph(f"criterion-{c.id}", sentences))
    return paragraphs


def _recommendation(e: Any) -> Sentence:
    citation = e.citation
    issuer = citation.issuer.strip()
    who = f"The {issuer} guideline" if issuer else "The guideline"
    grade = (citation.grade or "").strip()
    system = f"{citation.grade_system}: " if citation.grade_system else ""
    rest = f" ({system}{lower_first(grade)})" if grade else ""
    text = f"{who} states: “{clause(citation.recommendation)}”{rest}."
    return Sentence(
        text,
        (Source("citation", citation.id, citation.key),),
        cites=(Cite(citation.id, citation.key, e.pinpoint or ""),),
    )


def _rule_criteria(ctx: Context) -> list[tuple[int, Any]]:
    return [(n, c) for n, c in ctx.active_criteria() if _STEP_RULE.search(c.text)]


def _rule(ctx: Context, argued: Argued) -> list[Paragraph]:
    """The plan's step rule, quoted from the criterion that states it, met by the trials
    linked to it (each said here, once)."""
    return _criteria(ctx, argued, only={c.id for _, c in _rule_criteria(ctx)})


def _criteria_step(ctx: Context, argued: Argued) -> list[Paragraph]:
    skip = (
        {c.id for _, c in _rule_criteria(ctx)}
        if ctx.case.denial_category == "step_therapy"
        else set()
    )
    return _criteria(ctx, argued, skip)


# --- step therapy --------------------------------------------------------------------------


def _prior_trials(ctx: Context, argued: Argued) -> list[Paragraph]:
    tried = [
        f
        for f in ctx.by_kind.get("prior_treatment", [])
        if f.outcome != "contraindicated" and f.id not in ctx.said
    ]
    sentences = []
    for i, f in enumerate(tried):
        subject = ctx.patient.name() if i == 0 else None
        sentences.append(Sentence(sentence(ctx.writer.trial(f, subject)), ctx.source(f)))
        ctx.said[f.id] = "above"
    if not sentences:
        return []
    sentences.append(Sentence("Each trial is set out in the table below.", (Source("letter"),)))
    return [Paragraph("argument-prior-trials", sentences)]


def _exceptions(ctx: Context, argued: Argued) -> list[Paragraph]:
    every = [f for f in ctx.by_kind.get("prior_treatment", []) if f.outcome == "contraindicated"]
    every += ctx.by_kind.get("contraindication", [])
    if not every:
        return []
    fresh = [f for f in every if f.id not in ctx.said]
    one = len(every) == 1
    which = "this" if one else "each"
    where = "" if fresh else " above"  # said already, under the criterion it meets
    sentences = [
        Sentence(
            f"I ask that {which} documented contraindication{where} be treated as an "
            "exception to the step requirement.",
            (Source("letter"), *(s for f in every for s in ctx.source(f))),
        )
    ]
    for f in fresh:
        text = ctx.writer.trial(f) if f.kind == "prior_treatment" else ctx.writer.said(f)
        sentences.append(Sentence(sentence(text), ctx.source(f)))
        ctx.said[f.id] = "above"
    return [Paragraph("argument-exceptions", sentences)]


def _stability(ctx: Context, argued: Argued) -> list[Paragraph]:
    current = ctx.by_kind.get("current_treatment", [])
    if not current:
        return []
    sentences = [Sentence(sentence(ctx.writer.current(f)), ctx.source(f)) for f in current]
    ctx.said.update({f.id: "above" for f in current})
    sentences.append(
        Sentence(
            "I ask that this treatment not be interrupted to meet the step requirement.",
            (Source("letter"),),
        )
    )
    return [Paragraph("argument-stability", sentences)]


# --- documentation, setting ---------------------------------------------------------------


def _answering(ctx: Context) -> list[Any]:
    return [d for d in ctx.case.documents if getattr(d, "answers_denial", False)]


def _enclosed(ctx: Context, argued: Argued) -> list[Paragraph]:
    docs = _answering(ctx)
    if not docs:
        return []
    items = [
        f"the {lower_first(clause(d.title))} of {ctx.writer.day(d.document_date)}" for d in docs
    ]
    verb = (
        "record the denial asked for is" if len(docs) == 1 else "records the denial asked for are"
    )
    text = f"The {verb} enclosed: {joined(items)}."
    return [
        Paragraph(
            "argument-enclosed",
            [Sentence(text, tuple(Source("document", d.id, d.title) for d in docs))],
        )
    ]


def _shows(ctx: Context, argued: Argued) -> list[Paragraph]:
    ids = {d.id for d in _answering(ctx)}
    facts = [f for f in ctx.facts if f.source_id in ids and f.id not in ctx.said]
    facts.sort(key=lambda f: f.fact_date or f.start_date or "")
    if not facts:
        return []
    many = len(ids) > 1
    shown = joined([ctx.writer.clause_of(f) for f in facts])
    text = f"{'They record' if many else 'It records'} that {shown}."
    ctx.said.update({f.id: "above" for f in facts})
    return [
        Paragraph(
            "argument-shows", [Sentence(text, tuple(s for f in facts for s in ctx.source(f)))]
        )
    ]


def _unsafe(ctx: Context, argued: Argued) -> list[Paragraph]:
    sentences = []
    risks = ctx.case.risks.strip()
    if risks:
        sentences.append(Sentence(sentence(risks), (Source("own", ctx.case.id, "risks"),)))
        argued.used_risks = True
    for f in ctx.by_kind.get("contraindication", []):
        if f.id not in ctx.said:
            sentences.append(Sentence(sentence(ctx.writer.said(f)), ctx.source(f)))
            ctx.said[f.id] = "above"
    return [Paragraph("argument-setting", sentences)] if sentences else []


BUILDERS = {
    "regulatory": _claim_step(("regulatory", "label", "compendium"), "regulatory"),
    "trials": _claim_step(("trial",), "trials"),
    "durability": _claim_step(("durability",), "durability"),
    "guideline": _claim_step(("guideline", "consensus"), "guideline"),
    "criteria": _criteria_step,
    "population": _criteria_step,
    "rule": _rule,
    "prior_trials": _prior_trials,
    "exceptions": _exceptions,
    "stability": _stability,
    "enclosed": _enclosed,
    "shows": _shows,
    "unsafe": _unsafe,
    "evidence": _evidence,
}
