"""``@string`` macros: resolving field values, within bounds no file can push past.

Macros nest (a macro built from macros) and ``#`` joins them, so each level can double the
text: 30 levels of ``@string{b = a # a}``, a 547-byte file, expand to a gigabyte. bibtexparser
expands without a bound, so the parser leaves macros alone and they are resolved here, under
three limits that keep an import's memory fixed whatever the file holds:

- a macro may be built from macros at most ``MACRO_DEPTH`` levels deep;
- a value built from macros may reach ``VALUE_LIMIT`` characters (measured before it is
  joined, so the oversized text is never made);
- the macros of one file may add ``EXPANSION_LIMIT`` characters in all (a 100,000-character
  macro used by every entry of a large file is as costly as a deep one).

A value past a limit raises :class:`TooLarge`; the parser reports its block by line.
"""

from __future__ import annotations

# Real libraries nest one or two levels (a journal name joined to a series); the bounds
# leave a wide margin over that while keeping the worst file to tens of megabytes.
MACRO_DEPTH = 8
VALUE_LIMIT = 100_000
EXPANSION_LIMIT = 10_000_000

# BibTeX's standard styles predefine the month macros.
MONTH_MACROS = {
    "jan": "January",
    "feb": "February",
    "mar": "March",
    "apr": "April",
    "may": "May",
    "jun": "June",
    "jul": "July",
    "aug": "August",
    "sep": "September",
    "oct": "October",
    "nov": "November",
    "dec": "December",
}


class TooLarge(Exception):
    """A value would pass one of the bounds; str() says which, for a report."""


class _Unbalanced(Exception):
    pass


class Uses:
    """The macros a value used (to re-emit their definitions on export), the undefined ones,
    and its nesting depth (0: no macro; 1: macros of plain text; ...)."""

    __slots__ = ("defined", "depth", "unknown")

    def __init__(self) -> None:
        self.defined: dict[str, str] = {}
        self.unknown: list[str] = []
        self.depth = 0


class Macros:
    """The macros a file has defined so far, and what is left of its expansion budget."""

    __slots__ = ("depths", "spent", "values")

    def __init__(self) -> None:
        self.values: dict[str, str] = dict(MONTH_MACROS)
        self.depths: dict[str, int] = dict.fromkeys(MONTH_MACROS, 0)
        self.spent = 0

    def define(self, name: str, value: str, uses: Uses) -> None:
        """Remember macro `name` (lower case), resolved to `value` using `uses`."""
        self.values[name] = value
        self.depths[name] = uses.depth

    def resolve(self, value: str, uses: Uses) -> str:
        """One field value as text: delimiters removed, macros and ``#`` applied.

        Raises TooLarge when the macros it uses nest too deep, make it too long, or spend
        the file's budget."""
        v = value.strip()
        if not v:
            return ""
        if "#" not in v:
            first, last = v[0], v[-1]
            if (first == "{" and last == "}") or (first == '"' and last == '"' and len(v) > 1):
                return v[1:-1]
            return self._token(v, uses)
        try:
            parts = _split_concatenation(v)
        except _Unbalanced:
            return v
        pieces, length, spent = [], 0, self.spent
        for part in parts:
            piece = self._token(part, uses)
            length += len(piece)
            # Literal text is the file's own size; only what macros add is bounded here.
            if self.spent != spent and length > VALUE_LIMIT:
                raise TooLarge(
                    f"its `@string` macros expand it past {VALUE_LIMIT:,} characters "
                    "(the most a value built from macros may hold)"
                )
            pieces.append(piece)
        return "".join(pieces)

    def _token(self, tok: str, uses: Uses) -> str:
        if not tok:
            return ""
        if (tok[0] == "{" and tok[-1] == "}") or (
            tok[0] == '"' and tok[-1] == '"' and len(tok) > 1
        ):
            return tok[1:-1]
        if tok.isdigit():
            return tok
        name = tok.lower()
        found = self.values.get(name)
        if found is None:
            uses.unknown.append(tok)
            return tok
        depth = self.depths[name] + 1
        if depth > MACRO_DEPTH:
            raise TooLarge(
                f"it uses `{tok}`, which is built from macros {depth - 1} levels deep "
                f"(at most {MACRO_DEPTH} levels of macros are followed)"
            )
        uses.depth = max(uses.depth, depth)
        self.spent += len(found)
        if self.spent > EXPANSION_LIMIT:
            raise TooLarge(
                f"the file's `@string` macros expand past {EXPANSION_LIMIT:,} characters in "
                "all (the most one import may add), and this value would add more"
            )
        if MONTH_MACROS.get(name) != found:
            uses.defined[tok] = found
        return found


def _split_concatenation(value: str) -> list[str]:
    """Split a field value on ``#`` outside braces and quotes."""
    parts, depth, quoted, start = [], 0, False, 0
    for i, c in enumerate(value):
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth < 0:
                raise _Unbalanced
        elif c == '"' and depth == 0:
            quoted = not quoted
        elif c == "#" and depth == 0 and not quoted:
            parts.append(value[start:i].strip())
            start = i + 1
    if depth != 0 or quoted:
        raise _Unbalanced
    parts.append(value[start:].strip())
    return parts
