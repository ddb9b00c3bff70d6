"""The brief: the criteria matrix, framing and asks, and the letter built from them."""

from datetime import date

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.audit import record, shown
from app.discussion import cosigners
from app.domain import brief as letter_domain
from app.domain.criteria import parse_criteria
from app.domain.letter import Letter, Paragraph, Signer
from app.extensions import db
from app.library import search
from app.library.links import PINPOINT
from app.models import (
    Case,
    Citation,
    CriteriaSet,
    Criterion,
    CriterionCitation,
    ParagraphEdit,
)
from app.models.loading import preload
from app.security import get_case, get_owned, get_part
from app.web import claim, htmx, posted_version, refused, save, searched, stale

bp = Blueprint("brief", __name__, url_prefix="/cases/<int:case_id>")

CHANGED = {"HX-Trigger": "letterChanged"}  # the preview reloads itself on this event
FRAMING = ("framing", "risks", "ask", "fallback_asks")


def letter_of(case: Case) -> Letter:
    """The case's letter as of today, with the clinician's rewrites."""
    preload(case)
    edits = {e.key: e.text for e in case.edits}
    signers = [case.clinician] if case.clinician else []
    letter = letter_domain.assemble(case, date.today(), edits, signers)
    # Co-signers approved a version: only those who signed this one are on it.
    if case.signatures:
        for user in cosigners(case, letter.fingerprint()):
            letter.signers.append(Signer(user.name, user.credentials, user.npi, user.specialty))
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


def _row(case: Case, criterion: Criterion, picking: bool = False):
    return (
        render_template(
            "brief/partials/criterion.html",
            case=case,
            c=criterion,
            statuses=letter_domain.CRITERION_STATUSES,
            picking=picking,
        ),
        200,
        CHANGED,
    )


@bp.route("/brief")
def show(case_id):
    case = get_case(case_id)
    sets = db.session.scalars(
        select(CriteriaSet).where(CriteriaSet.team_id == case.team_id).order_by(CriteriaSet.payer)
    ).all()
    page = render_template(
        "brief/show.html",
        case=case,
        sets=sets,
        letter=letter_of(case),
        statuses=letter_domain.CRITERION_STATUSES,
        form={},
        errors={},
    )
    return shown(page, "view", case, "brief")


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


@bp.route("/criteria/<int:criterion_id>")
def criterion(case_id, criterion_id):
    case = get_case(case_id)
    c = _criterion(case, criterion_id)
    return shown(_row(case, c)[0], "view", case, f"criterion {c.id}")


@bp.route("/criteria/<int:criterion_id>/edit")
def edit_criterion(case_id, criterion_id):
    """The criterion's wording, status and note in a form, in place of its row."""
    case = get_case(case_id)
    c = _criterion(case, criterion_id)
    form = {"text": c.text, "status": c.status, "note": c.note}
    page = _criterion_form(case, c, form, c.version)
    return shown(page, "view", case, f"criterion {c.id} edit form")


def _criterion_form(case: Case, c: Criterion, form, version, conflict=None):
    context = dict(
        case=case,
        c=c,
        form=form,
        version=version,
        conflict=conflict,
        statuses=letter_domain.CRITERION_STATUSES,
    )
    if conflict:
        return refused("brief/partials/criterion_edit.html", f"#criterion-{c.id}", **context)
    return render_template("brief/partials/criterion_edit.html", **context)


@bp.route("/criteria/<int:criterion_id>", methods=["POST"])
def update_criterion(case_id, criterion_id):
    """Save a criterion's status, wording or note: each is optional in the form (the status
    list posts only the status), and a save made from an older version is refused."""
    case = get_case(case_id)
    c = _criterion(case, criterion_id)
    wanted = {"text": c.text, "status": c.status, "note": c.note}
    if "status" in request.form:
        if request.form["status"] not in letter_domain.CRITERION_STATUSES:
            abort(400)
        wanted["status"] = request.form["status"]
    if request.form.get("text", "").strip():
        wanted["text"] = request.form["text"].strip()
    if "note" in request.form:
        wanted["note"] = request.form["note"].strip()
    what = f"criterion {c.id} edited"
    posted = posted_version()
    if not save(case, c, wanted, posted, what):
        return _criterion_conflict(case, c, wanted, what, posted)
    return _row(case, c)


