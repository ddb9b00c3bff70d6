"""The documents a case produces: the talking points page, exports kept byte for byte, the
letters after the peer-to-peer call (confirmation, appeal, external review), and the case
packet for a case conference, identified or de-identified in one step."""

import hashlib
from datetime import date

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user
from sqlalchemy import select

from app.audit import record, shown
from app.deadlines import for_case
from app.domain import call_sentences, followup, trust
from app.domain import patient as patient_domain
from app.domain import points as points_domain
from app.domain.deidentify import DateMode, ReportEntry
from app.domain.facts import summary
from app.domain.outcomes import instrument
from app.domain.packet import case_packet
from app.domain.rebuttals import fill
from app.extensions import db
from app.models import Case, Export, Team
from app.rebuttals import bank
from app.render import charts
from app.render.packet import render_packet
from app.render.patient import render_patient
from app.render.points import render_points
from app.security import get_case, get_part

bp = Blueprint("documents", __name__, url_prefix="/cases/<int:case_id>")

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def points_of(case: Case) -> points_domain.TalkingPoints:
    """The talking points, with the category's rebuttals filled in from this case."""
    facts = [f for f in case.facts if f.in_letter]
    tried = [f.therapy for f in facts if f.kind == "prior_treatment" and f.therapy]
    scores = sorted((f for f in facts if f.kind == "pro"), key=lambda f: f.fact_date or "")
    cited = [c.citation for c in case.citations] + [
        e.citation for c in case.criteria for e in c.evidence
    ]
    values = {
        "patient": case.patient_name,
        "service": case.service_description,
        "criteria_set": case.criteria_detail,
        "prior_treatments": ", ".join(tried),
        "guideline": cited[0].issuer or cited[0].title if cited else "",
        "score": summary(scores[-1]) if scores else "",
    }
    pairs = [
        (
            r.objection,
            fill(r.rebuttal, values)
            + "".join(f" (Evidence: {points_domain.short(c)}.)" for c in r.citations),
        )
        for r in bank(case.team_id, case.denial_category)
    ]
    return points_domain.assemble(case, date.today(), pairs, case.clinician)


@bp.route("/points")
def points(case_id):
    """One printable page to hold during the call."""
    case = get_case(case_id)
    tp = points_of(case)  # may copy the default rebuttals into the team's bank
    page = render_template("documents/points.html", case=case, tp=tp)
    return shown(page, "view", case, "talking points")


@bp.route("/patient-summary")
def patient_summary(case_id):
    """A plain-language letter for the patient, with its reading level shown."""
    case = get_case(case_id)
    summary = patient_domain.assemble(case, case.clinician)
    page = render_template("documents/patient.html", case=case, summary=summary)
    return shown(page, "view", case, "patient summary")


def timeline_items(case: Case) -> list[charts.TimelineItem]:
    return [
        charts.TimelineItem(
            " ".join(p for p in (f.therapy, f.dose) if p), f.start_date, f.stop_date, f.outcome
        )
        for f in case.facts
        if f.kind == "prior_treatment" and f.in_letter
    ]


def score_series(case: Case) -> dict[str, list[charts.ScorePoint]]:
    """Each instrument's dated scores (a day or month is enough to place a point)."""
    series: dict[str, list[charts.ScorePoint]] = {}
    for f in case.facts:
        if f.kind == "pro" and f.in_letter and f.fact_date and len(f.fact_date) >= 7:
            series.setdefault(f.instrument, []).append(charts.ScorePoint(f.fact_date, f.score))
    return series


def trends(case: Case) -> dict[str, list[charts.ScorePoint]]:
    """The scores worth a picture: a single score is already a sentence, a picture earns its
    place only when it shows change over time."""
    return {code: points for code, points in score_series(case).items() if len(points) > 1}


def chart_images(case: Case) -> list[tuple[str, bytes]]:
    """The pictures a letter carries, with their captions, when the case has the data."""
    images = []
    items = timeline_items(case)
    if items:
        images.append(("Prior treatments over time, by outcome", charts.treatment_timeline(items)))
    for code, points in trends(case).items():
        item = instrument(code)
        images.append(
            (f"{item.name} over time against its severity bands", charts.pro_trend(points, item))
        )
    return images


