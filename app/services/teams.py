"""The team a request is about: by its slug (when the user belongs to it), or the one the
signed-in user is working in."""

from flask import abort, session
from flask_login import current_user
from sqlalchemy import select

from app.extensions import db
from app.models import Team, User
from app.security import role_for


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


def manages_account(user: User) -> bool:
    """An admin may lock or reset an account only if they are admin of every team it belongs
    to: a password reset hands over the account, and with it every team's patients."""
    return user.id != current_user.id and all(
        role_for(m.team_id) == "admin" for m in user.memberships
    )