def _criterion_conflict(case: Case, c: Criterion, wanted: dict, what: str, posted):
    statuses = letter_domain.CRITERION_STATUSES
    fields = [
        ("Criterion", c.text, wanted["text"]),
        ("Status", statuses.get(c.status, c.status), statuses.get(wanted["status"], "")),
        ("Note", c.note, wanted["note"]),
    ]
    reload = url_for("brief.edit_criterion", case_id=case.id, criterion_id=c.id)
    conflict = stale(case, what, posted, c.version, fields, reload, f"#criterion-{c.id}")
    return _criterion_form(case, c, wanted, c.version, conflict)


@bp.route("/criteria/<int:criterion_id>/delete", methods=["POST"])
def delete_criterion(case_id, criterion_id):
    case = get_case(case_id)
    db.session.delete(_criterion(case, criterion_id))
    record("update", case, f"criterion {criterion_id} removed")
    db.session.commit()
    db.session.refresh(case)
    return _matrix(case)


@bp.route("/criteria/<int:criterion_id>/facts")
def fact_choices(case_id, criterion_id):
    """The case's facts to tick for the criterion, when its list is first opened."""
    case = get_case(case_id)
    c = _criterion(case, criterion_id)
    page = render_template("brief/partials/fact_choices.html", case=case, c=c)
    return shown(page, "view", case, f"criterion {c.id} fact choices")


@bp.route("/criteria/<int:criterion_id>/facts", methods=["POST"])
def link_fact(case_id, criterion_id):
    """The facts that meet the criterion: exactly the boxes checked in its list, which stays
    open for the next tick."""
    case = get_case(case_id)
    c = _criterion(case, criterion_id)
    chosen = set(request.form.getlist("fact_id", type=int))
    c.facts = [f for f in case.facts if f.id in chosen]
    record("update", case, f"criterion {c.id} facts changed")
    db.session.commit()
    return _row(case, c, picking=True)


@bp.route("/criteria/<int:criterion_id>/citations/search")
def pick_citation(case_id, criterion_id):
    case = get_case(case_id)
    c = _criterion(case, criterion_id)
    q = searched()
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
        if len(pinpoint) > PINPOINT:  # not swapped: the form keeps what was typed
            message = f"A pinpoint holds at most {PINPOINT} characters: shorten it."
            return render_template("partials/error.html", title="Not linked", message=message), 422
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


@bp.route("/framing")
def framing_form(case_id):
    case = get_case(case_id)
    record("view", case, "framing and asks form")
    db.session.commit()
    form = {name: getattr(case, name) for name in FRAMING}
    return render_template(
        "brief/partials/framing.html", case=case, form=form, version=case.framing_version
    )


@bp.route("/framing", methods=["POST"])
def framing(case_id):
    """What the treatment changes for this patient, the risks of not treating, the asks.

    A save made from an older version of them is refused, with both versions shown."""
    case = get_case(case_id)
    wanted = {name: request.form.get(name, "").strip() for name in FRAMING}
    what = "framing and asks edited"
    posted = posted_version()
    if not save(case, case, wanted, posted, what, "framing_version"):
        return _framing_conflict(case, wanted, what, posted)
    form = {name: getattr(case, name) for name in FRAMING}
    return (
        render_template(
            "brief/partials/framing.html",
            case=case,
            form=form,
            version=case.framing_version,
            saved=True,
        ),
        200,
        CHANGED,
    )


FRAMING_LABELS = {
    "framing": "What the treatment changes for this patient",
    "risks": "Risks of the alternative or of no treatment",
    "ask": "The specific ask",
    "fallback_asks": "Fallback asks",
}


