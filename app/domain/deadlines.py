"""Deadlines of a denial: which clock is running, when it runs out, and the rule that says so.

Deadlines differ by plan type, by state and by plan, so they are data: `DEFAULT_RULES` is
seeded from the "Deadlines" table of DOMAIN.md, a team edits its own copy, and `merge` lays
the team's rules over the defaults. Every computed `Deadline` carries its rule's source so
the clinician sees where the date comes from. Nothing here is legal advice.

How the clock is counted:

- ``calendar_days``: day 1 is the day after the event, as regulations count. A deadline
  that lands on a weekend or holiday stays there: showing a date too early is safe, too late
  loses the appeal.
- ``business_days``: day 1 is the first business day after the event; weekends and US
  federal holidays (observed dates included) are skipped.
- ``months``: calendar months from the event's date, clamped to the month's last day
  (31 Oct + 4 months = 28 Feb).
- ``hours``: added to the event's time; an event given as a date alone starts at 00:00.

Times are timezone-naive and local to the clinic; an aware datetime is refused rather than
mixed with naive ones.
"""

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays

from app.domain.vocabulary import PLAN_TYPES, values

UNITS = ("hours", "calendar_days", "business_days", "months")
URGENCIES = ("standard", "expedited", "any")
ANY_PLAN = "*"
DUE_SOON_DAYS = 3

# Day-based rules are due by the end of their last day; one datetime type for every deadline
# keeps the list sortable and lets a calendar export treat all rows alike.
END_OF_DAY = time(23, 59, 59)

# The events of a case's path that start and stop the clocks; team rules name these too.
EVENTS = {
    "request_received": "Prior-authorization request received by the plan",
    "denial_received": "Denial notice received",
    "p2p_offered": "Peer-to-peer review offered",
    "p2p_scheduled": "Peer-to-peer review scheduled",
    "p2p_held": "Peer-to-peer review held",
    "appeal_filed": "Appeal or reconsideration filed",
    "appeal_decided": "Plan decided the appeal",
    "final_internal_denial": "Final internal denial received",
    "external_review_requested": "External review requested",
    "external_decided": "External reviewer decided",
}

# The event that stops a clock, by the event that starts it, for rules that name none: the
# plan answers the request with its decision, a filing ends the window to file, and so on.
CLOSED_BY = {
    "request_received": "denial_received",
    "denial_received": "appeal_filed",
    "p2p_offered": "p2p_scheduled",
    "appeal_filed": "appeal_decided",
    "final_internal_denial": "external_review_requested",
    "external_review_requested": "external_decided",
}

_PLAN_TYPES = values(PLAN_TYPES) | {ANY_PLAN}


@dataclass(frozen=True)
class Rule:
    """One deadline rule: `length` `unit`s after the event `starts`, for one plan type.

    `plan_type` is a PLAN_TYPES value or "*" for every plan; `urgency` is "standard",
    "expedited" or "any". `source` is the citation shown to the user. `ends` is the event
    that stops the clock; empty means the usual one for `starts` (`CLOSED_BY`). Raises
    ValueError when a field is outside its vocabulary, because team-entered rules must fail
    where they are entered, not when a deadline is silently missing.
    """

    key: str
    plan_type: str
    step: str
    length: int
    unit: str
    starts: str
    urgency: str
    source: str
    note: str = ""
    ends: str = ""

    @property
    def closed_by(self) -> str:
        return self.ends or CLOSED_BY.get(self.starts, "")

    def __post_init__(self) -> None:
        if not self.key.strip():
            raise ValueError("A deadline rule needs a key.")
        if self.plan_type not in _PLAN_TYPES:
            raise ValueError(f"Unknown plan type “{self.plan_type}” in rule {self.key}.")
        if self.unit not in UNITS:
            raise ValueError(f"Unknown unit “{self.unit}” in rule {self.key}.")
        if self.urgency not in URGENCIES:
            raise ValueError(f"Unknown urgency “{self.urgency}” in rule {self.key}.")
        if self.length < 0:
            raise ValueError(f"Rule {self.key} has a negative length.")
        if not self.starts.strip():
            raise ValueError(f"Rule {self.key} needs the event that starts its clock.")


_ERISA = "29 CFR 2560.503-1"
_ACA = "45 CFR 147.136"
_INTEROP = "CMS-0057-F (Interoperability and Prior Authorization Final Rule)"
_MA_RECON = "cms.gov, Medicare Part C reconsideration (42 CFR 422.582, 422.590)"
_INTEROP_NOTE = "For requests from 2026-01-01; the denial must give a specific reason."

