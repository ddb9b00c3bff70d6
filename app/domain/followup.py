"""The letters after the peer-to-peer call: the confirmation of the call, the formal appeal
(a reconsideration for Medicare Advantage) and the request for external review.

Like the letter of medical necessity (`app.domain.brief`), each is a `Letter` of sentences
that name their sources, and says only what the clinician entered: the call sheet, the
case's path (denial, appeal, their dates), the brief. A sentence whose data is missing is
left out, never printed with a blank. The appeal and the external review carry the brief's
clinical case as it stands, its references numbered in order of first use.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from app.domain import call_sentences as said
from app.domain import dates
from app.domain.brief import (
    approval,
    assemble,
    possessive,
    re_block,
)
from app.domain.citing import apply_edits
from app.domain.letter import (
    Letter,
    Paragraph,
    Section,
    Sentence,
    Signer,
    Source,
    running_head,
)
from app.domain.prose import Patient, clause, joined, lower_first
from app.domain.readiness import Warning, profile_gaps

CONFIRMATION = "Confirmation of peer-to-peer review"
APPEAL = "Request for internal appeal"
RECONSIDERATION = "Request for reconsideration"
EXTERNAL = "Request for external review"

# The sections of the brief a later letter carries over; its request and closing are its own.
CLINICAL = ("history", "treatments", "argument", "consequences")
LETTER = (Source("letter"),)


def latest_call(calls: Iterable[Any]) -> Any | None:
    """The latest logged call (one with an outcome), by when it was held; None if none is."""
    logged = [c for c in calls if c.outcome]
    if not logged:
        return None
    return max(logged, key=lambda c: (c.held_at or c.scheduled_at or datetime.min, c.id))


def appeal_word(case: Any) -> str:
    """What the plan's internal appeal is called: a reconsideration for Medicare Advantage."""
    return "reconsideration" if case.plan_type == "medicare_advantage" else "internal appeal"


# --- the confirmation of the call ----------------------------------------------------------


def confirmation(
    case: Any, call: Any, today: date, signers: Iterable[Any] = (), style: str = "dmy"
) -> Letter:
    """The letter confirming a logged call, to the plan's medical director: with whom and
    when, what was asked, the criteria the reviewer named, the outcome and reason as stated,
    what would change the decision, what the reviewer agreed to do (only what the call log
    records as theirs: the clinician's own next step stays out), and a request for the
    decision in writing."""
    signers = list(signers)
    heard = said.present(
        said.criteria(call),
        said.outcome(call),
        said.stated(call, "reviewer_reason", "The reason you gave was: “{}.”"),
        said.stated(call, "would_change", said.WOULD_CHANGE),
        _commitment(call),
    )
    closing = said.present(
        _specialty_request(call, signers),
        _in_writing(call),
        Sentence(
            "If this summary differs from your record of the call, please tell my office in "
            "writing.",
            LETTER,
        ),
    )
    sections = [
        Section(
            "request",
            "",
            [Paragraph("confirmation", [_conversation(case, call), _asked(case, style)])],
        ),
        Section("p2p", "", [Paragraph("call", heard)] if heard else []),
        Section("closing", "", [Paragraph("confirmation-closing", closing)]),
    ]
    addressee = ["Medical Director", "Utilization Management", case.payer]
    if said.reviewer(call):
        addressee.append(f"Attention: {said.reviewer(call)}")
    return Letter(
        date=today,
        addressee=addressee,
        re_block=said.with_call(re_block(case, style), call),
        sections=[s for s in sections if s.paragraphs],
        treatments=[],
        enclosures=[],
        signers=[Signer.of(u) for u in signers],
        references=[],
        title=CONFIRMATION,
        style=style,
        running_head=running_head(case.patient_name, case.patient_dob, case.member_id),
    )


def _conversation(case: Any, call: Any) -> Sentence:
    on = said.when(call.held_at)
    # The reviewer last: "Alan Reyes, MD (internal medicine)" then ends the sentence cleanly.
    text = (
        f"This letter confirms my peer-to-peer conversation about my patient, "
        f"{case.patient_name},{f' on {on}' if on else ''} with {said.reviewer_phrase(call)}."
    )
    fields = ("held_at", "reviewer_name", "reviewer_credentials", "reviewer_specialty")
    return Sentence(text, (*(said.source(call, f) for f in fields), _case(case)))


