"""Search as you type over a team's library: SQLite FTS5, or PostgreSQL full-text search.

Each word typed is a prefix ("fraen arthr" finds Fraenkel's arthritis guideline); every word
must match. On SQLite the index is an FTS5 table kept in step by `index`; on PostgreSQL a GIN
expression index over `citation.search_text` serves `to_tsvector('simple', ...)`.
"""

import re

from sqlalchemy import Select, func, select, text
from sqlalchemy.orm import load_only

from app.extensions import db
from app.models import Citation

_WORD = re.compile(r"\w+", re.UNICODE)


def _sqlite() -> bool:
    return db.engine.dialect.name == "sqlite"


def index(rows: dict[int, dict[str, str]]) -> None:
    """Keep the FTS5 rows of citations current (SQLite only; PostgreSQL indexes the column).

    `rows` maps a citation id to its title, authors, journal, year, keywords and notes.
    """
    if not _sqlite() or not rows:
        return
    db.session.execute(
        text("DELETE FROM citation_fts WHERE rowid = :id"), [{"id": i} for i in rows]
    )
    db.session.execute(
        text(
            "INSERT INTO citation_fts (rowid, title, authors, journal, year, keywords, notes) "
            "VALUES (:id, :title, :authors, :journal, :year, :keywords, :notes)"
        ),
        [{"id": i, **row} for i, row in rows.items()],
    )


LISTED = (
    Citation.id,
    Citation.key,
    Citation.ama,
    Citation.year,
    Citation.tags,
    Citation.issuer,
    Citation.grade_system,
    Citation.grade,
)


def query(team_id: int, q: str = "", tag: str = "", grade: str = "") -> Select:
    """The team's citations matching the typed words, a tag and a grading system or grade.

    Only the columns a list shows are loaded: the stored BibTeX stays in the database.
    """
    stmt = select(Citation).options(load_only(*LISTED)).where(Citation.team_id == team_id)
    words = _WORD.findall(q.lower())[:8]
    if words:
        if _sqlite():
            match = " ".join(f'"{w}"*' for w in words)
            ids = text("SELECT rowid FROM citation_fts WHERE citation_fts MATCH :m").bindparams(
                m=match
            )
            stmt = stmt.where(Citation.id.in_(ids))
        else:
            tsquery = " & ".join(f"{w}:*" for w in words)
            stmt = stmt.where(
                func.to_tsvector("simple", Citation.search_text).op("@@")(
                    func.to_tsquery("simple", tsquery)
                )
            )
    if tag:
        # Whole tags only: "pain" must not match "back pain management".
        padded = func.lower(", " + Citation.tags + ",")
        stmt = stmt.where(padded.contains(f", {tag.strip().lower()},", autoescape=True))
    if grade == "any":
        stmt = stmt.where(Citation.grade != "")
    elif ":" in grade:
        system, _, value = grade.partition(":")
        stmt = stmt.where(Citation.grade_system == system, Citation.grade == value)
    elif grade:
        stmt = stmt.where(Citation.grade_system == grade)
    return stmt.order_by(Citation.year.desc(), Citation.key)


def tags(team_id: int) -> list[str]:
    """Every tag used in the team's library, sorted."""
    found: set[str] = set()
    for value in db.session.scalars(
        select(Citation.tags).where(Citation.team_id == team_id, Citation.tags != "").distinct()
    ):
        found.update(t.strip() for t in value.split(",") if t.strip())
    return sorted(found, key=str.lower)


def grades(team_id: int) -> list[tuple[str, str]]:
    """The (system, grade) pairs present in the team's library."""
    rows = db.session.execute(
        select(Citation.grade_system, Citation.grade)
        .where(Citation.team_id == team_id, Citation.grade != "")
        .distinct()
    )
    return sorted(rows)
