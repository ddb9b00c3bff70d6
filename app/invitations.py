"""Invitations: an admin invites an existing account to the team, and its holder accepts or
declines after signing in. An account joins no team without its holder's say; a new account
an admin creates joins at once, as before (teams.add_member)."""

from flask import Blueprint, abort, flash, redirect, request, session, url_for
from flask_login import current_user
from sqlalchemy import select

from app.audit import record
from app.extensions import db
from app.models import Invitation, Membership
from app.security import get_part, team_admin

bp = Blueprint("invitations", __name__)


@bp.app_template_global()
def pending_invitations() -> list[Invitation]:
    """The signed-in user's invitations waiting for an answer, oldest first."""
    return db.session.scalars(
        select(Invitation)
        .where(Invitation.user_id == current_user.id)
        .order_by(Invitation.created_at, Invitation.id)
    ).all()


@bp.app_template_global()
def sent_invitations(team_id: int) -> list[Invitation]:
    """The team's invitations not answered yet, for its admins."""
    return db.session.scalars(
        select(Invitation).where(Invitation.team_id == team_id).order_by(Invitation.id)
    ).all()


@bp.route("/invitations/answer", methods=["POST"])
def answer():
    """Accept or decline one of one's own invitations. Another's, or one already answered or
    withdrawn, is no invitation of one's own: nothing changes."""
    raw = request.form.get("invitation_id", "")
    found = db.session.get(Invitation, int(raw)) if raw.isdecimal() and len(raw) < 10 else None
    if found is None or found.user_id != current_user.id:
        flash("That invitation was withdrawn or already answered.", "info")
        return redirect(url_for("cases.index"))
    team, role, choice = found.team, found.role, request.form.get("answer")
    if choice == "accept":
        if current_user.role_in(team.id) is None:
            db.session.add(Membership(user_id=current_user.id, team_id=team.id, role=role))
        db.session.delete(found)
        record("member", what=f"user {current_user.id} accepted to join as {role}", team_id=team.id)
        db.session.commit()
        session["team_id"] = team.id
        flash(f"You joined {team.name} as {role}.", "success")
    elif choice == "decline":
        db.session.delete(found)
        record("member", what=f"user {current_user.id} declined to join", team_id=team.id)
        db.session.commit()
        flash(f"You declined to join {team.name}.", "info")
    else:
        abort(400)
    return redirect(url_for("cases.index"))


@bp.route("/teams/<slug>/invitations/<int:invitation_id>/withdraw", methods=["POST"])
@team_admin
def withdraw(slug, invitation_id):
    from app.services.teams import team_or_404

    team = team_or_404(slug)
    invitation = get_part(Invitation, invitation_id, team_id=team.id)
    user_id = invitation.user_id
    db.session.delete(invitation)
    record("member", what=f"withdrew the invitation of user {user_id}", team_id=team.id)
    db.session.commit()
    flash("Invitation withdrawn.", "success")
    return redirect(url_for("teams.members", slug=slug))
