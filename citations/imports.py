"""One call for the import page and background job: parse, compare, format."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from citations.ama import AmaReference, format_ama
from citations.bibtex import parse_bibtex, read_bibtex
from citations.journals import abbreviate
from citations.latex import clear_decode_cache
from citations.limits import fit
from citations.model import ParseResult
from citations.names import parse_name
from citations.report import ImportReport, compare


@dataclass(slots=True)
class ImportOutcome:
    """A parsed file, its report against the library, and each entry's AMA reference by key."""

    parsed: ParseResult
    report: ImportReport
    references: dict[str, AmaReference] = field(default_factory=dict)


def import_bibtex(
    text: str, existing: Mapping[str, Mapping[str, str]] | None = None
) -> ImportOutcome:
    """Parse BibTeX text, compare it with `existing` (key -> normalised fields) and format
    every entry in AMA style, ready to store (each within the limits of citations/limits.py,
    a note in the warnings for each entry cut)."""
    parsed = _fitted(parse_bibtex(text))
    report = compare(existing or {}, parsed)
    references = {entry.key: format_ama(entry) for entry in parsed.entries}
    return ImportOutcome(parsed, report, references)


def import_pieces(
    text: str, existing: Mapping[str, Mapping[str, str]] | None = None
) -> Iterator[ImportOutcome]:
    """:func:`import_bibtex` one piece of the text at a time (see ``read_bibtex``): store each
    outcome and let it go, and a file of any size is imported in a fixed amount of memory."""
    for piece in read_bibtex(text):
        parsed = _fitted(piece)
        report = compare(existing or {}, parsed)
        references = {entry.key: format_ama(entry) for entry in parsed.entries}
        yield ImportOutcome(parsed, report, references)


def _fitted(parsed: ParseResult) -> ParseResult:
    """Each entry within what the library keeps of one entry (citations/limits.py), with a
    note in the warnings for each one cut."""
    for i, entry in enumerate(parsed.entries):
        fitted, notes = fit(entry)
        if notes:
            parsed.entries[i] = fitted
            parsed.warnings.extend(notes)
    return parsed


def clear_caches() -> None:
    """Forget the decoded strings, names and journal abbreviations remembered across imports
    (they are bounded; this is for measurements that must start cold)."""
    clear_decode_cache()
    parse_name.cache_clear()
    abbreviate.cache_clear()
