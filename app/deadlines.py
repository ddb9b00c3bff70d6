"""Deadlines in the app: the team's rules over the defaults, a case's events, and the page
where a team edits its rules."""

from flask import Blueprint, abort, redirect, render_template, request, url_for
from sqlalchemy import select

from app.audit import record
from app.domain import dates
from app.domain import deadlines as domain
from app.domain.vocabulary import PLAN_TYPES, Choice
from app.extensions import db
from app.models import DeadlineRule, Team
from app.security import role_for, team_admin
from app.services.deadlines import FIELDS, as_rule, team_rules
from app.services.teams import team_or_404

bp = Blueprint("deadlines", __name__, url_prefix="/teams/<slug>/deadlines")

# The most characters each text field of a rule holds (its column's size), and the longest
# clock a rule may set: ten thousand hours, days or months is past any real deadline (and a
# longer one would run past the calendar's last year on every case page).
LIMITS = {"key": 80, "step": 200, "starts": 40, "ends": 40, "source": 300}
MAX_LENGTH = 10_000
UNIT_LABELS = {
    "hours": "hours",
    "calendar_days": "calendar days",
    "business_days": "business days",
    "months": "months",
}


# --- the team's rules page ---------------------------------------------------------------

PLAN_CHOICES = (Choice(domain.ANY_PLAN, "Every plan"), *PLAN_TYPES)
UNIT_CHOICES = tuple(Choice(k, v) for k, v in UNIT_LABELS.items())
URGENCY_CHOICES = (
    Choice("any", "Any"),
    Choice("standard", "Standard"),
    Choice("expedited", "Expedited"),
)
EVENT_CHOICES = tuple(Choice(k, v) for k, v in domain.EVENTS.items())


def _rules_page(team: Team, form: dict | None = None, error: str = "", code: int = 200):
    own = {
        r.key: r
        for r in db.session.scalars(select(DeadlineRule).where(DeadlineRule.team_id == team.id))
    }
    defaults = {r.key for r in domain.DEFAULT_RULES}
    rows = [
        (rule, "edited" if rule.key in own and rule.key in defaults else
         "team" if rule.key in own else "default")
        for rule in domain.merge(domain.DEFAULT_RULES, map(as_rule, own.values()))
    ]  # fmt: skip
    return (
        render_template(
            "deadlines/index.html",
            team=team,
            rows=rows,
            form=form or {"urgency": "any", "plan_type": domain.ANY_PLAN},
            error=error,
            can_edit=role_for(team.id) == "admin",
            plans=PLAN_CHOICES,
            units=UNIT_CHOICES,
            urgencies=URGENCY_CHOICES,
            events=EVENT_CHOICES,
            unit_labels=UNIT_LABELS,
            date_styles=dates.STYLES,
        ),
        code,
    )


@bp.route("/")
def index(slug):
    team = team_or_404(slug)
    key = request.args.get("key", "")
    rule = next((r for r in team_rules(team.id) if r.key == key), None)
    form = {f: getattr(rule, f) for f in (*FIELDS, "note")} if rule else None
    return _rules_page(team, form)


@bp.route("/", methods=["POST"])
@team_admin
def save(slug):
    """Add a team rule, or replace a default (same key) with the team's own."""
    team = team_or_404(slug)
    form = {name: request.form.get(name, "").strip() for name in (*FIELDS, "note")}
    for name, limit in LIMITS.items():
        if len(form[name]) > limit:
            message = f"The {name} should be at most {limit} characters."
            return _rules_page(team, form, message, 422)
    try:
        length = int(form["length"])
    except ValueError:
        return _rules_page(team, form, "The length should be a whole number, like 180.", 422)
    if length > MAX_LENGTH:
        return _rules_page(team, form, f"The length should be at most {MAX_LENGTH:,}.", 422)
    try:
        rule = domain.Rule(**{**form, "length": length})
    except ValueError as error:
        return _rules_page(team, form, str(error), 422)
    if not rule.step.strip() or not rule.source.strip():
        return _rules_page(team, form, "Give the step and the rule's source.", 422)
    row = db.session.scalar(
        select(DeadlineRule).where(DeadlineRule.team_id == team.id, DeadlineRule.key == rule.key)
    )
    if row is None:
        row = DeadlineRule(team_id=team.id)
        db.session.add(row)
    for name in (*FIELDS, "note"):
        setattr(row, name, getattr(rule, name))
    db.session.flush()
    # A rule's key is typed by the admin: the row names the rule by id.
    record("update", what=f"deadline rule {row.id} saved", team_id=team.id)
    db.session.commit()
    return redirect(url_for("deadlines.index", slug=team.slug))


@bp.route("/specialty-note", methods=["POST"])
@team_admin
def specialty_note(slug):
    """The team's note on same-specialty review, shown on the call sheet and in appeals."""
    team = team_or_404(slug)
    team.specialty_note = request.form.get("specialty_note", "").strip()[:2000]
    record("update", what="same-specialty note edited", team_id=team.id)
    db.session.commit()
    return redirect(url_for("deadlines.index", slug=team.slug, _anchor="specialty"))


@bp.route("/date-style", methods=["POST"])
@team_admin
def date_style(slug):
    """How every document of the team writes a date: one style through a whole letter."""
    team = team_or_404(slug)
    style = request.form.get("date_style", "")
    if style not in dates.STYLES:
        abort(400)
    team.date_style = style
    record("update", what="date style edited", team_id=team.id)
    db.session.commit()
    return redirect(url_for("deadlines.index", slug=team.slug, _anchor="date-style"))


@bp.route("/<key>/delete", methods=["POST"])
@team_admin
def remove(slug, key):
    """Drop the team's rule: a default it replaced applies again."""
    team = team_or_404(slug)
    row = db.session.scalar(
        select(DeadlineRule).where(DeadlineRule.team_id == team.id, DeadlineRule.key == key)
    )
    if row is not None:
        db.session.delete(row)
        record("update", what=f"deadline rule {row.id} removed", team_id=team.id)
        db.session.commit()
    return redirect(url_for("deadlines.index", slug=team.slug))
