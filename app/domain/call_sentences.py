"""A logged peer-to-peer call in a letter's words: who the reviewer was, when, the criteria
they named, what they decided and said would change it, whether their specialty was ours.

Each function returns a `Sentence` whose sources are the call sheet's fields
(`Source("call", call.id, "reviewer_name")`), or None (or nothing) when the field is empty:
a letter leaves a sentence out rather than print a blank.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from app.domain import dates
from app.domain.calls import same_specialty
from app.domain.letter import Sentence, Source, full_stop

# What the reviewer did, as a letter states it.
OUTCOME = {
    "approved": "approved the request",
    "partly_approved": "approved the request in part",
    "upheld": "upheld the denial",
    "alternative_offered": "offered an alternative to the service requested",
    "pending": "told me that the decision is pending",
}
WOULD_CHANGE = "The reviewer stated that the following documentation would change the decision: {}."
_DR = re.compile(r"^dr\.?\s+", re.IGNORECASE)


def source(call: Any, field: str) -> Source:
    """A field of the call sheet as the source of a sentence."""
    return Source("call", call.id, field)


def clause(text: str | None) -> str:
    """Free text set inside a sentence: on one line, without its own closing full stop."""
    return " ".join((text or "").split()).rstrip(".")


def present(*sentences: Sentence | None) -> list[Sentence]:
    """The sentences that have something to say."""
    return [s for s in sentences if s is not None]


def reviewer(call: Any) -> str:
    """The reviewer as a letter names them: "Alan Reyes, MD"; "" when no name was logged.

    A title before the name goes when credentials follow it: "Dr Alan Reyes, MD" says the
    same thing twice."""
    name = " ".join(call.reviewer_name.split())
    credentials = call.reviewer_credentials.strip()
    if name and credentials:
        return f"{_DR.sub('', name)}, {credentials}"
    return name


def reviewer_phrase(call: Any) -> str:
    """ "Alan Reyes, MD (internal medicine)"; "the plan's reviewer (MD)" when no name was
    logged."""
    who = reviewer(call)
    specialty = _lower_first(clause(call.reviewer_specialty))
    if not who:
        extra = ", ".join(p for p in (call.reviewer_credentials.strip(), specialty) if p)
        return f"the plan's reviewer{f' ({extra})' if extra else ''}"
    return f"{who} ({specialty})" if specialty else who


def when(at: datetime | None, clock: bool = True) -> str:
    """ "3 Nov 2026 at 2:30 PM"; the day alone without `clock`, or when no time was logged
    (midnight)."""
    if at is None:
        return ""
    day = dates.show(at.date())
    if not clock or (at.hour == 0 and at.minute == 0):
        return day
    hour = at.hour % 12 or 12
    return f"{day} at {hour}:{at.minute:02d} {'AM' if at.hour < 12 else 'PM'}"


def stated(call: Any, field: str, template: str) -> Sentence | None:
    """`template` filled with a field of the call sheet; None when the field is empty."""
    value = clause(getattr(call, field, ""))
    return Sentence(template.format(value), (source(call, field),)) if value else None


def criteria(call: Any) -> Sentence | None:
    """The criteria set the reviewer named, with its version."""
    named = clause(call.criteria_named)
    if not named:
        return None
    version = clause(call.criteria_version)
    return Sentence(
        f"The reviewer stated that the decision was based on {named}"
        f"{f' ({version})' if version else ''}.",
        (source(call, "criteria_named"), source(call, "criteria_version")),
    )


def outcome(call: Any) -> Sentence | None:
    """What the reviewer decided, as they stated it."""
    did = OUTCOME.get(call.outcome)
    return Sentence(f"The reviewer {did}.", (source(call, "outcome"),)) if did else None


def result(call: Any) -> Sentence:
    """The call in one sentence: when, with whom, what came of it, its reference."""
    day = when(call.held_at, clock=False)
    review = f"a peer-to-peer review{f' on {day}' if day else ''}"
    ref = call.reference_number.strip()
    who = reviewer_phrase(call)
    if call.outcome == "upheld":
        text = f"The denial was upheld at {review} with {who}{f', reference {ref}' if ref else ''}."
    elif call.outcome in OUTCOME:
        # The reference before the reviewer: "(internal medicine)" would meet "(reference …)".
        text = f"At {review}{f' (reference {ref})' if ref else ''}, {who}, {OUTCOME[call.outcome]}."
    else:
        text = (
            f"I discussed this request at {review} with {who}{f', reference {ref}' if ref else ''}."
        )
    fields = ("held_at", "reviewer_name", "outcome", "reference_number")
    return Sentence(text, tuple(source(call, f) for f in fields))


def differs(call: Any, signers: list[Any]) -> bool:
    """Whether the reviewer's specialty differs from the signing clinician's as their profile
    says now (not as it was when the call was logged). False when either is not known: a
    letter says nothing about a difference it cannot show."""
    mine = signers[0].specialty if signers else ""
    return same_specialty(call.reviewer_specialty or "", mine or "") is False


def mismatch(call: Any, signers: list[Any]) -> Sentence:
    """The specialty difference: "The reviewer's specialty (internal medicine) is not the
    same as mine (rheumatology).\""""
    theirs = _lower_first(clause(call.reviewer_specialty))
    mine = _lower_first(clause(signers[0].specialty)) if signers else ""
    theirs = f" ({theirs})" if theirs else ""
    mine = f" ({mine})" if mine else ""
    text = f"The reviewer's specialty{theirs} is not the same as mine{mine}."
    return Sentence(text, (source(call, "same_specialty"), source(call, "reviewer_specialty")))


def specialty_note(team: Any | None) -> list[Sentence]:
    """The team's own note on the rule for same-specialty review, when it wrote one."""
    note = (team.specialty_note or "").strip() if team is not None else ""
    if not note:
        return []
    return [Sentence(full_stop(note), (Source("team", team.id, "specialty_note"),))]


DENIAL_ROWS = frozenset({"Reference number", "Denial date", "Denial reason"})


def with_row(rows: list[tuple[str, str]], label: str, value: str) -> list[tuple[str, str]]:
    """An RE block with one more row after the denial's rows (at the end if it has none);
    unchanged when `value` is empty."""
    if not value:
        return rows
    after = max((i for i, (k, _) in enumerate(rows) if k in DENIAL_ROWS), default=len(rows) - 1)
    return [*rows[: after + 1], (label, value), *rows[after + 1 :]]


def with_call(rows: list[tuple[str, str]], call: Any) -> list[tuple[str, str]]:
    """An RE block with the peer-to-peer review's date and reference after the denial's."""
    ref = call.reference_number.strip()
    value = ", ".join(p for p in (when(call.held_at, False), ref and f"reference {ref}") if p)
    return with_row(rows, "Peer-to-peer review", value)


def _lower_first(text: str) -> str:
    """ "Internal medicine" reads "internal medicine" mid-sentence; "ENT" stays "ENT"."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text
