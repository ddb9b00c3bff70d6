"""The records Peerbrief keeps, one module per concern; import them from here."""

from app.models.access import FormDraft, SigninFailure, UserSession
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
    fitted,
    now,
)
from app.models.invitations import Invitation
from app.models.library import CaseCitation, Citation, ImportJob
from app.models.team_work import (
    CaseVisit,
    Comment,
    Conference,
    ConferenceCase,
    Signature,
    Task,
    comment_mention,
)
from app.models.two_factor import RecoveryCode, TwoFactor

__all__ = [
    "ROLES",
    "AuditEvent",
    "FormDraft",
    "SigninFailure",
    "UserSession",
    "CallAttempt",
    "CaseVisit",
    "Comment",
    "Conference",
    "ConferenceCase",
    "Signature",
    "Task",
    "comment_mention",
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
    "Invitation",
    "Membership",
    "ParagraphEdit",
    "Rebuttal",
    "RecoveryCode",
    "SourceDocument",
    "Team",
    "TwoFactor",
    "User",
    "criterion_fact",
    "fitted",
    "now",
    "rebuttal_citation",
]
