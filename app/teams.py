"""Teams: choosing the team to work in, and an admin managing its members and their access."""

import secrets

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user
from sqlalchemy import func, select

from app import sessions, signin
from app.audit import record
from app.domain import passwords
from app.extensions import db
from app.mfa import service as mfa
from app.models import ROLES, Membership, Team, User
from app.models.core import now
from app.render.letterhead import LetterheadError, check_letterhead
from app.security import get_part, team_admin
from app.services.invitations import invite
from app.services.teams import manages_account, team_or_404

bp = Blueprint("teams", __name__, url_prefix="/teams")


@bp.route("/<slug>/switch", methods=["POST"])
def switch(slug):
    session["team_id"] = team_or_404(slug).id
    return redirect(url_for("cases.index"))


def _members_page(team: Team, form=None, errors=None, temporary=None):
    rows = sorted(team.memberships, key=lambda m: m.user.name.lower())
    return render_template(
        "teams/members.html",
        team=team,
        rows=rows,
        roles=ROLES,
        form=form or {},
        errors=errors or {},
        manageable={m.id for m in rows if manages_account(m.user)},
        temporary=temporary,
        now=now(),
        two_factor=mfa.enrolled_among([m.user_id for m in rows]),
        signins=signin.recent([m.user_id for m in rows]),
    )


@bp.route("/<slug>/members")
@team_admin
def members(slug):
    return _members_page(team_or_404(slug))


@bp.route("/<slug>/members", methods=["POST"])
@team_admin
def add_member(slug):
    team = team_or_404(slug)
    form = request.form
    email = form.get("email", "").strip().lower()
    role = form.get("role", "")
    errors = {}
    if "@" not in email:
        errors["email"] = "Enter the member's email address."
    elif len(email) > 254:  # the longest an address can be (RFC 5321), and its column's size
        errors["email"] = "An email address has at most 254 characters."
    if role not in ROLES:
        errors["role"] = "Choose a role."
    user = existing = db.session.scalar(select(User).where(func.lower(User.email) == email))
    if user is None and not errors:
        name, password = form.get("name", "").strip(), form.get("password", "")
        credentials = form.get("credentials", "").strip()
        if not name:
            errors["name"] = "A new account needs a name."
        elif len(name) > 200:
            errors["name"] = "At most 200 characters."
        if len(credentials) > 60:
            errors["credentials"] = "At most 60 characters, like MD, FACR."
        if problem := passwords.problem(password, email):
            errors["password"] = f"A new account needs a first password. {problem}"
        if not errors:
            user = User(email=email, name=name, credentials=credentials)
            user.set_password(password)
            db.session.add(user)
    if user is not None and user.role_in(team.id):
        errors["email"] = f"{email} is already a member of {team.name}."
    if errors:
        return _members_page(team, form, errors), 422
    if existing is not None:
        # An existing account is its holder's: it joins when they accept (app/invitations.py).
        if invite(team, user, role) is None:
            errors["email"] = f"{email} is invited already and has not answered yet."
            return _members_page(team, form, errors), 422
        db.session.commit()
        flash(
            f"{user.name} has an account: they are invited to join {team.name} as {role}, "
            "and join when they accept after signing in.",
            "success",
        )
        return redirect(url_for("teams.members", slug=slug))
    db.session.add(Membership(user=user, team=team, role=role))
    db.session.flush()
    record("member", what=f"added user {user.id} as {role}", team_id=team.id)
    db.session.commit()
    flash(f"{user.name} joined {team.name} as {role}.", "success")
    return redirect(url_for("teams.members", slug=slug))


@bp.route("/<slug>/members/<int:membership_id>", methods=["POST"])
@team_admin
def change_member(slug, membership_id):
    team = team_or_404(slug)
    membership = get_part(Membership, membership_id, team_id=team.id)
    admins = [m for m in team.memberships if m.role == "admin"]
    action = request.form.get("action")
    demotes = action == "remove" or request.form.get("role") != "admin"
    if demotes and admins == [membership]:
        flash("A team keeps at least one admin.", "error")
        return redirect(url_for("teams.members", slug=slug))
    if action == "remove":
        db.session.delete(membership)
        record("member", what=f"removed user {membership.user_id}", team_id=team.id)
    elif request.form.get("role") in ROLES:
        membership.role = request.form["role"]
        record(
            "member", what=f"user {membership.user_id} is now {membership.role}", team_id=team.id
        )
    db.session.commit()
    return redirect(url_for("teams.members", slug=slug))