@bp.route("/charts/<name>.png")
def chart(case_id, name):
    """A chart of the case as a same-origin PNG: the timeline, or one instrument's trend."""
    case = get_case(case_id)
    if name == "timeline":
        items = timeline_items(case)
        png = charts.treatment_timeline(items) if items else None
    else:
        item, points = instrument(name), score_series(case).get(name)
        png = charts.pro_trend(points, item) if item and points else None
    if png is None:
        abort(404)
    record("view", case, f"chart {name}")
    db.session.commit()
    return Response(png, mimetype="image/png", headers={"Cache-Control": "no-store"})


KINDS = {
    "letter": "Letter of medical necessity",
    "points": "P2P talking points",
    "patient": "Summary for the patient",
    "confirmation": "Confirmation of the peer-to-peer call",
    "appeal": "Appeal letter",
    "external": "External review request",
    "packet": "Case packet",
}
# The kind an export of a de-identified packet is kept under, so no list of exports can
# mistake an identified packet for one that may leave the team.
DEIDENTIFIED = "packet-deidentified"


class NotReady(Exception):
    """The case cannot have this document yet; the message says what is missing."""


def call_of(case: Case, kind: str, call_id: int | None = None):
    """The call a confirmation or an appeal is about: the one asked for, else the latest
    logged one (an appeal may have none). Raises NotReady when a confirmation has no
    logged call to confirm."""
    if kind not in ("confirmation", "appeal"):
        return None
    if call_id is None:
        call = followup.latest_call(case.calls)
    else:
        call = next((c for c in case.calls if c.id == call_id), None)
        if call is None:
            raise NotReady(f"This case has no peer-to-peer call {call_id}.")
    if kind == "confirmation" and call is None:
        raise NotReady(
            "No peer-to-peer call is logged for this case yet: log the call and its outcome, "
            "then draft the confirmation letter."
        )
    if kind == "confirmation" and not call.outcome:
        raise NotReady(
            "This call has no outcome logged yet: complete its call sheet, then draft the "
            "confirmation letter."
        )
    return call


def build(case: Case, kind: str, call_id: int | None = None) -> tuple[bytes, list]:
    """The .docx of one kind for the case, and the warnings that come with it. Raises
    NotReady for a follow-up letter the case cannot have yet."""
    if kind == "points":
        line = f"{case.payer} · ref {case.denial_reference or '—'}"
        return render_points(points_of(case), line), []
    if kind == "patient":
        return render_patient(patient_domain.assemble(case, case.clinician)), []
    if kind == "packet":
        # De-identified unless asked otherwise; the report comes from `packet_docx`.
        return packet_docx(case, deidentify=True)[0], []
    from app.brief import letter_of
    from app.models.loading import preload
    from app.render.letter import render_letter

    team = db.session.get(Team, case.team_id)
    if kind == "letter":
        letter = letter_of(case)
        docx = render_letter(letter, team.letterhead, chart_images(case))
        return docx, trust.warnings(case, letter)
    call = call_of(case, kind, call_id)
    preload(case)
    signers = [case.clinician] if case.clinician else []
    if kind == "confirmation":
        letter = followup.confirmation(case, call, date.today(), signers)
        return render_letter(letter, team.letterhead), followup.gaps(kind, case, call, signers)
    edits = {e.key: e.text for e in case.edits}
    if kind == "appeal":
        letter = followup.appeal(case, call, date.today(), edits, signers)
    else:
        letter = followup.external_review(case, case.calls, date.today(), edits, signers)
    docx = render_letter(letter, team.letterhead, chart_images(case))
    return docx, trust.warnings(case, letter) + followup.gaps(kind, case, call, signers)


def packet_docx(
    case: Case, deidentify: bool, date_policy: DateMode = "shift"
) -> tuple[bytes, list[ReportEntry]]:
    """The case packet of one case as .docx, and what de-identification replaced (empty for
    an identified packet)."""
    today = date.today()
    packet, report = case_packet(
        case, today, for_case(case, today), deidentify=deidentify, date_policy=date_policy
    )
    return render_packet([packet], day=today), report


