"""Teams and their members, cases, their facts and source documents, and the audit log."""

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import ForeignKey, LargeBinary, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db

if TYPE_CHECKING:
    from app.models.brief import Criterion, ParagraphEdit
    from app.models.calls import PeerCall
    from app.models.library import CaseCitation
    from app.models.team_work import Comment, Signature, Task

ROLES = ("clinician", "coordinator", "admin")


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def fitted(model: type[db.Model], row: dict) -> dict:
    """`row` with each text cut to its column's length, for columns that summarise a value
    kept whole elsewhere (PostgreSQL refuses a longer one; SQLite would keep it)."""
    columns = model.__table__.columns
    return {
        name: value[: columns[name].type.length]
        if isinstance(value, str) and name in columns and getattr(columns[name].type, "length", 0)
        else value
        for name, value in row.items()
    }


class Team(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    synthetic: Mapped[bool] = mapped_column(default=False)
    # The team's letterhead .docx: its header, footer and styles frame every letter.
    letterhead: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    letterhead_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # Shown on the call sheet when the reviewer's specialty differs from the clinician's.
    specialty_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    # How every document of the team writes a date: one style per letter (app.domain.dates).
    date_style: Mapped[str] = mapped_column(String(10), default="dmy", server_default="dmy")
    # Every member must sign in with a second factor (app/mfa): set by a team admin.
    two_factor_required: Mapped[bool] = mapped_column(default=False, server_default=false())

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="team", cascade="all, delete-orphan"
    )


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    credentials: Mapped[str] = mapped_column(String(60), default="")
    specialty: Mapped[str] = mapped_column(String(120), default="")
    npi: Mapped[str] = mapped_column(String(10), default="")
    # How letters sign: board certification, and where a payer calls or faxes back.
    board_certification: Mapped[str] = mapped_column(String(200), default="", server_default="")
    phone: Mapped[str] = mapped_column(String(40), default="", server_default="")
    fax: Mapped[str] = mapped_column(String(40), default="", server_default="")
    # Optimistic locking of the profile form (the clinician and a team admin may both edit it).
    profile_version: Mapped[int] = mapped_column(default=1, server_default="1")
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    # Set with a temporary password from an admin: it works until then, only to choose one's own.
    temporary_password_until: Mapped[datetime | None]
    # The private calendar feed: only a hash is kept, so the URL is shown once, when made.
    calendar_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:
        return self.active

    def set_password(self, password: str) -> None:
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def role_in(self, team_id: int) -> str | None:
        return next((m.role for m in self.memberships if m.team_id == team_id), None)

    @property
    def display(self) -> str:
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


class Membership(db.Model):
    __table_args__ = (UniqueConstraint("user_id", "team_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"))
    role: Mapped[str] = mapped_column(String(20))

    user: Mapped[User] = relationship(back_populates="memberships")
    team: Mapped[Team] = relationship(back_populates="memberships")