def _commitment(call: Any) -> Sentence | None:
    """What the reviewer agreed to do, as the call log records it."""
    text = clause(getattr(call, "reviewer_commitment", ""))
    if not text:
        return None
    text = lower_first(text)
    text = text[3:] if text.startswith("to ") else text
    return Sentence(f"You agreed to {text}.", (said.source(call, "reviewer_commitment"),))


def _asked(case: Any, style: str = "dmy") -> Sentence:
    urgent = " on an expedited basis" if case.urgency == "expedited" else ""
    what = approval(case) or "the service requested"
    if case.denial_received:
        ref = f" (reference {case.denial_reference})" if case.denial_reference else ""
        text = (
            f"I asked {case.payer} to reverse its denial dated "
            f"{dates.show(case.denial_received, style)}{ref} and to approve {what}{urgent}."
        )
    else:
        text = f"I asked {case.payer} to approve {what}{urgent}."
    return Sentence(text, (_case(case, "ask"),))


def _specialty_request(call: Any, signers: list[Any]) -> Sentence | None:
    if not said.differs(call, signers):
        return None
    differs = said.mismatch(call, signers)
    return Sentence(
        f"{differs.text[:-1]}; I request that any further review of this case be done by a "
        "physician in the same or a similar specialty.",
        differs.sources,
    )


def _in_writing(call: Any) -> Sentence:
    ref = call.reference_number.strip()
    if not ref:
        return Sentence(
            "Please send me the decision in writing, with the reviewer's name and credentials "
            "and the reference number of this review.",
            LETTER,
        )
    return Sentence(
        "Please send me the decision in writing, with the reviewer's name and credentials "
        f"and reference number {ref}.",
        (*LETTER, said.source(call, "reference_number")),
    )


# --- the appeal ----------------------------------------------------------------------------


def appeal(
    case: Any,
    call: Any | None,
    today: date,
    edits: Mapping[str, str] | None = None,
    signers: Iterable[Any] = (),
    style: str = "dmy",
) -> Letter:
    """The formal appeal (a reconsideration for Medicare Advantage): a formal request, the
    denial quoted and answered as in the brief's letter, what the peer-to-peer review
    revealed (when there was one: `call` may be None) with the reviewer's stated reason and
    what they said would change the decision, the brief's clinical case as it stands, and a
    closing that asks for a reviewer of the same or a similar specialty."""
    signers = list(signers)
    letter = assemble(case, today, edits, signers, style)
    word = appeal_word(case)
    own = [
        Section("request", "Request", [_appeal_request(case, call, word, style)]),
        Section("p2p", "The peer-to-peer review", _revealed(case, call, signers, style)),
        Section("closing", "", [_appeal_closing(word)]),
    ]
    _replace(letter, own, edits)
    letter.addressee = ["Medical Director", "Appeals Department", case.payer]
    letter.title = RECONSIDERATION if word == "reconsideration" else APPEAL
    if call is not None:
        letter.re_block = said.with_call(letter.re_block, call)
    return letter


def _appeal_request(case: Any, call: Any | None, word: str, style: str) -> Paragraph:
    urgent = ", and to decide it on an expedited basis" if case.urgency == "expedited" else ""
    article = "a" if word == "reconsideration" else "an"
    first = Sentence(
        f"I am writing on behalf of my patient, {Patient.of(case).full}, to request {article} "
        f"{word} of {possessive(case.payer)} denial of {_service(case)}{urgent}.",
        (_case(case, "ask"),),
    )
    call_result = [said.result(call)] if call is not None else []
    return Paragraph("appeal-request", [first, *call_result])


def enclosed_for(case: Any, call: Any) -> list[Any]:
    """The enclosed documents marked as what the reviewer on `call` asked for."""
    return [d for d in case.documents if getattr(d, "answers_call_id", None) == call.id]


