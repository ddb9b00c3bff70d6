"""Back up and restore the database: `peerbrief backup OUT`, `peerbrief restore IN`.

SQLite is copied with its online backup API: one consistent snapshot, taken while the app
keeps serving (in WAL mode readers never wait for writers, and neither does the copy).
PostgreSQL is backed up with its own tools, pg_dump and pg_restore; the commands say how
instead of trying.

A backup holds every patient's data: it is written readable by its owner only, and the
operator keeps it encrypted and access-controlled like the database itself (SECURITY.md).
"""

import contextlib
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy.engine import URL

from app.backup_schema import differences, migrated_schema, schema_of

HEADER = b"SQLite format 3\x00"
# A file is taken for a Peerbrief database when it has these tables (the oldest ones: every
# revision has them) and an Alembic revision.
TABLES = {"alembic_version", "team", "user", "membership", "case", "fact", "audit_event"}
COUNTED = ("team", "user", "case", "fact", "export", "audit_event")
NAMES = ("team", "user", "case", "fact", "kept export", "audit row")


class BackupError(Exception):
    """The backup or restore cannot be done; str() tells the operator why and what to do."""


@dataclass(frozen=True)
class Summary:
    """What a database file holds: its migration revision and how many of the main rows."""

    path: Path
    revision: str
    counts: dict[str, int]
    size: int

    def describe(self) -> str:
        c = self.counts
        held = ", ".join(
            f"{c[table]} {name}{'' if c[table] == 1 else 's'}"
            for table, name in zip(COUNTED, NAMES, strict=True)
        )
        return f"revision {self.revision}, {held}, {_size(self.size)}"


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n / 1e3:.0f} kB"


def head_revision(migrations: str | Path) -> str:
    """The revision the code's migrations end at (what `peerbrief init-db` upgrades to)."""
    heads = ScriptDirectory(str(migrations)).get_heads()
    if len(heads) != 1:
        raise BackupError(f"The migrations have {len(heads)} heads; expected one.")
    return heads[0]


def sqlite_path(url: URL) -> Path:
    """The file of a SQLite database URL. Raises BackupError for PostgreSQL (with the
    commands to use instead) and for anything else that is not a file."""
    if url.get_backend_name() == "postgresql":
        raise BackupError(postgres_advice(url))
    if url.get_backend_name() != "sqlite":
        raise BackupError(f"Backups of {url.get_backend_name()} databases are not supported.")
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        raise BackupError("The database is not a file on disk: there is nothing to back up.")
    return Path(url.database)


def postgres_advice(url: URL) -> str:
    """How to back up and restore a PostgreSQL database, for this database's URL."""
    # pg_dump takes libpq URLs: no SQLAlchemy driver name, and the password from PGPASSWORD
    # or ~/.pgpass rather than from a command line that `ps` shows.
    plain = URL.create(
        "postgresql", url.username, None, url.host, url.port, url.database, url.query
    ).render_as_string()
    return (
        "This database is PostgreSQL: back it up and restore it with PostgreSQL's own tools,\n"
        "which take a consistent snapshot while the app runs (password from PGPASSWORD or "
        "~/.pgpass):\n"
        f"  backup:  pg_dump --format=custom --file=peerbrief.dump '{plain}'\n"
        "  restore: stop the app, then into an empty database (or add --clean --if-exists)\n"
        f"           pg_restore --no-owner --exit-on-error --dbname='{plain}' peerbrief.dump\n"
        "           then `peerbrief init-db` (a no-op when the dump is at the current revision).\n"
        "The dump holds every patient's data: keep it encrypted and access-controlled."
    )


