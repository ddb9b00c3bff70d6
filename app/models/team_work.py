"""The team working a case together: comments and mentions, visits, tasks, co-signatures,
and the case conference."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.core import Case, User, now

comment_mention = db.Table(
    "comment_mention",
    db.Column("comment_id", ForeignKey("comment.id", ondelete="CASCADE"), primary_key=True),
    db.Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
)


class Comment(db.Model):
    """A note on a case for the team; @mentions name the members it is for."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=now, index=True)

    case: Mapped[Case] = relationship(back_populates="comments")
    user: Mapped[User | None] = relationship()
    mentions: Mapped[list[User]] = relationship(secondary="comment_mention")


class CaseVisit(db.Model):
    """When a member last opened a case: what came after is new to them."""

    __table_args__ = (UniqueConstraint("user_id", "case_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    seen_at: Mapped[datetime] = mapped_column(default=now)


class Task(db.Model):
    """Something a member of the team must do for a case, by a date."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    due: Mapped[date | None]
    done_at: Mapped[datetime | None]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=now)

    case: Mapped[Case] = relationship(back_populates="tasks")
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])


class Signature(db.Model):
    """A clinician's approval of one version of the letter; withdrawn when the letter changes."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    letter_hash: Mapped[str] = mapped_column(String(64))  # the version approved
    signed_at: Mapped[datetime] = mapped_column(default=now)
    withdrawn_at: Mapped[datetime | None]
    withdrawn_why: Mapped[str] = mapped_column(String(300), default="")

    case: Mapped[Case] = relationship(back_populates="signatures")
    user: Mapped[User] = relationship()


class Conference(db.Model):
    """A team's case conference: the cases to present, in order."""

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=now)

    items: Mapped[list["ConferenceCase"]] = relationship(
        back_populates="conference",
        cascade="all, delete-orphan",
        order_by="ConferenceCase.position",
    )


class ConferenceCase(db.Model):
    __table_args__ = (UniqueConstraint("conference_id", "case_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id", ondelete="CASCADE"))
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    question: Mapped[str] = mapped_column(Text, default="")  # what the team is asked to decide

    conference: Mapped[Conference] = relationship(back_populates="items")
    case: Mapped[Case] = relationship()
