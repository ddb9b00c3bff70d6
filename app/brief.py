"""The brief: the criteria matrix, framing and asks, and the letter built from them."""

from datetime import date

from flask import Blueprint, abort, render_template, request
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.audit import record
from app.discussion import cosigners
from app.domain import brief as letter_domain
from app.domain.criteria import parse_criteria
from app.extensions import db
from app.library import search
from app.models import (
    Case,
    CaseCitation,
    Citation,
    CriteriaSet,
    Criterion,
    CriterionCitation,
    ParagraphEdit,
    Signature,
)
from app.security import get_case, get_owned, get_part
from app.web import refused, render

bp = Blueprint("brief", __name__, url_prefix="/cases/<int:case_id>")

CHANGED = {"HX-Trigger": "letterChanged"}  # the preview reloads itself on this event
FRAMING = ("framing", "risks", "ask", "fallback_asks")


def preload(case: Case) -> Case:
    """Load everything the letter and the workspace read from `case` in one query per table,
    not one per link: its facts, criteria with their facts and evidence, citations, rewrites,
    documents and clinician. The case already in the session is filled in place."""
    return db.session.scalars(
        select(Case)
        .where(Case.id == case.id)
        .options(
            selectinload(Case.facts),
            selectinload(Case.criteria).options(
                selectinload(Criterion.facts),
                selectinload(Criterion.evidence).selectinload(CriterionCitation.citation),
            ),
            selectinload(Case.citations).selectinload(CaseCitation.citation),
            selectinload(Case.edits),
            selectinload(Case.documents),
            selectinload(Case.signatures).joinedload(Signature.user),
            joinedload(Case.clinician),
        )
    ).one()


def letter_of(case: Case) -> letter_domain.Letter:
    """The case's letter as of today, with the clinician's rewrites."""
    preload(case)
    edits = {e.key: e.text for e in case.edits}
    signers = [case.clinician] if case.clinician else []
    letter = letter_domain.assemble(case, date.today(), edits, signers)
    # Co-signers approved a version: only those who signed this one are on it.
    for user in cosigners(case, letter.fingerprint()):
        letter.signers.append(
            letter_domain.Signer(user.name, user.credentials, user.npi, user.specialty)
        )
    return letter


def _criterion(case: Case, criterion_id: int) -> Criterion:
    return get_part(Criterion, criterion_id, case_id=case.id)


def _matrix(case: Case, **extra):
    sets = db.session.scalars(
        select(CriteriaSet).where(CriteriaSet.team_id == case.team_id).order_by(CriteriaSet.payer)
    ).all()
    return (
        render_template(
            "brief/partials/criteria.html",
            case=case,
            sets=sets,
            statuses=letter_domain.CRITERION_STATUSES,
            **extra,
        ),
        200,
        CHANGED,
    )


def _row(case: Case, criterion: Criterion):
    return (
        render_template(
            "brief/partials/criterion.html",
            case=case,
            c=criterion,
            statuses=letter_domain.CRITERION_STATUSES,
        ),
        200,
        CHANGED,
    )


@bp.route("/brief")
def show(case_id):
    case = get_case(case_id)
    record("view", case, "brief")
    db.session.commit()
    sets = db.session.scalars(
        select(CriteriaSet).where(CriteriaSet.team_id == case.team_id).order_by(CriteriaSet.payer)
    ).all()
    return render_template(
        "brief/show.html",
        case=case,
        sets=sets,
        letter=letter_of(case),
        statuses=letter_domain.CRITERION_STATUSES,
        form={},
        errors={},
    )


@bp.route("/criteria", methods=["POST"])
def add_criteria(case_id):
    """Criteria from pasted policy text, or from a set the team saved for this payer."""
    case = get_case(case_id)
    if request.form.get("set_id"):
        chosen = get_owned(CriteriaSet, request.form.get("set_id", type=int) or 0)
        items = list(chosen.items)
    else:
        items = parse_criteria(request.form.get("text", ""))
        if not items:
            return refused(
                "brief/partials/criteria.html",
                "#criteria",
                case=case,
                sets=[],
                statuses=letter_domain.CRITERION_STATUSES,
                paste=request.form.get("text", ""),
                error="Paste the payer's criteria: one per line, or a numbered list.",
            )
        if request.form.get("save_set") and case.criteria_detail:
            _save_set(case, items)
    start = len(case.criteria)
    for i, text in enumerate(items, start=start + 1):
        case.criteria.append(Criterion(text=text, position=i))
    record("update", case, f"{len(items)} criteria added")
    db.session.commit()
    return _matrix(case)


def _save_set(case: Case, items: list[str]) -> None:
    existing = db.session.scalar(
        select(CriteriaSet).where(
            CriteriaSet.team_id == case.team_id,
            CriteriaSet.payer == case.payer,
            CriteriaSet.policy == case.criteria_detail,
        )
    )
    if existing:
        existing.items = items
    else:
        db.session.add(
            CriteriaSet(
                team_id=case.team_id, payer=case.payer, policy=case.criteria_detail, items=items
            )
        )


