"""Citations a case relies on: each linked to the claim it supports, with its pinpoint."""

from flask import Blueprint, abort, render_template, request
from sqlalchemy import func, select

from app.audit import record
from app.domain.arguments import CLAIM_KIND_VALUES
from app.extensions import db
from app.library import search, store
from app.models import CaseCitation, Citation
from app.models.library import PINPOINT
from app.security import get_case, get_owned, get_part
from app.web import bibtex_download, refused, searched

bp = Blueprint("evidence", __name__, url_prefix="/cases/<int:case_id>/citations")


def _section(case, **extra):
    return render_template("cases/partials/evidence.html", case=case, **extra)


@bp.route("/search")
def pick(case_id):
    """Library entries to link, searched as the user types."""
    case = get_case(case_id)
    q = searched()
    rows = db.session.scalars(search.query(case.team_id, q).limit(8)).all() if q else []
    return render_template("cases/partials/evidence_pick.html", case=case, rows=rows, q=q)


@bp.route("", methods=["POST"])
def link(case_id):
    case = get_case(case_id)
    citation = get_owned(Citation, request.form.get("citation_id", type=int) or 0)
    if citation.team_id != case.team_id:
        abort(404)
    claim = request.form.get("claim", "").strip()
    pinpoint = request.form.get("pinpoint", "").strip() or citation.pinpoint
    kind = request.form.get("kind", "").strip() or _kind_of(citation)
    criterion_id = request.form.get("criterion_id", type=int)
    errors = {}
    if not claim:
        errors["claim"] = "Say which claim this citation supports."
    if kind not in CLAIM_KIND_VALUES:
        errors["kind"] = "Choose what kind of source backs the claim."
    if criterion_id is not None and all(c.id != criterion_id for c in case.criteria):
        errors["criterion_id"] = "Choose one of this case's criteria, or none."
    if len(pinpoint) > PINPOINT:
        errors["pinpoint"] = f"At most {PINPOINT} characters (this has {len(pinpoint)})."
    if errors:
        return refused(
            "cases/partials/evidence.html", "#evidence", case=case, form=request.form, errors=errors
        )
    exists = any(c.citation_id == citation.id and c.claim == claim for c in case.citations)
    if not exists:
        position = (
            db.session.scalar(
                select(func.max(CaseCitation.position)).where(CaseCitation.case_id == case.id)
            )
            or 0
        )
        db.session.add(
            CaseCitation(
                case=case,
                citation=citation,
                claim=claim,
                pinpoint=pinpoint,
                position=position + 1,
                kind=kind,
                criterion_id=criterion_id,
            )
        )
        record("update", case, f"citation {citation.id} linked")
        db.session.commit()
    return _section(case, form={}, errors={})


def _kind_of(citation: Citation) -> str:
    """The kind a claim most likely is, from its citation: a graded guideline, else a trial."""
    return "guideline" if citation.grade or citation.recommendation else "trial"


@bp.route("/<int:link_id>/delete", methods=["POST"])
def unlink(case_id, link_id):
    case = get_case(case_id)
    found = get_part(CaseCitation, link_id, case_id=case.id)
    db.session.delete(found)
    record("update", case, f"citation {found.citation_id} unlinked")
    db.session.commit()
    db.session.refresh(case)
    return _section(case, form={}, errors={})


@bp.route("/export.bib")
def export(case_id):
    """The entries this case cites, as BibTeX."""
    case = get_case(case_id)
    cited = {link.citation_id: link.citation for link in case.citations}
    record("export", case, f"BibTeX of {len(cited)} cited entries")
    db.session.commit()
    return bibtex_download(
        [store.entry_of(c) for c in cited.values()], f"case-{case.id}-citations.bib"
    )