class Case(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)
    clinician_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    # A form posted twice carries the same token and finds the case it already made.
    intake_token: Mapped[str | None] = mapped_column(String(64), unique=True)

    patient_name: Mapped[str] = mapped_column(String(200))
    patient_dob: Mapped[date]
    # How the letters refer to the patient after naming them once: "Ms. Okafor ... she".
    patient_sex: Mapped[str] = mapped_column(String(10), default="", server_default="")
    patient_title: Mapped[str] = mapped_column(String(10), default="", server_default="")
    patient_pronouns: Mapped[str] = mapped_column(String(10), default="", server_default="")
    mrn: Mapped[str] = mapped_column(String(64), default="")
    member_id: Mapped[str] = mapped_column(String(64), default="")
    group_number: Mapped[str] = mapped_column(String(64), default="")
    payer: Mapped[str] = mapped_column(String(200))
    plan_type: Mapped[str] = mapped_column(String(30))

    service_description: Mapped[str] = mapped_column(Text)
    procedure_codes: Mapped[str] = mapped_column(String(200), default="")
    drug_name: Mapped[str] = mapped_column(String(200), default="")
    drug_strength: Mapped[str] = mapped_column(String(100), default="")
    drug_quantity: Mapped[str] = mapped_column(String(100), default="")
    diagnosis_codes: Mapped[str] = mapped_column(String(200), default="")
    site_of_care: Mapped[str] = mapped_column(String(200), default="")
    service_start: Mapped[date | None]
    service_end: Mapped[date | None]
    urgency: Mapped[str] = mapped_column(String(20), default="standard")

    denial_received: Mapped[date | None]
    denial_reference: Mapped[str] = mapped_column(String(100), default="")
    denial_category: Mapped[str] = mapped_column(String(40))
    denial_reason: Mapped[str] = mapped_column(Text, default="")
    denial_reason_missing: Mapped[bool] = mapped_column(default=False)
    criteria_set: Mapped[str | None] = mapped_column(String(20))
    criteria_detail: Mapped[str] = mapped_column(String(300), default="")

    # The path after the denial: the dates that start and stop its deadlines.
    request_received: Mapped[date | None]  # prior-authorization request received by the plan
    appeal_filed: Mapped[date | None]
    appeal_decided: Mapped[date | None]
    appeal_outcome: Mapped[str] = mapped_column(String(20), default="", server_default="")
    external_review_requested: Mapped[date | None]
    external_decided: Mapped[date | None]
    external_outcome: Mapped[str] = mapped_column(String(20), default="", server_default="")

    # Framing and asks: what the treatment changes for this patient, in their terms.
    framing: Mapped[str] = mapped_column(Text, default="")
    risks: Mapped[str] = mapped_column(Text, default="")
    ask: Mapped[str] = mapped_column(Text, default="")
    fallback_asks: Mapped[str] = mapped_column(Text, default="")  # one per line
    # The structured ask: what to approve, how much and for how long (codes, site and
    # urgency are the intake's); the request sentence is built from these.
    requested_service: Mapped[str] = mapped_column(String(300), default="", server_default="")
    requested_quantity: Mapped[str] = mapped_column(String(200), default="", server_default="")
    requested_duration: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # The clinician's one sentence on why the denial does not hold.
    thesis: Mapped[str] = mapped_column(Text, default="", server_default="")

    # Optimistic locking: a save carries the version it was made from; a stale one is refused.
    version: Mapped[int] = mapped_column(default=1, server_default="1")  # the intake fields
    framing_version: Mapped[int] = mapped_column(default=1, server_default="1")

    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)

    team: Mapped[Team] = relationship()
    clinician: Mapped[User | None] = relationship()
    facts: Mapped[list["Fact"]] = relationship(
        back_populates="case", order_by="Fact.position", cascade="all, delete-orphan"
    )
    citations: Mapped[list["CaseCitation"]] = relationship(
        back_populates="case", order_by="CaseCitation.position", cascade="all, delete-orphan"
    )
    criteria: Mapped[list["Criterion"]] = relationship(
        back_populates="case", order_by="Criterion.position", cascade="all, delete-orphan"
    )
    edits: Mapped[list["ParagraphEdit"]] = relationship(cascade="all, delete-orphan")
    comments: Mapped[list["Comment"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Comment.id"
    )
    tasks: Mapped[list["Task"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Task.id"
    )
    signatures: Mapped[list["Signature"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Signature.id"
    )
    calls: Mapped[list["PeerCall"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="PeerCall.id"
    )
    documents: Mapped[list["SourceDocument"]] = relationship(
        back_populates="case",
        order_by="SourceDocument.document_date",
        cascade="all, delete-orphan",
    )


class SourceDocument(db.Model):
    """A clinical note pasted in from the chart, so facts can say where they come from."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    document_date: Mapped[date]
    text: Mapped[str] = mapped_column(Text)
    # What the document answers: the record the denial said was missing, or the
    # documentation a reviewer said would change the decision (a call).
    answers_denial: Mapped[bool] = mapped_column(default=False, server_default="0")
    answers_call_id: Mapped[int | None] = mapped_column(
        ForeignKey("peer_call.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=now)

    case: Mapped[Case] = relationship(back_populates="documents")


class Fact(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    position: Mapped[int] = mapped_column(default=0)
    in_letter: Mapped[bool] = mapped_column(default=True)

    text: Mapped[str | None] = mapped_column(Text)
    fact_date: Mapped[str | None] = mapped_column(String(10))
    severity: Mapped[str | None] = mapped_column(String(200))
    finding_type: Mapped[str | None] = mapped_column(String(20))
    therapy: Mapped[str | None] = mapped_column(String(200))
    dose: Mapped[str | None] = mapped_column(String(200))
    start_date: Mapped[str | None] = mapped_column(String(10))
    stop_date: Mapped[str | None] = mapped_column(String(10))
    outcome: Mapped[str | None] = mapped_column(String(20))
    reason_stopped: Mapped[str | None] = mapped_column(String(300))
    instrument: Mapped[str | None] = mapped_column(String(30))
    score: Mapped[float | None]

    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("source_document.id", ondelete="SET NULL")
    )
    source_start: Mapped[int | None]
    source_end: Mapped[int | None]
    version: Mapped[int] = mapped_column(default=1, server_default="1")  # the fact's content

    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)

    case: Mapped[Case] = relationship(back_populates="facts")
    source: Mapped[SourceDocument | None] = relationship()

    @property
    def source_passage(self) -> str:
        if self.source is None or self.source_start is None:
            return ""
        return self.source.text[self.source_start : self.source_end]


class AuditEvent(db.Model):
    """Who viewed, changed or exported which case, and when. Written once, never edited."""

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=now, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("case.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(20))
    what: Mapped[str] = mapped_column(String(300), default="")

    user: Mapped[User | None] = relationship()
