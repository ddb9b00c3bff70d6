"""Exports: a document of a case as .docx with the checklist that comes with it, and each
export kept byte for byte and audited."""

import hashlib
from datetime import date

from app.audit import record
from app.domain import followup, trust
from app.domain import patient as patient_domain
from app.domain.deidentify import DateMode, ReportEntry
from app.domain.packet import case_packet
from app.extensions import db
from app.models import Case, Export, Team
from app.render.packet import render_packet
from app.render.patient import render_patient
from app.render.points import render_points
from app.services import documents
from app.services.deadlines import for_case
from app.services.documents import call_of, chart_images

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


def build(case: Case, kind: str, call_id: int | None = None) -> tuple[bytes, list]:
    """The .docx of one kind for the case, and the warnings that come with it. Raises
    NotReady for a follow-up letter the case cannot have yet."""
    if kind == "points":
        line = f"{case.payer} · ref {case.denial_reference or '—'}"
        return render_points(documents.talking_points(case), line), []
    if kind == "patient":
        return render_patient(patient_domain.assemble(case, case.clinician)), []
    if kind == "packet":
        # De-identified unless asked otherwise; the report comes from `packet_docx`.
        return packet_docx(case, deidentify=True)[0], []
    from app.render.letter import render_letter

    team = db.session.get(Team, case.team_id)
    call = call_of(case, kind, call_id)
    made = documents.letter(case, kind, call)
    images = chart_images(case) if kind != "confirmation" else ()
    docx = render_letter(made, team.letterhead, images)
    return docx, letter_warnings(case, kind, made, call)


def letter_warnings(case: Case, kind: str, made, call) -> list:
    """The checklist of a letter of `kind`: readiness and wording, and the follow-up gaps."""
    found = trust.warnings(case, made) if kind != "confirmation" else []
    if kind != "letter":
        found += followup.gaps(kind, case, call, made.signers)
    return found


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