DEFAULT_RULES: tuple[Rule, ...] = (
    # Medicare Advantage
    Rule("ma.pa_decision.expedited", "medicare_advantage", "Plan decides prior authorization",
         72, "hours", "request_received", "expedited", _INTEROP, _INTEROP_NOTE),
    Rule("ma.pa_decision.standard", "medicare_advantage", "Plan decides prior authorization",
         7, "calendar_days", "request_received", "standard", _INTEROP, _INTEROP_NOTE),
    Rule("ma.request_reconsideration", "medicare_advantage", "Request reconsideration",
         60, "calendar_days", "denial_received", "any", _MA_RECON,
         "Once the plan has issued its decision, a P2P cannot change it: new information "
         "goes into the reconsideration."),
    Rule("ma.decide_reconsideration.expedited", "medicare_advantage",
         "Plan decides reconsideration", 72, "hours", "appeal_filed", "expedited", _MA_RECON),
    Rule("ma.decide_reconsideration.standard", "medicare_advantage",
         "Plan decides reconsideration", 30, "calendar_days", "appeal_filed", "standard",
         _MA_RECON, "Pre-service. 7 days for a Part B drug; 60 days for a payment request."),
    # ERISA self-funded employer plans
    Rule("erisa.file_appeal", "erisa", "File internal appeal", 180, "calendar_days",
         "denial_received", "any", _ERISA, "The plan must allow at least 180 days."),
    Rule("erisa.decide_appeal.expedited", "erisa", "Plan decides appeal", 72, "hours",
         "appeal_filed", "expedited", _ERISA, "Urgent care claims."),
    Rule("erisa.decide_appeal.standard", "erisa", "Plan decides appeal", 30, "calendar_days",
         "appeal_filed", "standard", _ERISA,
         "Pre-service (15 days per level when the plan has two); 60 days post-service."),
    # ACA marketplace (non-grandfathered)
    Rule("aca.file_appeal", "aca", "File internal appeal", 180, "calendar_days",
         "denial_received", "any", _ACA),
    Rule("aca.decide_appeal.expedited", "aca", "Plan decides appeal", 72, "hours",
         "appeal_filed", "expedited", _ACA, "Urgent care claims."),
    Rule("aca.request_external_review", "aca", "Request external review", 4, "months",
         "final_internal_denial", "any", _ACA),
    Rule("aca.external_decision.expedited", "aca", "External reviewer decides", 72, "hours",
         "external_review_requested", "expedited", _ACA),
    # Commercial, fully insured: the ACA floor, with state law on top
    Rule("commercial.file_appeal", "commercial", "File internal appeal", 180, "calendar_days",
         "denial_received", "any", f"{_ACA} (non-grandfathered plans)",
         "State law may differ, and grandfathered plans follow their own terms: "
         "check the denial notice and enter your state's rule."),
    # Medicaid managed care
    Rule("medicaid.pa_decision.expedited", "medicaid_mco", "Plan decides prior authorization",
         72, "hours", "request_received", "expedited", _INTEROP, _INTEROP_NOTE),
    Rule("medicaid.pa_decision.standard", "medicaid_mco", "Plan decides prior authorization",
         7, "calendar_days", "request_received", "standard", _INTEROP, _INTEROP_NOTE),
    Rule("medicaid.file_appeal", "medicaid_mco", "File appeal", 60, "calendar_days",
         "denial_received", "any", "42 CFR 438.402",
         "Counted from the date on the notice: if it reached you later, the real deadline "
         "is earlier than shown."),
    Rule("medicaid.resolve_appeal.expedited", "medicaid_mco", "Plan resolves appeal", 72,
         "hours", "appeal_filed", "expedited", "42 CFR 438.408, 438.410"),
    Rule("medicaid.resolve_appeal.standard", "medicaid_mco", "Plan resolves appeal", 30,
         "calendar_days", "appeal_filed", "standard", "42 CFR 438.408"),
)  # fmt: skip
# No default for requesting a P2P: no federal deadline exists, each plan sets its own window,
# so the team enters it (e.g. "p2p.request", 5 business_days from "p2p_offered").


def merge(defaults: Iterable[Rule], overrides: Iterable[Rule]) -> tuple[Rule, ...]:
    """The team's rules laid over the defaults.

    A team rule replaces the default with the same key, in the default's place; a team rule
    with a new key is added after the defaults. Among team rules sharing a key the last wins.
    """
    merged = {rule.key: rule for rule in defaults}
    for rule in overrides:
        merged[rule.key] = rule
    return tuple(merged.values())


