"""A case's deadlines: the team's rules laid over the defaults, counted from the case's
events."""

from datetime import date, datetime

from sqlalchemy import select

from app.domain import calls as call_domain
from app.domain import deadlines as domain
from app.extensions import db
from app.models import Case, DeadlineRule

FIELDS = ("key", "plan_type", "step", "length", "unit", "starts", "ends", "urgency", "source")


# The payer's own P2P window, when its notice gives a date: counted like any other rule.
PAYER_WINDOW = domain.Rule(
    "payer.p2p_window", "*", "Request the peer-to-peer review", 0, "calendar_days",
    "p2p_request_by", "any", "The payer's notice", "The date the plan gave.",
    ends="p2p_scheduled",
)  # fmt: skip


def as_rule(row: DeadlineRule) -> domain.Rule:
    return domain.Rule(**{f: getattr(row, f) for f in FIELDS}, note=row.note)


def team_rules(team_id: int) -> tuple[domain.Rule, ...]:
    """The default rules with the team's own laid over them."""
    rows = db.session.scalars(
        select(DeadlineRule).where(DeadlineRule.team_id == team_id).order_by(DeadlineRule.id)
    )
    return (*domain.merge(domain.DEFAULT_RULES, map(as_rule, rows)), PAYER_WINDOW)


def for_case(
    case: Case, today: date | None = None, rules: tuple[domain.Rule, ...] | None = None
) -> list[domain.Deadline]:
    """The case's deadlines, soonest first; none run once the case is approved, upheld or
    closed. `rules` may be passed when listing many cases of one team."""
    if case.status in call_domain.FINAL:
        return []
    return domain.compute(
        rules if rules is not None else team_rules(case.team_id),
        case.plan_type,
        case.urgency,
        events(case),
        today or date.today(),
    )


def next_open(deadlines: list[domain.Deadline]) -> domain.Deadline | None:
    """The deadline the team should look at first: the soonest not yet done."""
    return next((d for d in deadlines if not d.done), None)


def events(case: Case) -> dict[str, date | datetime]:
    """The dates of the case's path that start and stop its clocks."""
    found: dict[str, date | datetime | None] = {
        "request_received": case.request_received,
        "denial_received": case.denial_received,
        "appeal_filed": case.appeal_filed,
        "appeal_decided": case.appeal_decided,
        "final_internal_denial": case.appeal_decided if case.appeal_outcome == "upheld" else None,
        "external_review_requested": case.external_review_requested,
        "external_decided": case.external_decided,
    }
    # The latest call arranged is the one whose clocks run.
    for call in case.calls:
        found["p2p_offered"] = call.offered_on or found.get("p2p_offered")
        found["p2p_request_by"] = call.request_by or found.get("p2p_request_by")
        found["p2p_scheduled"] = call.scheduled_at or found.get("p2p_scheduled")
        found["p2p_held"] = call.held_at or found.get("p2p_held")
    return {k: v for k, v in found.items() if v is not None}
