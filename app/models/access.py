"""Who is signed in and who tried: server-side sessions, failed sign-ins counted across
workers, and the forms a save brought after its session had ended."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.core import now


class UserSession(db.Model):
    """A signed-in session. The cookie carries a random id; only its SHA-256 is kept, so a
    copy of this table opens no one's session. Ended rows stay a day, for the record."""

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    seen_at: Mapped[datetime] = mapped_column(default=now)
    ended_at: Mapped[datetime | None]
    # signed out, everywhere, password, deactivated, reset, idle, lifetime, renewed
    ended_why: Mapped[str] = mapped_column(String(20), default="", server_default="")
    # The session's values (Flask's tagged JSON): the CSRF secret, the team chosen, flashes.
    data: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")


class SigninFailure(db.Model):
    """One wrong password, under each counter it counts for (address, address and account,
    account), by hash: the table holds no email address."""

    __table_args__ = (Index("ix_signin_failure_key_at", "key", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=now, index=True)


class FormDraft(db.Model):
    """What a save sent after its session had ended, kept for its user to sign in again and
    find it in the form; gone once shown, or after PEERBRIEF_DRAFT_MINUTES."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    page: Mapped[str] = mapped_column(String(2000))  # where the form was: shown again
    action: Mapped[str] = mapped_column(String(2000))  # where it was sent: finds the form
    fields: Mapped[list] = mapped_column(JSON)  # [[name, value], ...], no token, no password
