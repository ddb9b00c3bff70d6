"""Citation keys for entries that did not come with one (DOI/PMID look-ups)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

from citations.names import Name

_SMALL_WORDS = frozenset({"of", "the", "and", "for", "on", "in", "a", "an", "to", "&"})


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in text if ord(c) < 128).lower())


def _stem(names: list[Name], title: str) -> str:
    if names:
        first = names[0]
        if first.corporate:
            words = [w for w in re.split(r"[\s\-]+", first.surname) if w]
            significant = [w for w in words if w.lower() not in _SMALL_WORDS]
            if len(significant) > 1:
                return _ascii("".join(w[0] for w in significant))
            return _ascii(first.surname)
        return _ascii(first.surname)
    words = [w for w in title.split() if w.lower() not in _SMALL_WORDS]
    return _ascii(words[0]) if words else ""


def make_key(names: list[Name], year: str, title: str = "", existing: Collection[str] = ()) -> str:
    """A key such as ``fraenkel2021`` (organisations by initials: ``who2020``).

    A key already in `existing` (compared case-insensitively) gets a letter: ``fraenkel2021a``,
    ``fraenkel2021b``, ...
    """
    stem = (_stem(names, title) or "ref") + (year or "")
    taken = {k.lower() for k in existing}
    if stem not in taken:
        return stem
    for i in range(26 * 27):
        letters = ""
        n = i
        while True:
            letters = chr(ord("a") + n % 26) + letters
            n = n // 26 - 1
            if n < 0:
                break
        candidate = stem + letters
        if candidate not in taken:
            return candidate
    raise ValueError(f"no free citation key for {stem}")
