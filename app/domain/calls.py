"""The peer-to-peer call and the path after it: outcomes, attempts, the reviewer's specialty,
and how a case's status moves with what happens.

Statuses move forward by themselves as events are logged (a call scheduled, a call upheld,
an appeal filed); they never move back by themselves, and a case someone closed stays
closed. The clinician can still set any status by hand: that is a decision, not an event.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from app.domain.vocabulary import STATUSES, Choice

OUTCOMES = (
    Choice("approved", "Approved"),
    Choice("partly_approved", "Partly approved"),
    Choice("upheld", "Denial upheld"),
    Choice("alternative_offered", "Alternative offered"),
    Choice("pending", "Decision pending"),
)
DECISIONS = (Choice("approved", "Approved"), Choice("upheld", "Upheld"))

ATTEMPT_RESULTS = (
    Choice("reached", "Call held"),
    Choice("reviewer_missed", "Reviewer did not call or answer"),
    Choice("we_missed", "We missed the window"),
    Choice("rescheduled", "Rescheduled by the plan"),
)
MISSED = frozenset({"reviewer_missed", "we_missed"})
# Some plans count two missed windows as a completed peer-to-peer (DOMAIN.md, P2P facts).
MISSED_LIMIT = 2

FINAL = frozenset({"approved", "upheld", "closed"})
_RANK = {choice.value: rank for rank, choice in enumerate(STATUSES)}

# What each event asks of the status; None: the event does not move it.
_AFTER_CALL = {
    "approved": "approved",
    "upheld": "appeal",
    "partly_approved": "p2p_done",
    "alternative_offered": "p2p_done",
    "pending": "p2p_done",
}


def advance(current: str, proposed: str | None) -> str:
    """The status after an event proposing `proposed`: only ever forward, and a final
    status (approved, upheld, closed) stays as it is."""
    if proposed is None or current in FINAL:
        return current
    if proposed in FINAL or _RANK[proposed] > _RANK[current]:
        return proposed
    return current


def after_scheduling(current: str) -> str:
    return advance(current, "p2p_scheduled")


def after_call(current: str, outcome: str) -> str:
    """A logged call: approved closes the case as won, upheld opens the appeal."""
    return advance(current, _AFTER_CALL.get(outcome))


def after_appeal(current: str, filed: bool, decision: str) -> str:
    """The appeal: filed moves the case to appeal; decided approved wins it. Upheld keeps the
    case in appeal, where the external-review clock now runs, until review is requested."""
    if decision == "approved":
        return advance(current, "approved")
    return advance(current, "appeal" if filed or decision else None)


def after_external(current: str, requested: bool, decision: str) -> str:
    if decision:
        return advance(current, decision)
    return advance(current, "external_review" if requested else None)


def missed(attempts: Iterable[Any]) -> int:
    """How many windows were missed, by either side."""
    return sum(1 for a in attempts if a.result in MISSED)


_WORD = re.compile(r"[a-z]+")
# Words that qualify a specialty without changing it.
_QUALIFIERS = frozenset(
    [
        "board",
        "certified",
        "certification",
        "in",
        "of",
        "and",
        "the",
        "medicine",
        "physician",
        "specialist",
        "md",
        "do",
    ]
)


def _specialty_words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(text.lower()) if w not in _QUALIFIERS)


def same_specialty(reviewer: str, clinician: str) -> bool | None:
    """Whether the reviewer's specialty matches the ordering clinician's; None when either is
    not known. "Rheumatology, board certified" matches "rheumatology"; "Internal medicine"
    matches neither "Rheumatology" nor "Internal medicine, rheumatology". Whether a
    *similar* specialty counts is the clinician's call: the flag only says they differ."""
    a, b = _specialty_words(reviewer), _specialty_words(clinician)
    if not a or not b:
        return None
    return a == b