def _revealed(case: Any, call: Any | None, signers: list[Any], style: str) -> list[Paragraph]:
    """What the call revealed: the reviewer's stated reason, the criteria and what would
    change the decision, and that it is enclosed only when a document marked as the
    reviewer's request is among the enclosures; then, in a paragraph of its own, a reviewer
    of another specialty and the team's note on the rule."""
    if call is None:
        return []
    heard = said.present(
        said.stated(
            call, "reviewer_reason", "The reviewer gave this reason for the decision: “{}.”"
        ),
        said.criteria(call),
        said.stated(call, "would_change", said.WOULD_CHANGE),
    )
    docs = enclosed_for(case, call)
    if docs and clause(call.would_change):
        items = [
            f"the {lower_first(clause(d.title))} of {dates.show(d.document_date, style)}"
            for d in docs
        ]
        heard.append(
            Sentence(
                f"{'It is' if len(docs) == 1 else 'They are'} enclosed: {joined(items)}.",
                tuple(Source("document", d.id, d.title) for d in docs),
            )
        )
    paragraphs = [Paragraph("p2p", heard)] if heard else []
    if said.differs(call, signers):
        specialty = [said.mismatch(call, signers), *said.specialty_note(case.team)]
        paragraphs.append(Paragraph("p2p-specialty", specialty))
    return paragraphs


def _appeal_closing(word: str) -> Paragraph:
    return Paragraph(
        "appeal-closing",
        [
            Sentence(
                f"I ask that this {word} be decided by a physician in the same or a similar "
                "specialty who took no part in the earlier decision.",
                LETTER,
            ),
            Sentence("I am available to discuss this case with the reviewer.", LETTER),
            Sentence(
                "Please send the decision in writing, with the reviewer's name and specialty, "
                "the criteria applied and the reference number.",
                LETTER,
            ),
        ],
    )


# --- the external review -------------------------------------------------------------------


def external_review(
    case: Any,
    calls: Iterable[Any],
    today: date,
    edits: Mapping[str, str] | None = None,
    signers: Iterable[Any] = (),
    style: str = "dmy",
) -> Letter:
    """The request for external review of the plan's final internal denial, to the
    independent review organization: the request, the decisions so far (denial, each
    peer-to-peer review, the appeal), then the brief's clinical case. The brief's fallback
    asks stay out: an independent reviewer upholds or overturns, it does not negotiate."""
    signers = list(signers)
    letter = assemble(case, today, edits, signers, style)
    for section in letter.sections:
        section.paragraphs = [p for p in section.paragraphs if p.key != "fallback"]
    held = sorted(
        (c for c in calls if c.outcome or c.held_at),
        key=lambda c: (c.held_at or datetime.min, c.id),
    )
    own = [
        Section("request", "Request", [_external_request(case, style)]),
        Section("path", "The decisions so far", _path(case, held, signers, style)),
        Section("closing", "", [_external_closing()]),
    ]
    _replace(letter, own, edits)
    entity = "Entity" if case.plan_type == "medicare_advantage" else "Organization"
    letter.addressee = [f"Independent Review {entity}", "External Review"]
    if _final_denial(case):
        final = f"{dates.show(case.appeal_decided, style)}, " if case.appeal_decided else ""
        row = f"{final}{appeal_word(case)} upheld"
        letter.re_block = said.with_row(letter.re_block, "Final internal decision", row)
    letter.salutation = "Dear Reviewer:"
    letter.title = EXTERNAL
    return letter


def _external_request(case: Any, style: str) -> Paragraph:
    urgent = ", and to decide it on an expedited basis" if case.urgency == "expedited" else ""
    if _final_denial(case):
        on = f" on {dates.show(case.appeal_decided, style)}" if case.appeal_decided else ""
        what = f"final decision to deny {_service(case)}, upheld on {appeal_word(case)}{on}"
    else:
        what = f"denial of {_service(case)}"
    first = Sentence(
        f"I am writing on behalf of my patient, {Patient.of(case).full}, to request an "
        f"external review of {possessive(case.payer)} {what}{urgent}.",
        (_case(case, "ask"), _case(case, "appeal_outcome"), _case(case, "appeal_decided")),
    )
    return Paragraph("external-request", [first])


