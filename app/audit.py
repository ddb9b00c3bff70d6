"""The one place that writes the audit log (45 CFR 164.312(b), audit controls).

`what` names records by id and kind only: patient data never goes into the log.
"""

from flask_login import current_user

from app.extensions import db
from app.models import AuditEvent, Case


def record(action: str, case: Case | None = None, what: str = "", team_id: int | None = None):
    """Add an audit row for the signed-in user; committed with the request's own changes."""
    user_id = current_user.id if current_user and current_user.is_authenticated else None
    db.session.add(
        AuditEvent(
            user_id=user_id,
            team_id=case.team_id if case is not None else team_id,
            case_id=case.id if case is not None else None,
            action=action,
            what=what,
        )
    )
