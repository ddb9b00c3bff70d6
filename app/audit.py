"""The one place that writes the audit log (45 CFR 164.312(b), audit controls).

`what` names records by id and kind only: patient data never goes into the log.
"""

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import event, insert
from sqlalchemy.orm import Session, object_session

from app.extensions import db
from app.models import AuditEvent, Case


class AuditLogIsAppendOnly(Exception):
    """Something tried to change or remove an audit row: rows are written once, never edited."""


def record(
    action: str,
    case: Case | None = None,
    what: str = "",
    team_id: int | None = None,
    user_id: int | None = None,
):
    """Write an audit row for the signed-in user, in the request's own transaction: it is
    committed with the request's changes, or rolled back with them.

    Outside a request (the command line) the row names no user: the operator of the machine.
    `user_id` names the user when no one is signed in yet (a code typed at sign-in); a
    sign-in event names the account it is about (app/signin.py).
    """
    if user_id is None and has_request_context() and current_user.is_authenticated:
        user_id = current_user.id
    if case is not None and action == "update" and has_request_context():
        from app.services.cosign import touched

        touched(case)  # a change to the case may make its co-signed letter read differently
    db.session.execute(
        WRITE,
        {
            "user_id": user_id,
            "team_id": case.team_id if case is not None else team_id,
            "case_id": case.id if case is not None else None,
            "action": action,
            "what": what,
        },
    )


# One row, every request: a plain INSERT built once costs a third of a flush of a new object.
WRITE = insert(AuditEvent)


def shown(page, action: str, case: Case | None = None, what: str = "", team_id=None):
    """`page`, built from reads alone, once its audit row is committed. Writing last keeps
    SQLite's one writer for the commit, not for the whole render."""
    record(action, case, what, team_id)
    db.session.commit()
    return page


# The guard, at the SQLAlchemy level: no code path of the app (a route, the command line) can
# edit or delete a row, whether through the ORM or an UPDATE/DELETE statement on the model.


@event.listens_for(AuditEvent, "before_update")
def _refuse_update(_mapper, _connection, row: AuditEvent) -> None:
    session = object_session(row)
    if session is None or session.is_modified(row, include_collections=False):
        raise AuditLogIsAppendOnly(f"audit row {row.id} cannot be changed")


@event.listens_for(AuditEvent, "before_delete")
def _refuse_delete(_mapper, _connection, row: AuditEvent) -> None:
    raise AuditLogIsAppendOnly(f"audit row {row.id} cannot be removed")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk(state) -> None:
    if (state.is_update or state.is_delete) and any(
        m.class_ is AuditEvent for m in state.all_mappers
    ):
        raise AuditLogIsAppendOnly("audit rows cannot be updated or deleted")
