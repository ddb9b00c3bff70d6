"""The one place that writes the audit log (45 CFR 164.312(b), audit controls).

`what` names records by id and kind only: patient data never goes into the log.
"""

from flask import has_request_context
from flask_login import current_user

from app.extensions import db
from app.models import AuditEvent, Case


def record(action: str, case: Case | None = None, what: str = "", team_id: int | None = None):
    """Add an audit row for the signed-in user; committed with the request's own changes.

    Outside a request (the command line) the row names no user: the operator of the machine.
    """
    signed_in = has_request_context() and current_user.is_authenticated
    user_id = current_user.id if signed_in else None
    db.session.add(
        AuditEvent(
            user_id=user_id,
            team_id=case.team_id if case is not None else team_id,
            case_id=case.id if case is not None else None,
            action=action,
            what=what,
        )
    )
