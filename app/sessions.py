"""Server-side sessions: a signed-in browser's cookie carries a random id and nothing else; the
session lives in the `user_session` table, so it can be ended on the server (sign-out, a
password change, deactivation, "sign out everywhere", the absolute lifetime).

Why a table of our own rather than Flask-Session's SQLAlchemy backend: ending every session of
one user (password change, deactivation) needs the user's id beside each session, which
Flask-Session does not keep (it would have to unpickle every row to find them); it keeps the
id itself as the key, where we keep only its SHA-256; and it creates its table outside the
migrations. What this needs is ~100 lines.

A visitor who is not signed in keeps Flask's signed cookie (a CSRF secret, a flash): a table
row for every anonymous visit would let anyone fill the database by asking for /login.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import Flask
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from sqlalchemy import delete, insert, or_, select, update

from app.extensions import db
from app.models import UserSession, now

# A server-side id in the cookie: ':' never occurs in a signed cookie, so the two cannot be
# mistaken for one another.
PREFIX = "sid:"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ServerSession(SecureCookieSession):
    """A signed-in session's values, read from its row. `row_id` is None until it is saved:
    a session that has just signed in gets its row, and its id, when the answer is sent."""

    def __init__(self, initial=None, row_id=None, started: datetime | None = None, cookie=""):
        super().__init__(initial)
        self.row_id = row_id
        self.started = started or now()
        self.cookie = cookie


class SessionStore(SecureCookieSessionInterface):
    """Flask's session interface, with signed-in sessions kept in the database."""

    session_class = ServerSession

    def open_session(self, app: Flask, request) -> SecureCookieSession | None:
        value = request.cookies.get(self.get_cookie_name(app), "")
        if not value.startswith(PREFIX):
            return super().open_session(app, request)
        row = db.session.execute(
            select(UserSession.id, UserSession.data, UserSession.created_at).where(
                UserSession.token_hash == digest(value[len(PREFIX) :]),
                UserSession.ended_at.is_(None),
            )
        ).first()
        if row is None:  # ended on the server, or never ours: a signed-out visitor
            return SecureCookieSession()
        return ServerSession(self.serializer.loads(row.data), row.id, row.created_at, value)

    def save_session(self, app: Flask, session, response) -> None:
        signed_in = "_user_id" in session
        if not signed_in:
            if isinstance(session, ServerSession) and session.row_id is not None:
                end(session.row_id, "signed out")
                session = SecureCookieSession(dict(session))  # a flash for the sign-in page
                session.modified = True
            return super().save_session(app, session, response)
        # A view's unfinished transaction is rolled back at teardown anyway: this one is ours.
        db.session.rollback()
        data = self.serializer.dumps(dict(session))
        if not isinstance(session, ServerSession) or session.row_id is None:
            token = secrets.token_urlsafe(32)
            db.session.execute(
                insert(UserSession).values(
                    token_hash=digest(token), user_id=int(session["_user_id"]), data=data
                )
            )
            db.session.commit()
            self._set_cookie(app, session, response, PREFIX + token)
        elif session.modified:
            db.session.execute(
                update(UserSession)
                .where(UserSession.id == session.row_id, UserSession.ended_at.is_(None))
                .values(data=data, seen_at=now())
            )
            db.session.commit()
            # The same id, its cookie's expiry moved on: the browser keeps it while in use.
            self._set_cookie(app, session, response, session.cookie)

    def _set_cookie(self, app: Flask, session, response, value: str) -> None:
        response.set_cookie(
            self.get_cookie_name(app),
            value,
            expires=self.get_expiration_time(app, session),
            httponly=self.get_cookie_httponly(app),
            domain=self.get_cookie_domain(app),
            path=self.get_cookie_path(app),
            secure=self.get_cookie_secure(app),
            samesite=self.get_cookie_samesite(app),
        )
        response.vary.add("Cookie")


def end(row_id: int, why: str) -> None:
    """End one session, if it is still open."""
    db.session.execute(
        update(UserSession)
        .where(UserSession.id == row_id, UserSession.ended_at.is_(None))
        .values(ended_at=now(), ended_why=why)
    )
    db.session.commit()


def end_all(user_id: int, why: str, keep: int | None = None) -> int:
    """End every open session of the user but `keep`, in the caller's transaction; how many."""
    which = update(UserSession).where(
        UserSession.user_id == user_id, UserSession.ended_at.is_(None)
    )
    if keep is not None:
        which = which.where(UserSession.id != keep)
    ended = db.session.execute(
        which.values(ended_at=now(), ended_why=why).execution_options(synchronize_session=False)
    )
    return ended.rowcount


def renew(session, why: str = "renewed") -> None:
    """Before signing in: whatever session the browser had ends, and a new id is made."""
    if isinstance(session, ServerSession) and session.row_id is not None:
        end(session.row_id, why)
        session.row_id = None
    session.clear()


def age(session) -> timedelta:
    """How long ago the session signed in (none for a session not kept here)."""
    return now() - session.started if isinstance(session, ServerSession) else timedelta(0)


def current_id(session) -> int | None:
    return session.row_id if isinstance(session, ServerSession) else None


def prune(lifetime: timedelta) -> None:
    """Forget sessions ended or past their lifetime more than a day ago (in the caller's
    transaction)."""
    day_ago = now() - timedelta(days=1)
    db.session.execute(
        delete(UserSession).where(
            or_(UserSession.ended_at < day_ago, UserSession.created_at < day_ago - lifetime)
        )
    )


def revoke(user, why: str, keep: int | None = None) -> None:
    """Take back what stands for the user's password: every session but `keep`, and the
    calendar feed's URL (a password change or deactivation must not leave a way in). In the
    caller's transaction."""
    end_all(user.id, why, keep)
    user.calendar_token_hash = None


def begin_session(user, next_page: str | None):
    """Sign `user` in: a new session (whatever the browser had ends), the team to work in,
    then the page asked for, or the password page for a temporary password. Their password
    (and second factor) were accepted."""
    from flask import current_app, redirect, session, url_for
    from flask_login import login_user

    from app import drafts, signin

    renew(session)
    login_user(user)
    if user.memberships:
        session["team_id"] = user.memberships[0].team_id
    prune(current_app.config["SESSION_LIFETIME"])
    signin.signed_in(user)
    if user.temporary_password_until is not None:
        db.session.commit()
        return redirect(url_for("auth.password"))
    # A save that came after the last session ended: back to its page, the form filled in.
    restored = drafts.restore(user.id)
    db.session.commit()
    return redirect(_safe_next(restored or next_page))


def _safe_next(target: str | None) -> str:
    """Only a path on this site: an open redirect would hand a signed-in user to anyone."""
    from urllib.parse import urlsplit

    from flask import url_for

    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and not urlsplit(target).netloc
    ):
        return target
    return url_for("cases.index")
