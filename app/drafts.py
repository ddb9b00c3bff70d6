"""No typed text lost to an automatic sign-out: a save that arrives after its session ended
(idle, or past its lifetime) is kept here, on the server, for the same user; once they sign in
again, the page the form was on opens with the form filled in (app/static/peerbrief-idle.js
fills it) and a message says what happened.

Kept: the posted fields but the CSRF token and passwords; for PEERBRIEF_DRAFT_MINUTES (30),
tied to the user whose session ended; shown once, then removed. Never in the browser's storage.
"""

from urllib.parse import urlsplit

from flask import Flask, current_app, flash, g, request, session
from flask_wtf.csrf import validate_csrf
from sqlalchemy import delete, select
from wtforms import ValidationError

from app.extensions import db
from app.models import FormDraft, now

# Fields never kept: the form's CSRF token, and anything that is a password.
SECRET_FIELDS = {"csrf_token", "current", "confirm"}


def _kept(name: str) -> bool:
    return name not in SECRET_FIELDS and "password" not in name.lower()


def _page() -> str | None:
    """The page the form was on, a path of this site: htmx names it, a browser's form post
    has it as its Referer (same-origin referrers only: the Referrer-Policy)."""
    url = request.headers.get("HX-Current-URL") or request.referrer or ""
    parts = urlsplit(url)
    if parts.netloc != request.host or not parts.path.startswith("/"):
        return None
    if parts.path.startswith("//"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def keep(user_id: int) -> str | None:
    """Keep what this POST sent, for `user_id` to find after signing in; the page to come back
    to, or None when nothing was kept (not a post, no page, or no valid CSRF token: a post
    from another site must not plant text in someone's form). In the caller's transaction."""
    if request.method != "POST":
        return None
    try:
        validate_csrf(request.form.get("csrf_token") or request.headers.get("X-CSRFToken"))
    except ValidationError:
        return None
    page = _page()
    fields = [[k, v] for k, v in request.form.items(multi=True) if _kept(k)]
    if page is None or not fields:
        return None
    action = request.full_path.rstrip("?")
    _forget_old(user_id)
    db.session.add(FormDraft(user_id=user_id, page=page, action=action, fields=fields))
    return page


def _forget_old(user_id: int) -> None:
    limit = now() - current_app.config["DRAFT_LIFETIME"]
    db.session.execute(
        delete(FormDraft).where((FormDraft.created_at < limit) | (FormDraft.user_id == user_id))
    )


def restore(user_id: int) -> str | None:
    """After signing in: the page to open with the user's kept form, or None. The form moves
    into the (server-side) session, to be shown once; its row goes. In the caller's
    transaction."""
    limit = now() - current_app.config["DRAFT_LIFETIME"]
    draft = db.session.scalar(
        select(FormDraft)
        .where(FormDraft.user_id == user_id, FormDraft.created_at >= limit)
        .order_by(FormDraft.id.desc())
        .limit(1)
    )
    _forget_old(user_id)
    if draft is None:
        return None
    session["restored"] = {"page": draft.page, "action": draft.action, "fields": draft.fields}
    flash(
        "Your session had ended before your save arrived. What you typed is back in the form "
        "below: check it and save again.",
        "info",
    )
    return draft.page


def init_app(app: Flask) -> None:
    @app.before_request
    def _take_restored():
        # Only the page itself takes it (not its htmx requests, nor another tab's page).
        kept = session.get("restored")
        page = request.method == "GET" and not request.headers.get("HX-Request")
        if kept and page and request.full_path.rstrip("?") == kept["page"]:
            g.restored = session.pop("restored")

    @app.context_processor
    def _restored():
        return {"restored": g.get("restored")}
