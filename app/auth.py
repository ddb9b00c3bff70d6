"""Sign in and out, and change one's password. The throttle on guessing and the record of
sign-in events are in app/signin.py; the sessions themselves in app/sessions.py."""

import math
import secrets

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, logout_user
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from app import sessions, signin
from app.audit import record
from app.domain import passwords
from app.extensions import db
from app.mfa.gate import after_password
from app.models import User
from app.models.core import now

bp = Blueprint("auth", __name__)

# Same wording whether the account exists or not, so sign-in reveals nothing.
FAILED = "That email and password do not match an active account."
# Pages a user with a temporary password may open before choosing their own.
TEMPORARY_ALLOWED = {"auth.password", "auth.logout", "auth.logout_everywhere", "static"}


@bp.route("/login", methods=["GET", "POST"])
def login():
    # Only a POST signs in: Flask answers HEAD on this route too, and checks no CSRF token on it.
    if request.method != "POST":
        return render_template("auth/login.html", email="")
    email = request.form.get("email", "").strip().lower()
    if (wait := signin.refused(email)) is not None:
        return _too_many(wait, "auth/login.html", email=email)
    user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    if refusal := _refusal(user, request.form.get("password", "")):
        signin.failed(user, email, refusal)
        flash(FAILED, "error")
        return render_template("auth/login.html", email=email), 401
    # Two-factor (app/mfa): a user with an authenticator app gives a code before signing in.
    if (second_step := after_password(user)) is not None:
        return second_step
    return sessions.begin_session(user, request.args.get("next"))


def _refusal(user: User | None, password: str) -> str:
    """Why the sign-in is refused, for the audit log ("" when the password is accepted): a
    wrong password, an inactive account or a lapsed temporary password. The person signing in
    is told none of this apart.

    An unknown email costs a hash check too, so the answer takes as long either way.
    """
    if user is None:
        check_password_hash(_stand_in_hash(), password)
        return "no such account"
    if not user.check_password(password):
        return "wrong password"
    if not user.active:
        return "account deactivated"
    if user.temporary_password_until is not None and user.temporary_password_until < now():
        return "temporary password lapsed"
    return ""


_STAND_IN: dict[str, str] = {}


def _stand_in_hash() -> str:
    """A hash of no one's password, made with the method real ones use."""
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    if method not in _STAND_IN:
        _STAND_IN[method] = generate_password_hash(secrets.token_hex(16), method=method)
    return _STAND_IN[method]


@bp.route("/logout", methods=["POST"])
def logout():
    _end_session("signed out")
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/logout/everywhere", methods=["POST"])
def logout_everywhere():
    """End every session of the signed-in user: this browser and any other, a copied cookie's
    included."""
    sessions.end_all(current_user.id, "everywhere")
    db.session.commit()
    _end_session("everywhere")
    flash("You are signed out everywhere: every browser signed in as you must sign in again.")
    return redirect(url_for("auth.login"))


def _end_session(why: str) -> None:
    signin.signed_out(current_user, why)
    if (row := sessions.current_id(session)) is not None:
        sessions.end(row, why)
    db.session.commit()
    logout_user()
    session.clear()


@bp.route("/session/keepalive", methods=["POST"])
def keepalive():
    """The page's "Stay signed in" button: the request itself moves the idle clock on."""
    return "", 204


@bp.route("/password", methods=["GET", "POST"])
def password():
    """The signed-in user chooses a new password, giving the current one."""
    if request.method != "POST":  # GET or HEAD: a HEAD must check no password
        return render_template("auth/password.html", errors={})
    form = request.form
    new = form.get("password", "")
    errors = {}
    if (wait := signin.refused(current_user.email)) is not None:
        return _too_many(wait, "auth/password.html", errors={})
    if not current_user.check_password(form.get("current", "")):
        signin.failed(current_user, current_user.email, "wrong current password")
        errors["current"] = "That is not your current password."
    elif new == form.get("current"):
        errors["password"] = "Choose a password other than the one you have now."
    elif problem := passwords.problem(new, current_user.email):
        errors["password"] = problem
    elif new != form.get("confirm", ""):
        errors["confirm"] = "The two new passwords differ: type it again."
    if errors:
        return render_template("auth/password.html", errors=errors), 422
    current_user.set_password(new)
    current_user.temporary_password_until = None
    had_feed = current_user.calendar_token_hash is not None
    # This session goes on; any other one (another browser, a stolen cookie) ends, and so
    # does the calendar feed's URL.
    sessions.revoke(current_user, "password", keep=sessions.current_id(session))
    record("password", what=f"user {current_user.id} changed their password")
    db.session.commit()
    feed = " Your calendar feed's address has ended too: make a new one." if had_feed else ""
    flash(f"Your password is changed. Other signed-in sessions have ended.{feed}", "success")
    return redirect(url_for("cases.index"))


@bp.before_app_request
def _own_password_first():
    """A temporary password opens the password page and nothing else."""
    if (
        request.endpoint in TEMPORARY_ALLOWED
        or not current_user.is_authenticated
        or current_user.temporary_password_until is None
    ):
        return None
    target = url_for("auth.password")
    if request.headers.get("HX-Request"):
        return "", 204, {"HX-Redirect": target}
    return redirect(target)


def _too_many(wait: int, template: str, **context):
    """The answer to a sign-in refused for a while (429): how long to wait, and what else to do."""
    minutes = max(1, math.ceil(wait / 60))
    flash(
        f"Too many wrong passwords. Wait {minutes} minute{'s' if minutes > 1 else ''} "
        "and try again, or ask your team's admin for a temporary password.",
        "error",
    )
    return render_template(template, **context), 429, {"Retry-After": str(wait)}
