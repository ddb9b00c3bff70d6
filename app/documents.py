"""The documents a case produces: the talking points page, exports kept byte for byte, the
letters after the peer-to-peer call (confirmation, appeal, external review), and the case
packet for a case conference, identified or de-identified in one step."""

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user
from sqlalchemy import select

from app.audit import record, shown
from app.domain import call_sentences
from app.domain import patient as patient_domain
from app.domain.outcomes import instrument
from app.extensions import db
from app.models import Case, Export
from app.render import charts
from app.security import get_case, get_part
from app.services import documents
from app.services.documents import (
    DOCX,
    NotReady,
    call_of,
    score_series,
    timeline_items,
)
from app.services.exports import DEIDENTIFIED, KINDS, build, keep, packet_docx

bp = Blueprint("documents", __name__, url_prefix="/cases/<int:case_id>")


@bp.route("/points")
def points(case_id):
    """One printable page to hold during the call."""
    case = get_case(case_id)
    tp = documents.talking_points(case)
    page = render_template("documents/points.html", case=case, tp=tp)
    return shown(page, "view", case, "talking points")


@bp.route("/patient-summary")
def patient_summary(case_id):
    """A plain-language letter for the patient, with its reading level shown."""
    case = get_case(case_id)
    summary = patient_domain.assemble(case, case.clinician)
    page = render_template("documents/patient.html", case=case, summary=summary)
    return shown(page, "view", case, "patient summary")


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
