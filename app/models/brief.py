"""The brief: criteria and their evidence, saved criteria sets, rewrites, exports, rebuttals."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.core import Case, Fact, User, now
from app.models.library import Citation


class Criterion(db.Model):
    """One of the payer's criteria, mapped to the facts that meet it and the evidence behind it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="unset")
    note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    case: Mapped[Case] = relationship(back_populates="criteria")
    facts: Mapped[list["Fact"]] = relationship(secondary="criterion_fact", order_by="Fact.position")
    evidence: Mapped[list["CriterionCitation"]] = relationship(
        back_populates="criterion", cascade="all, delete-orphan", order_by="CriterionCitation.id"
    )


criterion_fact = db.Table(
    "criterion_fact",
    db.Column("criterion_id", ForeignKey("criterion.id", ondelete="CASCADE"), primary_key=True),
    db.Column("fact_id", ForeignKey("fact.id", ondelete="CASCADE"), primary_key=True),
)


class CriterionCitation(db.Model):
    """A citation supporting a criterion, with the pinpoint that shows it."""

    __table_args__ = (UniqueConstraint("criterion_id", "citation_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criterion.id", ondelete="CASCADE"))
    citation_id: Mapped[int] = mapped_column(ForeignKey("citation.id"), index=True)
    pinpoint: Mapped[str] = mapped_column(String(300), default="")

    criterion: Mapped[Criterion] = relationship(back_populates="evidence")
    citation: Mapped["Citation"] = relationship()


class CriteriaSet(db.Model):
    """A payer's criteria list the team saved, to pick again for the next case."""

    __table_args__ = (UniqueConstraint("team_id", "payer", "policy"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)
    payer: Mapped[str] = mapped_column(String(200))
    policy: Mapped[str] = mapped_column(String(300))
    items: Mapped[list] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=now)


class ParagraphEdit(db.Model):
    """The clinician's own wording for one generated paragraph of a letter."""

    __table_args__ = (UniqueConstraint("case_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    key: Mapped[str] = mapped_column(String(60))
    text: Mapped[str] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)
    version: Mapped[int] = mapped_column(default=1, server_default="1")


class Export(db.Model):
    """A document as it was exported: who, when, which kind, and the exact bytes."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # letter | points | patient
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=now)
    filename: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    # The warnings shown before export and acknowledged by the clinician, as a checklist.
    acknowledged: Mapped[list] = mapped_column(JSON, default=list)

    user: Mapped[User | None] = relationship()
    case: Mapped[Case] = relationship()


rebuttal_citation = db.Table(
    "rebuttal_citation",
    db.Column("rebuttal_id", ForeignKey("rebuttal.id", ondelete="CASCADE"), primary_key=True),
    db.Column("citation_id", ForeignKey("citation.id", ondelete="CASCADE"), primary_key=True),
)


class Rebuttal(db.Model):
    """The team's answer to an objection a reviewer raises for a denial category."""

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)
    category: Mapped[str] = mapped_column(String(40), index=True)
    objection: Mapped[str] = mapped_column(Text)
    rebuttal: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)
    # What the case must hold for the rebuttal to be said (app.domain.rebuttals.NEEDS).
    needs: Mapped[list | None] = mapped_column(JSON, default=list)

    citations: Mapped[list["Citation"]] = relationship(secondary="rebuttal_citation")
