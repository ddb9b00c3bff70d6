"""A user's second factor: the authenticator app's secret, sealed, and the recovery codes."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.core import now


class TwoFactor(db.Model):
    """One per user who has begun to set up an authenticator app.

    `secret` is the shared secret sealed with Fernet (app/mfa/service.py): a copy of the
    database or a backup alone gives no one the codes. `last_step` is the time step of the
    last code accepted, so a code works once; `attempts` counts codes tried since the last
    right one, and past the limit `locked_until` makes the user wait.
    """

    __tablename__ = "two_factor"
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    secret: Mapped[str] = mapped_column(String(255))
    # None until the user types a first code from the app: until then it does not guard sign-in.
    confirmed_at: Mapped[datetime | None]
    last_step: Mapped[int | None]
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    locked_until: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=now)

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class RecoveryCode(db.Model):
    """A one-time code for signing in without the app: only its salted SHA-256 is kept."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    salt: Mapped[str] = mapped_column(String(32))
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None]