@dataclass(frozen=True)
class Deadline:
    """A computed deadline for one step of one case.

    `due` is always a timezone-naive datetime: the exact time for hour-based rules, the end
    of the day (23:59:59) for day- and month-based ones; `unit` tells which, so a page can
    show the time only when it matters. `days_left` counts calendar days from `today` to the
    due date (negative when passed); `state` is "overdue", "due_soon" (0 to 3 days left) or
    "open". State is decided by the day, so a 72-hour clock running out later today is
    "due_soon", not yet "overdue".
    """

    step: str
    due: datetime
    rule_key: str
    source: str
    starts: str
    days_left: int
    state: str
    unit: str
    note: str = ""

    @property
    def done(self) -> bool:
        return self.state == "done"


@lru_cache(maxsize=64)
def _federal_holidays(year: int) -> frozenset[date]:
    # A frozen set per year: HolidayBase fills itself lazily on lookup, which is not safe to
    # share between request threads.
    return frozenset(holidays.US(years=year, observed=True))


def _is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _federal_holidays(day.year)


def business_days_after(start: date, n: int) -> date:
    """The `n`-th business day after `start` (day 1 is the first business day after it).

    Business days are Monday to Friday, less US federal holidays and their observed dates.
    `n` = 0 gives `start` itself. Raises ValueError for a negative `n`.
    """
    if n < 0:
        raise ValueError("A number of business days cannot be negative.")
    day = start
    while n:
        day += timedelta(days=1)
        if _is_business_day(day):
            n -= 1
    return day


def add_months(start: date, n: int) -> date:
    """`start` plus `n` calendar months, clamped to the last day of the target month."""
    month_index = start.month - 1 + n
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def due_at(rule: Rule, event: date | datetime) -> datetime:
    """When `rule`'s clock runs out for an event on `event` (see the module docstring)."""
    if isinstance(event, datetime) and event.tzinfo is not None:
        raise ValueError("Event times must be local, without a timezone.")
    if rule.unit == "hours":
        start = event if isinstance(event, datetime) else datetime.combine(event, time())
        return start + timedelta(hours=rule.length)
    day = event.date() if isinstance(event, datetime) else event
    if rule.unit == "calendar_days":
        due = day + timedelta(days=rule.length)
    elif rule.unit == "business_days":
        due = business_days_after(day, rule.length)
    else:
        due = add_months(day, rule.length)
    return datetime.combine(due, END_OF_DAY)


def _state(days_left: int) -> str:
    if days_left < 0:
        return "overdue"
    return "due_soon" if days_left <= DUE_SOON_DAYS else "open"


def applies(rule: Rule, plan_type: str, urgency: str) -> bool:
    """Whether `rule` covers a case of this plan type and urgency ("*" and "any" match all)."""
    return rule.plan_type in (plan_type, ANY_PLAN) and rule.urgency in (urgency, "any")


def compute(
    rules: Iterable[Rule],
    plan_type: str,
    urgency: str,
    events: Mapping[str, date | datetime],
    today: date,
) -> list[Deadline]:
    """The deadlines running for a case, soonest first.

    Each rule that applies to `plan_type` and `urgency` ("standard" or "expedited") and whose
    starting event is in `events` gives one Deadline; rules whose event has not happened are
    skipped. A deadline whose stopping event is in `events` too is "done". Raises ValueError
    for an unknown urgency or a timezone-aware event time.
    """
    if urgency not in ("standard", "expedited"):
        raise ValueError(f"Urgency must be standard or expedited, not “{urgency}”.")
    deadlines = []
    for rule in rules:
        event = events.get(rule.starts)
        if event is None or not applies(rule, plan_type, urgency):
            continue
        try:
            due = due_at(rule, event)
        except OverflowError:
            # The event is stored near the calendar's end (a year like 9999, typed before
            # dates were checked): its clock would run past it, and there is no such day.
            continue
        days_left = (due.date() - today).days
        deadlines.append(
            Deadline(
                step=rule.step,
                due=due,
                rule_key=rule.key,
                source=rule.source,
                starts=rule.starts,
                days_left=days_left,
                state="done" if rule.closed_by in events else _state(days_left),
                unit=rule.unit,
                note=rule.note,
            )
        )
    # Ties broken by key so the order on the page does not depend on the order of the rules.
    return sorted(deadlines, key=lambda d: (d.due, d.rule_key))
