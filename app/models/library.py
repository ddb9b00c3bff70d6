"""The team's citation library, the citations a case relies on, and background imports."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.core import Case, now
from citations.model import KEY_LENGTH, TYPE_LENGTH


class Citation(db.Model):
    """One entry of a team's library, kept as the user's BibTeX and formatted once (AMA)."""

    __table_args__ = (
        UniqueConstraint("team_id", "key"),
        # The list's order, walked without reading the (large) rows: search stops at a page.
        Index("ix_citation_listing", "team_id", text("year DESC"), "key"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)
    key: Mapped[str] = mapped_column(String(KEY_LENGTH))
    entry_type: Mapped[str] = mapped_column(String(TYPE_LENGTH))
    origin: Mapped[str] = mapped_column(String(20), default="bibtex")  # bibtex | doi | pmid

    # The stored BibTeX loads only when asked for (one group): lists, letters and links
    # never read it, and it is most of a row.
    raw: Mapped[str] = mapped_column(Text, deferred=True, deferred_group="bibtex")
    fields: Mapped[dict] = mapped_column(JSON, deferred=True, deferred_group="bibtex")
    display: Mapped[dict] = mapped_column(JSON, deferred=True, deferred_group="bibtex")
    macros: Mapped[dict] = mapped_column(JSON, default=dict, deferred=True, deferred_group="bibtex")
    authors: Mapped[list] = mapped_column(JSON, default=list)  # "Surname Initials"
    ama: Mapped[list] = mapped_column(JSON)  # runs: [{"text", "italic"}]
    ama_text: Mapped[str] = mapped_column(Text)

    title: Mapped[str] = mapped_column(Text, default="")
    year: Mapped[str] = mapped_column(String(20), default="")
    journal: Mapped[str] = mapped_column(String(300), default="")
    tags: Mapped[str] = mapped_column(Text, default="")  # comma-separated
    search_text: Mapped[str] = mapped_column(Text, default="", deferred=True)

    issuer: Mapped[str] = mapped_column(String(300), default="")
    recommendation: Mapped[str] = mapped_column(Text, default="")
    grade_system: Mapped[str] = mapped_column(String(20), default="", index=True)
    grade: Mapped[str] = mapped_column(String(120), default="")
    pinpoint: Mapped[str] = mapped_column(String(300), default="")

    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)


class CaseCitation(db.Model):
    """A citation a case relies on, with the claim it supports and where in the source."""

    __table_args__ = (UniqueConstraint("case_id", "citation_id", "claim"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    citation_id: Mapped[int] = mapped_column(ForeignKey("citation.id"), index=True)
    claim: Mapped[str] = mapped_column(Text)
    pinpoint: Mapped[str] = mapped_column(String(300), default="")
    position: Mapped[int] = mapped_column(default=0)
    # What kind of source backs the claim (app.domain.evidence.CLAIM_KINDS): the letter
    # introduces each kind as what it is and places it in the denial's argument.
    kind: Mapped[str] = mapped_column(String(20), default="trial", server_default="trial")
    # A claim linked to a criterion is cited there, and not repeated in the argument.
    criterion_id: Mapped[int | None] = mapped_column(
        ForeignKey("criterion.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=now)

    case: Mapped[Case] = relationship(back_populates="citations")
    citation: Mapped[Citation] = relationship()


class ImportJob(db.Model):
    """A BibTeX import running in the background, with its progress and report."""

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    filename: Mapped[str] = mapped_column(String(300), default="")
    text: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20), default="queued")  # queued running done failed
    total: Mapped[int] = mapped_column(default=0)
    processed: Mapped[int] = mapped_column(default=0)
    report: Mapped[dict | None] = mapped_column(JSON)
    updates_applied: Mapped[bool] = mapped_column(default=False)
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=now)
    # Last sign of life of the worker running it: a job that stops beating was cut off (a
    # restart), and is shown as failed rather than running forever (app/library/importer.py).
    heartbeat_at: Mapped[datetime | None] = mapped_column()


PINPOINT = 300  # the most characters a pinpoint holds (its column's size)
