"""The team's case conference: choose the cases and their order, present them one per
screen, and export the agenda and the packet."""

from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from app.audit import record
from app.domain import conference as domain
from app.domain import dates
from app.domain.packet import case_packet
from app.domain.vocabulary import OPEN_STATUSES
from app.extensions import db
from app.models import Case, Conference, ConferenceCase, Team
from app.models.loading import preload
from app.render.agenda import render_agenda
from app.render.packet import render_packet
from app.security import get_case, get_owned, get_part
from app.services import deadlines
from app.services.documents import DOCX, timeline_items
from app.services.teams import current_team
from app.web import htmx, render

bp = Blueprint("conferences", __name__, url_prefix="/conferences")

ITEMS = "conferences/partials/items.html"


def get_conference(conference_id: int) -> Conference:
    """The conference, if the signed-in user belongs to its team; 404 otherwise."""
    return get_owned(Conference, conference_id)


# --- the team's conferences --------------------------------------------------------------


@bp.route("/")
def index():
    team = current_team()
    if team is None:
        return render_template("cases/no_team.html")
    return _list_page(team, {}, {})


def _list_page(team: Team, form: dict, errors: dict, code: int = 200):
    """Upcoming conferences first, the next one at the top; then past ones, latest first."""
    today = date.today()
    found = db.session.scalars(
        select(Conference).where(Conference.team_id == team.id).order_by(Conference.held_on)
    ).all()
    upcoming = [c for c in found if c.held_on >= today]
    past = [c for c in reversed(found) if c.held_on < today]
    return render_template(
        "conferences/index.html", upcoming=upcoming, past=past, form=form, errors=errors
    ), code


@bp.route("/", methods=["POST"])
def create():
    team = current_team()
    if team is None:
        abort(404)
    form = {k: request.form.get(k, "").strip() for k in ("title", "held_on")}
    errors = {}
    if not form["title"]:
        errors["title"] = "Give the conference a title, like “Rheumatology case conference”."
    elif len(form["title"]) > 200:
        errors["title"] = "Keep the title to 200 characters."
    try:
        held_on = dates.full_date(form["held_on"]) if form["held_on"] else None
    except ValueError as error:
        errors["held_on"], held_on = str(error), None
    if held_on is None and "held_on" not in errors:
        errors["held_on"] = "Give the day the conference meets."
    if errors:
        return _list_page(team, form, errors, 422)
    conference = Conference(team_id=team.id, title=form["title"], held_on=held_on)
    db.session.add(conference)
    db.session.flush()
    record("update", what=f"conference {conference.id} created", team_id=team.id)
    db.session.commit()
    return redirect(url_for("conferences.show", conference_id=conference.id))


# --- one conference: its cases, in order --------------------------------------------------


@bp.route("/<int:conference_id>")
def show(conference_id):
    conference = get_conference(conference_id)
    # The page names each patient on it: one row per case, as a workspace visit would write.
    for entry in conference.items:
        record("view", entry.case, f"conference {conference.id}")
    choices = _choices(conference)
    what = f"conference {conference.id} case choice ({len(choices)} cases)"
    record("list", what=what, team_id=conference.team_id)
    db.session.commit()
    return _page(conference, choices=choices)


def _choices(conference: Conference) -> list[Case]:
    """The team's open cases not yet on the conference, most recently worked on first."""
    chosen = {entry.case_id for entry in conference.items}
    cases = db.session.scalars(
        select(Case)
        .where(Case.team_id == conference.team_id, Case.status.in_(OPEN_STATUSES))
        .order_by(Case.updated_at.desc(), Case.id.desc())
    ).all()
    return [c for c in cases if c.id not in chosen]


def _page(conference: Conference, code: int = 200, **context):
    """The conference page; for htmx, only the list of its cases that the page includes."""
    context.setdefault("choices", _choices(conference))
    context.setdefault("form", {})
    context.setdefault("errors", {})
    return render("conferences/show.html", ITEMS, conference=conference, **context), code


def _changed(conference: Conference, code: int = 200, **context):
    """After a change: the list of cases again for htmx, else back to the page; a refused
    form comes back in place with its message (422)."""
    if code == 200 and not htmx():
        return redirect(url_for("conferences.show", conference_id=conference.id))
    return _page(conference, code, **context)


@bp.route("/<int:conference_id>/cases", methods=["POST"])
def add_case(conference_id):
    conference = get_conference(conference_id)
    case_id = request.form.get("case_id", type=int)
    question, problem = domain.clean_question(request.form.get("question", ""))
    form = {"case_id": str(case_id or ""), "question": question}
    if case_id is None:
        return _changed(conference, 422, form=form, errors={"case_id": "Choose a case to add."})
    case = get_case(case_id)  # another team's case is a 404, like any of its pages
    if case.team_id != conference.team_id:
        abort(404)  # a member of both teams still keeps each conference to its own team
    if any(entry.case_id == case.id for entry in conference.items):
        errors = {"case_id": "That case is already on the agenda."}
        return _changed(conference, 422, form=form, errors=errors)
    if problem:
        return _changed(conference, 422, form=form, errors={"question": problem})
    last = max((entry.position for entry in conference.items), default=0)
    conference.items.append(ConferenceCase(case=case, position=last + 1, question=question))
    record("update", case, f"added to conference {conference.id}")
    db.session.commit()
    return _changed(conference)


def _entry(conference: Conference, item_id: int) -> ConferenceCase:
    return get_part(ConferenceCase, item_id, conference_id=conference.id)


