import json
from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Case, Team, User
from tests.support import Client

pytestmark = pytest.mark.persistence


def run(app, *args, input=None):
    result = app.test_cli_runner().invoke(args=list(args), input=input)
    return result


def test_create_team_and_user_then_sign_in(app):
    assert run(app, "create-team", "ortho", "Orthopaedics").exit_code == 0
    result = run(
        app,
        "create-user",
        "Lee@Ortho.test",
        "--team",
        "ortho",
        "--role",
        "clinician",
        "--name",
        "Lee Park",
        input="a long password 1\n",
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "lee@ortho.test"))
        assert user.role_in(db.session.scalar(select(Team.id).where(Team.slug == "ortho"))) == (
            "clinician"
        )
    assert Client(app).login("lee@ortho.test", "a long password 1").status_code == 302


def test_cli_refuses_short_password_unknown_team_and_duplicate_team(app):
    run(app, "create-team", "ortho", "Orthopaedics")
    assert "already" in run(app, "create-team", "ortho", "Again").output
    short = run(
        app, "create-user", "a@b.test", "--team", "ortho", "--role", "admin", input="short\n"
    )
    assert short.exit_code != 0 and "12 characters" in short.output
    missing = run(app, "create-user", "a@b.test", "--team", "nope", "--role", "admin")
    assert missing.exit_code != 0 and "No team" in missing.output


def test_demo_loads_four_finished_cases_and_one_to_work_on_once(app):
    from app.domain import readiness
    from app.domain.brief import assemble

    first = json.loads(run(app, "demo", "--json").output)
    assert first["team"] == "demo-clinic" and len(first["cases"]) == 5
    assert json.loads(run(app, "demo", "--json").output) == first
    assert "not loaded" in run(app, "demo", "--if-empty").output
    with app.app_context():
        cases = [db.session.get(Case, i) for i in first["cases"]]
        finished, unfinished = cases[:4], cases[4]
        assert [c.denial_category for c in finished] == [
            "step_therapy",
            "not_medically_necessary",
            "insufficient_documentation",
            "experimental",
        ]
        assert all("(synthetic)" in c.patient_name for c in cases)
        assert db.session.scalar(select(Team)).synthetic
        for c in finished:
            assert c.patient_sex and c.requested_service and c.fallback_asks, c.patient_name
            assert c.thesis and c.framing and c.risks and c.clinician, c.patient_name
            assert c.criteria and all(k.facts or k.note for k in c.criteria), c.patient_name
            assert c.citations and all(link.kind for link in c.citations), c.patient_name
            assert readiness.gaps(c, [c.clinician]) == [], c.patient_name
            letter = assemble(c, date(2026, 12, 6), {}, [c.clinician])
            headings = [s.heading for s in letter.sections]
            assert len(letter.references) >= 1 and "Consequences of denial" in headings
        mri = finished[1]
        assert mri.urgency == "expedited" and mri.plan_type == "medicare_advantage"
        rfa = finished[2]
        assert [d.answers_denial for d in rfa.documents] == [True, True]
        assert {f.source_id for f in rfa.facts} >= {d.id for d in rfa.documents}
        scs = finished[3]
        assert "P130022/S042" in " ".join(link.claim for link in scs.citations)
        call = finished[0].calls[0]
        assert call.reviewer_reason and call.would_change and call.reviewer_commitment
        assert [d.answers_call_id for d in finished[0].documents] == [None, call.id]
        assert unfinished.facts and not unfinished.criteria and not unfinished.citations
    demo = Client(app)
    demo.login("demo@peerbrief.test", "peerbrief-demo")
    page = demo.get("/cases/").get_data(as_text=True)
    assert "every patient here is synthetic" in page
    for case_id in first["cases"]:
        for url in (f"/cases/{case_id}", f"/cases/{case_id}/brief", f"/cases/{case_id}/p2p"):
            shown = demo.get(url)
            assert shown.status_code == 200, url
            assert "every patient here is synthetic" in shown.get_data(as_text=True), url


