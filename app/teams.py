"""Teams: choosing the team to work in, and an admin managing its members."""

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import func, select

from app.audit import record
from app.extensions import db
from app.models import ROLES, Membership, Team, User
from app.render.letterhead import LetterheadError, check_letterhead
from app.security import get_part, role_for, team_admin

bp = Blueprint("teams", __name__, url_prefix="/teams")


def team_or_404(slug: str) -> Team:
    team = db.session.scalar(select(Team).where(Team.slug == slug))
    if team is None or role_for(team.id) is None:
        abort(404)
    return team


def current_team() -> Team | None:
    """The team the signed-in user is working in: the one chosen, else their first."""
    memberships = current_user.memberships
    chosen = session.get("team_id")
    for m in memberships:
        if m.team_id == chosen:
            return m.team
    return memberships[0].team if memberships else None


@bp.route("/<slug>/switch", methods=["POST"])
def switch(slug):
    session["team_id"] = team_or_404(slug).id
    return redirect(url_for("cases.index"))


@bp.route("/<slug>/members")
@team_admin
def members(slug):
    team = team_or_404(slug)
    rows = sorted(team.memberships, key=lambda m: m.user.name.lower())
    return render_template(
        "teams/members.html", team=team, rows=rows, roles=ROLES, form={}, errors={}
    )


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
    if role not in ROLES:
        errors["role"] = "Choose a role."
    user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    if user is None and not errors:
        name, password = form.get("name", "").strip(), form.get("password", "")
        if not name:
            errors["name"] = "A new account needs a name."
        if len(password) < 12:
            errors["password"] = "A new account needs a first password of 12 characters or more."
        if not errors:
            user = User(email=email, name=name, credentials=form.get("credentials", "").strip())
            user.set_password(password)
            db.session.add(user)
    if user is not None and user.role_in(team.id):
        errors["email"] = f"{email} is already a member of {team.name}."
    if errors:
        rows = sorted(team.memberships, key=lambda m: m.user.name.lower())
        return render_template(
            "teams/members.html", team=team, rows=rows, roles=ROLES, form=form, errors=errors
        ), 422
    db.session.add(Membership(user=user, team=team, role=role))
    record("member", what=f"added user {user.email} as {role}", team_id=team.id)
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
        record("member", what=f"removed user {membership.user.email}", team_id=team.id)
    elif request.form.get("role") in ROLES:
        membership.role = request.form["role"]
        record(
            "member", what=f"user {membership.user.email} is now {membership.role}", team_id=team.id
        )
    db.session.commit()
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
            check_letterhead(data)
        except LetterheadError as exc:
            flash(f"Letterhead not saved: {exc}", "error")
            return redirect(url_for("teams.members", slug=slug))
        team.letterhead, team.letterhead_name = data, upload.filename[:200]
        flash(f"Letterhead {team.letterhead_name} saved: every letter now uses it.", "success")
    record(
        "letterhead", what=f"letterhead {request.form.get('action') or 'uploaded'}", team_id=team.id
    )
    db.session.commit()
    return redirect(url_for("teams.members", slug=slug))