def _framing_conflict(case: Case, wanted: dict, what: str, posted):
    fields = [(FRAMING_LABELS[n], getattr(case, n), wanted[n]) for n in FRAMING]
    reload = url_for("brief.framing_form", case_id=case.id)
    conflict = stale(case, what, posted, case.framing_version, fields, reload, "#framing")
    return refused(
        "brief/partials/framing.html",
        "#framing",
        case=case,
        form=request.form,
        version=case.framing_version,
        conflict=conflict,
    )


@bp.route("/letter")
def letter(case_id):
    case = get_case(case_id)
    if not htmx():  # the letter alone is a part of the brief page: go to the page
        return redirect(url_for("brief.show", case_id=case.id, _anchor="letter"))
    page = render_template("brief/partials/letter.html", case=case, letter=letter_of(case))
    return shown(page, "view", case, "letter")


@bp.route("/letter/paragraphs/<key>", methods=["GET", "POST"])
def rewrite(case_id, key):
    """The clinician rewrites one generated paragraph; the rewrite is kept as their own.

    Going back to the generated text keeps the row, empty, so its version only ever grows:
    a form opened before a reset and a rewrite can never pass for a fresh one."""
    case = get_case(case_id)
    paragraph = _paragraph(case, key)
    edit = next((e for e in case.edits if e.key == key), None)
    if request.method != "POST":  # GET or HEAD: only a POST (CSRF-checked) saves
        record("view", case, f"letter paragraph {key} rewrite form")
        db.session.commit()
        return _rewrite_form(case, paragraph, paragraph.text, edit.version if edit else 0)
    text = request.form.get("text", "").strip()
    wanted = "" if request.form.get("action") == "reset" else text
    what = f"letter paragraph {key} rewritten"
    posted = posted_version()
    # An identical save (the same form sent twice) is a success, not a conflict with oneself.
    if wanted != (edit.text if edit else ""):
        if edit is None and posted == 0:
            saved = _first_rewrite(case, key, wanted)
        else:
            saved = edit is not None and claim(edit, posted)
            if saved:
                edit.text, edit.user_id = wanted, current_user.id
        if saved:
            record("update", case, what)
            db.session.commit()
        else:
            db.session.rollback()  # and read theirs afresh
            paragraph = _paragraph(case, key)
            edit = next((e for e in case.edits if e.key == key), None)
            if wanted != (edit.text if edit else ""):
                return _rewrite_conflict(case, paragraph, edit, text, wanted, what, posted)
    db.session.refresh(case)
    return render_template("brief/partials/letter.html", case=case, letter=letter_of(case))


def _paragraph(case: Case, key: str) -> Paragraph:
    paragraph = next((p for p in letter_of(case).paragraphs() if p.key == key), None)
    if paragraph is None:
        abort(404)
    return paragraph


def _first_rewrite(case: Case, key: str, text: str) -> bool:
    """The paragraph's first rewrite; False when another one was saved at the same moment."""
    db.session.add(ParagraphEdit(case_id=case.id, key=key, text=text, user_id=current_user.id))
    try:
        db.session.flush()
    except IntegrityError:  # the (case, key) row exists now: someone else's rewrite
        return False
    return True


def _rewrite_form(case: Case, p, text: str, version: int, conflict=None):
    context = dict(case=case, p=p, text=text, version=version, conflict=conflict)
    if conflict:
        return refused("brief/partials/rewrite.html", f"#para-{p.key}", **context)
    return render_template("brief/partials/rewrite.html", **context)


def _rewrite_conflict(case, paragraph, edit, text: str, wanted: str, what: str, posted):
    generated = paragraph.generated if paragraph.own else paragraph.text
    yours = wanted or f"The generated text: {generated}"
    theirs = paragraph.text if paragraph.own else f"The generated text: {generated}"
    version = edit.version if edit else 0
    reload = url_for("brief.rewrite", case_id=case.id, key=paragraph.key)
    fields = [("Paragraph", theirs, yours)]
    conflict = stale(case, what, posted, version, fields, reload, f"#para-{paragraph.key}")
    return _rewrite_form(case, paragraph, text or generated, version, conflict)
