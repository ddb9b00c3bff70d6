"""Sign in and out, change one's password, and the throttle on guessing passwords."""

import hashlib
import math
import secrets
import time
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_limiter import Limiter, RateLimitExceeded
from flask_login import current_user, login_user, logout_user
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from app.audit import record
from app.domain import passwords
from app.extensions import db
from app.models import User
from app.models.core import now

bp = Blueprint("auth", __name__)

# Same wording whether the account exists or not, so sign-in reveals nothing.
FAILED = "That email and password do not match an active account."
# Pages a user with a temporary password may open before choosing their own.
TEMPORARY_ALLOWED = {"auth.password", "auth.logout", "static"}


@bp.route("/login", methods=["GET", "POST"])
def login():
    # Only a POST signs in: Flask answers HEAD on this route too, and checks no CSRF token on it.
    if request.method != "POST":
        return render_template("auth/login.html", email="")
    email = request.form.get("email", "").strip().lower()
    user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    if not _may_sign_in(user, request.form.get("password", "")):
        g.wrong_password = True
        flash(FAILED, "error")
        return render_template("auth/login.html", email=email), 401
    session.clear()
    login_user(user)
    session["stamp"] = session_stamp(user)
    if user.memberships:
        session["team_id"] = user.memberships[0].team_id
    if user.temporary_password_until is not None:
        return redirect(url_for("auth.password"))
    return redirect(_safe_next(request.args.get("next")))


def _may_sign_in(user: User | None, password: str) -> bool:
    """The password is right, the account active and any temporary password still valid.

    An unknown email costs a hash check too, so the answer takes as long either way.
    """
    if user is None:
        check_password_hash(_stand_in_hash(), password)
        return False
    right = user.check_password(password)
    expired = user.temporary_password_until is not None and user.temporary_password_until < now()
    return right and user.active and not expired


_STAND_IN: dict[str, str] = {}


def _stand_in_hash() -> str:
    """A hash of no one's password, made with the method real ones use."""
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    if method not in _STAND_IN:
        _STAND_IN[method] = generate_password_hash(secrets.token_hex(16), method=method)
    return _STAND_IN[method]


def session_stamp(user: User) -> str:
    """Changes with the password: a session signed in before a password change ends."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
def password():
    """The signed-in user chooses a new password, giving the current one."""
    if request.method != "POST":  # GET or HEAD: a HEAD must check no password
        return render_template("auth/password.html", errors={})
    form = request.form
    new = form.get("password", "")
    errors = {}
    if not current_user.check_password(form.get("current", "")):
        g.wrong_password = True
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
    record("password", what=f"user {current_user.id} changed their password")
    db.session.commit()
    # This session goes on; any other one (another browser, a stolen cookie) ends.
    session["stamp"] = session_stamp(current_user)
    flash("Your password is changed. Other signed-in sessions have ended.", "success")
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


# --- throttling ------------------------------------------------------------------------------


def _address() -> str:
    return "address:" + (request.remote_addr or "unknown")


def _account() -> str:
    """The account being guessed at: the email typed, or the signed-in user's on the password
    page. Hashed, so a shared counter store holds no email address."""
    if request.endpoint == "auth.password" and current_user.is_authenticated:
        email = current_user.email
    else:
        email = request.form.get("email", "")
    return "account:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


def throttle(app: Flask) -> None:
    """Refuse, for a while, an address or an account that has given too many wrong passwords.

    Only failures count, so a busy clinic behind one address signs in freely. Each app has its
    own limiter: a module-level one would carry one app's counters and settings to the next.
    """
    limiter = Limiter(
        _address,
        app=app,
        storage_uri=app.config["RATELIMIT_STORAGE_URI"],
        strategy="moving-window",
        key_prefix="peerbrief",
        # A shared store that goes away must not stop every sign-in: count in memory meanwhile.
        in_memory_fallback_enabled=True,
    )
    app.extensions["signin_limiter"] = limiter

    def failed(_response) -> bool:
        return g.get("wrong_password", False)

    for endpoint in ("auth.login", "auth.password"):
        view = app.view_functions[endpoint]
        for setting, key, scope in (
            ("LOGIN_LIMIT_PER_ADDRESS", _address, "signin-address"),
            ("LOGIN_LIMIT_PER_ACCOUNT", _account, "signin-account"),
        ):
            view = limiter.shared_limit(
                lambda setting=setting: app.config[setting],
                scope=scope,
                key_func=key,
                methods=["POST"],
                deduct_when=failed,
            )(view)
        app.view_functions[endpoint] = view


@bp.errorhandler(RateLimitExceeded)
def too_many_attempts(_error):
    limit = current_app.extensions["signin_limiter"].current_limit
    wait = max(1, math.ceil(limit.window.reset_time - time.time())) if limit else 60
    minutes = max(1, math.ceil(wait / 60))
    flash(
        f"Too many wrong passwords. Wait {minutes} minute{'s' if minutes > 1 else ''} "
        "and try again, or ask your team's admin for a temporary password.",
        "error",
    )
    headers = {"Retry-After": str(wait)}
    if request.endpoint == "auth.password":
        return render_template("auth/password.html", errors={}), 429, headers
    email = request.form.get("email", "").strip().lower()
    return render_template("auth/login.html", email=email), 429, headers


def _safe_next(target: str | None) -> str:
    """Only a path on this site: an open redirect would hand a signed-in user to anyone."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and not urlsplit(target).netloc
    ):
        return target
    return url_for("cases.index")
