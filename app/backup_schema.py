"""The exact schema a Peerbrief SQLite database has: what a restore compares a backup with.

A backup is a whole database: it brings its own tables, indexes and triggers along, and runs
its triggers on the live app's writes (one that empties `audit_event` on every insert would
erase the audit log). So a restore takes only a file whose schema is, object for object,
what this version's migrations create, and refuses anything more, less or different.
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

# An object: (type, name) -> its definition (SQL with whitespace collapsed) and, for a
# table, its columns; SQLite's own statistics (ANALYZE) may come and go.
Schema = dict[tuple[str, str], tuple[str, tuple]]
_OWN = ("sqlite_stat",)
_cache: dict[str, Schema] = {}


def schema_of(connection: sqlite3.Connection) -> Schema:
    """Every table, index, view and trigger of the database, with its definition."""
    schema: Schema = {}
    for kind, name, sql in connection.execute("SELECT type, name, sql FROM sqlite_master"):
        if name.startswith(_OWN):
            continue
        columns: tuple = ()
        if kind == "table":
            # cid, name, type, notnull, default, pk, hidden
            columns = tuple(connection.execute(f"PRAGMA table_xinfo({_quoted(name)})"))
        schema[kind, name] = (" ".join((sql or "").split()), columns)
    return schema


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def migrated_schema(migrations: str | Path) -> Schema:
    """The schema the migrations in `migrations` create, read from a scratch database."""
    key = str(migrations)
    if key not in _cache:
        from flask_migrate import upgrade

        from app import create_app
        from app.extensions import db

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "reference.sqlite3"
            scratch = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
            with scratch.app_context():
                upgrade(directory=key)
                db.engine.dispose()
            connection = sqlite3.connect(path)
            try:
                _cache[key] = schema_of(connection)
            finally:
                connection.close()
    return _cache[key]


def _order(key: tuple[str, str]) -> tuple[int, str]:
    return ({"trigger": 0, "view": 1, "table": 2}.get(key[0], 3), key[1])


def differences(found: Schema, expected: Schema) -> list[str]:
    """What in `found` is not exactly as in `expected`, one line each (at most 5)."""
    lines = []
    for kind, name in sorted(found.keys() - expected.keys(), key=_order):
        lines.append(f"{kind} `{name}` is not part of Peerbrief's schema")
    for key in sorted(found.keys() & expected.keys(), key=_order):
        if found[key] != expected[key]:
            what = "columns" if found[key][1] != expected[key][1] else "a different definition"
            lines.append(f"{key[0]} `{key[1]}` has {'other ' if what == 'columns' else ''}{what}")
    for kind, name in sorted(expected.keys() - found.keys(), key=_order):
        lines.append(f"{kind} `{name}` is missing")
    return lines[:5] + ([f"... and {len(lines) - 5} more"] if len(lines) > 5 else [])
