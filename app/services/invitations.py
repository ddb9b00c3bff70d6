"""Inviting an existing account to a team: the account holder accepts or declines."""

from flask_login import current_user
from sqlalchemy import select

from app.audit import record
from app.extensions import db
from app.models import Invitation, Team, User


def invite(team: Team, user: User, role: str) -> Invitation | None:
    """Invite `user` to `team` as `role`, audited; None if they are invited already."""
    pending = db.session.scalar(
        select(Invitation).where(Invitation.team_id == team.id, Invitation.user_id == user.id)
    )
    if pending is not None:
        return None
    invitation = Invitation(team=team, user=user, role=role, invited_by_id=current_user.id)
    db.session.add(invitation)
    db.session.flush()
    record("member", what=f"invited user {user.id} as {role}", team_id=team.id)
    return invitation
