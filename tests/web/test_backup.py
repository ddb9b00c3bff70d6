"""`peerbrief backup` and `peerbrief restore`: a round trip into a fresh database gives back every
document byte for byte; a restore never replaces a database by accident, nor takes a file that is
not a Peerbrief database at the current revision. SQLite only: PostgreSQL is told to use pg_dump."""

import json
import re
import sqlite3
import threading
import zipfile

import pytest
from sqlalchemy import select

from app import create_app, demo
from app.extensions import db
from app.models import AuditEvent, Case, Export
from tests.support import SERVER_URL

pytestmark = pytest.mark.skipif(bool(SERVER_URL), reason="SQLite's backup API; PostgreSQL: pg_dump")

KINDS = ("letter", "points", "patient", "confirmation", "appeal", "external")


def run(app, *args):
    return app.test_cli_runner().invoke(args=[str(a) for a in args])


def documents(app, folder) -> dict:
    """Every document the command line makes of every case, as the bytes it wrote (or the
    refusal it printed), with the case JSON."""
    folder.mkdir()
    with app.app_context():
        ids = db.session.scalars(select(Case.id).order_by(Case.id)).all()
    made = {}
    for case_id in ids:
        for kind in KINDS:
            out = folder / f"{case_id}-{kind}.docx"
            result = run(
                app, "export", case_id, "--kind", kind, "--out", out, "--acknowledge-warnings"
            )
            made[case_id, kind] = parts(out) if result.exit_code == 0 else result.output
        out = folder / f"{case_id}-packet.docx"
        assert run(app, "export", case_id, "--kind", "packet", "--out", out).exit_code == 0
        made[case_id, "packet"] = parts(out)
        out = folder / f"{case_id}-packet-deid.docx"
        # Months, not a random shift: the same case must give the same file twice.
        deid = ("--deidentify", "--dates", "month")
        assert run(app, "export", case_id, "--kind", "packet", *deid, "--out", out).exit_code == 0
        made[case_id, "packet-deidentified"] = parts(out)
        exported = run(app, "case", "export", case_id)
        assert exported.exit_code == 0
        made[case_id, "json"] = json.loads(exported.output)
    return made


def parts(docx) -> dict[str, bytes]:
    """Every part of a .docx package, byte for byte. Not the zip file's own bytes: some
    renderers stamp the zip entries with the time of saving, so two exports of the same case
    a second apart differ there and nowhere else."""
    with zipfile.ZipFile(docx) as package:
        return {name: package.read(name) for name in package.namelist()}


def kept(app) -> list[tuple]:
    with app.app_context():
        rows = db.session.scalars(select(Export).order_by(Export.id)).all()
        return [
            (e.id, e.case_id, e.kind, e.user_id, e.created_at, e.filename, e.sha256, e.content)
            + (e.acknowledged,)
            for e in rows
        ]


def fresh_app(path):
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})


def test_round_trip_gives_back_every_document_byte_for_byte(app, world, tmp_path):
    with app.app_context():
        demo.load()
    before = documents(app, tmp_path / "before")
    letters = [v for k, v in before.items() if k[1] == "letter"]
    assert len(letters) == 7 and all("word/document.xml" in v for v in letters)
    exports = kept(app)
    assert len(exports) >= 7 * 4 and all(e[-2] for e in exports)

    backup = tmp_path / "peerbrief-backup.sqlite3"
    made = run(app, "backup", backup)
    assert made.exit_code == 0, made.output
    assert "7 cases" in made.output and f"{len(exports)} kept exports" in made.output
    assert backup.stat().st_mode & 0o077 == 0  # the file holds PHI: its owner's only

    fresh = fresh_app(tmp_path / "fresh" / "peerbrief.sqlite3")
    (tmp_path / "fresh").mkdir()
    try:
        restored = run(fresh, "restore", backup)
        assert restored.exit_code == 0, restored.output
        assert "Restored" in restored.output and "7 cases" in restored.output
        assert kept(fresh) == exports
        after = documents(fresh, tmp_path / "after")
        assert after.keys() == before.keys()
        for key, value in before.items():
            assert after[key] == value, key
        with fresh.app_context():
            actions = db.session.scalars(select(AuditEvent.action)).all()
            assert "restore" in actions
    finally:
        with fresh.app_context():
            db.engine.dispose()
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "backup"))


