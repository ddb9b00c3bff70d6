"""The shapes every part of the library shares: an entry and the result of reading a file."""

from __future__ import annotations

from dataclasses import dataclass, field

from citations.latex import VERBATIM_FIELDS, decode
from citations.names import Name, parse_names

NAME_FIELDS = ("author", "editor")


@dataclass(slots=True)
class Entry:
    """One reference, whether imported from BibTeX or built from a DOI/PMID look-up.

    ``fields`` maps lower-case field names to BibTeX source values (``@string`` macros and ``#``
    resolved, outer braces or quotes removed, LaTeX kept); ``display`` holds the same fields
    decoded for reading (URL, DOI, file and eprint verbatim). ``raw`` is the entry exactly as the
    user's file had it, so an export gives their data back unchanged; ``line`` is the 1-based
    line where it started. ``macros`` holds the ``@string`` definitions ``raw`` relies on.
    """

    key: str
    entry_type: str
    fields: dict[str, str]
    display: dict[str, str]
    authors: list[Name]
    editors: list[Name]
    more_authors: bool = False
    raw: str | None = None
    line: int | None = None
    macros: dict[str, str] = field(default_factory=dict)

    def get(self, name: str, default: str = "") -> str:
        """Decoded display value of a field, or `default`."""
        return self.display.get(name, default)


@dataclass(frozen=True, slots=True)
class DuplicateKey:
    """A second entry with a key already used earlier in the same file (the first is kept)."""

    key: str
    line: int
    first_line: int | None = None

    def to_dict(self) -> dict[str, object]:
        """The JSON shape used in import reports."""
        return {"key": self.key, "line": self.line}


@dataclass(frozen=True, slots=True)
class FailedBlock:
    """A block of the file that could not be read, with a reason a person can act on."""

    line: int
    reason: str
    raw: str = ""

    def to_dict(self) -> dict[str, object]:
        """The JSON shape used in import reports."""
        return {"line": self.line, "reason": self.reason}


# The longest citation key and entry type an entry may have: a library stores them as they
# are (a key is how a letter and an export name the entry), so a longer one is refused.
KEY_LENGTH = 250
TYPE_LENGTH = 40


@dataclass(frozen=True, slots=True)
class ParseWarning:
    """Something imported but worth a look (e.g. an undefined ``@string`` macro kept as text)."""

    line: int
    message: str


@dataclass(slots=True)
class ParseResult:
    """Everything read from one BibTeX text; nothing in the input is dropped silently."""

    entries: list[Entry] = field(default_factory=list)
    duplicates: list[DuplicateKey] = field(default_factory=list)
    failed: list[FailedBlock] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    strings: dict[str, str] = field(default_factory=dict)

    def by_key(self) -> dict[str, Entry]:
        """Entries indexed by citation key."""
        return {e.key: e for e in self.entries}


def display_fields(fields: dict[str, str]) -> dict[str, str]:
    """Decode every field for display, leaving URL-like fields verbatim."""
    return {
        name: (value.strip() if name in VERBATIM_FIELDS else decode(value))
        for name, value in fields.items()
    }


def make_entry(
    key: str,
    entry_type: str,
    fields: dict[str, str],
    *,
    raw: str | None = None,
    line: int | None = None,
) -> Entry:
    """Build an :class:`Entry` from BibTeX source values: split names, then decode the rest."""
    display: dict[str, str] = {}
    authors: list[Name] = []
    editors: list[Name] = []
    more = False
    for name, value in fields.items():
        if name in _SPECIAL_FIELDS:
            if name in VERBATIM_FIELDS:
                display[name] = value.strip()
                continue
            names, etal = parse_names(value)
            if name == "author":
                authors, more = names, etal
            else:
                editors = names
            shown = "; ".join([n.listed for n in names])
            display[name] = f"{shown}; et al" if etal else shown
        else:
            display[name] = decode(value)
    return Entry(key, entry_type.lower(), fields, display, authors, editors, more, raw, line)


_SPECIAL_FIELDS = VERBATIM_FIELDS | frozenset(NAME_FIELDS)
