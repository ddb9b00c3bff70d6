"""The peer-to-peer call and the path after it: arranging the call, its attempts, the call
sheet, the appeal and external review dates, and the status that moves with them."""

from datetime import date, datetime

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app.audit import record, shown
from app.domain import calls as domain
from app.domain import dates
from app.domain.vocabulary import values
from app.extensions import db
from app.models import CallAttempt, Case, PeerCall, Rebuttal
from app.security import get_case, get_part
from app.services.cases import change_status
from app.services.deadlines import for_case
from app.web import MAX_ID

bp = Blueprint("calls", __name__, url_prefix="/cases/<int:case_id>/p2p")

ARRANGE = {
    "offered_on": date,
    "request_by": date,
    "scheduled_at": datetime,
    "windows": str,
    "callback_number": str,
}
SHEET = {
    "held_at": datetime,
    "reviewer_name": str,
    "reviewer_credentials": str,
    "reviewer_specialty": str,
    "criteria_named": str,
    "criteria_version": str,
    "discussion": str,
    "reviewer_reason": str,
    "reference_number": str,
    "would_change": str,
    "reviewer_commitment": str,
    "next_step": str,
}
PATH = {
    "request_received": date,
    "appeal_filed": date,
    "appeal_decided": date,
    "external_review_requested": date,
    "external_decided": date,
}
LIMITS = {"callback_number": 40, "reviewer_name": 200, "reviewer_credentials": 60}
LIMITS |= {"reviewer_specialty": 120, "criteria_named": 300, "criteria_version": 100}
LIMITS |= {"reference_number": 100}
NAMES = {
    "offered_on": "The date the P2P was offered",
    "request_by": "The payer's request-by date",
    "scheduled_at": "The agreed time",
    "held_at": "The time of the call",
    "at": "The time of the attempt",
}


def _parse(form, fields: dict, errors: dict) -> dict:
    """Values of `fields` read from `form`; a value that does not parse leaves a message in
    `errors` under its field, and the typed text stays in the form for the user to fix."""
    found = {}
    for name, kind in fields.items():
        text = form.get(name, "").strip()
        if kind is str:
            if len(text) > LIMITS.get(name, 10_000):
                errors[name] = f"At most {LIMITS.get(name, 10_000)} characters."
            found[name] = text
            continue
        try:
            found[name] = kind.fromisoformat(text) if text else None
        except ValueError:
            what = "a date" if kind is date else "a date and time"
            errors[name] = f"{NAMES.get(name, 'This')} should be {what}, like 2026-11-24"
            errors[name] += "." if kind is date else " 14:30."
            continue
        if found[name] is not None and not dates.in_range(found[name]):
            errors[name] = dates.outside(text)
    return found


def _shown(obj, fields: dict) -> dict:
    """A record's values as a form shows them (datetime-local wants minutes, no seconds)."""
    shown = {}
    for name, kind in fields.items():
        value = getattr(obj, name)
        if value is None:
            value = ""
        elif kind is datetime:
            value = value.strftime("%Y-%m-%dT%H:%M")
        elif kind is date:
            value = value.isoformat()
        shown[name] = value
    return shown


def _call(case: Case, call_id: int) -> PeerCall:
    return get_part(PeerCall, call_id, case_id=case.id)


def _page(case: Case, code: int = 200, **extra):
    rebuttals = db.session.scalars(
        select(Rebuttal)
        .where(Rebuttal.team_id == case.team_id, Rebuttal.category == case.denial_category)
        .order_by(Rebuttal.position, Rebuttal.id)
    ).all()
    clinician = case.clinician.specialty if case.clinician else ""
    forms = {
        "path": _shown(case, PATH)
        | {"appeal_outcome": case.appeal_outcome, "external_outcome": case.external_outcome}
    }
    for call in case.calls:
        forms[f"arrange-{call.id}"] = _shown(call, ARRANGE)
        forms[f"sheet-{call.id}"] = _shown(call, SHEET) | {"outcome": call.outcome}
    forms |= extra.pop("forms", {})
    return (
        render_template(
            "calls/show.html",
            case=case,
            deadlines=for_case(case),
            rebuttals=rebuttals,
            clinician_specialty=clinician,
            outcomes=domain.OUTCOMES,
            decisions=domain.DECISIONS,
            attempt_results=domain.ATTEMPT_RESULTS,
            missed_limit=domain.MISSED_LIMIT,
            missed=domain.missed,
            same_specialty=domain.same_specialty,
            forms=forms,
            **{"errors": {}, **extra},
        ),
        code,
    )


@bp.route("")
def show(case_id):
    case = get_case(case_id)
    return shown(_page(case), "view", case, "P2P and appeal")


@bp.route("/calls", methods=["POST"])
def arrange(case_id):
    """Arrange a peer-to-peer review: when it was offered, the windows, the agreed time."""
    case = get_case(case_id)
    errors: dict = {}
    values_ = _parse(request.form, ARRANGE, errors)
    if errors:
        return _page(case, 422, forms={"new": request.form}, errors={"new": errors})
    call = PeerCall(case=case, user_id=current_user.id, **values_)
    db.session.add(call)
    db.session.flush()
    record("create", case, f"P2P call {call.id} arranged")
    if call.scheduled_at:
        change_status(case, domain.after_scheduling(case.status), "P2P scheduled")
    db.session.commit()
    return redirect(url_for("calls.show", case_id=case.id, _anchor=f"call-{call.id}"))


