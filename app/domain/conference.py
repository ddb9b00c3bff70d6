"""The case conference: the agenda that goes round before it, and the screen each case gets.

The agenda circulates (e-mail, printouts left on a table), so it names no patient: initials,
the case number, the payer and where the case stands are enough for the team to know which
case is meant, and the case number finds the full record in Peerbrief. The presentation is
projected in a room, so its screens name the patient by initials too; the story keeps the
age and diagnosis a clinician recognises the patient by. The packet opens with the agenda:
as sent round when it is identified, and without initials, case numbers or deadlines when it
is de-identified.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.domain import dates, readiness
from app.domain import points as points_domain
from app.domain.deadlines import Deadline
from app.domain.deidentify import Deidentifier
from app.domain.vocabulary import DENIAL_CATEGORIES, STATUSES, label

QUESTION_LIMIT = 300  # one line of the agenda, answerable in the room

_NOTE = re.compile(r"\([^)]*\)")  # "(synthetic)", "(née Smith)": not part of the initials
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


@dataclass(frozen=True)
class AgendaItem:
    """One case on the agenda, named without the patient's name.

    `number` is the case's place in the running order (1 first); `deadline` is the case's
    next open deadline, or None when no clock is running.
    """

    number: int
    case_id: int
    initials: str
    payer: str
    service: str
    denial: str  # the denial category, in words
    status: str  # where the case stands, in words
    question: str
    deadline: Deadline | None

    @property
    def label(self) -> str:
        """How the agenda and the screens name the case: "M.Q. · case 12"."""
        return f"{self.initials} · case {self.case_id}"


@dataclass(frozen=True)
class Agenda:
    """A conference's running order, as it is printed and sent round."""

    title: str
    held_on: date
    team: str
    items: tuple[AgendaItem, ...]


@dataclass(frozen=True)
class Slide:
    """What the room sees of one case: `number` of `total`, the question put to the team, the
    60-second story, the criteria with their proof, the open gaps and the running clocks."""

    number: int
    total: int
    item: AgendaItem
    story: list[str]
    denial_quote: str
    criteria: list[points_domain.ProvenCriterion]
    gaps: list[readiness.Warning]
    deadlines: list[Deadline]
    ask: str


def initials(name: str) -> str:
    """The patient's initials, "M.Q." for "Marisol Quintero (synthetic)".

    A note in parentheses is not part of the name; a hyphenated or apostrophised word gives
    one initial ("Anne-Marie O'Neil" is "A.O."). A name with no letters gives "?".
    """
    words = _WORD.findall(_NOTE.sub(" ", name))
    return "".join(f"{w[0].upper()}." for w in words) or "?"


def next_deadline(deadlines: Iterable[Deadline]) -> Deadline | None:
    """The soonest deadline not yet done (`deadlines` come soonest first)."""
    return next((d for d in deadlines if not d.done), None)


def deadline_line(d: Deadline) -> str:
    """A deadline as one line of the agenda: "File the appeal by 1 Dec 2026 (5 days left)";
    the time is given only for a clock counted in hours."""
    when = dates.show(d.due.date()) + (f", {d.due:%H:%M}" if d.unit == "hours" else "")
    if d.days_left < 0:
        left = f"{-d.days_left} day{'s' if d.days_left != -1 else ''} overdue"
    elif d.days_left == 0:
        left = "due today"
    else:
        left = f"{d.days_left} day{'s' if d.days_left != 1 else ''} left"
    return f"{d.step} by {when} ({left})"


def clean_question(text: str) -> tuple[str, str]:
    """The question as kept (whitespace runs folded), and a message when it is refused: a
    question longer than `QUESTION_LIMIT` characters does not fit its line of the agenda."""
    question = " ".join(text.split())
    if len(question) > QUESTION_LIMIT:
        return question, (
            f"Keep the question to {QUESTION_LIMIT} characters (it has {len(question)}): "
            "one line of the agenda, answerable in the room."
        )
    return question, ""


def item(number: int, case: Any, question: str, deadlines: list[Deadline]) -> AgendaItem:
    """The agenda line of `case`, `number`th in the running order."""
    return AgendaItem(
        number=number,
        case_id=case.id,
        initials=initials(case.patient_name),
        payer=case.payer,
        service=case.service_description,
        denial=label(DENIAL_CATEGORIES, case.denial_category),
        status=label(STATUSES, case.status),
        question=question.strip(),
        deadline=next_deadline(deadlines),
    )


def agenda(
    title: str,
    held_on: date,
    entries: Iterable[tuple[Any, str, list[Deadline]]],
    team: str = "",
) -> Agenda:
    """The agenda of a conference; `entries` are (case, question, the case's deadlines) in
    the running order."""
    items = tuple(item(n, *entry) for n, entry in enumerate(entries, start=1))
    return Agenda(title=title.strip(), held_on=held_on, team=team, items=items)


def slide(
    case: Any, question: str, number: int, total: int, today: date, deadlines: list[Deadline]
) -> Slide:
    """The screen of `case`, `number` of `total`: its story as the talking points open the
    call, the patient named by initials; its gaps as an export would list them; only the
    clocks still running."""
    from app.domain.brief import assemble

    tp = points_domain.assemble(case, today, (), case.clinician)
    heading = item(number, case, question, deadlines)
    story = points_domain.opening(case, today, calling=False)
    if story and story[0].startswith(case.patient_name):
        story[0] = heading.initials + story[0][len(case.patient_name) :]
    signers = [case.clinician] if case.clinician else []
    missing = assemble(case, today).missing_steps
    return Slide(
        number=number,
        total=total,
        item=heading,
        story=story,
        denial_quote=tp.denial_quote,
        criteria=tp.criteria,
        gaps=readiness.gaps(case, signers, missing),
        deadlines=[d for d in deadlines if not d.done],
        ask=tp.ask,
    )


def packet_agenda(agenda: Agenda) -> list[str]:
    """The agenda as an identified packet opens: one line per case, in the running order,
    named as on the agenda that was sent round."""
    lines = []
    for entry in agenda.items:
        line = f"{entry.label} · {entry.payer} · {entry.status}."
        if entry.question:
            line += f" Question for the team: {entry.question}"
        if entry.deadline is not None:
            line += f" Next deadline: {deadline_line(entry.deadline)}."
        lines.append(line)
    return lines


def deidentified_packet_agenda(entries: Iterable[tuple[Any, str, str]], today: date) -> list[str]:
    """The agenda as a de-identified packet opens; `entries` are (case, question, the title
    its de-identified packet gives it) in the running order.

    No initials and no case number (Safe Harbor counts both as identifiers), and no deadline
    (a due date with days left beside shifted dates gives the shift away). The question is
    the clinicians' free text: it passes through the case's own `Deidentifier`, its dates cut
    to the year, so it cannot carry a second offset either.
    """
    lines = []
    for case, question, title in entries:
        line = f"{title} · {case.payer} · {label(DENIAL_CATEGORIES, case.denial_category)}."
        if question.strip():
            clean = Deidentifier.for_case(case, today, dates="year")
            line += f" Question for the team: {clean.text(question.strip(), 'Question')}"
        lines.append(line)
    return lines
