"""Cases: the team's list, intake, the workspace, status and the audit trail."""

import secrets
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.audit import record, shown
from app.domain import dates, intake, progress
from app.domain.vocabulary import (
    CRITERIA_SETS,
    DENIAL_CATEGORIES,
    PLAN_TYPES,
    STATUSES,
    URGENCIES,
    label,
    values,
)
from app.extensions import db
from app.models import AuditEvent, Case, Fact, Membership, SourceDocument, User
from app.models.loading import preload
from app.security import get_case, get_part, role_for
from app.services import discussion
from app.services.cases import change_status
from app.services.deadlines import for_case, next_open, team_rules
from app.services.documents import trends
from app.services.teams import current_team
from app.web import htmx, posted_version, refused, render, save, searched, stale

bp = Blueprint("cases", __name__, url_prefix="/cases")

# The most characters one pasted note may have: about 80 pages, more than any one note of a
# chart (a whole record is pasted as several).
MAX_DOCUMENT = 200_000
DOCUMENT_KINDS = (
    "Progress note",
    "Imaging report",
    "Consult",
    "Lab report",
    "Procedure note",
    "Other",
)


@bp.route("/")
def index():
    team = current_team()
    if team is None:
        return render_template("cases/no_team.html")
    status = request.args.get("status", "")
    q = searched()
    query = select(Case).where(Case.team_id == team.id)
    if status in values(STATUSES):
        query = query.where(Case.status == status)
    if q:
        # "%" and "_" typed in the box are letters, not wildcards.
        query = query.where(
            or_(
                func.lower(Case.patient_name).contains(q.lower(), autoescape=True),
                func.lower(Case.payer).contains(q.lower(), autoescape=True),
            )
        )
    cases = db.session.scalars(
        query.order_by(Case.updated_at.desc()).options(selectinload(Case.calls))
    ).all()
    kinds = _fact_kinds([c.id for c in cases])
    rules = team_rules(team.id)
    new = discussion.news([c.id for c in cases])
    rows = [
        (
            c,
            progress.next_action(c, kinds.get(c.id, [])),
            next_open(for_case(c, rules=rules)),
            new[c.id],
        )
        for c in cases
    ]
    page = render("cases/index.html", "cases/partials/rows.html", rows=rows, status=status, q=q)
    return shown(page, "list", what=f"case list ({len(rows)} cases)", team_id=team.id)


