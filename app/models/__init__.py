"""The records Peerbrief keeps, one module per concern; import them from here."""

from app.models.brief import (
    CriteriaSet,
    Criterion,
    CriterionCitation,
    Export,
    ParagraphEdit,
    Rebuttal,
    criterion_fact,
    rebuttal_citation,
)
from app.models.calls import CallAttempt, DeadlineRule, PeerCall, peer_call_rebuttal
from app.models.core import (
    ROLES,
    AuditEvent,
    Case,
    Fact,
    Membership,
    SourceDocument,
    Team,
    User,
    now,
)
from app.models.library import CaseCitation, Citation, ImportJob

__all__ = [
    "ROLES",
    "AuditEvent",
    "CallAttempt",
    "DeadlineRule",
    "PeerCall",
    "peer_call_rebuttal",
    "Case",
    "CaseCitation",
    "Citation",
    "CriteriaSet",
    "Criterion",
    "CriterionCitation",
    "Export",
    "Fact",
    "ImportJob",
    "Membership",
    "ParagraphEdit",
    "Rebuttal",
    "SourceDocument",
    "Team",
    "User",
    "criterion_fact",
    "now",
    "rebuttal_citation",
]
