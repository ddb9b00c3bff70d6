"""BibTeX imports: read a file, report what it would change, apply it (in the background).

An import never loses what the file holds: entries that parsed are added, unchanged ones are
left alone, and changed ones (same key, different fields) are applied only when the user
confirms; duplicate keys and blocks that could not be read are reported with their line.
"""

import threading
from collections.abc import Callable
from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy import select, update

from app.extensions import db
from app.library import store
from app.models import ImportJob, now
from citations import ImportOutcome, import_bibtex
from citations.bibtex import estimate_entries
from citations.imports import import_pieces


class NotBibTeX(ValueError):
    """The upload is not a text file; the message says what it looks like instead."""


BINARY = (b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8\xff")


def read_text(data: bytes) -> str:
    """Decode an uploaded .bib: UTF-16 with a BOM, UTF-8 (with or without BOM), else
    Windows-1252 as older JabRef and Mendeley exports are; raises NotBibTeX for a binary file."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", errors="replace").replace("\x00", "")
    head = data[:4096]
    if head.startswith(BINARY) or head.count(b"\x00") > len(head) // 10:
        raise NotBibTeX(
            "This file is not BibTeX text (it looks like a binary file). Export "
            "your library as BibTeX (.bib) and upload that."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    # A stray NUL has no meaning in BibTeX, and PostgreSQL cannot store one in text.
    return text.replace("\x00", "")


def report_of(outcome: ImportOutcome) -> dict:
    """The report shown to the user: counts, the changed fields of each update, problems."""
    report = outcome.report.to_json()
    report["added_keys"] = list(outcome.report.added)
    report["changes"] = [
        {"key": u.key, "fields": [{"name": c.name, "old": c.old, "new": c.new} for c in u.changes]}
        for u in outcome.report.updated
    ]
    report["warnings"] = [{"line": w.line, "message": w.message} for w in outcome.parsed.warnings]
    return report


def _merge(report: dict, part: dict) -> dict:
    if not report:
        return part
    for name, value in part.items():
        report[name] += value  # counts add up, lists run on
    return report


def run(
    team_id: int,
    text: str,
    apply_updates: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """Import `text` into the team's library and return the report; commits piece by piece.

    The file is read, compared, stored and let go one piece (about a megabyte) at a time, so
    an import holds the text, one piece and the report whatever the file's size."""
    existing = store.existing(team_id)
    total = estimate_entries(text)
    report: dict = {}
    done = 0
    for outcome in import_pieces(text, existing):
        by_key = outcome.parsed.by_key()
        store.add_many(team_id, [by_key[key] for key in outcome.report.added], outcome.references)
        if apply_updates:
            updated = [u.key for u in outcome.report.updated]
            rows = store.by_key(team_id, updated)
            for key in updated:
                store.save(team_id, by_key[key], outcome.references[key], citation=rows[key])
        db.session.commit()
        report = _merge(report, report_of(outcome))
        done += len(outcome.parsed.entries) + len(outcome.parsed.duplicates)
        if progress:
            progress(done, max(total, done))
    if progress:
        progress(done, done)
    report = report or report_of(import_bibtex(""))
    report["applied_updates"] = apply_updates
    return report


# A running job's worker writes its heartbeat this often; one silent for GONE_AFTER (many
# missed beats, so a busy database is not taken for a dead worker) has lost its worker.
HEARTBEAT = timedelta(seconds=20)
GONE_AFTER = timedelta(minutes=3)
GONE = (
    "The import stopped when the server restarted; entries saved before that are kept. "
    "Upload the file again to finish it: entries already saved are recognised as unchanged."
)


def gone(job: ImportJob) -> bool:
    """Whether `job` is queued or running with no worker left (it stopped beating)."""
    if job.state not in ("queued", "running"):
        return False
    return now() - (job.heartbeat_at or job.created_at) > GONE_AFTER


def shown_state(job: ImportJob) -> tuple[str, str]:
    """The state and error to show for `job`: a job whose worker is gone shows as failed
    (a read never writes; the next upload or apply records it, see `settle`)."""
    return ("failed", GONE) if gone(job) else (job.state, job.error)


def settle(team_id: int) -> None:
    """Record as failed the team's imports whose worker is gone (called on a POST).

    Failed, not resumed: the file is kept, but a resumed job would report the entries it
    saved before the restart as unchanged, and uploading again gives the same library with
    an honest report."""
    jobs = db.session.scalars(
        select(ImportJob).where(
            ImportJob.team_id == team_id, ImportJob.state.in_(("queued", "running"))
        )
    )
    for job in jobs:
        if gone(job):
            job.state, job.error = "failed", GONE


def start(job: ImportJob, apply_updates: bool = False) -> threading.Thread:
    """Run the job in a background thread so the rest of the app stays usable."""
    app = current_app._get_current_object()
    thread = threading.Thread(
        target=_work, args=(app, job.id, apply_updates), daemon=True, name=f"import-{job.id}"
    )
    thread.start()
    return thread


def beat(job_id: int) -> None:
    """Write the job's heartbeat, on a connection of its own (the work's may be mid-batch)."""
    with db.engine.begin() as connection:
        connection.execute(
            update(ImportJob).where(ImportJob.id == job_id).values(heartbeat_at=now())
        )


def _beating(app: Flask, job_id: int, stop: threading.Event) -> None:
    with app.app_context():
        while not stop.wait(HEARTBEAT.total_seconds()):
            try:
                beat(job_id)
            except Exception:  # a missed beat is retried; the work itself goes on
                app.logger.warning("import job %s: heartbeat not written", job_id)


def _work(app: Flask, job_id: int, apply_updates: bool) -> None:
    stop = threading.Event()
    threading.Thread(
        target=_beating, args=(app, job_id, stop), daemon=True, name=f"import-{job_id}-beat"
    ).start()
    try:
        _run_job(app, job_id, apply_updates)
    finally:
        stop.set()


def _run_job(app: Flask, job_id: int, apply_updates: bool) -> None:
    with app.app_context():
        job = db.session.get(ImportJob, job_id)
        job.state, job.heartbeat_at = "running", now()
        db.session.commit()

        def progress(done: int, total: int) -> None:
            job.processed, job.total, job.heartbeat_at = done, total, now()
            db.session.commit()

        try:
            job.report = run(job.team_id, job.text, apply_updates, progress)
            job.updates_applied = apply_updates
            job.state = "done"
        except Exception:  # the job must end visibly, whatever went wrong
            db.session.rollback()
            job = db.session.get(ImportJob, job_id)
            job.state = "failed"
            job.error = "The import stopped unexpectedly; nothing after the last batch was saved."
            app.logger.exception("import job %s failed", job_id)
        db.session.commit()
        db.session.remove()
