"""Calendars: a case's deadlines and scheduled call as an .ics download, and each user's
private feed of the open cases of every team they belong to.

The feed is fetched by a calendar service with no session, so its URL carries a secret token.
Only the token's SHA-256 is kept (the URL is shown once, when made, like an API token);
making a new one revokes the old, and a revoked or unknown token answers 404. What an entry
may say is decided in `app.render.calendar`: the case number, never the patient.
"""

import hashlib
import secrets
from collections.abc import Iterable
from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.audit import record
from app.domain.calls import FINAL
from app.extensions import db
from app.models import Case, User
from app.render.calendar import CalendarItem, call_item, deadline_item, render_calendar
from app.security import get_case
from app.services.deadlines import for_case, team_rules

bp = Blueprint("calendar", __name__)

ICS = "text/calendar"
# token_urlsafe(32) gives 43 characters; anything much longer is not ours and is not hashed.
TOKEN_MAX = 100


def digest(token: str) -> str:
    """What is stored of a feed token: its SHA-256, in hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def items_for(cases: Iterable[Case], today: date | None = None) -> list[CalendarItem]:
    """The entries of open cases: deadlines not yet done, and calls scheduled but not held."""
    rules: dict[int, tuple] = {}
    items: list[CalendarItem] = []
    for case in cases:
        if case.status in FINAL:
            continue
        if case.team_id not in rules:
            rules[case.team_id] = team_rules(case.team_id)
        url = url_for("cases.show", case_id=case.id, _external=True)
        items += [
            deadline_item(case.id, d, case.payer, url)
            for d in for_case(case, today, rules[case.team_id])
            if not d.done
        ]
        items += [
            call_item(case.id, c.id, c.scheduled_at, c.callback_number, case.payer, url)
            for c in case.calls
            if c.scheduled_at is not None and c.held_at is None
        ]
    return items


def _ics(body: bytes, **headers) -> Response:
    return Response(body, mimetype=ICS, headers=headers)


@bp.route("/cases/<int:case_id>/calendar.ics")
def case_file(case_id):
    """One case's deadlines and scheduled call, as a file to import."""
    case = get_case(case_id)
    body = render_calendar(items_for([case]), name=f"Peerbrief · Case {case.id}")
    record("export", case, "calendar (.ics)")
    db.session.commit()
    filename = f"case-{case.id}-deadlines.ics"
    return _ics(body, **{"Content-Disposition": f'attachment; filename="{filename}"'})


# --- the private feed --------------------------------------------------------------------


def _page(feed_url: str | None = None):
    return render_template(
        "calendar/index.html",
        active=current_user.calendar_token_hash is not None,
        feed_url=feed_url,
    )


def _audit_feed(what: str) -> None:
    # The feed shows every team's open cases: each team's trail says a feed was made or ended.
    for m in current_user.memberships:
        record("calendar", what=what, team_id=m.team_id)


@bp.route("/calendar")
def index():
    """What the feed is, whether one is active, and the buttons to make or revoke it."""
    return _page()


@bp.route("/calendar/token", methods=["POST"])
def make_token():
    """Make a new feed URL (the old one stops working) and show it, this once."""
    token = secrets.token_urlsafe(32)
    renewed = current_user.calendar_token_hash is not None
    current_user.calendar_token_hash = digest(token)
    _audit_feed("calendar feed made anew, the old one revoked" if renewed else "calendar feed made")
    db.session.commit()
    # Rendered, not redirected: a redirect would have to keep the token somewhere to show it.
    return _page(feed_url=url_for("calendar.feed", token=token, _external=True))


@bp.route("/calendar/token/revoke", methods=["POST"])
def revoke_token():
    if current_user.calendar_token_hash is not None:
        current_user.calendar_token_hash = None
        _audit_feed("calendar feed revoked")
        db.session.commit()
    flash("The calendar feed was revoked: calendars subscribed to it stop updating.", "success")
    return redirect(url_for("calendar.index"))


def _feed_user(token: str) -> User:
    if len(token) > TOKEN_MAX:
        abort(404)
    # Looked up by hash, not by token: how long the comparison takes can tell at most a
    # prefix of a SHA-256, which says nothing about any token.
    user = db.session.scalar(select(User).where(User.calendar_token_hash == digest(token)))
    if user is None or not user.is_active:
        abort(404)
    return user


@bp.route("/calendar/feed/<token>.ics")
def feed(token):
    """The user's private feed (public endpoint: the token is the credential).

    Not written to the audit log per fetch: a calendar service polls it all day, and the
    entries carry no patient data.
    """
    user = _feed_user(token)
    team_ids = [m.team_id for m in user.memberships]
    cases = db.session.scalars(
        select(Case)
        .where(Case.team_id.in_(team_ids), Case.status.not_in(FINAL))
        .options(selectinload(Case.calls))
        .order_by(Case.id)
    )
    body = render_calendar(items_for(cases), name="Peerbrief deadlines")
    return _ics(body, **{"Cache-Control": "no-store", "X-Robots-Tag": "noindex"})