@bp.route("/calls/<int:call_id>/arrangement", methods=["POST"])
def rearrange(case_id, call_id):
    case = get_case(case_id)
    call = _call(case, call_id)
    errors: dict = {}
    values_ = _parse(request.form, ARRANGE, errors)
    if errors:
        key = f"arrange-{call.id}"
        return _page(case, 422, forms={key: request.form}, errors={key: errors})
    for name, value in values_.items():
        setattr(call, name, value)
    record("update", case, f"P2P call {call.id} arrangement edited")
    if call.scheduled_at:
        change_status(case, domain.after_scheduling(case.status), "P2P scheduled")
    db.session.commit()
    return redirect(url_for("calls.show", case_id=case.id, _anchor=f"call-{call.id}"))


@bp.route("/calls/<int:call_id>/attempts", methods=["POST"])
def attempt(case_id, call_id):
    """Log one try at holding the call; two missed windows may count as a completed P2P."""
    case = get_case(case_id)
    call = _call(case, call_id)
    errors: dict = {}
    found = _parse(request.form, {"at": datetime, "note": str}, errors)
    result = request.form.get("result", "")
    if result not in values(domain.ATTEMPT_RESULTS):
        errors["result"] = "Choose what happened."
    if not found.get("at") and "at" not in errors:
        errors["at"] = "When was it? Give the date and time."
    if errors:
        key = f"attempt-{call.id}"
        return _page(case, 422, forms={key: request.form}, errors={key: errors})
    call.attempts.append(CallAttempt(at=found["at"], result=result, note=found["note"][:300]))
    if result == "reached" and call.held_at is None:
        call.held_at = found["at"]
    record("update", case, f"P2P call {call.id} attempt logged: {result}")
    db.session.commit()
    return redirect(url_for("calls.show", case_id=case.id, _anchor=f"call-{call.id}"))


@bp.route("/calls/<int:call_id>", methods=["POST"])
def log(case_id, call_id):
    """Save the call sheet; an outcome moves the case along its path."""
    case = get_case(case_id)
    call = _call(case, call_id)
    errors: dict = {}
    found = _parse(request.form, SHEET, errors)
    outcome = request.form.get("outcome", "")
    if outcome and outcome not in values(domain.OUTCOMES):
        errors["outcome"] = "Choose one of the outcomes."
    if errors:
        key = f"sheet-{call.id}"
        return _page(case, 422, forms={key: request.form}, errors={key: errors})
    for name, value in found.items():
        setattr(call, name, value)
    clinician = case.clinician.specialty if case.clinician else ""
    call.same_specialty = domain.same_specialty(call.reviewer_specialty, clinician)
    chosen = {int(i) for i in request.form.getlist("rebuttal") if i.isdecimal()}
    chosen = {i for i in chosen if i <= MAX_ID}  # a larger one is no rebuttal of ours
    call.rebuttals = list(
        db.session.scalars(
            select(Rebuttal).where(Rebuttal.team_id == case.team_id, Rebuttal.id.in_(chosen))
        )
    )
    if outcome and call.held_at is None:
        call.held_at = datetime.now().replace(second=0, microsecond=0)
    logged = outcome and outcome != call.outcome
    call.outcome = outcome
    record("update", case, f"P2P call {call.id} sheet saved")
    if logged:
        label = dict((c.value, c.label) for c in domain.OUTCOMES)[outcome]
        change_status(case, domain.after_call(case.status, outcome), f"P2P: {label.lower()}")
    db.session.commit()
    return redirect(url_for("calls.show", case_id=case.id, _anchor=f"call-{call.id}"))


@bp.route("/calls/<int:call_id>/specialty")
def specialty(case_id, call_id):
    """The same-specialty flag as the reviewer's specialty is typed (htmx)."""
    case = get_case(case_id)
    _call(case, call_id)
    clinician = case.clinician.specialty if case.clinician else ""
    same = domain.same_specialty(request.args.get("reviewer_specialty", ""), clinician)
    return render_template(
        "calls/partials/specialty.html", case=case, same=same, clinician_specialty=clinician
    )


@bp.route("/path", methods=["POST"])
def path(case_id):
    """The appeal and external review: the dates that start and stop their clocks."""
    case = get_case(case_id)
    errors: dict = {}
    found = _parse(request.form, PATH, errors)
    decisions = {}
    for name in ("appeal_outcome", "external_outcome"):
        decisions[name] = request.form.get(name, "")
        if decisions[name] not in ("", *values(domain.DECISIONS)):
            errors[name] = "Choose approved or upheld."
    for decided, outcome in (
        ("appeal_decided", "appeal_outcome"),
        ("external_decided", "external_outcome"),
    ):
        if decisions.get(outcome) and not found.get(decided) and decided not in errors:
            errors[decided] = "Give the date of the decision."
    if errors:
        return _page(case, 422, forms={"path": request.form}, errors={"path": errors})
    for name, value in (found | decisions).items():
        setattr(case, name, value)
    record("update", case, "appeal and external review dates edited")
    status = domain.after_appeal(case.status, bool(case.appeal_filed), case.appeal_outcome)
    status = domain.after_external(
        status, bool(case.external_review_requested), case.external_outcome
    )
    change_status(case, status, "appeal and external review")
    db.session.commit()
    return redirect(url_for("calls.show", case_id=case.id, _anchor="path"))
