"""Audit rows name records by id and kind: a file's name, a rule's key or text posted with a
form (any of which may name a patient) never reaches `audit_event.what`."""

import io

import pytest
from sqlalchemy import select

from app.extensions import db
from app.library import importer
from app.models import AuditEvent, DeadlineRule, ImportJob, Rebuttal, Team
from citations.starter import starter_bibtex
from tests.support import Client
from tests.web.test_library import finished

pytestmark = pytest.mark.persistence

PATIENT = "Jane Roe 1961-04-02"
BIB = "@misc{k, title = {T}, year = {2020}}\n"


def audit_rows(app, action: str) -> list[str]:
    with app.app_context():
        return db.session.scalars(
            select(AuditEvent.what).where(AuditEvent.action == action).order_by(AuditEvent.id)
        ).all()


def test_an_upload_is_logged_by_its_job_not_its_file_name(signed_in, app):
    name = f"{PATIENT} denial.bib"
    signed_in.post(
        "/library/import",
        {"file": (io.BytesIO(BIB.encode()), name)},
        content_type="multipart/form-data",
    )
    with app.app_context():
        job = db.session.scalar(select(ImportJob))
        assert job.filename == name  # the import page still shows the user their file's name
    finished(app, job.id)  # the worker ends before the next test empties the tables
    assert audit_rows(app, "import") == [f"BibTeX import job {job.id}"]


def test_a_command_line_import_is_logged_without_the_file_name(app, world, tmp_path):
    source = tmp_path / f"{PATIENT}.bib"
    source.write_text(BIB, encoding="utf-8")
    result = app.test_cli_runner().invoke(
        args=["citations", "import", str(source), "--team", "north"]
    )
    assert result.exit_code == 0, result.output
    assert audit_rows(app, "import") == ["BibTeX import of 1 new citation(s) (command line)"]


def test_rebuttal_actions_are_logged_by_id_whatever_the_form_posts(signed_in, app, world):
    with app.app_context():
        team = db.session.scalar(select(Team.id).where(Team.slug == "north"))
        importer.run(team, starter_bibtex())
    signed_in.get("/teams/north/rebuttals/")
    with app.app_context():
        row = db.session.scalars(select(Rebuttal).where(Rebuttal.team_id == team)).first()
        row_id = row.id
    url = f"/teams/north/rebuttals/{row_id}"
    signed_in.post(url, {"action": f"uncite-{PATIENT} was denied"})
    signed_in.post(url, {"action": "cite", "key": PATIENT})
    logged = [w for w in audit_rows(app, "rebuttal") if w.startswith(f"rebuttal {row_id}")]
    assert logged == [f"rebuttal {row_id} unchanged", f"rebuttal {row_id} citation not found"]


def test_a_deadline_rule_is_logged_by_id_not_its_typed_key(app, world):
    admin = Client(app)
    admin.login("admin@north.test")
    rule = {"key": PATIENT, "plan_type": "erisa", "step": "File internal appeal",
            "length": "90", "unit": "calendar_days", "starts": "denial_received", "ends": "",
            "urgency": "any", "source": "Plan document, section 7.2", "note": ""}  # fmt: skip
    assert admin.post("/teams/north/deadlines/", rule).status_code == 302
    with app.app_context():
        rule_id = db.session.scalar(select(DeadlineRule.id))
    admin.post(f"/teams/north/deadlines/{PATIENT}/delete")
    assert audit_rows(app, "update") == [
        f"deadline rule {rule_id} saved",
        f"deadline rule {rule_id} removed",
    ]
