"""The library pages: browse and search, import BibTeX, look up DOIs and PMIDs, edit evidence."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import func, select

from app.audit import record
from app.extensions import db
from app.library import importer, search, store
from app.models import Citation, ImportJob, now
from app.security import get_owned
from app.services.teams import current_team
from app.web import bibtex_download, htmx, refused, render, searched
from citations import (
    Evidence,
    GradeError,
    MemoryCache,
    MetadataClient,
    grading_systems,
    read_evidence,
    with_evidence,
)

bp = Blueprint("library", __name__, url_prefix="/library")
PAGE = 100


def _team():
    team = current_team()
    if team is None:
        abort(404)
    return team


@bp.route("/")
def index():
    team = _team()
    q, tag, grade = (searched(k) for k in ("q", "tag", "grade"))
    stmt = search.query(team.id, q, tag, grade)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = db.session.scalars(stmt.limit(PAGE)).all()
    return render(
        "library/index.html",
        "library/partials/rows.html",
        rows=rows,
        total=total,
        q=q,
        tag=tag,
        grade=grade,
        tags=search.tags(team.id),
        grades=search.grades(team.id),
        systems=grading_systems(),
        lookup=None,
    )


@bp.route("/import", methods=["POST"])
def upload():
    team = _team()
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash("Choose a .bib file to import.", "error")
        return redirect(url_for("library.index"))
    try:
        text = importer.read_text(upload.read())
    except importer.NotBibTeX as exc:
        flash(str(exc), "error")
        return redirect(url_for("library.index"))
    importer.settle(team.id)
    job = ImportJob(
        team_id=team.id,
        user_id=current_user.id,
        filename=upload.filename[:300],
        text=text,
        heartbeat_at=now(),
    )
    db.session.add(job)
    db.session.flush()
    # The file's name is the user's words (it may name a patient): the row names the job.
    record("import", what=f"BibTeX import job {job.id}", team_id=team.id)
    db.session.commit()
    importer.start(job)
    return redirect(url_for("library.job", job_id=job.id))


@bp.route("/imports/<int:job_id>")
def job(job_id):
    job = get_owned(ImportJob, job_id)
    state, error = importer.shown_state(job)
    return render(
        "library/import.html", "library/partials/progress.html", job=job, state=state, error=error
    )


@bp.route("/imports/<int:job_id>/apply", methods=["POST"])
def apply(job_id):
    """Apply the changed entries the report listed, after the user has seen them."""
    job = get_owned(ImportJob, job_id)
    importer.settle(job.team_id)
    if job.state not in ("done", "failed") or job.updates_applied:
        return redirect(url_for("library.job", job_id=job.id))
    job.state, job.processed, job.total, job.heartbeat_at = "queued", 0, 0, now()
    db.session.commit()
    importer.start(job, apply_updates=True)
    return redirect(url_for("library.job", job_id=job.id))


def _client() -> MetadataClient:
    cache = current_app.extensions.setdefault("lookup_cache", MemoryCache())
    return MetadataClient(
        current_app.config["LOOKUP_EMAIL"],
        cache=cache,
        api_key=current_app.config.get("NCBI_API_KEY") or None,
        timeout=current_app.config["LOOKUP_TIMEOUT"],
    )


@bp.route("/lookup", methods=["POST"])
def lookup():
    """Add by DOI or PMID, one or a pasted list; each id saved whole or not at all."""
    team = _team()
    ids = request.form.get("ids", "").strip()
    if not ids:
        return refused(
            "library/partials/lookup.html",
            "#lookup",
            ids=ids,
            results=[],
            error="Paste one or more DOIs or PMIDs.",
        )
    keys = set(store.existing(team.id))
    results = _client().lookup(ids, existing_keys=keys)
    saved = []
    for result in results:
        if result.ok:
            saved.append(store.save(team.id, result.entry, origin=result.identifier.kind))
    if saved:
        record("import", what=f"{len(saved)} citation(s) by DOI/PMID", team_id=team.id)
    db.session.commit()
    if not htmx():
        for r in results:
            flash(
                f"{r.identifier.text}: " + (f"added as {r.entry.key}" if r.ok else r.error),
                "success" if r.ok else "error",
            )
        return redirect(url_for("library.index"))
    # What failed stays in the box to try again; what was saved is listed.
    retry = "\n".join(r.identifier.text for r in results if not r.ok)
    return render_template(
        "library/partials/lookup.html", ids=retry, results=results, saved=saved, error=""
    )


@bp.route("/<int:citation_id>")
def show(citation_id):
    citation = get_owned(Citation, citation_id)
    return render_template(
        "library/show.html",
        citation=citation,
        form=_evidence_form(citation),
        errors={},
        systems=grading_systems(),
    )


def _evidence_form(citation: Citation) -> dict:
    ev = read_evidence(store.entry_of(citation))
    return {
        "issuer": ev.issuer,
        "recommendation": ev.recommendation,
        "system": ev.system,
        "grade": ev.grade,
        "page": ev.page,
        "section": ev.section,
        "number": ev.number,
        "tags": ", ".join(ev.tags),
    }


@bp.route("/<int:citation_id>/evidence", methods=["POST"])
def evidence(citation_id):
    """Save the evidence metadata into the entry's own BibTeX (it travels with an export)."""
    citation = get_owned(Citation, citation_id)
    form = request.form
    tags = tuple(t.strip() for t in form.get("tags", "").split(",") if t.strip())
    evidence = Evidence(
        **{
            k: form.get(k, "").strip()
            for k in ("issuer", "recommendation", "system", "grade", "page", "section", "number")
        },
        tags=tags,
    )
    try:
        entry = with_evidence(store.entry_of(citation), evidence)
    except GradeError as exc:
        return render_template(
            "library/show.html",
            citation=citation,
            form=form,
            errors={"grade": str(exc)},
            systems=grading_systems(),
        ), 422
    store.save(citation.team_id, entry, citation=citation)
    db.session.commit()
    flash("Evidence saved.", "success")
    return redirect(url_for("library.show", citation_id=citation.id))


@bp.route("/export.bib")
def export():
    """The library, or the chosen keys, as BibTeX: the user's own text, evidence fields kept."""
    team = _team()
    entries = [store.entry_of(c) for c in store.library(team.id, request.args.getlist("key"))]
    record("export", what=f"BibTeX export of {len(entries)} citation(s)", team_id=team.id)
    db.session.commit()
    return bibtex_download(entries, f"{team.slug}-library.bib")
