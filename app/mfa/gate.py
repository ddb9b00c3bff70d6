"""The second step of signing in: a user whose password was accepted, waiting for a code.

Nothing here signs anyone in. The session holds only who is waiting, until when, and where
they were going, so every page but the code page still answers as to a signed-out visitor.
"""

import time

from flask import redirect, request, session, url_for
from werkzeug.wrappers import Response

from app.extensions import db
from app.mfa import service
from app.models import User

PENDING = "two_factor_pending"
# Long enough to find the phone and open the app; then the password is asked again.
WAIT_SECONDS = 5 * 60


def after_password(user: User) -> Response | None:
    """Called once the password is accepted: the way to the code page when the user has a
    second factor, None when the password alone signs them in."""
    if not service.enrolled(user.id):
        return None
    # A session signed in as someone else in this browser ends here, as a sign-in would end it.
    session.clear()
    session[PENDING] = {
        "user": user.id,
        "stamp": _stamp(user),
        "until": time.time() + WAIT_SECONDS,
        "next": _kept(request.args.get("next")),
    }
    return redirect(url_for("mfa.code"))


def pending() -> tuple[User, str | None] | None:
    """The user waiting to give a code and where they were going, or None: nobody waits, the
    wait is over, or the account changed meanwhile (deactivated, new password)."""
    state = session.get(PENDING)
    if not isinstance(state, dict) or not isinstance(state.get("user"), int):
        return None
    if not isinstance(state.get("until"), int | float) or state["until"] < time.time():
        forget()
        return None
    user = db.session.get(User, state["user"])
    if user is None or not user.active or state.get("stamp") != _stamp(user):
        forget()
        return None
    return user, state.get("next")


def _kept(next_page: str | None) -> str | None:
    # The session cookie holds it: a page address longer than this is not worth a lost cookie.
    return next_page if next_page and len(next_page) <= 1000 else None


def forget() -> None:
    session.pop(PENDING, None)


def _stamp(user: User) -> str:
    """Changes with the password: a waiting sign-in ends if the password changes meanwhile."""
    import hashlib

    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]
