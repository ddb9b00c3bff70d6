"""The team working a case together: comments with mentions, what is new since a member's
last visit, tasks and "my tasks", co-signatures of the letter, and the live feed of a case."""

from datetime import date

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app.audit import record
from app.domain import dates
from app.domain import discussion as domain
from app.extensions import db
from app.models import AuditEvent, Case, Comment, Signature, Task, now
from app.security import get_case, get_part, role_for
from app.services import documents
from app.services.discussion import READS, members
from app.services.teams import current_team
from app.web import MAX_ID, htmx, refused

bp = Blueprint("discussion", __name__, url_prefix="/cases/<int:case_id>")
mine = Blueprint("tasks", __name__, url_prefix="/tasks")

MAX_COMMENT = 5000


# --- comments -----------------------------------------------------------------------------


def _comments(case: Case, code: int = 200, **extra):
    context = {"case": case, "members": members(case.team_id), "form": {}, "errors": {}} | extra
    if code != 200:
        return refused("discussion/partials/comments.html", "#comments", **context)
    return render_template("discussion/partials/comments.html", **context)


@bp.route("/comments", methods=["POST"])
def comment(case_id):
    """Add a comment; the members it mentions see it flagged for them."""
    case = get_case(case_id)
    body = request.form.get("body", "").strip()
    if not body or len(body) > MAX_COMMENT:
        error = "Write the comment first." if not body else f"At most {MAX_COMMENT} characters."
        return _comments(case, 422, form={"body": body}, errors={"body": error})
    named = domain.mentions(body, members(case.team_id))
    note = Comment(case=case, user_id=current_user.id, body=body, mentions=named)
    db.session.add(note)
    db.session.flush()
    record("comment", case, f"comment {note.id} added ({len(note.mentions)} mentioned)")
    db.session.commit()
    if htmx():
        return _comments(case)
    return redirect(url_for("cases.show", case_id=case.id, _anchor="comments"))


# --- tasks --------------------------------------------------------------------------------


def _tasks(case: Case, code: int = 200, **extra):
    context = {"case": case, "members": members(case.team_id), "form": {}, "errors": {}} | extra
    if code != 200:
        return refused("discussion/partials/tasks.html", "#tasks", **context)
    return render_template("discussion/partials/tasks.html", **context)


@bp.route("/tasks", methods=["POST"])
def add_task(case_id):
    case = get_case(case_id)
    form = {k: request.form.get(k, "").strip() for k in ("title", "assignee_id", "due")}
    errors = {}
    if not form["title"]:
        errors["title"] = "Say what needs doing."
    elif len(form["title"]) > 300:
        errors["title"] = "At most 300 characters."
    team = {m.id for m in members(case.team_id)}
    # isdecimal, not isdigit: "²" is a digit that int() refuses.
    assignee = int(form["assignee_id"]) if form["assignee_id"].isdecimal() else None
    if form["assignee_id"] and assignee not in team:
        errors["assignee_id"] = "Choose a member of the team."
    due = None
    try:
        due = date.fromisoformat(form["due"]) if form["due"] else None
    except ValueError:
        errors["due"] = "The due date should be a date, like 2026-11-30."
    if due is not None and not dates.in_range(due):
        errors["due"] = dates.outside(form["due"])
    if errors:
        return _tasks(case, 422, form=form, errors=errors)
    task = Task(case=case, title=form["title"], assignee_id=assignee, due=due)
    task.created_by = current_user.id
    db.session.add(task)
    db.session.flush()
    record("update", case, f"task {task.id} added")
    db.session.commit()
    return _tasks(case) if htmx() else redirect(url_for("cases.show", case_id=case.id))


@bp.route("/tasks/<int:task_id>/done", methods=["POST"])
def finish_task(case_id, task_id):
    case = get_case(case_id)
    task = get_part(Task, task_id, case_id=case.id)
    task.done_at = None if request.form.get("undo") else (task.done_at or now())
    record("update", case, f"task {task.id} {'reopened' if task.done_at is None else 'done'}")
    db.session.commit()
    if request.form.get("from") == "mine":
        return redirect(url_for("tasks.index"))
    return _tasks(case) if htmx() else redirect(url_for("cases.show", case_id=case.id))


@mine.route("/")
def index():
    """The signed-in member's open tasks across the current team's cases, soonest first."""
    team = current_team()
    if team is None:
        abort(404)
    tasks = db.session.scalars(
        select(Task)
        .join(Case)
        .where(Case.team_id == team.id, Task.assignee_id == current_user.id, Task.done_at.is_(None))
        .order_by(Task.due.is_(None), Task.due, Task.id)
    ).all()
    record("list", what=f"my tasks ({len(tasks)})", team_id=team.id)
    db.session.commit()
    return render_template("discussion/mine.html", team=team, tasks=tasks, today=date.today())


# --- co-signatures ------------------------------------------------------------------------


@bp.route("/letter/sign", methods=["POST"])
def sign(case_id):
    """A clinician of the team approves the letter as it reads now and co-signs it."""
    case = get_case(case_id)
    if role_for(case.team_id) != "clinician" or current_user.id == case.clinician_id:
        abort(403)
    shown = request.form.get("version", "")
    letter = documents.letter(case, "letter")
    if shown != letter.fingerprint():
        # The letter changed between reading and signing: sign what was read, not this.
        return redirect(url_for("brief.show", case_id=case.id, changed=1, _anchor="cosign"))
    if not any(s.user_id == current_user.id and s.withdrawn_at is None for s in case.signatures):
        case.signatures.append(Signature(user_id=current_user.id, letter_hash=shown))
        record("sign", case, "letter co-signed")
        db.session.commit()
    return redirect(url_for("brief.show", case_id=case.id, _anchor="cosign"))


@bp.route("/letter/unsign", methods=["POST"])
def unsign(case_id):
    case = get_case(case_id)
    for signature in case.signatures:
        if signature.user_id == current_user.id and signature.withdrawn_at is None:
            signature.withdrawn_at = now()
            signature.withdrawn_why = "Withdrawn by the co-signer."
            record("sign", case, f"co-signature {signature.id} withdrawn by its signer")
    db.session.commit()
    return redirect(url_for("brief.show", case_id=case.id, _anchor="cosign"))


# --- live ---------------------------------------------------------------------------------


@bp.route("/activity")
def activity(case_id):
    """What teammates did since `after` (an audit row id): their comments after `seen` (a
    comment id), swapped into the page, and a notice of their changes. Polled by the
    workspace; not user activity."""
    case = get_case(case_id)
    # Ids: a number past any id means the same as the largest (which the database can take).
    after = max(0, min(request.args.get("after", type=int) or 0, MAX_ID))
    seen = max(0, min(request.args.get("seen", type=int) or 0, MAX_ID))
    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.case_id == case.id, AuditEvent.id > after)
        .order_by(AuditEvent.id)
    ).all()
    theirs = [e for e in events if e.user_id != current_user.id and e.action not in READS]
    latest = events[-1].id if events else after
    comments = db.session.scalars(
        select(Comment)
        .where(Comment.case_id == case.id, Comment.id > seen, Comment.user_id != current_user.id)
        .order_by(Comment.id)
    ).all()
    if theirs or comments:
        record("view", case, f"live: {len(comments)} new comments, {len(theirs)} changes")
        db.session.commit()
    changed = sorted({e.user.name for e in theirs if e.action != "comment" and e.user})
    return render_template(
        "discussion/partials/live.html",
        case=case,
        cursor=latest,
        seen=max([seen, *(c.id for c in comments)]),
        comments=comments,
        changed_by=changed,
        members=members(case.team_id),
    )