# Temporary passwords are read out or typed: no letters and digits that look alike.
_TEMPORARY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def temporary_password() -> str:
    """Four groups of four, e.g. "k7pq-x2mn-...": about 79 bits, never a common password."""
    return "-".join(
        "".join(secrets.choice(_TEMPORARY_ALPHABET) for _ in range(4)) for _ in range(4)
    )


@bp.route("/<slug>/members/<int:membership_id>/access", methods=["POST"])
@team_admin
def member_access(slug, membership_id):
    """Deactivate or reactivate a member's account, give them a temporary password that
    serves only to choose their own, or reset their two-factor sign-in (a lost phone).
    Deactivating and resetting the password end the member's sessions."""
    team = team_or_404(slug)
    membership = get_part(Membership, membership_id, team_id=team.id)
    user, action = membership.user, request.form.get("action")
    if user.id == current_user.id:
        flash("Your own account is managed from the password page.", "error")
        return redirect(url_for("teams.members", slug=slug))
    if not manages_account(user):
        flash(
            f"{user.name} also belongs to a team you do not administer: an admin of every team "
            f"they belong to manages their account. Remove them from {team.name} instead.",
            "error",
        )
        return redirect(url_for("teams.members", slug=slug))
    if action == "deactivate":
        user.active = False
        sessions.revoke(user, "deactivated")
        record("member", what=f"deactivated user {user.id}", team_id=team.id)
        flash(f"{user.name} can no longer sign in.", "success")
    elif action == "reactivate":
        user.active = True
        record("member", what=f"reactivated user {user.id}", team_id=team.id)
        flash(f"{user.name} can sign in again.", "success")
    elif action == "temporary":
        password = temporary_password()
        user.set_password(password)
        until = now() + current_app.config["TEMPORARY_PASSWORD_TTL"]
        user.temporary_password_until = until
        sessions.revoke(user, "reset")
        record("member", what=f"set a temporary password for user {user.id}", team_id=team.id)
        db.session.commit()
        # Shown in this answer only: a flash would keep it in the session cookie.
        return _members_page(team, temporary={"user": user, "password": password, "until": until})
    elif action == "reset_two_factor":
        if mfa.reset(user, team):
            flash(f"{user.name}'s two-factor sign-in is reset: they set it up again.", "success")
    else:
        abort(400)
    db.session.commit()
    return redirect(url_for("teams.members", slug=slug))


@bp.route("/<slug>/two-factor", methods=["POST"])
@team_admin
def two_factor(slug):
    """Require (or stop requiring) a second factor of every member of the team."""
    team = team_or_404(slug)
    required = request.form.get("required") == "on"
    if mfa.require(team, required):
        db.session.commit()
        flash(
            "Every member now signs in with two-factor; those without it set it up first."
            if required
            else "Two-factor sign-in is now each member's choice.",
            "success",
        )
    return redirect(url_for("teams.members", slug=slug))


@bp.route("/<slug>/letterhead", methods=["POST"])
@team_admin
def letterhead(slug):
    """The team's letterhead .docx, checked before it is kept (it is untrusted input)."""
    team = team_or_404(slug)
    upload = request.files.get("file")
    if request.form.get("action") == "remove":
        team.letterhead, team.letterhead_name = None, ""
        flash("Letterhead removed: letters use a plain page.", "success")
    elif upload is None or not upload.filename:
        flash("Choose the letterhead .docx to upload.", "error")
    else:
        data = upload.read()
        try:
            accepted = check_letterhead(data)
        except LetterheadError as exc:
            flash(f"Letterhead not saved: {exc}", "error")
            return redirect(url_for("teams.members", slug=slug))
        team.letterhead, team.letterhead_name = accepted.data, upload.filename[:200]
        flash(f"Letterhead {team.letterhead_name} saved: every letter now uses it.", "success")
        if accepted.removed:
            flash(
                "Removed from the letterhead, so that no letter carries them: "
                + "; ".join(accepted.removed)
                + ".",
                "info",
            )
    # The log says what was done, not what the form posted as its action.
    done = "remove" if request.form.get("action") == "remove" else "uploaded"
    record("letterhead", what=f"letterhead {done}", team_id=team.id)
    db.session.commit()
    return redirect(url_for("teams.members", slug=slug))
