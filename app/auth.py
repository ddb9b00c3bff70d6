"""Sign in and out."""

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import login_user, logout_user
from sqlalchemy import func, select

from app.extensions import db
from app.models import User

bp = Blueprint("auth", __name__)

# Same wording whether the account exists or not, so sign-in reveals nothing.
FAILED = "That email and password do not match an active account."


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return render_template("auth/login.html", email="")
    email = request.form.get("email", "").strip().lower()
    user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    if user is None or not user.active or not user.check_password(request.form.get("password", "")):
        flash(FAILED, "error")
        return render_template("auth/login.html", email=email), 401
    session.clear()
    login_user(user)
    if user.memberships:
        session["team_id"] = user.memberships[0].team_id
    return redirect(_safe_next(request.args.get("next")))


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


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