def filename(case: Case, kind: str) -> str:
    if kind == DEIDENTIFIED:
        # No case id and no date: the case id is a code the team can look up, and the day of
        # the export would sit next to dates that were shifted.
        return "case-packet-deidentified.docx"
    # Identifiers, not names: a file name travels in e-mail subjects and download folders.
    return f"case-{case.id}-{kind}-{date.today().isoformat()}.docx"


@bp.route("/export/<kind>", methods=["GET", "POST"])
def export(case_id, kind):
    """Export a document: its warnings are a checklist to acknowledge first; the file is kept."""
    case = get_case(case_id)
    if kind not in KINDS:
        abort(404)
    if kind == "packet":
        return export_packet(case)
    call_id = request.args.get("call", type=int)
    try:
        call = call_of(case, kind, call_id)
        docx, warnings = build(case, kind, call_id)
    except NotReady as refusal:
        if call_id is not None and all(c.id != call_id for c in case.calls):
            abort(404)
        title = f"No {KINDS[kind].lower()} yet"
        return render_template("error.html", title=title, message=str(refusal)), 409
    acknowledged = set(request.form.getlist("ack"))
    missing = [w for w in warnings if w.code not in acknowledged]
    # Anything but a POST (a HEAD too, which CSRF does not check) only shows the checklist.
    if request.method != "POST" or missing:
        exports = db.session.scalars(
            select(Export)
            .where(Export.case_id == case.id, Export.kind == kind)
            .order_by(Export.id.desc())
        ).all()
        status = 422 if request.method == "POST" else 200
        record("view", case, f"{kind} export checklist")
        db.session.commit()
        return render_template(
            "documents/export.html",
            case=case,
            kind=kind,
            title=KINDS[kind],
            warnings=warnings,
            missing=missing,
            posted=status == 422,
            exports=exports,
            about=call_sentences.result(call).text if call else "",
        ), status
    how = f" (call {call.id})" if call else ""
    export = keep(case, kind, docx, [w.message for w in warnings], current_user.id, how)
    return send(export)


def export_packet(case: Case):
    """The case packet: de-identified unless the box is unticked. A de-identified export
    shows its report on the page, with the kept file to download; an identified one is sent
    straight away and audited as identified."""
    if request.method == "POST":
        # An unticked box sends only the hidden "0"; a post without the field at all gets
        # the safe default.
        deidentify = request.form.getlist("deidentify")[-1:] != ["0"]
        docx, report = packet_docx(case, deidentify)
        if not deidentify:
            return send(keep(case, "packet", docx, [], current_user.id, " (identified)"))
        made = keep(case, DEIDENTIFIED, docx, [], current_user.id)
    else:
        made, report = None, []
        record("view", case, "packet export page")
        db.session.commit()
    exports = db.session.scalars(
        select(Export)
        .where(Export.case_id == case.id, Export.kind.in_(("packet", DEIDENTIFIED)))
        .order_by(Export.id.desc())
    ).all()
    return render_template(
        "documents/export.html",
        case=case,
        kind="packet",
        title=KINDS["packet"],
        warnings=[],
        missing=[],
        posted=False,
        exports=exports,
        about="",
        made=made,
        report=report,
        deidentified_kind=DEIDENTIFIED,
    )


def send(export: Export) -> Response:
    return Response(
        export.content,
        mimetype=DOCX,
        headers={"Content-Disposition": f'attachment; filename="{export.filename}"'},
    )


def keep(
    case: Case, kind: str, content: bytes, acknowledged: list, user_id: int | None, how: str = ""
) -> Export:
    """Store an export exactly as it was sent, and audit it."""
    export = Export(
        case_id=case.id,
        kind=kind,
        user_id=user_id,
        filename=filename(case, kind),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        acknowledged=acknowledged,
    )
    db.session.add(export)
    db.session.flush()
    record("export", case, f"{kind} export {export.id}{how}")
    db.session.commit()
    return export


@bp.route("/exports/<int:export_id>")
def download(case_id, export_id):
    """An earlier export, byte for byte."""
    case = get_case(case_id)
    export = get_part(Export, export_id, case_id=case.id)
    # Not "again": a de-identified packet leaves the server first through this link.
    record("export", case, f"{export.kind} export {export.id} downloaded")
    db.session.commit()
    return Response(
        export.content,
        mimetype=DOCX,
        headers={"Content-Disposition": f'attachment; filename="{export.filename}"'},
    )
