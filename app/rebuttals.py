"""The team's rebuttal bank: objections a reviewer raises per denial category, and the answers
the team has learned to give. A team starts with a copy of the defaults, made when the team is
made (a read never writes: opening the bank or the talking points only reads it)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from app.audit import record
from app.domain import rebuttals as defaults
from app.domain.overturns import Usage, rebuttal_usage
from app.domain.vocabulary import DENIAL_CATEGORIES, category
from app.extensions import db
from app.models import Case, Citation, PeerCall, Rebuttal, peer_call_rebuttal
from app.security import get_part
from app.services.rebuttals import bank
from app.services.teams import team_or_404

bp = Blueprint("rebuttals", __name__, url_prefix="/teams/<slug>/rebuttals")


def usage(team_id: int, rebuttal_ids: list[int]) -> dict[int, Usage]:
    """How often each rebuttal was used in the team's own logged calls, in one query; a
    rebuttal never used has no entry."""
    if not rebuttal_ids:
        return {}
    link = peer_call_rebuttal.c
    pairs = db.session.execute(
        select(link.rebuttal_id, PeerCall.outcome)
        .join(PeerCall, PeerCall.id == link.call_id)
        .join(Case, Case.id == PeerCall.case_id)
        .where(Case.team_id == team_id, link.rebuttal_id.in_(rebuttal_ids))
    ).all()
    return rebuttal_usage(pairs)


def _category(value: str) -> str:
    if category(value) is None:
        abort(404)
    return value


@bp.route("/")
def index(slug):
    team = team_or_404(slug)
    chosen = _category(request.args.get("category", "not_medically_necessary"))
    rows = bank(team.id, chosen)
    return render_template(
        "rebuttals/index.html",
        team=team,
        chosen=chosen,
        rows=rows,
        usage=usage(team.id, [r.id for r in rows]),
        categories=DENIAL_CATEGORIES,
        placeholders=defaults.PLACEHOLDERS,
        needs=defaults.NEEDS,
        needs_of=defaults.needs_of,
    )


@bp.route("/", methods=["POST"])
def add(slug):
    team = team_or_404(slug)
    chosen = _category(request.form.get("category", ""))
    objection, answer = (request.form.get(k, "").strip() for k in ("objection", "rebuttal"))
    if objection and answer:
        db.session.add(
            Rebuttal(
                team_id=team.id,
                category=chosen,
                objection=objection,
                rebuttal=answer,
                position=10_000,
            )
        )
        record("rebuttal", what=f"rebuttal added ({chosen})", team_id=team.id)
        db.session.commit()
    else:
        flash("Write both the objection and the answer.", "error")
    return redirect(url_for("rebuttals.index", slug=slug, category=chosen))


@bp.route("/<int:rebuttal_id>", methods=["POST"])
def update(slug, rebuttal_id):
    """Save, remove, or link a citation (by its library key) to one rebuttal."""
    team = team_or_404(slug)
    row = get_part(Rebuttal, rebuttal_id, team_id=team.id)
    action = request.form.get("action", "save")
    if action not in ("remove", "cite") and not action.startswith("uncite-"):
        action = "save"  # what the form does with an action it does not know (and logs so)
    # The log names what was done by id, never the posted text (an `uncite-...` is any text).
    done = {"remove": "removed", "cite": "citation not found", "save": "saved"}.get(action, "")
    if action == "remove":
        db.session.delete(row)
    elif action == "cite":
        key = request.form.get("key", "").strip()
        citation = db.session.scalar(
            select(Citation).where(Citation.team_id == team.id, Citation.key == key)
        )
        if citation is None:
            flash(f"No entry with the key “{key}” in the library.", "error")
        else:
            done = f"cites citation {citation.id}"
            if citation not in row.citations:
                row.citations.append(citation)
    elif action.startswith("uncite-"):
        gone = [c for c in row.citations if str(c.id) == action.removeprefix("uncite-")]
        row.citations = [c for c in row.citations if c not in gone]
        done = f"no longer cites citation {gone[0].id}" if gone else "unchanged"
    else:
        objection, answer = (request.form.get(k, "").strip() for k in ("objection", "rebuttal"))
        if objection and answer:
            row.objection, row.rebuttal = objection, answer
            row.needs = [n for n in request.form.getlist("needs") if n in defaults.NEEDS]
        else:
            flash("A rebuttal keeps both its objection and its answer.", "error")
    record("rebuttal", what=f"rebuttal {rebuttal_id} {done}", team_id=team.id)
    db.session.commit()
    return redirect(url_for("rebuttals.index", slug=slug, category=row.category))
