"""`peerbrief two-factor reset EMAIL`: the operator resets a member's two-factor sign-in, for
when no team admin can (the team's only admin lost their phone and recovery codes)."""

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from app.extensions import db
from app.mfa import service
from app.models import User

group = AppGroup("two-factor", help="Two-factor sign-in of an account.")


@group.command("reset")
@click.argument("email")
def reset(email):
    """Remove the account's authenticator app and recovery codes: it signs in with its
    password alone until set up again (at once, where a team requires it)."""
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"No account with the email {email!r}.")
    if not service.reset(user, None):
        raise click.ClickException(f"{email} has no two-factor sign-in to reset.")
    db.session.commit()
    click.echo(f"Two-factor sign-in of {email} is reset: it is set up again at the next sign-in.")