@bp.route("/<int:conference_id>/cases/<int:item_id>/question", methods=["POST"])
def set_question(conference_id, item_id):
    conference = get_conference(conference_id)
    entry = _entry(conference, item_id)
    question, problem = domain.clean_question(request.form.get("question", ""))
    if problem:
        errors = {f"question-{entry.id}": problem}
        return _changed(conference, 422, form={f"question-{entry.id}": question}, errors=errors)
    entry.question = question
    record("update", entry.case, f"question for conference {conference.id}")
    db.session.commit()
    return _changed(conference)


@bp.route("/<int:conference_id>/cases/<int:item_id>/move", methods=["POST"])
def move(conference_id, item_id):
    """One place earlier ("up") or later ("down") in the running order."""
    conference = get_conference(conference_id)
    entry = _entry(conference, item_id)
    order = list(conference.items)
    here = order.index(entry)
    there = here - 1 if request.form.get("direction") == "up" else here + 1
    if 0 <= there < len(order):
        order[here], order[there] = order[there], order[here]
        for n, each in enumerate(order, start=1):
            each.position = n
        what = f"conference {conference.id} order changed"
        record("update", what=what, team_id=conference.team_id)
        db.session.commit()
        db.session.refresh(conference)  # the running order, read again in its new order
    return _changed(conference)


@bp.route("/<int:conference_id>/cases/<int:item_id>/remove", methods=["POST"])
def remove_case(conference_id, item_id):
    conference = get_conference(conference_id)
    entry = _entry(conference, item_id)
    case = entry.case
    conference.items.remove(entry)
    for n, each in enumerate(conference.items, start=1):
        each.position = n
    record("update", case, f"removed from conference {conference.id}")
    db.session.commit()
    return _changed(conference)


@bp.route("/<int:conference_id>/delete", methods=["POST"])
def delete(conference_id):
    conference = get_conference(conference_id)
    db.session.delete(conference)
    record("update", what=f"conference {conference.id} deleted", team_id=conference.team_id)
    db.session.commit()
    flash(f"“{conference.title}” deleted; its cases are unchanged.", "success")
    if htmx():  # asked to confirm first: the whole window goes to the list
        return "", 204, {"HX-Redirect": url_for("conferences.index")}
    return redirect(url_for("conferences.index"))


# --- the presentation: one case per screen ------------------------------------------------


@bp.route("/<int:conference_id>/present")
@bp.route("/<int:conference_id>/present/<int:n>")
def present(conference_id, n=1):
    conference = get_conference(conference_id)
    items = conference.items
    if not items:
        return render_template("conferences/present.html", conference=conference, slide=None)
    if not 1 <= n <= len(items):
        abort(404)
    entry = items[n - 1]
    case = preload(entry.case)
    today = date.today()
    slide = domain.slide(
        case, entry.question, n, len(items), today, deadlines.for_case(case, today)
    )
    record("view", case, f"conference {conference.id} screen {n}")
    db.session.commit()
    return render_template(
        "conferences/present.html",
        conference=conference,
        slide=slide,
        case=case,
        treatments=timeline_items(case),
    )


# --- the documents: the agenda and the packet ---------------------------------------------


def _download(content: bytes, name: str) -> Response:
    return Response(
        content,
        mimetype=DOCX,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _filename(conference: Conference, kind: str) -> str:
    # Ids and the date, no title: a file name travels in e-mail subjects and download folders.
    return f"conference-{conference.id}-{kind}-{conference.held_on.isoformat()}.docx"


@bp.route("/<int:conference_id>/agenda.docx")
def agenda(conference_id):
    """The agenda to send round: initials and case numbers, never a patient's name."""
    conference = get_conference(conference_id)
    today = date.today()
    rules = deadlines.team_rules(conference.team_id)
    entries = [
        (entry.case, entry.question, deadlines.for_case(entry.case, today, rules))
        for entry in conference.items
    ]
    team = db.session.get(Team, conference.team_id)
    data = domain.agenda(conference.title, conference.held_on, entries, team.name)
    for entry in conference.items:
        record("export", entry.case, f"conference {conference.id} agenda")
    db.session.commit()
    return _download(render_agenda(data), _filename(conference, "agenda"))


@bp.route("/<int:conference_id>/packet.docx")
def packet(conference_id):
    """Every case's packet, in the running order, after the agenda. De-identified unless
    ``deidentify=0`` is asked for: a packet that names patients is a deliberate choice."""
    conference = get_conference(conference_id)
    if not conference.items:
        message = "Add cases to the conference first: the packet is made of them."
        return render_template("error.html", title="No packet yet", message=message), 409
    deidentify = request.args.get("deidentify", "1") != "0"
    today = date.today()
    rules = deadlines.team_rules(conference.team_id)
    packets, replaced, named, unnamed = [], 0, [], []
    for entry in conference.items:
        case = preload(entry.case)
        running = deadlines.for_case(case, today, rules)
        made, report = case_packet(case, today, running, deidentify)
        packets.append(made)
        replaced += sum(1 for entry in report if entry.kind != "date policy")
        named.append((case, entry.question, running))
        unnamed.append((case, entry.question, made.title))
    if deidentify:
        lines = domain.deidentified_packet_agenda(unnamed, today)
    else:
        lines = domain.packet_agenda(domain.agenda(conference.title, conference.held_on, named))
    team = db.session.get(Team, conference.team_id)
    content = render_packet(packets, agenda=lines, letterhead=team.letterhead, day=today)
    how = f"de-identified, {replaced} replacements" if deidentify else "identified"
    for entry in conference.items:
        record("export", entry.case, f"conference {conference.id} packet ({how})")
    db.session.commit()
    # A de-identified file dates nothing, its name included.
    name = (
        f"conference-{conference.id}-packet-deidentified.docx"
        if deidentify
        else _filename(conference, "packet")
    )
    return _download(content, name)
