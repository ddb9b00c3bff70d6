"""Clinical facts of a case, edited in place with htmx: add, edit, remove, reorder, include."""

from flask import Blueprint, abort, render_template, request, url_for
from sqlalchemy import exists, func, literal, select, tuple_

from app.audit import record, shown
from app.domain import facts as domain
from app.domain import outcomes
from app.domain.vocabulary import label
from app.extensions import db
from app.models import Case, Fact, SourceDocument
from app.security import get_case, get_part
from app.web import posted_version, refused, save, stale

bp = Blueprint("facts", __name__, url_prefix="/cases/<int:case_id>/facts")


def _fact(case: Case, fact_id: int) -> Fact:
    return get_part(Fact, fact_id, case_id=case.id)


def _kind(value: str | None) -> domain.FactKind:
    kind = domain.kind(value)
    if kind is None:
        abort(400)
    return kind


def _list(case: Case, **extra):
    return render_template("facts/partials/list.html", case=case, **extra)


def _new_form(case: Case, kind, form, errors):
    if errors:
        return refused(
            "facts/partials/new.html", "#new-fact", case=case, kind=kind, form=form, errors=errors
        )
    return render_template("facts/partials/new.html", case=case, kind=kind, form=form, errors={})


@bp.route("/form", methods=["GET", "POST"])
def form(case_id):
    """The add-a-fact form for a kind; from a selected passage of a note when one is given.

    Changing the kind posts what was typed so far, so it comes back in the new form.
    """
    case = get_case(case_id)
    args = request.form if request.method == "POST" else request.args
    kind = _kind(args.get("kind", "history"))
    values = args.to_dict() if request.method == "POST" else {}
    source = _source(case, args) if request.method != "POST" else None
    if source:
        document, start, end = source
        record("view", case, f"source document {document.id} passage")
        db.session.commit()
        values = {
            "text": document.text[start:end].strip(),
            "source_id": document.id,
            "source_start": start,
            "source_end": end,
            "fact_date": document.document_date.isoformat(),
        }
    return _new_form(case, kind, values, {})


def _source(case: Case, args) -> tuple[SourceDocument, int, int] | None:
    """A passage of one of the case's documents, by character offsets; None if not asked for."""
    if not args.get("source_id"):
        return None
    document = get_part(SourceDocument, args.get("source_id", type=int), case_id=case.id)
    start, end = args.get("source_start", type=int), args.get("source_end", type=int)
    if start is None or end is None or not 0 <= start < end <= len(document.text):
        abort(400)
    return document, start, end


@bp.route("", methods=["POST"])
def create(case_id):
    case = get_case(case_id)
    kind = _kind(request.form.get("kind"))
    values, errors = domain.clean(kind, request.form)
    source = _source(case, request.form)
    if errors:
        return _new_form(case, kind, request.form, errors)
    position = db.session.scalar(select(func.max(Fact.position)).where(Fact.case_id == case.id))
    fact = Fact(case=case, kind=kind.value, position=(position or 0) + 1, **values)
    if source:
        fact.source, fact.source_start, fact.source_end = source
    db.session.add(fact)
    db.session.flush()
    record("update", case, f"fact {fact.id} ({kind.value}) added")
    db.session.commit()
    return _list(case, fresh_form=kind, added=fact.id)


@bp.route("/<int:fact_id>")
def show(case_id, fact_id):
    case = get_case(case_id)
    fact = _fact(case, fact_id)
    return shown(_row(case, fact), "view", case, f"fact {fact.id}")


@bp.route("/<int:fact_id>/edit")
def edit(case_id, fact_id):
    case = get_case(case_id)
    fact = _fact(case, fact_id)
    form = {name: getattr(fact, name) for name in domain.FACT_COLUMNS}
    page = _edit_form(case, fact, form, version=fact.version)
    return shown(page, "view", case, f"fact {fact.id} edit form")


def _edit_form(case: Case, fact: Fact, form, version, errors=None, conflict=None):
    """The fact's edit form, made from `version`; refused (422, in place of the fact) with
    errors or a conflict."""
    context = dict(
        case=case,
        fact=fact,
        kind=domain.kind(fact.kind),
        form=form,
        errors=errors or {},
        conflict=conflict,
        version=version,
    )
    if errors or conflict:
        return refused("facts/partials/edit.html", f"#fact-{fact.id}", **context)
    return render_template("facts/partials/edit.html", **context)


