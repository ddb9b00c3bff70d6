"""The team working a case together, as the workspace and the case list read it: who is on
the team, what is new since a member's last visit, where the live feed starts."""

from flask_login import current_user
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Case, CaseVisit, Comment, Membership, User, now

# Audit actions that are not changes: reading a case (or a refused save) tells teammates
# nothing new.
READS = ("view", "list", "export", "refused")


def members(team_id: int) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(Membership)
            .where(Membership.team_id == team_id, User.active.is_(True))
            .order_by(User.name)
        )
    )


def visit(case: Case) -> CaseVisit | None:
    """The signed-in member's last visit to the case, if any."""
    return db.session.scalar(
        select(CaseVisit).where(CaseVisit.case_id == case.id, CaseVisit.user_id == current_user.id)
    )


def mark_seen(case: Case, last: CaseVisit | None) -> None:
    """Record that the signed-in member opened the case now (`last`: their previous visit)."""
    if last is None:
        db.session.add(CaseVisit(case_id=case.id, user_id=current_user.id, seen_at=now()))
    else:
        last.seen_at = now()


def cursor(case_id: int) -> int:
    """The latest audit row of the case: the live feed reports what comes after it."""
    return (
        db.session.scalar(select(func.max(AuditEvent.id)).where(AuditEvent.case_id == case_id)) or 0
    )


def context(case: Case) -> dict:
    """What the workspace needs to show the team's discussion and tasks."""
    return {"members": members(case.team_id), "cursor": cursor(case.id)}


def news(case_ids: list[int]) -> dict[int, dict]:
    """Per case, for the signed-in member: comments by others since their last visit, and
    whether someone else changed the case since (never visited counts as all new)."""
    if not case_ids:
        return {}
    seen = dict(
        db.session.execute(
            select(CaseVisit.case_id, CaseVisit.seen_at).where(
                CaseVisit.user_id == current_user.id, CaseVisit.case_id.in_(case_ids)
            )
        ).all()
    )
    found: dict[int, dict] = {i: {"comments": 0, "changed": False} for i in case_ids}
    comments = db.session.execute(
        select(Comment.case_id, Comment.created_at).where(
            Comment.case_id.in_(case_ids), Comment.user_id != current_user.id
        )
    )
    for case_id, at in comments:
        if seen.get(case_id) is None or at > seen[case_id]:
            found[case_id]["comments"] += 1
    changes = db.session.execute(
        select(AuditEvent.case_id, func.max(AuditEvent.at))
        .where(
            AuditEvent.case_id.in_(case_ids),
            AuditEvent.user_id != current_user.id,
            AuditEvent.action.not_in(READS),
        )
        .group_by(AuditEvent.case_id)
    )
    for case_id, at in changes:
        found[case_id]["changed"] = seen.get(case_id) is not None and at > seen[case_id]
    return found
