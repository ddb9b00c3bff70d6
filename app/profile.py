"""A clinician's profile: the name, credentials, specialty, NPI, phone and fax letters sign with.

Each member edits their own at /account/profile; a team admin edits a member's from the
members page, under the rule for managing an account (admin of every team it belongs to),
since a profile signs that member's letters in each of their teams.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app.audit import record
from app.domain import profile as domain
from app.extensions import db
from app.models import AuditEvent, Membership, Team, User
from app.security import get_part, team_admin
from app.services.teams import manages_account, team_or_404
from app.web import Conflict, claim, posted_version

bp = Blueprint("profile", __name__)


@bp.route("/account/profile", methods=["GET", "POST"])
def edit():
    """The signed-in member's own profile."""
    user = db.session.get(User, current_user.id)
    if request.method == "POST":
        return _save(user, url_for("profile.edit"), None)
    return _page(user, _form(user), url_for("profile.edit"))


@bp.route("/teams/<slug>/members/<int:membership_id>/profile", methods=["GET", "POST"])
@team_admin
def member(slug, membership_id):
    """A team admin edits a member's profile."""
    team = team_or_404(slug)
    user = get_part(Membership, membership_id, team_id=team.id).user
    if user.id == current_user.id:
        return redirect(url_for("profile.edit"))
    if not manages_account(user):
        abort(403)
    here = url_for("profile.member", slug=slug, membership_id=membership_id)
    if request.method == "POST":
        return _save(user, here, team)
    return _page(user, _form(user), here, team)


def _form(user: User) -> dict:
    return {name: getattr(user, name) or "" for name in domain.FIELDS} | {
        "version": user.profile_version
    }


def _page(user: User, form, action: str, admin_of: Team | None = None, code=200, **extra):
    """The profile form; `admin_of` is the team whose admin edits a member's profile."""
    return render_template(
        "profile/edit.html",
        user=user,
        form=form,
        action=action,
        admin_of=admin_of,
        **{"errors": {}, "conflict": None, **extra},
    ), code


def _save(user: User, here: str, team: Team | None):
    """Keep the profile if it checks and is still the version the form was made from."""
    checked = domain.check(request.form)
    if checked.errors:  # the form keeps what was typed, and the version it was made from
        form = {**checked.values, "version": request.form.get("version", "")}
        return _page(user, form, here, team, 422, errors=checked.errors)
    wanted = checked.values
    what = f"user {user.id} profile saved"
    if all(getattr(user, k) == v for k, v in wanted.items()):
        return _done(user, team)  # sent twice, or nothing changed: not a conflict
    posted = posted_version()
    if not claim(user, posted, "profile_version"):
        db.session.refresh(user)
        return _conflict(user, wanted, posted, here, team)
    for name, value in wanted.items():
        setattr(user, name, value)
    record("profile", what=what, team_id=team.id if team else None)
    db.session.commit()
    return _done(user, team)


def _done(user: User, team: Team | None):
    if team is None:
        flash("Your profile is saved: letters you sign use it.", "success")
        return redirect(url_for("profile.edit"))
    flash(f"The profile of {user.name} is saved.", "success")
    return redirect(url_for("teams.members", slug=team.slug))


def _conflict(user: User, wanted: dict, posted, here: str, team: Team | None):
    """Their saved profile and yours side by side; yours stays in the form, now made from the
    saved version, so saving again keeps yours."""
    what = f"user {user.id} profile saved"
    last = db.session.scalar(
        select(AuditEvent)
        .where(AuditEvent.action == "profile", AuditEvent.what == what)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    current = user.profile_version
    record(
        "refused",
        what=f"user {user.id} profile from version {posted}: version {current} was saved first",
        team_id=team.id if team else None,
    )
    db.session.commit()
    fields = [
        (domain.LABELS[name], getattr(user, name) or "", wanted[name]) for name in domain.FIELDS
    ]
    differ = [row for row in fields if row[1] != row[2]] or fields
    mine = last is not None and last.user_id == current_user.id
    who = last.user.name if last is not None and last.user is not None else "Someone else"
    conflict = Conflict(who, mine, last.at if last else None, differ, here)
    form = {**wanted, "version": current}
    return _page(user, form, here, team, 422, conflict=conflict)
