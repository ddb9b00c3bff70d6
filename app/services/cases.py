"""A case's status, moved forward by the events of its path and audited with their cause."""

from app.audit import record
from app.models import Case


def change_status(case: Case, status: str, why: str) -> None:
    """Set the case's status and audit the change with what caused it."""
    if status != case.status:
        record("status", case, f"status {case.status} -> {status} ({why})")
        case.status = status
