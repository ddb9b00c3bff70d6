"""Learning from outcomes: how often the team's logged peer-to-peer calls overturn a denial,
by payer and by denial category, and how often each rebuttal was used in a call that won.

A call counts once it is logged (its outcome is set). "Overturned" is approved or partly
approved; "upheld" is the denial standing; an alternative offered or a decision still pending
is neither. The overturn rate is taken over decided calls only (overturned + upheld), so a
pile of pending calls does not drag it down; it is None until a call is decided.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from app.domain.calls import OUTCOMES
from app.domain.vocabulary import DENIAL_CATEGORIES, label

OVERTURNED = frozenset({"approved", "partly_approved"})
UPHELD = frozenset({"upheld"})
_KNOWN = frozenset(o.value for o in OUTCOMES)
NOT_LOGGED = ""


class CallOutcome(NamedTuple):
    """One logged call as the statistics see it: the case's payer and denial category, and
    how the call ended (an OUTCOMES value, or "" when not logged yet)."""

    payer: str
    category: str
    outcome: str


@dataclass(frozen=True)
class Tally:
    """The logged calls of one payer or one denial category.

    `key` is what the calls are grouped by (the payer's name as first written, or the
    category's value); `name` is what a page shows.
    """

    key: str
    name: str
    calls: int
    overturned: int
    upheld: int
    other: int

    @property
    def decided(self) -> int:
        """Calls that ended with a decision either way."""
        return self.overturned + self.upheld

    @property
    def rate(self) -> float | None:
        """Overturned / decided, between 0 and 1; None when no call was decided."""
        return self.overturned / self.decided if self.decided else None


@dataclass(frozen=True)
class Overturns:
    """The team's logged calls, tallied by payer and by denial category."""

    by_payer: tuple[Tally, ...]
    by_category: tuple[Tally, ...]

    @property
    def decided(self) -> int:
        return sum(t.decided for t in self.by_payer)


@dataclass(frozen=True)
class Usage:
    """How often one rebuttal was used in a logged call, and how those calls ended."""

    used: int
    approved: int  # approved or partly approved
    upheld: int


def percent(rate: float | None) -> str:
    """A rate as a page and the chart show it: "67%", or "—" when there is none."""
    return "—" if rate is None else f"{round(rate * 100)}%"


def _check(outcome: str) -> None:
    if outcome not in _KNOWN:
        raise ValueError(f"“{outcome}” is not a call outcome.")


def payer_key(payer: str) -> str:
    """The payer as the statistics group it: "Acme  Health " and "acme health" are one."""
    return " ".join(payer.split()).casefold()


def _tally(
    calls: Iterable[CallOutcome],
    key: Callable[[CallOutcome], str],
    name: Callable[[CallOutcome], str],
) -> tuple[Tally, ...]:
    counts: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    for call in calls:
        if call.outcome == NOT_LOGGED:
            continue
        _check(call.outcome)
        k = key(call)
        names.setdefault(k, name(call))
        row = counts.setdefault(k, [0, 0, 0, 0])
        row[0] += 1
        if call.outcome in OVERTURNED:
            row[1] += 1
        elif call.outcome in UPHELD:
            row[2] += 1
        else:
            row[3] += 1
    tallies = [Tally(k, names[k], *row) for k, row in counts.items()]
    # Most decided calls first: the rates that mean most come first; ties by name.
    return tuple(sorted(tallies, key=lambda t: (-t.decided, -t.calls, t.name.casefold())))


def overturns(calls: Iterable[tuple[str, str, str]]) -> Overturns:
    """Tally logged calls, given as (payer, denial category, outcome), by payer and category.

    Calls not logged yet (outcome "") are left out. A payer is grouped regardless of case
    and spacing and shown as first written. Each list is ordered by decided calls, most
    first. Raises ValueError for an outcome that is not one of OUTCOMES.
    """
    rows = [CallOutcome(*c) for c in calls]
    by_payer = _tally(
        rows, lambda c: payer_key(c.payer), lambda c: " ".join(c.payer.split()) or "(no payer)"
    )
    by_category = _tally(
        rows, lambda c: c.category, lambda c: label(DENIAL_CATEGORIES, c.category) or "(none)"
    )
    return Overturns(by_payer, by_category)


def rebuttal_usage(pairs: Iterable[tuple[int, str]]) -> dict[int, Usage]:
    """Per rebuttal id, from (rebuttal id, outcome) pairs, one pair per call it was used in:
    how many logged calls used it, and how many of those ended approved (or partly) and
    upheld. Calls not logged yet are left out; a rebuttal never used has no entry. Raises
    ValueError for an outcome that is not one of OUTCOMES."""
    counts: dict[int, list[int]] = {}
    for rebuttal_id, outcome in pairs:
        if outcome == NOT_LOGGED:
            continue
        _check(outcome)
        row = counts.setdefault(rebuttal_id, [0, 0, 0])
        row[0] += 1
        row[1] += outcome in OVERTURNED
        row[2] += outcome in UPHELD
    return {rebuttal_id: Usage(*row) for rebuttal_id, row in counts.items()}