@bp.route("/<int:fact_id>", methods=["POST"])
def update(case_id, fact_id):
    """Save a fact's content, unless someone saved it since the form was opened."""
    case = get_case(case_id)
    fact = _fact(case, fact_id)
    kind = domain.kind(fact.kind)
    posted = posted_version()
    values, errors = domain.clean(kind, request.form)
    if errors:  # the form keeps the version it was made from
        return _edit_form(case, fact, request.form, posted, errors)
    what = f"fact {fact.id} edited"
    if not save(case, fact, values, posted, what):
        conflict = _conflict(case, fact, values, what, posted)
        return _edit_form(case, fact, request.form, fact.version, conflict=conflict)
    return _row(case, fact)


def _conflict(case: Case, fact: Fact, values: dict, what: str, posted: int | None):
    def shown(field, value) -> str:
        if value is None:
            return ""
        if field.kind == "choice":
            return label(field.choices, value)
        return outcomes.fmt(value) if field.kind == "score" else str(value)

    fields = [
        (f.label, shown(f, getattr(fact, f.name)), shown(f, values[f.name]))
        for f in domain.kind(fact.kind).fields
    ]
    return stale(
        case,
        what,
        posted,
        fact.version,
        fields,
        url_for("facts.edit", case_id=case.id, fact_id=fact.id),
        f"#fact-{fact.id}",
    )


@bp.route("/<int:fact_id>/delete", methods=["POST"])
def delete(case_id, fact_id):
    case = get_case(case_id)
    fact = _fact(case, fact_id)
    db.session.delete(fact)
    record("update", case, f"fact {fact_id} removed")
    db.session.commit()
    db.session.refresh(case)
    return _list(case)


@bp.route("/<int:fact_id>/move", methods=["POST"])
def move(case_id, fact_id):
    """Swap a fact with its neighbour above or below; send back just the two of them.

    Only the two facts are read and written: a hundred-fact case moves as fast as a short one.
    """
    case = get_case(case_id)
    fact = _fact(case, fact_id)
    up = request.form.get("direction") == "up"
    neighbour = db.session.scalar(
        select(Fact)
        .where(Fact.case_id == case.id, _listed < _place(fact) if up else _listed > _place(fact))
        .order_by(*((Fact.position.desc(), Fact.id.desc()) if up else (Fact.position, Fact.id)))
        .limit(1)
    )
    if neighbour is None:
        return "", 204
    if neighbour.position == fact.position:
        _renumber(case)  # positions made elsewhere may tie: make them distinct first
    fact.position, neighbour.position = neighbour.position, fact.position
    upper, lower = (fact, neighbour) if up else (neighbour, fact)
    record("update", case, f"fact {fact.id} moved")
    db.session.commit()
    first, last = _ends(case, upper, lower)
    pair = [(upper, first, False), (lower, False, last)]
    # The target is the upper element as it was (now the lower fact); the other one goes.
    return render_template("facts/partials/moved.html", case=case, pair=pair, gone=upper.id)


def _row(case: Case, fact: Fact):
    """One fact's row, its arrows disabled at the ends of the list."""
    first, last = _ends(case, fact, fact)
    return render_template("facts/partials/fact.html", case=case, fact=fact, first=first, last=last)


# A fact's place in the list: its position, then its id (positions made elsewhere may tie).
_listed = tuple_(Fact.position, Fact.id)


def _place(fact: Fact):
    return tuple_(literal(fact.position), literal(fact.id))


def _ends(case: Case, upper: Fact, lower: Fact) -> tuple[bool, bool]:
    """Whether `upper` is the case's first fact, and `lower` its last: one query."""
    siblings = select(Fact.id).where(Fact.case_id == case.id)
    before, after = db.session.execute(
        select(
            exists(siblings.where(_listed < _place(upper))),
            exists(siblings.where(_listed > _place(lower))),
        )
    ).one()
    return not before, not after


def _renumber(case: Case) -> None:
    ordered = db.session.scalars(
        select(Fact).where(Fact.case_id == case.id).order_by(Fact.position, Fact.id)
    ).all()
    for position, item in enumerate(ordered, start=1):
        item.position = position


@bp.route("/<int:fact_id>/letter", methods=["POST"])
def toggle_letter(case_id, fact_id):
    """Include the fact in the letter, or leave it out (minimum necessary)."""
    case = get_case(case_id)
    fact = _fact(case, fact_id)
    fact.in_letter = request.form.get("in_letter") == "on"
    record("update", case, f"fact {fact.id} {'in' if fact.in_letter else 'left out of'} letter")
    db.session.commit()
    return _row(case, fact)
