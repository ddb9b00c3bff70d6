"""Citations as rows: saving a parsed entry (formatted once), and reading it back as an Entry."""

from collections.abc import Iterable

from sqlalchemy import insert, select
from sqlalchemy.orm import undefer_group

from app.extensions import db
from app.library import search
from app.models import Citation, fitted, now
from citations import AmaReference, Entry, format_ama, make_entry, normalised_fields, read_evidence

NOTE_FIELDS = ("note", "annote", "annotation", "abstract")
JOURNAL_FIELDS = ("journal", "journaltitle", "booktitle", "publisher", "institution", "school")


def existing(team_id: int) -> dict[str, dict[str, str]]:
    """The team's library as key -> stored fields, for an import report."""
    rows = db.session.execute(
        select(Citation.key, Citation.fields).where(Citation.team_id == team_id)
    )
    return {key: fields for key, fields in rows}


def by_key(team_id: int, keys: Iterable[str]) -> dict[str, Citation]:
    keys = list(keys)
    found: dict[str, Citation] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        rows = db.session.scalars(
            select(Citation)
            .options(WITH_BIBTEX)
            .where(Citation.team_id == team_id, Citation.key.in_(chunk))
        )
        found.update({c.key: c for c in rows})
    return found


WITH_BIBTEX = undefer_group("bibtex")  # for statements that read the stored BibTeX of many rows


def library(team_id: int, keys: Iterable[str] = ()) -> list[Citation]:
    """The team's citations (or those with `keys`) by key, their stored BibTeX loaded."""
    stmt = select(Citation).options(WITH_BIBTEX).where(Citation.team_id == team_id)
    keys = list(keys)
    if keys:
        stmt = stmt.where(Citation.key.in_(keys))
    return list(db.session.scalars(stmt.order_by(Citation.key)))


def entry_of(citation: Citation) -> Entry:
    """The stored citation as a library Entry, its raw BibTeX intact."""
    entry = make_entry(citation.key, citation.entry_type, dict(citation.fields), raw=citation.raw)
    entry.macros = dict(citation.macros or {})
    return entry


def values(
    team_id: int, entry: Entry, ama: AmaReference | None = None, origin: str = "bibtex"
) -> dict:
    """The column values of a citation row for `entry`; AMA formatting happens here, once."""
    ama = ama or format_ama(entry)
    evidence = read_evidence(entry)
    journal = next((entry.get(f) for f in JOURNAL_FIELDS if entry.get(f)), "")
    year = entry.get("year") or entry.get("date")[:4]
    tags = ", ".join(evidence.tags)
    notes = " ".join(entry.get(name) for name in NOTE_FIELDS)
    # The summary columns (journal, year, issuer, grade...) are cut to their length: the
    # whole values stay in the entry's fields and BibTeX.
    return fitted(
        Citation,
        {
            "team_id": team_id,
            "key": entry.key,
            "origin": origin,
            "entry_type": entry.entry_type,
            "raw": entry.raw or "",
            "fields": normalised_fields(entry),
            "display": dict(entry.display),
            "macros": dict(entry.macros),
            "authors": [n.ama for n in entry.authors],
            "ama": ama.to_json(),
            "ama_text": ama.text,
            "title": entry.get("title"),
            "year": year,
            "journal": journal,
            "tags": tags,
            "issuer": evidence.issuer,
            "recommendation": evidence.recommendation,
            "grade_system": evidence.system,
            "grade": evidence.grade,
            "pinpoint": evidence.pinpoint,
            "search_text": " ".join(
                [
                    entry.get("title"),
                    entry.get("author"),
                    journal,
                    year,
                    tags,
                    evidence.issuer,
                    evidence.recommendation,
                    notes,
                ]
            ),
        },
    )


def search_row(entry: Entry, row: dict) -> dict:
    """What the full-text index holds for a citation."""
    return {
        "title": row["title"],
        "authors": entry.get("author"),
        "journal": row["journal"],
        "year": row["year"],
        "keywords": f"{row['tags']} {row['issuer']}",
        "notes": " ".join(entry.get(name) for name in NOTE_FIELDS),
    }


def save(
    team_id: int,
    entry: Entry,
    ama: AmaReference | None = None,
    origin: str = "bibtex",
    citation: Citation | None = None,
) -> Citation:
    """Insert or update the row for `entry` (and its search index)."""
    row = values(team_id, entry, ama, origin)
    if citation is None:
        citation = Citation()
        db.session.add(citation)
    else:
        row.pop("origin")
    for name, value in row.items():
        setattr(citation, name, value)
    db.session.flush()
    search.index({citation.id: search_row(entry, row)})
    return citation


def add_many(team_id: int, entries: list[Entry], refs: dict[str, AmaReference]) -> None:
    """Insert new citations in one statement, and index them: an import of thousands."""
    if not entries:
        return
    rows = [values(team_id, e, refs.get(e.key)) for e in entries]
    now_ = now()
    for row in rows:
        row["created_at"] = row["updated_at"] = now_
    ids = db.session.scalars(
        insert(Citation).returning(Citation.id, sort_by_parameter_order=True), rows
    ).all()
    search.index({i: search_row(e, r) for i, e, r in zip(ids, entries, rows, strict=True)})


def reference(citation: Citation) -> AmaReference:
    """The stored AMA reference (never re-rendered on a request)."""
    return AmaReference.from_json(citation.ama)