def _path(case: Any, calls: list[Any], signers: list[Any], style: str) -> list[Paragraph]:
    """The case's path in order, a paragraph a step: the request and its denial, each call
    held, the appeal."""
    paragraphs = []
    received = dates.show(case.request_received, style)
    denied = dates.show(case.denial_received, style)
    ref = f" (reference {case.denial_reference})" if case.denial_reference else ""
    steps = [f"received the request on {received}" if received else ""]
    steps.append(f"denied {'it' if received else 'the request'} on {denied}{ref}" if denied else "")
    if received or denied:
        text = f"{case.payer} {' and '.join(s for s in steps if s)}."
        sources = (_case(case, "request_received"), _case(case, "denial_received"))
        paragraphs.append(Paragraph("path-denial", [Sentence(text, sources)]))
    noted = False
    for call in calls:
        sentences = said.present(said.result(call), said.criteria(call))
        if said.differs(call, signers):
            sentences.append(said.mismatch(call, signers))
            if not noted:  # the team's note once, with the first reviewer of another specialty
                sentences.extend(said.specialty_note(case.team))
                noted = True
        paragraphs.append(Paragraph(f"path-call-{call.id}", sentences))
    word = appeal_word(case)
    appeal = []
    if case.appeal_filed:
        what = "A reconsideration was" if word == "reconsideration" else "An internal appeal was"
        appeal.append(
            Sentence(
                f"{what} filed on {dates.show(case.appeal_filed, style)}.",
                (_case(case, "appeal_filed"),),
            )
        )
    if case.appeal_decided:
        did = {
            "upheld": f"upheld the denial on {word}",
            "approved": f"approved the request on {word}",
        }.get(case.appeal_outcome, f"decided the {word}")
        appeal.append(
            Sentence(
                f"{case.payer} {did} on {dates.show(case.appeal_decided, style)}.",
                (_case(case, "appeal_decided"), _case(case, "appeal_outcome")),
            )
        )
    if appeal:
        paragraphs.append(Paragraph("path-appeal", appeal))
    return paragraphs


def _external_closing() -> Paragraph:
    return Paragraph(
        "external-closing",
        [
            Sentence(
                "I ask that this case be reviewed by a physician in the same or a similar "
                "specialty.",
                LETTER,
            ),
            Sentence("I am available to discuss it with the reviewer.", LETTER),
            Sentence("Please send a copy of the decision to my office.", LETTER),
        ],
    )


# --- what to check before a follow-up letter leaves the clinic -----------------------------


def gaps(kind: str, case: Any, call: Any | None, signers: Iterable[Any]) -> list[Warning]:
    """Checklist items particular to a follow-up letter (`kind`: confirmation, appeal or
    external), shown with the export's other warnings."""
    found = []
    if kind == "confirmation":
        if not list(signers):
            found.append(Warning("no-signer", "No signing clinician: the letter has no name."))
        found += profile_gaps(list(signers))
        if call is not None and not said.reviewer(call):
            found.append(
                Warning(
                    "no-reviewer",
                    "No reviewer name on the call: the letter cannot say with whom you spoke.",
                )
            )
        if call is not None and not call.reference_number.strip():
            found.append(
                Warning(
                    "no-call-reference",
                    "No reference number for the call: the letter asks for one in writing.",
                )
            )
    would_change = said.clause(call.would_change) if call is not None else ""
    if kind == "appeal" and would_change and not enclosed_for(case, call):
        found.append(
            Warning(
                "would-change-not-enclosed",
                f"The reviewer said “{would_change}” would change the decision, and no enclosed "
                "document is marked as it: add it to the case's documents and mark it as what "
                "the reviewer asked for, so the appeal can say it is enclosed.",
            )
        )
    if kind == "external" and not (_final_denial(case) and case.appeal_decided):
        found.append(
            Warning(
                "no-final-denial",
                f"No upheld {appeal_word(case)} is recorded: external review usually follows "
                "the plan's final internal decision.",
            )
        )
    return found


# --- small pieces ----------------------------------------------------------------------------


def _replace(letter: Letter, own: list[Section], edits: Mapping[str, str] | None) -> None:
    """The letter's own sections (the first ones, and the last: the closing) around the
    brief's clinical case; an own section with nothing to say is left out. The brief's
    rewrites of its request and closing do not carry over: the letter's own paragraphs have
    keys of their own, rewritable in turn."""
    own = [s for s in own if s.paragraphs]
    apply_edits(own, edits or {})
    denial = [p for p in letter.paragraphs() if p.key == "denial"]
    if own and own[0].key == "request":
        own[0].paragraphs.extend(denial)
    clinical = [s for s in letter.sections if s.key in CLINICAL and s.paragraphs]
    letter.sections = own[:-1] + clinical + own[-1:]


def _final_denial(case: Any) -> bool:
    return case.appeal_outcome == "upheld"


def _service(case: Any) -> str:
    return approval(case) or "the service requested"


def _case(case: Any, field: str = "intake") -> Source:
    return Source("case", case.id, field)
