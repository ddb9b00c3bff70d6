"""The team dashboard: what is due, where the cases stand, and what the calls have taught."""

from datetime import date

from flask import Blueprint, Response, abort, render_template
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.audit import record
from app.domain import overturns as overturn_domain
from app.domain.vocabulary import OPEN_STATUSES, STATUSES
from app.extensions import db
from app.models import Case, PeerCall
from app.render.overturns import overturn_chart
from app.services import deadlines
from app.services.teams import current_team

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

PRESSING = ("overdue", "due_soon")


def status_counts(team_id: int) -> list[tuple[str, str, int]]:
    """(status, label, number of the team's cases) for every status, in the path's order."""
    found = dict(
        db.session.execute(
            select(Case.status, func.count(Case.id))
            .where(Case.team_id == team_id)
            .group_by(Case.status)
        ).all()
    )
    return [(s.value, s.label, found.get(s.value, 0)) for s in STATUSES]


def open_deadlines(team_id: int, today: date):
    """The team's open cases split in two: (case, deadline) rows overdue or due within three
    days, overdue first then soonest; and (case, next deadline or None) for the others."""
    cases = db.session.scalars(
        select(Case)
        .where(Case.team_id == team_id, Case.status.in_(OPEN_STATUSES))
        .options(selectinload(Case.calls))
        .order_by(Case.id)
    ).all()
    rules = deadlines.team_rules(team_id)
    pressing, others = [], []
    for case in cases:
        running = deadlines.for_case(case, today, rules)
        urgent = [(case, d) for d in running if d.state in PRESSING]
        if urgent:
            pressing.extend(urgent)
        else:
            others.append((case, deadlines.next_open(running)))
    pressing.sort(key=lambda row: (row[1].state != "overdue", row[1].due, row[0].id))
    # Cases with a clock running first, soonest first; then those with none.
    others.sort(key=lambda row: (row[1] is None, row[1].due if row[1] else None, row[0].id))
    return pressing, others


def team_overturns(team_id: int) -> overturn_domain.Overturns:
    """The overturn tallies of the team's own logged calls."""
    rows = db.session.execute(
        select(Case.payer, Case.denial_category, PeerCall.outcome)
        .join(PeerCall.case)
        .where(Case.team_id == team_id, PeerCall.outcome != "")
        .order_by(PeerCall.id)
    ).all()
    return overturn_domain.overturns(rows)


@bp.route("/")
def index():
    team = current_team()
    if team is None:
        return render_template("cases/no_team.html")
    pressing, others = open_deadlines(team.id, date.today())
    shown = len({case.id for case, _ in pressing} | {case.id for case, _ in others})
    # The page names patients, as the case list does: one row for the list, not one per case.
    record("list", what=f"dashboard ({shown} cases)", team_id=team.id)
    db.session.commit()
    return render_template(
        "dashboard/index.html",
        counts=status_counts(team.id),
        pressing=pressing,
        others=others,
        stats=team_overturns(team.id),
        percent=overturn_domain.percent,
    )


@bp.route("/overturns.png")
def overturns_png():
    """The overturn chart as a same-origin PNG; 404 until a call is decided."""
    team = current_team()
    if team is None:
        abort(404)
    stats = team_overturns(team.id)
    if not stats.decided:
        abort(404)
    png = overturn_chart(stats.by_payer, stats.by_category)
    return Response(png, mimetype="image/png", headers={"Cache-Control": "no-store"})