def test_restore_never_replaces_a_database_without_force(app, world, tmp_path):
    backup = tmp_path / "backup.sqlite3"
    assert run(app, "backup", backup).exit_code == 0
    again = run(app, "backup", backup)
    assert again.exit_code != 0 and "exists already" in again.output
    with app.app_context():
        db.session.delete(db.session.get(Case, world["north"]))
        db.session.commit()

    refused = run(app, "restore", backup)
    assert refused.exit_code != 0
    assert "--force" in refused.output and "1 case," in refused.output
    with app.app_context():
        assert db.session.get(Case, world["north"]) is None

    forced = run(app, "restore", backup, "--force")
    assert forced.exit_code == 0, forced.output
    with app.app_context():
        db.session.remove()
        assert db.session.get(Case, world["north"]).patient_name == "Nora North"


def test_restore_refuses_what_is_not_a_peerbrief_database_at_this_revision(app, world, tmp_path):
    target = tmp_path / "fresh.sqlite3"
    fresh = fresh_app(target)
    try:
        text = tmp_path / "notes.sqlite3"
        text.write_text("not a database")
        assert "not a SQLite database" in run(fresh, "restore", text).output

        other = tmp_path / "other.sqlite3"
        with sqlite3.connect(other) as connection:
            connection.execute("CREATE TABLE patients (name TEXT)")
        assert "not a Peerbrief database" in run(fresh, "restore", other).output

        old = tmp_path / "old.sqlite3"
        assert run(app, "backup", old).exit_code == 0
        with sqlite3.connect(old) as connection:
            connection.execute("UPDATE alembic_version SET version_num = '7d287c162a79'")
        stale = run(fresh, "restore", old)
        assert stale.exit_code != 0 and "revision 7d287c162a79" in stale.output

        assert "does not exist" in run(fresh, "restore", tmp_path / "missing").output
        assert not target.exists()  # nothing was created by a refused restore
    finally:
        with fresh.app_context():
            db.engine.dispose()


def test_backup_goes_on_while_a_write_is_open_and_copies_what_was_committed(app, world, tmp_path):
    # A clinician's save is under way in another connection (a gunicorn worker) when the
    # backup starts: the backup neither waits for it nor fails, and holds the committed state.
    with app.app_context():
        path = db.engine.url.database
    writer = sqlite3.connect(path, check_same_thread=False)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE \"case\" SET payer = 'Half-written' WHERE id = ?", (world["north"],))
    # The save ends a moment later, so the audit row of the backup can be written after it.
    done = threading.Timer(1.0, writer.rollback)
    done.start()
    try:
        made = run(app, "backup", tmp_path / "b.sqlite3")
    finally:
        done.join()
        writer.close()
    assert made.exit_code == 0, made.output
    with sqlite3.connect(tmp_path / "b.sqlite3") as copy:
        payers = [row[0] for row in copy.execute('SELECT payer FROM "case"')]
    assert payers == ["Acme Health", "Acme Health"]


def test_postgresql_is_sent_to_pg_dump_with_the_url_but_not_the_password(tmp_path):
    url = "postgresql+psycopg://peer:s3cret@db.internal:5432/peerbrief"
    pg = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    for command in ("backup", "restore"):
        result = run(pg, command, tmp_path / "x")
        assert result.exit_code != 0
        assert "pg_dump --format=custom" in result.output and "pg_restore" in result.output
        assert "postgresql://peer@db.internal:5432/peerbrief" in result.output
        assert "s3cret" not in result.output


def live_state(app) -> tuple[int, int]:
    with app.app_context():
        db.session.remove()
        cases = len(db.session.scalars(select(Case.id)).all())
        audit = len(db.session.scalars(select(AuditEvent.id)).all())
    return cases, audit


