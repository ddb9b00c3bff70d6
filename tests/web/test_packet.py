"""Exporting the case packet through the app and the command line: de-identified by default,
with the report on the page (or stderr) and never in the file; identified only when asked,
and audited as such."""

import io
import zipfile

import pytest
from docx import Document
from sqlalchemy import select

from app.domain import deidentify
from app.extensions import db
from app.models import (
    AuditEvent,
    Case,
    Comment,
    Criterion,
    Export,
    Fact,
    SourceDocument,
    User,
)
from tests.domain import planted
from tests.support import Client

pytestmark = pytest.mark.persistence


@pytest.fixture
def case_id(app, world):
    """North's case, with the planted identifiers in its fields and its free text."""
    with app.app_context():
        case = db.session.get(Case, world["north"])
        clinician = db.session.scalar(select(User).where(User.email == "clinician@north.test"))
        for name, value in planted.CASE.items():
            setattr(case, name, value)
        case.clinician = clinician
        case.facts = [Fact(position=n, **spec) for n, spec in enumerate(planted.FACTS, start=1)]
        case.criteria = [
            Criterion(
                text=c["text"],
                status=c["status"],
                note=c["note"],
                position=n,
                facts=[case.facts[i] for i in c["facts"]],
            )
            for n, c in enumerate(planted.CRITERIA, start=1)
        ]
        case.comments = [Comment(user=clinician, body=body) for body in planted.COMMENTS]
        case.documents = [SourceDocument(**d) for d in planted.DOCUMENTS]
        db.session.commit()
        return case.id


def file_text(docx: bytes) -> str:
    doc = Document(io.BytesIO(docx))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    header = [p.text for p in doc.sections[0].header.paragraphs]
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        core = archive.read("docProps/core.xml").decode()
    return "\n".join([*(p.text for p in doc.paragraphs), *cells, *header, core])


def audits(app, case_id) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(AuditEvent.what).where(
                    AuditEvent.case_id == case_id, AuditEvent.action == "export"
                )
            )
        )


def test_the_export_page_offers_the_packet_de_identified_by_default(signed_in, case_id):
    page = signed_in.get(f"/cases/{case_id}/export/packet").get_data(as_text=True)
    assert '<input type="checkbox" name="deidentify" value="1" id="deidentify" checked>' in page
    assert "De-identify, for people outside the treating team" in page
    assert "Nothing exported yet." in page


def test_deidentified_export_shows_the_report_and_keeps_a_clean_file(
    signed_in, app, case_id, monkeypatch
):
    # One offset, 13 weeks: a random one can move another date of the case onto a planted
    # one (a case date of 1 Jan 2027 becomes 2 Oct 2026 at 13 weeks, and so on). The draw
    # itself is tested in tests/domain.
    monkeypatch.setattr(deidentify, "random_offset", lambda: -7 * 13)
    response = signed_in.post(f"/cases/{case_id}/export/packet", {"deidentify": ["0", "1"]})
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "De-identified packet ready" in page
    # The report, for the exporting user: what was found, where, and with what it was replaced.
    assert "<td>patient name</td><td>Patient: name</td>" in page
    assert f"<td>{planted.PHONE}</td><td>[Phone]</td>" in page
    assert "<td>Comment 1: text</td>" in page
    with app.app_context():
        export = db.session.scalar(select(Export))
        assert export.kind == "packet-deidentified"
        assert export.filename == "case-packet-deidentified.docx"
        export_id = export.id
    assert f"/cases/{case_id}/exports/{export_id}" in page
    download = signed_in.get(f"/cases/{case_id}/exports/{export_id}")
    assert download.headers["Content-Disposition"].endswith('"case-packet-deidentified.docx"')
    text = file_text(download.data)
    assert [p for p in planted.ABSENT if p in text] == []
    assert "De-identified: patient name" in text and "CDAI 31" in text
    # None of the report went into the file.
    assert "Patient: name" not in text and "Comment 1: text" not in text
    assert audits(app, case_id) == [
        f"packet-deidentified export {export_id}",
        f"packet-deidentified export {export_id} downloaded",
    ]
    again = signed_in.get(f"/cases/{case_id}/export/packet").get_data(as_text=True)
    assert "<td>De-identified</td>" in again


def test_unticked_box_gives_the_identified_packet_audited_as_such(signed_in, app, case_id):
    response = signed_in.post(f"/cases/{case_id}/export/packet", {"deidentify": ["0"]})
    assert response.mimetype.endswith("wordprocessingml.document")
    text = file_text(response.data)
    assert planted.NAME in text and planted.MRN in text
    assert "Identified: for the treating team only" in text
    with app.app_context():
        export = db.session.scalar(select(Export))
        assert export.kind == "packet" and export.content == response.data
        assert export.filename.startswith(f"case-{case_id}-packet-")
        assert f"packet export {export.id} (identified)" in audits(app, case_id)


def test_a_post_without_the_field_gets_the_safe_default(signed_in, app, case_id):
    response = signed_in.post(f"/cases/{case_id}/export/packet")
    assert "De-identified packet ready" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Export.kind)) == "packet-deidentified"


def test_another_team_cannot_export_the_packet(app, world, case_id):
    outsider = Client(app)
    outsider.login("clinician@south.test")
    assert outsider.get(f"/cases/{case_id}/export/packet").status_code == 404
    assert outsider.post(f"/cases/{case_id}/export/packet").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(Export)) is None


def run(app, *args):
    return app.test_cli_runner().invoke(args=[str(a) for a in args])


def test_cli_deidentified_packet_with_the_report_on_stderr(app, case_id, tmp_path):
    out = tmp_path / "packet.docx"
    result = run(app, "export", case_id, "--kind", "packet", "--deidentify", "--out", out)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"de-identified packet written to {out}")
    assert "De-identification report (for you; none of this is in the file):" in result.stderr
    assert f"'{planted.EMAIL}' -> [Email]" in result.stderr
    assert planted.EMAIL not in result.stdout
    text = file_text(out.read_bytes())
    assert [p for p in planted.ABSENT if p in text] == []
    with app.app_context():
        export = db.session.scalar(select(Export))
        assert export.kind == "packet-deidentified" and export.content == out.read_bytes()
    assert audits(app, case_id) == [f"packet-deidentified export {export.id} (command line)"]


def test_cli_month_policy_and_identified_packet(app, case_id, tmp_path):
    month = tmp_path / "month.docx"
    result = run(
        app, "export", case_id, "--kind", "packet", "--deidentify", "--dates", "month",
        "--out", month,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "cut to month and year" in result.stderr
    assert "Oct 2026" in file_text(month.read_bytes())
    named = tmp_path / "named.docx"
    result = run(app, "export", case_id, "--kind", "packet", "--out", named)
    assert result.exit_code == 0 and "for the treating team only" in result.stdout
    assert planted.NAME in file_text(named.read_bytes())
    assert any(w.endswith("(identified, command line)") for w in audits(app, case_id))


def test_cli_refuses_deidentify_for_a_letter(app, case_id, tmp_path):
    result = run(
        app, "export", case_id, "--kind", "points", "--deidentify", "--out", tmp_path / "x.docx"
    )
    assert result.exit_code != 0 and "--kind packet only" in result.output
    assert not (tmp_path / "x.docx").exists()
