"""Who may see what: sign-in, idle log-off, the one place that checks team access, headers."""

import logging
import re
from datetime import UTC, datetime
from functools import wraps

from flask import Flask, abort, current_app, flash, g, redirect, request, session, url_for
from flask_login import current_user, logout_user
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload
from werkzeug.exceptions import SecurityError

from app import drafts, sessions, signin
from app.extensions import db, login_manager
from app.logs import withhold_exception_messages
from app.models import Case, Membership, User
from app.web import MAX_ID

# Requests a page makes by itself (polling for teammates' changes): they keep no one signed in.
PASSIVE_ENDPOINTS = {"discussion.activity"}
# mfa.code: the sign-in's second step, for whoever waits with an accepted password.
SEEN_EVERY = 15  # seconds between writes of a session's last activity
PUBLIC_ENDPOINTS = {"auth.login", "mfa.code", "static", "calendar.feed"}

# Pages carry patient data: nothing from another origin, no inline script, no framing.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)


# Every page asks for the user's teams and roles: read them with the user, in one query
# built once.
SIGNED_IN = (
    select(User)
    .where(User.id == bindparam("id"))
    .options(joinedload(User.memberships).joinedload(Membership.team))
)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The session's user, unless deactivated. (A password change, deactivation or reset ends
    the user's sessions on the server: app/sessions.py.)"""
    user = db.session.scalars(SIGNED_IN, {"id": int(user_id)}).unique().first()
    if user is None or not user.active:
        return None
    return user


def init_app(app: Flask) -> None:
    quiet_request_log(app)
    app.before_request(_refuse_unknown_host)  # first: nothing else runs for a forged Host
    # bibtexparser logs each broken block; the import report already tells the user.
    logging.getLogger("bibtexparser").setLevel(logging.ERROR)
    app.before_request(_require_login)
    app.after_request(_headers)


def _refuse_unknown_host():
    """A Host not in PEERBRIEF_ALLOWED_HOSTS: 400 before sign-in, redirects or any page.

    Flask found it while routing (TRUSTED_HOSTS) and would raise it only after the
    before-request hooks, which build redirects from the Host.
    """
    if isinstance(request.routing_exception, SecurityError):
        return (
            "This server does not answer to that host name. Nothing was read or saved.",
            400,
            {"Content-Type": "text/plain; charset=utf-8"},
        )
    return None


def _require_login():
    """Every page but sign-in needs a signed-in user; an idle session ends."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return _to_login()
    now = datetime.now(UTC).timestamp()
    idle = current_app.config["IDLE_TIMEOUT"].total_seconds()
    if now - session.get("seen", now) > idle:
        return _session_over("idle", "You were signed out after a period of inactivity.")
    if sessions.age(session) > current_app.config["SESSION_LIFETIME"]:
        hours = current_app.config["SESSION_LIFETIME"].total_seconds() / 3600
        return _session_over(
            "lifetime", f"A session lasts at most {hours:g} hours: please sign in again."
        )
    if request.endpoint not in PASSIVE_ENDPOINTS:
        # Written at most every SEEN_EVERY seconds: an unchanged session saves no row, and
        # the idle clock is as exact as a logoff after 15 minutes needs.
        if now - session.get("seen", 0) >= SEEN_EVERY:
            session["seen"] = now
            session.permanent = True
        g.session_seen = True  # the page's idle clock starts again (peerbrief-idle.js)
    return None


def _session_over(why: str, message: str):
    """End the session on the server and send the browser to sign in again; a save that came
    too late is kept for after (app/drafts.py)."""
    signin.signed_out(current_user, f"session ended ({why})")
    page = drafts.keep(current_user.id)
    if (row := sessions.current_id(session)) is not None:
        sessions.end(row, why)  # commits the audit row and the kept form with it
    db.session.commit()
    logout_user()
    session.clear()
    if page:
        message += " Nothing you typed is lost: sign in and it is back in the form."
    flash(message, "info")
    return _to_login(page)


def _to_login(page: str | None = None):
    back = page or (request.full_path if request.method == "GET" else None)
    target = url_for("auth.login", next=back)
    if request.headers.get("HX-Request"):
        # htmx would swap the sign-in page into a fragment; send the whole window there.
        return "", 401, {"HX-Redirect": target}
    return redirect(target)


def _headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    # Only a response that came over TLS may pin the browser to it (behind a proxy, only
    # with PEERBRIEF_TRUST_PROXY set does X-Forwarded-Proto count).
    if request.is_secure and (hsts := current_app.config["HSTS"]):
        response.headers.setdefault("Strict-Transport-Security", hsts)
    if current_user.is_authenticated:
        response.headers.setdefault("Cache-Control", "no-store")
    if g.get("session_seen"):
        response.headers["X-Session-Seen"] = "1"
    return response


def role_for(team_id: int) -> str | None:
    """The signed-in user's role in a team, or None when not a member."""
    return current_user.role_in(team_id) if current_user.is_authenticated else None


def get_owned(model, object_id: int):
    """The team-owned record, if the signed-in user belongs to its team; 404 otherwise.

    A foreign record answers exactly as a missing one, so ids cannot be probed.
    """
    found = db.session.get(model, object_id) if abs(object_id) <= MAX_ID else None
    if found is None or role_for(found.team_id) is None:
        abort(404)
    return found


def get_part(model, object_id: int | None, **owner):
    """A record that belongs to an already-authorized one (a case's fact, a criterion's link):
    404 unless every `owner` attribute matches, e.g. ``get_part(Fact, 3, case_id=case.id)``."""
    found = db.session.get(model, object_id) if object_id and abs(object_id) <= MAX_ID else None
    if found is None or any(getattr(found, k) != v for k, v in owner.items()):
        abort(404)
    return found


def get_case(case_id: int) -> Case:
    """The case, if the signed-in user belongs to its team; 404 otherwise."""
    return get_owned(Case, case_id)


def team_admin(view):
    """Only an admin of the team named by the `slug` argument may use the view."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        from app.services.teams import team_or_404

        team = team_or_404(kwargs["slug"])
        if role_for(team.id) != "admin":
            abort(403)
        return view(*args, **kwargs)

    return wrapped


# The private calendar feed's URL is its credential.
_FEED_TOKEN = re.compile(r"(/calendar/feed/)[^/\s?]+(\.ics)")


def redact(text: str) -> str:
    """A request line without its query string (a search may hold a name) or a feed token."""
    text = _FEED_TOKEN.sub(r"\1…\2", text)
    head, sep, tail = text.partition("?")
    if not sep:
        return text
    rest = tail.split(" ", 1)
    return f"{head}?…" + (f" {rest[1]}" if len(rest) > 1 else "")


class _Redacted:
    """Log records pass through `redact`: request lines and "Exception on <path>" alike.
    Tracebacks lost their messages already, as the record was made (app/logs.py)."""

    def filter(self, record) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {
                k: redact(v) if isinstance(v, str) else v for k, v in record.args.items()
            }
        return True


_REDACTED = _Redacted()


def quiet_request_log(app: Flask) -> None:
    # Every logger's tracebacks, whoever logs them (the database's loggers are many).
    withhold_exception_messages()
    # The development server's and gunicorn's request logs, and Flask's own error log.
    for logger in (logging.getLogger("werkzeug"), logging.getLogger("gunicorn.access"), app.logger):
        logger.addFilter(_REDACTED)
