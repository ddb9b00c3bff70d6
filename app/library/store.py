"""Citations as rows: saving a parsed entry (formatted once), and reading it back as an Entry."""

from collections.abc import Iterable

from sqlalchemy import select

from app.extensions import db
from app.library import search
from app.models import Citation
from citations import AmaReference, Entry, format_ama, make_entry, normalised_fields, read_evidence

NOTE_FIELDS = ("note", "annote", "annotation", "abstract")


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
            select(Citation).where(Citation.team_id == team_id, Citation.key.in_(chunk))
        )
        found.update({c.key: c for c in rows})
    return found


def entry_of(citation: Citation) -> Entry:
    """The stored citation as a library Entry, its raw BibTeX intact."""
    entry = make_entry(citation.key, citation.entry_type, dict(citation.fields), raw=citation.raw)
    entry.macros = dict(citation.macros or {})
    return entry


def save(
    team_id: int,
    entry: Entry,
    ama: AmaReference | None = None,
    origin: str = "bibtex",
    citation: Citation | None = None,
) -> Citation:
    """Insert or update the row for `entry`; AMA formatting happens here, once."""
    ama = ama or format_ama(entry)
    evidence = read_evidence(entry)
    citation = citation or Citation(team_id=team_id, key=entry.key, origin=origin)
    if citation.id is None:
        db.session.add(citation)
    citation.entry_type = entry.entry_type
    citation.raw = entry.raw or ""
    citation.fields = normalised_fields(entry)
    citation.display = dict(entry.display)
    citation.macros = dict(entry.macros)
    citation.authors = [n.ama for n in entry.authors]
    citation.ama = ama.to_json()
    citation.ama_text = ama.text
    citation.title = entry.get("title")
    citation.year = entry.get("year") or entry.get("date")[:4]
    citation.journal = (
        entry.get("journal")
        or entry.get("journaltitle")
        or entry.get("booktitle")
        or entry.get("publisher")
        or entry.get("institution")
    )
    citation.tags = ", ".join(evidence.tags)
    citation.issuer = evidence.issuer
    citation.recommendation = evidence.recommendation
    citation.grade_system = evidence.system
    citation.grade = evidence.grade
    citation.pinpoint = evidence.pinpoint
    notes = " ".join(entry.get(name) for name in NOTE_FIELDS)
    citation.search_text = " ".join(
        [
            citation.title,
            entry.get("author"),
            citation.journal,
            citation.year,
            citation.tags,
            evidence.issuer,
            evidence.recommendation,
            notes,
        ]
    )
    search.index(citation, authors=entry.get("author"), notes=notes)
    return citation


def reference(citation: Citation) -> AmaReference:
    """The stored AMA reference (never re-rendered on a request)."""
    return AmaReference.from_json(citation.ama)
