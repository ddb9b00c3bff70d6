"""Two-factor pages: one's own authenticator app and recovery codes, the code asked at sign-in,
and the guard that leads a member of a team requiring it to set it up first."""

import segno
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from app.domain import totp
from app.mfa import gate, service
from app.sessions import begin_session

bp = Blueprint("mfa", __name__, url_prefix="/account/two-factor")

# What a member of a team requiring two-factor may open before setting it up.
ENROL_ALLOWED = {
    "mfa.index",
    "mfa.start",
    "mfa.setup",
    "mfa.confirm",
    "mfa.code",
    "auth.logout",
    "static",
}


def _status(result: service.Result, refused: int = 422) -> int:
    return 429 if result.reason == "locked" else refused


def _headers(result: service.Result) -> dict:
    return {"Retry-After": str(result.wait)} if result.reason == "locked" else {}


@bp.route("/")
def index():
    row = service.of(current_user.id)
    return render_template(
        "mfa/index.html",
        enrolled=row is not None and row.confirmed,
        required=service.required_for(current_user),
        left=service.recovery_left(current_user.id),
        errors={},
    )


@bp.route("/setup", methods=["POST"])
def start():
    """A new secret to add to the app; it guards nothing until a first code confirms it."""
    if service.enrolled(current_user.id):
        flash("Two-factor sign-in is already set up for your account.", "info")
        return redirect(url_for("mfa.index"))
    service.begin(current_user)
    return redirect(url_for("mfa.setup"))


@bp.route("/setup")
def setup():
    secret = service.pending_secret(current_user)
    if secret is None:
        return redirect(url_for("mfa.index"))
    return _setup_page(secret, {})


def _setup_page(secret: str, errors: dict):
    uri = totp.provisioning_uri(secret, current_user.email)
    drawn = segno.make(uri, error="m").svg_inline(
        scale=4, dark="#000", light="#fff", title="QR code to add Peerbrief to your app"
    )
    return render_template(
        "mfa/setup.html",
        # segno draws the SVG from the URI alone: no user text goes into it unescaped.
        qr=Markup(drawn),  # nosec B704  # segno's own markup of a URI we made
        secret=totp.grouped(secret),
        errors=errors,
    )


@bp.route("/confirm", methods=["POST"])
def confirm():
    result = service.confirm(current_user, request.form.get("code", ""))
    if result.reason == "missing":
        flash("Start again: the set-up was finished or replaced meanwhile.", "info")
        return redirect(url_for("mfa.index"))
    secret = service.pending_secret(current_user)
    if not result.accepted and secret is None:  # sealed under a key since changed
        return redirect(url_for("mfa.index"))
    if not result.accepted:
        page = _setup_page(secret, {"code": result.problem})
        return page, _status(result), _headers(result)
    flash("Two-factor sign-in is on: sign-in now asks for a code from your app.", "success")
    return render_template("mfa/recovery_codes.html", codes=result.codes)


@bp.route("/recovery-codes", methods=["POST"])
def regenerate():
    """New recovery codes, for a current code from the app: the old ones stop working."""
    result = service.regenerate(current_user, request.form.get("code", ""))
    if result.reason == "missing":
        return redirect(url_for("mfa.index"))
    if not result.accepted:
        page = render_template(
            "mfa/index.html",
            enrolled=True,
            required=service.required_for(current_user),
            left=service.recovery_left(current_user.id),
            errors={"code": result.problem},
        )
        return page, _status(result), _headers(result)
    flash("New recovery codes: the old ones no longer work.", "success")
    return render_template("mfa/recovery_codes.html", codes=result.codes)


@bp.route("/code", methods=["GET", "POST"])
def code():
    """The second step of signing in, open to whoever is waiting with an accepted password."""
    waiting = gate.pending()
    if waiting is None:
        if current_user.is_authenticated:
            return redirect(url_for("cases.index"))
        flash("Sign in again: the time to give a code ran out.", "info")
        return redirect(url_for("auth.login"))
    user, target = waiting
    if request.method != "POST":
        return render_template("mfa/code.html", errors={})
    result = service.check(user.id, request.form.get("code", ""), recovery=True)
    if result.reason == "missing":
        gate.forget()
        flash("Sign in again.", "info")
        return redirect(url_for("auth.login"))
    if not result.accepted:
        refused = 401 if result.reason in ("wrong", "replayed") else 422
        page = render_template("mfa/code.html", errors={"code": result.problem})
        return page, _status(result, refused), _headers(result)
    response = begin_session(user, target)
    if result.recovery_left is not None:
        left = result.recovery_left
        flash(
            f"You signed in with a recovery code; {left} left. If your phone is lost, ask "
            "your team's admin to reset two-factor, or make new codes on your two-factor page.",
            "info" if left > 2 else "error",
        )
    return response


@bp.before_app_request
def _enrol_first():
    """A member of a team that requires two-factor opens nothing else until it is set up."""
    if (
        request.endpoint in ENROL_ALLOWED
        or not current_user.is_authenticated
        # A temporary password is changed first (app/auth.py sends the user there).
        or current_user.temporary_password_until is not None
        or not service.required_for(current_user)
        or service.enrolled(current_user.id)
    ):
        return None
    target = url_for("mfa.index")
    if request.headers.get("HX-Request"):
        return "", 204, {"HX-Redirect": target}
    return redirect(target)
