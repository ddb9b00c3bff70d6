"""The peer-to-peer call and what follows it: scheduling, attempts, the call sheet, the
team's deadline rules."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.brief import Rebuttal
from app.models.core import Case, User, now

peer_call_rebuttal = db.Table(
    "peer_call_rebuttal",
    db.Column("call_id", ForeignKey("peer_call.id", ondelete="CASCADE"), primary_key=True),
    db.Column("rebuttal_id", ForeignKey("rebuttal.id", ondelete="CASCADE"), primary_key=True),
)


class PeerCall(db.Model):
    """One peer-to-peer review of a case: how it was arranged, and the call sheet."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    # Arranging the call
    offered_on: Mapped[date | None]  # the payer offered a P2P: starts the request window
    request_by: Mapped[date | None]  # the payer's own window, when the notice gives one
    windows: Mapped[str] = mapped_column(Text, default="")  # times offered, one per line
    scheduled_at: Mapped[datetime | None]
    callback_number: Mapped[str] = mapped_column(String(40), default="")

    # The call sheet
    held_at: Mapped[datetime | None]
    reviewer_name: Mapped[str] = mapped_column(String(200), default="")
    reviewer_credentials: Mapped[str] = mapped_column(String(60), default="")
    reviewer_specialty: Mapped[str] = mapped_column(String(120), default="")
    same_specialty: Mapped[bool | None]
    criteria_named: Mapped[str] = mapped_column(String(300), default="")
    criteria_version: Mapped[str] = mapped_column(String(100), default="")
    discussion: Mapped[str] = mapped_column(Text, default="")  # notes; never in a letter
    # The reason the reviewer gave for the decision, in their words: the appeal answers it.
    reviewer_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    outcome: Mapped[str] = mapped_column(String(30), default="")  # "" until the call is logged
    reference_number: Mapped[str] = mapped_column(String(100), default="")
    would_change: Mapped[str] = mapped_column(Text, default="")
    next_step: Mapped[str] = mapped_column(Text, default="")  # what the clinician will do
    # What the reviewer said they would do (send the decision, re-review on new records):
    # the only thing a confirmation letter may say was agreed.
    reviewer_commitment: Mapped[str] = mapped_column(Text, default="", server_default="")

    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)

    case: Mapped[Case] = relationship(back_populates="calls")
    user: Mapped[User | None] = relationship()
    attempts: Mapped[list["CallAttempt"]] = relationship(
        back_populates="call", cascade="all, delete-orphan", order_by="CallAttempt.at"
    )
    rebuttals: Mapped[list[Rebuttal]] = relationship(secondary="peer_call_rebuttal")


class CallAttempt(db.Model):
    """One try at holding the call: who missed it, or that it was reached."""

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("peer_call.id", ondelete="CASCADE"))
    at: Mapped[datetime]
    result: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(String(300), default="")

    call: Mapped[PeerCall] = relationship(back_populates="attempts")


class DeadlineRule(db.Model):
    """A team's own deadline rule: a state rule, a payer's P2P window, or a default edited.

    The same fields as `app.domain.deadlines.Rule`; a team rule with a default's key
    replaces that default for the team.
    """

    __table_args__ = (UniqueConstraint("team_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)
    key: Mapped[str] = mapped_column(String(80))
    plan_type: Mapped[str] = mapped_column(String(30))
    step: Mapped[str] = mapped_column(String(200))
    length: Mapped[int]
    unit: Mapped[str] = mapped_column(String(20))
    starts: Mapped[str] = mapped_column(String(40))
    ends: Mapped[str] = mapped_column(String(40), default="")
    urgency: Mapped[str] = mapped_column(String(20), default="any")
    source: Mapped[str] = mapped_column(String(300))
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)