def _fact_kinds(case_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    if case_ids:
        pairs = db.session.execute(
            select(Fact.case_id, Fact.kind).where(Fact.case_id.in_(case_ids)).distinct()
        )
        for case_id, kind in pairs:
            found.setdefault(case_id, []).append(kind)
    return found


def _clinicians(team_id: int) -> list[User]:
    """Members who may order and sign: the ordering clinician is one of them."""
    return db.session.scalars(
        select(User)
        .join(Membership)
        .where(Membership.team_id == team_id, Membership.role.in_(("clinician", "admin")))
        .order_by(User.name)
    ).all()


def _form_page(template: str, case: Case | None, form, errors, status=200, **extra):
    team_id = case.team_id if case else current_team().id
    return render_template(
        template, case=case, form=form, errors=errors, clinicians=_clinicians(team_id), **extra
    ), status


def _apply(case: Case, values_: dict, clinician_id: str | None) -> None:
    for name in intake.FIELDS:
        if name == "status" and not values_.get(name):
            continue
        setattr(case, name, values_[name])
    case.clinician_id = _clinician_id(case, clinician_id)


@bp.route("/new")
def new():
    if current_team() is None:
        abort(404)
    form = {
        "urgency": "standard",
        "token": secrets.token_urlsafe(16),
        "clinician_id": str(current_user.id),
    }
    return _form_page("cases/new.html", None, form, {})


@bp.route("/new", methods=["POST"])
def create():
    team = current_team()
    if team is None:
        abort(404)
    token = request.form.get("token") or None
    if token and len(token) > Case.intake_token.type.length:  # not one the form was given
        token = None
    if token:
        # The same form posted again: go to the case the first post made.
        existing = db.session.scalar(select(Case).where(Case.intake_token == token))
        if existing is not None and role_for(existing.team_id):
            return _already_opened(existing)
        if existing is not None:  # another team's form: a case of one's own, and no hint
            token = None
    values_, errors = intake.clean(request.form)
    if errors:
        return _form_page("cases/new.html", None, request.form, errors, 422)
    case = Case(team_id=team.id, intake_token=token, status="draft")
    _apply(case, values_, request.form.get("clinician_id"))
    db.session.add(case)
    try:
        db.session.flush()
    except IntegrityError:
        # Posted twice at once: both found no case for the form, the other one made it
        # first (the token is unique; this insert waited for it and was refused).
        db.session.rollback()
        existing = db.session.scalar(select(Case).where(Case.intake_token == token))
        if token is None or existing is None or existing.team_id != team.id:
            raise
        return _already_opened(existing)
    record("create", case, "case opened")
    db.session.commit()
    flash("Case opened. Add the clinical facts next.", "success")
    return redirect(url_for("cases.show", case_id=case.id))


def _already_opened(case: Case):
    flash(
        "This form was already sent, and opened this case: nothing was added twice. "
        "Check the case and edit it if something is missing.",
        "info",
    )
    return redirect(url_for("cases.show", case_id=case.id))


@bp.route("/<int:case_id>")
def show(case_id):
    case = get_case(case_id)
    last = discussion.visit(case)
    page = _workspace(case, seen_before=last.seen_at if last else None)
    discussion.mark_seen(case, last)
    return shown(page, "view", case, "workspace")


def _workspace(case: Case, code: int = 200, **extra):
    preload(case, brief=False)
    kinds = sorted({f.kind for f in case.facts})
    return render_template(
        "cases/show.html",
        case=case,
        todos=progress.todos(case, kinds),
        document_kinds=DOCUMENT_KINDS,
        trends=list(trends(case)),
        deadlines=for_case(case),
        **discussion.context(case),
        age=dates.age(case.patient_dob, case.created_at.date()),
        **extra,
    ), code


@bp.route("/<int:case_id>/edit")
def edit(case_id):
    case = get_case(case_id)
    record("view", case, "intake form")
    db.session.commit()
    form = {name: _form_value(getattr(case, name)) for name in intake.FIELDS}
    form["clinician_id"] = str(case.clinician_id or "")
    form["version"] = case.version
    return _form_page("cases/edit.html", case, form, {})


def _form_value(value) -> str:
    if value is True:
        return "on"
    return "" if value in (None, False) else str(value)


@bp.route("/<int:case_id>/edit", methods=["POST"])
def update(case_id):
    """Save the intake fields, unless someone saved them since the form was opened."""
    case = get_case(case_id)
    values_, errors = intake.clean(request.form)
    if errors:  # the form keeps the version it was made from
        return _form_page("cases/edit.html", case, request.form, errors, 422)
    wanted = {n: v for n, v in values_.items() if n in intake.FIELDS}
    if not wanted.get("status"):
        wanted.pop("status", None)  # not on the form: it moves with the case's path
    wanted["clinician_id"] = _clinician_id(case, request.form.get("clinician_id"))
    what = "intake edited"
    posted = posted_version()
    if not save(case, case, wanted, posted, what):
        return _intake_conflict(case, wanted, what, posted)
    flash("Case saved.", "success")
    return redirect(url_for("cases.show", case_id=case.id))


def _clinician_id(case: Case, posted: str | None) -> int | None:
    """The ordering clinician chosen in the form, if they may order for the case's team."""
    return {str(u.id): u.id for u in _clinicians(case.team_id)}.get(posted or "")


# The intake fields as the form labels them, for showing two versions side by side.
INTAKE_LABELS = {
    "patient_name": "Name",
    "patient_dob": "Date of birth",
    "mrn": "MRN",
    "member_id": "Member ID",
    "group_number": "Group number",
    "payer": "Payer",
    "plan_type": "Plan type",
    "service_description": "Service",
    "procedure_codes": "CPT / HCPCS codes",
    "diagnosis_codes": "ICD-10-CM codes",
    "drug_name": "Drug",
    "drug_strength": "Strength",
    "drug_quantity": "Quantity",
    "site_of_care": "Site of care",
    "service_start": "First date of service",
    "service_end": "Last date of service",
    "urgency": "Urgency",
    "denial_received": "Date received",
    "denial_reference": "Reference / authorization number",
    "denial_category": "Category",
    "criteria_set": "Criteria set the payer named",
    "criteria_detail": "Policy number or criteria version",
    "denial_reason": "Denial reason, word for word",
    "denial_reason_missing": "Not received in writing",
}
INTAKE_CHOICES = {
    "plan_type": PLAN_TYPES,
    "urgency": URGENCIES,
    "denial_category": DENIAL_CATEGORIES,
    "criteria_set": CRITERIA_SETS,
}


def _intake_conflict(case: Case, wanted: dict, what: str, posted):
    """The edit page again, refused: their saved intake and yours side by side, yours in the
    form with the version now saved."""

    def shown(name, value) -> str:
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if isinstance(value, date):
            return dates.show(value)
        if name in INTAKE_CHOICES:
            return label(INTAKE_CHOICES[name], value)
        return value or ""

    people = {u.id: u.display for u in _clinicians(case.team_id)}
    fields = [
        (title, shown(name, getattr(case, name)), shown(name, wanted[name]))
        for name, title in INTAKE_LABELS.items()
    ]
    fields.append(
        (
            "Ordering clinician",
            people.get(case.clinician_id, "Not set"),
            people.get(wanted["clinician_id"], "Not set"),
        )
    )
    conflict = stale(
        case, what, posted, case.version, fields, url_for("cases.edit", case_id=case.id)
    )
    form = {**request.form.to_dict(), "version": case.version}
    return _form_page("cases/edit.html", case, form, {}, 422, conflict=conflict)


@bp.route("/<int:case_id>/documents", methods=["POST"])
def add_document(case_id):
    case = get_case(case_id)
    form = request.form
    errors = {}
    text = form.get("text", "").strip()
    title = form.get("title", "").strip()
    kind = form.get("kind", "")
    try:
        day = dates.full_date(form.get("document_date", ""))
    except ValueError as exc:
        errors["document_date"] = str(exc)
    if not text:
        errors["text"] = "Paste the note's text."
    elif len(text) > MAX_DOCUMENT:
        errors["text"] = (
            f"A note holds at most {MAX_DOCUMENT:,} characters (this one has {len(text):,}): "
            "paste it in parts, as two documents."
        )
    if len(title) > 200:  # the column's size
        errors["title"] = "At most 200 characters."
    if kind not in DOCUMENT_KINDS:
        errors["kind"] = "Choose the kind of document."
    if errors:
        if not htmx():
            return _workspace(case, 422, doc_form=form, doc_errors=errors)
        return refused(
            "cases/partials/document_form.html",
            "#document-form",
            case=case,
            form=form,
            errors=errors,
            document_kinds=DOCUMENT_KINDS,
        )
    document = SourceDocument(
        case=case, kind=kind, title=title or kind, document_date=day, text=text
    )
    db.session.add(document)
    db.session.flush()
    record("update", case, f"source document {document.id} added")
    db.session.commit()
    return _documents(case, added=document.id)


def _documents(case: Case, **extra):
    """The case's documents, as the section the documents' forms swap."""
    return render_template(
        "cases/partials/documents.html",
        case=case,
        form={},
        errors={},
        document_kinds=DOCUMENT_KINDS,
        **extra,
    )


@bp.route("/<int:case_id>/documents/<int:document_id>/answers", methods=["POST"])
def document_answers(case_id, document_id):
    """What an enclosed document answers: the record the denial says was missing, or what a
    reviewer asked for on a call. The letters say "enclosed" only for a document so marked."""
    case = get_case(case_id)
    document = get_part(SourceDocument, document_id, case_id=case.id)
    answers = request.form.get("answers", "")
    calls = {f"call-{c.id}": c.id for c in case.calls}
    if answers not in ("", "denial", *calls):
        abort(400)
    document.answers_denial = answers == "denial"
    document.answers_call_id = calls.get(answers)
    record("update", case, f"source document {document.id} marked")
    db.session.commit()
    return _documents(case)


@bp.route("/<int:case_id>/documents/<int:document_id>/delete", methods=["POST"])
def delete_document(case_id, document_id):
    case = get_case(case_id)
    document = get_part(SourceDocument, document_id, case_id=case.id)
    for fact in case.facts:
        if fact.source_id == document.id:
            fact.source_id = fact.source_start = fact.source_end = None
    db.session.delete(document)
    record("update", case, f"source document {document_id} removed")
    db.session.commit()
    return _documents(case)


@bp.route("/<int:case_id>/status", methods=["POST"])
def set_status(case_id):
    case = get_case(case_id)
    status = request.form.get("status")
    if status not in values(STATUSES):
        abort(400)
    change_status(case, status, "set by hand")
    db.session.commit()
    return redirect(url_for("cases.show", case_id=case.id))


@bp.route("/<int:case_id>/audit")
def audit(case_id):
    case = get_case(case_id)
    if role_for(case.team_id) != "admin":
        abort(403)
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.case_id == case.id).order_by(AuditEvent.id.desc())
    ).all()
    record("view", case, "audit trail")
    db.session.commit()
    return render_template("cases/audit.html", case=case, events=events)
