"""Journal title abbreviations for AMA references.

An entry's own abbreviation field wins (Zotero's ``shortjournal`` and the like); otherwise the
bundled NLM list (journal_abbreviations.tsv, a few hundred clinical journals) is consulted; a
journal missing from both is cited by its full title.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

from citations.model import Entry

# Fields reference managers use for a journal's abbreviation, in order of preference.
ABBREVIATION_FIELDS = ("shortjournal", "journalabbrev", "journal-abbrev", "journal_abbrev", "abbr")
_PUNCT = re.compile(r"[^\w\s]")
_PAREN = re.compile(r"\s*\([^)]*\)\s*$")


def journal_key(title: str) -> str:
    """Matching key: case, accents, punctuation, ``&``/``and`` and a leading ``The`` ignored."""
    t = unicodedata.normalize("NFKD", title)
    t = "".join(c for c in t if not unicodedata.combining(c)).lower()
    t = t.replace("&", " and ").replace("'", "").replace("\u2019", "")
    words = _PUNCT.sub(" ", t).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    table: dict[str, str] = {}
    text = resources.files("citations").joinpath("journal_abbreviations.tsv").read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        title, abbreviation = line.split("\t")
        for variant in (title, _PAREN.sub("", title), abbreviation):
            table.setdefault(journal_key(variant), abbreviation)
    return table


@lru_cache(maxsize=4096)
def abbreviate(title: str) -> str | None:
    """The NLM abbreviation of a journal title from the bundled list, or None if unknown."""
    if not title:
        return None
    table = _table()
    key = journal_key(title)
    found = table.get(key)
    if found is None and title.rstrip().endswith(")"):
        found = table.get(journal_key(_PAREN.sub("", title)))
    return found


def journal_abbreviation(entry: Entry) -> str:
    """The journal as an AMA reference cites it: entry's abbreviation, bundled list, full title."""
    for name in ABBREVIATION_FIELDS:
        value = entry.display.get(name, "").strip()
        if value:
            return value.replace(".", "")
    title = entry.display.get("journal") or entry.display.get("journaltitle", "")
    return abbreviate(title) or title