@bp.route("/criteria/<int:criterion_id>", methods=["POST"])
def update_criterion(case_id, criterion_id):
    case = get_case(case_id)
    c = _criterion(case, criterion_id)
    if "status" in request.form:
        status = request.form["status"]
        if status not in letter_domain.CRITERION_STATUSES:
            abort(400)
        c.status = status
    if "text" in request.form and request.form["text"].strip():
        c.text = request.form["text"].strip()
    if "note" in request.form:
        c.note = request.form["note"].strip()
    record("update", case, f"criterion {c.id} edited")
    db.session.commit()
    return _row(case, c)


@bp.route("/criteria/<int:criterion_id>/delete", methods=["POST"])
def delete_criterion(case_id, criterion_id):
    case = get_case(case_id)
    db.session.delete(_criterion(case, criterion_id))
    record("update", case, f"criterion {criterion_id} removed")
    db.session.commit()
    db.session.refresh(case)
    return _matrix(case)


@bp.route("/criteria/<int:criterion_id>/facts", methods=["POST"])
def link_fact(case_id, criterion_id):
    """The facts that meet the criterion: exactly the boxes checked in its list."""
    case = get_case(case_id)
    c = _criterion(case, criterion_id)
    chosen = set(request.form.getlist("fact_id", type=int))
    c.facts = [f for f in case.facts if f.id in chosen]
    record("update", case, f"criterion {c.id} facts changed")
    db.session.commit()
    return _row(case, c)


@bp.route("/criteria/<int:criterion_id>/citations/search")
def pick_citation(case_id, criterion_id):
    case = get_case(case_id)
    c = _criterion(case, criterion_id)
    q = request.args.get("q", "").strip()
    rows = db.session.scalars(search.query(case.team_id, q).limit(6)).all() if q else []
    return render_template("brief/partials/citation_pick.html", case=case, c=c, rows=rows, q=q)


@bp.route("/criteria/<int:criterion_id>/citations", methods=["POST"])
def link_citation(case_id, criterion_id):
    case = get_case(case_id)
    c = _criterion(case, criterion_id)
    citation = get_owned(Citation, request.form.get("citation_id", type=int) or 0)
    if citation.team_id != case.team_id:
        abort(404)
    if all(e.citation_id != citation.id for e in c.evidence):
        pinpoint = request.form.get("pinpoint", "").strip() or citation.pinpoint
        c.evidence.append(CriterionCitation(citation=citation, pinpoint=pinpoint))
        record("update", case, f"criterion {c.id} citation {citation.id} linked")
        db.session.commit()
    return _row(case, c)


@bp.route("/criteria/<int:criterion_id>/citations/<int:link_id>/delete", methods=["POST"])
def unlink_citation(case_id, criterion_id, link_id):
    case = get_case(case_id)
    c = _criterion(case, criterion_id)
    link = get_part(CriterionCitation, link_id, criterion_id=c.id)
    db.session.delete(link)
    record("update", case, f"criterion {c.id} citation {link.citation_id} unlinked")
    db.session.commit()
    db.session.refresh(c)
    return _row(case, c)


@bp.route("/framing", methods=["POST"])
def framing(case_id):
    """What the treatment changes for this patient, the risks of not treating, the asks."""
    case = get_case(case_id)
    for name in FRAMING:
        setattr(case, name, request.form.get(name, "").strip())
    record("update", case, "framing and asks edited")
    db.session.commit()
    return render_template("brief/partials/framing.html", case=case, saved=True), 200, CHANGED


@bp.route("/letter")
def letter(case_id):
    case = get_case(case_id)
    return render(
        "brief/show.html", "brief/partials/letter.html", case=case, letter=letter_of(case)
    )


@bp.route("/letter/paragraphs/<key>", methods=["GET", "POST"])
def rewrite(case_id, key):
    """The clinician rewrites one generated paragraph; the rewrite is kept as their own."""
    case = get_case(case_id)
    paragraph = next((p for p in letter_of(case).paragraphs() if p.key == key), None)
    if paragraph is None:
        abort(404)
    if request.method == "GET":
        return render_template("brief/partials/rewrite.html", case=case, p=paragraph)
    text = request.form.get("text", "").strip()
    edit = next((e for e in case.edits if e.key == key), None)
    if request.form.get("action") == "reset" or not text:
        if edit:
            db.session.delete(edit)
    elif edit:
        edit.text, edit.user_id = text, current_user.id
    else:
        db.session.add(ParagraphEdit(case_id=case.id, key=key, text=text, user_id=current_user.id))
    record("update", case, f"letter paragraph {key} rewritten")
    db.session.commit()
    db.session.refresh(case)
    return render_template("brief/partials/letter.html", case=case, letter=letter_of(case))