def inspect(path: Path) -> Summary:
    """Check that `path` is an intact Peerbrief SQLite database and say what it holds.
    Raises BackupError naming the first problem; never writes to the file."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist.")
    with path.open("rb") as handle:
        if handle.read(len(HEADER)) != HEADER:
            raise BackupError(f"{path} is not a SQLite database.")
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        if problems != ["ok"]:
            raise BackupError(f"{path} is damaged: {'; '.join(problems[:3])}")
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        if missing := TABLES - tables:
            raise BackupError(
                f"{path} is not a Peerbrief database (no table {', '.join(sorted(missing))})."
            )
        revisions = [
            row[0] for row in connection.execute("SELECT version_num FROM alembic_version")
        ]
        if len(revisions) != 1:
            raise BackupError(f"{path} has no single migration revision ({revisions}).")
        counts = {table: _count(connection, table) for table in COUNTED}
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} cannot be read as a database: {exc}.") from None
    finally:
        connection.close()
    return Summary(path, revisions[0], counts, path.stat().st_size)


def _count(connection: sqlite3.Connection, table: str) -> int:
    # The table is one of COUNTED, never input.
    return connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # nosec B608


def backup(url: URL, out: Path, force: bool = False) -> Summary:
    """Copy the SQLite database of `url` to `out`, consistently while the app runs, and check
    the copy. The copy is written beside `out` first and moved into place only once checked,
    so a failed backup never leaves a half-written file under the name asked for."""
    source = sqlite_path(url)
    if not source.is_file():
        raise BackupError(f"There is no database at {source}: nothing to back up.")
    if out.resolve() == source.resolve():
        raise BackupError("The backup cannot be the database itself.")
    if out.exists() and not force:
        raise BackupError(f"{out} exists already: choose another name, or pass --force.")
    if not out.parent.is_dir():
        raise BackupError(f"There is no folder {out.parent}.")
    # mkstemp creates the file readable and writable by its owner only: it holds PHI.
    handle, partial = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".partial")
    os.close(handle)
    try:
        _copy(f"{source.resolve().as_uri()}?mode=ro", partial)
        summary = inspect(Path(partial))
        os.replace(partial, out)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    return Summary(out, summary.revision, summary.counts, summary.size)


def restore(url: URL, source: Path, migrations: str | Path, force: bool = False) -> Summary:
    """Replace the SQLite database of `url` with the backup `source`, once the backup is shown
    to be an intact Peerbrief database at the code's migration head, its schema exactly what
    the migrations create. An existing database is replaced only with `force`, and is kept
    aside until the restored one is shown intact (put back if it is not). Returns what the
    database holds now."""
    target = sqlite_path(url)
    found = inspect(source)
    head = head_revision(migrations)
    if found.revision != head:
        raise BackupError(
            f"{source} is at migration revision {found.revision}, this version of Peerbrief at "
            f"{head}: restore it with the version of Peerbrief that made it (then upgrade with "
            "`peerbrief init-db`), or use a backup made by this version."
        )
    expected = migrated_schema(migrations)
    _check_schema(source, expected)
    if target.exists() and target.stat().st_size and not force:
        held = ""
        with contextlib.suppress(BackupError):  # a damaged database may be replaced too
            held = f" ({inspect(target).describe()})"
        raise BackupError(
            f"{target} exists{held}: restoring replaces all of it. Back it up first "
            "(`peerbrief backup FILE`), then pass --force."
        )
    if not target.parent.is_dir():
        raise BackupError(f"There is no folder {target.parent}.")
    if not target.exists():
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    aside = _set_aside(target) if target.stat().st_size else None
    try:
        # Through SQLite, not a file copy: a running app's connections and its WAL file see
        # the restored pages, never a file swapped under them.
        _copy(f"{source.resolve().as_uri()}?mode=ro", str(target), journal="WAL")
        now = inspect(target)
        _check_schema(target, expected)
    except BackupError as exc:
        if aside is None:
            raise
        try:
            _copy(f"{aside.resolve().as_uri()}?mode=ro", str(target), journal="WAL")
        except BackupError:
            kept, aside = aside, None  # the only good copy: never removed
            raise BackupError(
                f"The restore failed ({exc}) and the database it replaced could not be put back "
                f"in place: it is kept at {kept}."
            ) from None
        raise BackupError(
            f"The restored database could not be shown intact ({exc}); the database it "
            "replaced has been put back."
        ) from None
    finally:
        if aside is not None:
            aside.unlink()
    return now


def _check_schema(path: Path, expected) -> None:
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        wrong = differences(schema_of(connection), expected)
    finally:
        connection.close()
    if wrong:
        raise BackupError(
            f"{path} does not have the schema this version of Peerbrief creates, so it is not "
            "restored: " + "; ".join(wrong) + "."
        )


def _set_aside(target: Path) -> Path:
    """A consistent copy of the database about to be replaced, readable by its owner only."""
    handle, aside = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.replaced-")
    os.close(handle)
    try:
        _copy(f"{target.resolve().as_uri()}?mode=ro", aside)
    except BackupError as exc:
        os.unlink(aside)
        raise BackupError(
            f"{target} could not be set aside before it is replaced ({exc}): move it elsewhere "
            "yourself, then restore again."
        ) from None
    return Path(aside)


def _copy(source_uri: str, destination: str, journal: str = "DELETE") -> None:
    """One consistent copy of every page of `source_uri` into `destination`."""
    source = sqlite3.connect(source_uri, uri=True)
    target = sqlite3.connect(destination)
    try:
        target.execute("PRAGMA busy_timeout=10000")  # wait for a writer of a live target
        source.backup(target)  # all pages in one step: one snapshot, not restarted by writes
        # A backup file stands alone (no -wal beside it); a restored database goes on in WAL.
        target.execute(f"PRAGMA journal_mode={journal}")
    except sqlite3.Error as exc:
        raise BackupError(f"The copy failed: {exc}.") from None
    finally:
        target.close()
        source.close()