def refused_with_force(app, backup) -> str:
    result = run(app, "restore", backup, "--force")
    assert result.exit_code != 0
    assert "does not have the schema this version of Peerbrief creates" in result.output
    return result.output


def test_a_foreign_database_with_peerbriefs_table_names_is_refused_and_nothing_lost(
    app, world, tmp_path
):
    with app.app_context():
        head = db.session.scalar(db.text("SELECT version_num FROM alembic_version"))
    foreign = tmp_path / "foreign.sqlite3"
    with sqlite3.connect(foreign) as connection:
        for table in ("team", "user", "membership", "case", "fact", "audit_event", "export"):
            connection.execute(f'CREATE TABLE "{table}" (id INTEGER PRIMARY KEY)')
        connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        connection.execute("INSERT INTO alembic_version VALUES (?)", (head,))
    before = live_state(app)
    output = refused_with_force(app, foreign)
    assert "table `case` has other columns" in output and re.search(r"and \d+ more", output)
    assert live_state(app) == before and before[0] == 2


def test_a_backup_carrying_a_trigger_is_refused_and_the_audit_log_kept(app, world, tmp_path):
    backup = tmp_path / "backup.sqlite3"
    assert run(app, "backup", backup).exit_code == 0
    with sqlite3.connect(backup) as connection:
        connection.execute(
            "CREATE TRIGGER wipe AFTER INSERT ON audit_event BEGIN DELETE FROM audit_event; END"
        )
    before = live_state(app)
    output = refused_with_force(app, backup)
    assert "trigger `wipe` is not part of Peerbrief's schema" in output
    assert live_state(app) == before and before[1] >= 1


@pytest.mark.parametrize(
    "change, named",
    [
        ('ALTER TABLE "case" ADD COLUMN sent_to TEXT', "table `case` has other columns"),
        ("DROP INDEX ix_citation_listing", "index `ix_citation_listing` is missing"),
        ("CREATE VIEW everyone AS SELECT * FROM user", "view `everyone` is not part"),
    ],
)
def test_a_backup_whose_schema_differs_in_any_object_is_refused(
    app, world, tmp_path, change, named
):
    backup = tmp_path / "backup.sqlite3"
    assert run(app, "backup", backup).exit_code == 0
    with sqlite3.connect(backup) as connection:
        connection.execute(change)
    assert named in refused_with_force(app, backup)


def test_the_replaced_database_is_put_back_when_the_restored_one_is_not_intact(
    app, world, tmp_path, monkeypatch
):
    from app import backup as backups

    backup = tmp_path / "backup.sqlite3"
    assert run(app, "backup", backup).exit_code == 0
    with app.app_context():
        db.session.delete(db.session.get(Case, world["north"]))
        db.session.commit()
        folder = backups.sqlite_path(db.engine.url).parent
    before = live_state(app)
    checked = []
    real = backups._check_schema

    def failing_after_the_copy(path, expected):
        checked.append(path)
        if len(checked) == 2:  # the restored database, once copied in
            raise backups.BackupError("page 7 is damaged")
        real(path, expected)

    monkeypatch.setattr(backups, "_check_schema", failing_after_the_copy)
    result = run(app, "restore", backup, "--force")
    assert result.exit_code != 0
    assert "could not be shown intact (page 7 is damaged)" in result.output
    assert "the database it replaced has been put back" in result.output
    assert live_state(app) == before and before[0] == 1
    assert not [p for p in folder.iterdir() if ".replaced-" in p.name]  # no PHI copy left over


def test_a_restore_leaves_no_copy_of_the_replaced_database_behind(app, world, tmp_path):
    from app import backup as backups

    backup = tmp_path / "backup.sqlite3"
    assert run(app, "backup", backup).exit_code == 0
    assert run(app, "restore", backup, "--force").exit_code == 0
    with app.app_context():
        folder = backups.sqlite_path(db.engine.url).parent
    assert not [p for p in folder.iterdir() if ".replaced-" in p.name]