def test_case_export_and_import_round_trip(app, tmp_path):
    ids = json.loads(run(app, "demo", "--json").output)["cases"]
    exported = run(app, "case", "export", str(ids[0]))
    data = json.loads(exported.output)
    assert data["format"] == "peerbrief-case" and data["case"]["diagnosis_codes"] == "M05.79"
    assert any(f["source"] for f in data["facts"])
    run(app, "create-team", "other", "Other clinic")
    # The ordering clinician joins the other team, so the signer travels with the case.
    run(app, "create-user", "demo@peerbrief.test", "--team", "other", "--role", "clinician")
    path = tmp_path / "case.json"
    path.write_text(exported.output, encoding="utf-8")
    imported = run(app, "case", "import", str(path), "--team", "other")
    assert imported.exit_code == 0, imported.output
    new_id = int(imported.stdout)
    assert "Added to the team's library: fraenkel2021acr." in imported.stderr
    again = json.loads(run(app, "case", "export", str(new_id)).output)
    assert again == data
    with app.app_context():
        assert db.session.get(Case, new_id).team.slug == "other"
        actions = db.session.execute(
            select(AuditEvent.case_id, AuditEvent.action).where(AuditEvent.user_id.is_(None))
        ).all()
        assert (ids[0], "export") in actions and (new_id, "create") in actions


def test_case_import_names_the_problem(app, tmp_path):
    run(app, "create-team", "other", "Other clinic")
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "format": "peerbrief-case",
                "version": 1,
                "case": {"patient_name": "X", "procedure_codes": "12"},
            }
        )
    )
    result = run(app, "case", "import", str(bad), "--team", "other")
    assert result.exit_code != 0 and "case." in result.output
    bad.write_text("{not json")
    assert "Not JSON: line 1" in run(app, "case", "import", str(bad), "--team", "other").output


def test_cli_exports_points_and_patient_summary_and_records_them(app, tmp_path):
    import io

    from docx import Document

    from app.models import Export

    ids = json.loads(run(app, "demo", "--json").output)["cases"]
    for kind, expected in (("points", "60-SECOND OPENING"), ("patient", "Dear Marisol,")):
        out = tmp_path / f"{kind}.docx"
        result = run(app, "export", str(ids[0]), "--kind", kind, "--out", str(out))
        assert result.exit_code == 0, result.output
        text = "\n".join(p.text for p in Document(io.BytesIO(out.read_bytes())).paragraphs)
        assert expected in text
    with app.app_context():
        kinds = [e.kind for e in db.session.scalars(select(Export).order_by(Export.id))]
        assert kinds == ["points", "patient"]


def test_init_db_makes_the_database_readable_by_its_owner_only(tmp_path):
    from app import create_app

    path = tmp_path / "new" / "peerbrief.sqlite3"
    path.parent.mkdir()
    fresh = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    try:
        result = run(fresh, "init-db")
        assert result.exit_code == 0, result.output
        assert path.stat().st_mode & 0o777 == 0o600
        with fresh.app_context():
            assert db.session.scalar(select(Team.id)) is None  # migrated: the tables are there
        # A database made world-readable before is closed again; its instance folder too.
        path.chmod(0o644)
        path.parent.chmod(0o755)
        from app.cli import private_sqlite

        with fresh.app_context():
            private_sqlite(db.engine.url, path.parent)
        assert path.stat().st_mode & 0o777 == 0o600
        assert path.parent.stat().st_mode & 0o777 == 0o700
    finally:
        with fresh.app_context():
            db.engine.dispose()


def test_demo_refuses_a_production_database_with_real_teams_unless_told(app, world, monkeypatch):
    refused = run(app, "demo")
    assert refused.exit_code != 0
    assert "This database holds 2 real teams" in refused.output
    assert "--allow-real-data" in refused.output and "PEERBRIEF_ENV=development" in refused.output
    with app.app_context():
        assert db.session.scalar(select(Team).where(Team.slug == "demo-clinic")) is None
    assert run(app, "demo", "--allow-real-data").exit_code == 0
    app.config["PRODUCTION"] = False  # PEERBRIEF_ENV=development
    assert run(app, "demo").exit_code == 0
