"""Split BibTeX name lists into people and organisations.

Names are split on the raw (still LaTeX-encoded) text, so that a braced corporate author such as
``{World Health Organization}`` stays one name, and only then is each part decoded; decoding
first would lose the braces, and splitting without decoding would leave ``M{\\"u}ller``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from citations.latex import decode

_AND = re.compile(r"\s+and\s+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Name:
    """One author or editor, decoded for display.

    ``surname`` excludes a lower-case particle (``van der``), kept in ``particle``; ``initials``
    are AMA style, without periods (``JM``, hyphenated given names give ``J-P``). A corporate
    author has only ``surname`` (the whole name) and ``corporate=True``.
    """

    surname: str
    given: str = ""
    initials: str = ""
    corporate: bool = False
    particle: str = ""
    suffix: str = ""

    @property
    def family(self) -> str:
        """Surname with its particle, as it is cited (``van der Heijde``)."""
        return f"{self.particle} {self.surname}" if self.particle else self.surname

    @property
    def listed(self) -> str:
        """The name as a display field lists it: ``van der Heijde, Désirée`` or the
        organisation whole."""
        if self.corporate:
            return self.surname
        return ", ".join(p for p in (self.family, self.given) if p)

    @property
    def ama(self) -> str:
        """The name as AMA lists it: ``Fraenkel L``, ``Hu FB Jr``, or the organisation whole."""
        if self.corporate:
            return self.surname
        out = self.family
        if self.initials:
            out = f"{out} {self.initials}"
        if self.suffix:
            out = f"{out} {self.suffix.rstrip('.')}"
        return out


_BRACE_OR = {sep: re.compile(r"[{}]|" + re.escape(sep)) for sep in (" ", ",")}
_BRACE_OR_AND = re.compile(r"[{}]|\s+and\s+", re.IGNORECASE)


def _split_at_depth_zero(text: str, pattern: re.Pattern[str]) -> list[str]:
    """Split `text` where `pattern` matches something other than a brace, outside braces."""
    parts, depth, start = [], 0, 0
    for m in pattern.finditer(text):
        token = m.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        elif depth == 0:
            parts.append(text[start : m.start()])
            start = m.end()
    parts.append(text[start:])
    return parts


def _split_top(text: str, sep: str) -> list[str]:
    """Split on `sep` (a single character) outside braces."""
    if "{" not in text:
        return text.split(sep)
    return _split_at_depth_zero(text, _BRACE_OR[sep])


def _split_names(value: str) -> list[str]:
    parts = _AND.split(value.strip())
    if "{" in value and any(p.count("{") != p.count("}") for p in parts):
        # An `and` inside braces (``{Johnson and Johnson}``): split at depth 0 only. When every
        # part is balanced, each split point already lies at depth 0.
        parts = [p.strip() for p in _split_at_depth_zero(value, _BRACE_OR_AND)]
    return [p for p in parts if p]


def _words(text: str) -> list[str]:
    return [w for w in _split_top(" ".join(text.split()), " ") if w]


def _is_lower(word: str) -> bool:
    """BibTeX's von test: the first letter at brace depth 0 is lower case."""
    depth = 0
    for i, c in enumerate(word):
        if c == "{":
            if depth == 0 and word.startswith("{\\", i):
                # A special character such as {\"u}: its case decides.
                letters = [ch for ch in word[i + 2 :] if ch.isalpha()]
                return bool(letters) and letters[0].islower()
            depth += 1
        elif c == "}":
            depth -= 1
        elif depth == 0 and c.isalpha():
            return c.islower()
    return False


def initials_of(given: str) -> str:
    """AMA initials of decoded given names: ``Joan M.`` -> ``JM``, ``Jean-Pierre`` -> ``J-P``."""
    out = []
    for word in given.replace(".-", "-").replace(".", ". ").split():
        parts = [p for p in word.split("-") if p]
        letters = []
        for part in parts:
            first = next((c for c in part if c.isalpha()), "")
            if first:
                letters.append(first.upper())
        if letters:
            out.append("-".join(letters))
    return "".join(out)


def _person(first: list[str], von: list[str], last: list[str], jr: list[str]) -> Name:
    given = decode(" ".join(first))
    return Name(
        surname=decode(" ".join(last)),
        given=given,
        initials=initials_of(given),
        particle=decode(" ".join(von)),
        suffix=decode(" ".join(jr)),
    )


@lru_cache(maxsize=8192)
def parse_name(text: str) -> Name:
    """Parse one BibTeX name (``Last, First``, ``First Last``, ``von Last, Jr, First`` forms).

    Cached: the same people appear across a library, and :class:`Name` is immutable.
    """
    text = text.strip()
    if text.startswith("{") and text.endswith("}") and _split_top(text, " ") == [text]:
        inner = text[1:-1]
        if not inner.startswith("\\"):
            return Name(surname=decode(inner), corporate=True)
    parts = [p.strip() for p in _split_top(text, ",")]
    if len(parts) == 1:
        words = _words(parts[0])
        if len(words) == 1:
            return _person([], [], words, [])
        von_start = next((i for i, w in enumerate(words[:-1]) if _is_lower(w)), None)
        if von_start is None:
            return _person(words[:-1], [], words[-1:], [])
        von_end = von_start
        while von_end < len(words) - 1 and _is_lower(words[von_end]):
            von_end += 1
        return _person(words[:von_start], words[von_start:von_end], words[von_end:], [])
    jr: list[str] = []
    if len(parts) >= 3:
        jr = _words(parts[1])
        first = _words(", ".join(parts[2:]))
    else:
        first = _words(parts[1])
    words = _words(parts[0])
    von_end = 0
    while von_end < len(words) - 1 and _is_lower(words[von_end]):
        von_end += 1
    return _person(first, words[:von_end], words[von_end:], jr)


def parse_names(value: str) -> tuple[list[Name], bool]:
    """Split a BibTeX ``author``/``editor`` value into names.

    Returns the names and whether the list ends with ``and others`` (more authors than listed).
    """
    names: list[Name] = []
    more = False
    for part in _split_names(value):
        if part.lower() == "others":
            more = True
            continue
        names.append(parse_name(part))
    return names, more
