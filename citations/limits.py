"""How much text one library entry may keep: a file cannot make one entry weigh megabytes.

A library keeps each entry several times over (its BibTeX, its fields, their display form, a
search index), so one 5 MB abstract, or a thousand large fields, would grow the database by
many times that. An entry keeps its first ``FIELD_LIMIT`` characters of any field and
``ENTRY_LIMIT`` in all; past that its fields are cut (at a word, braces kept balanced) and the
entry is kept, with a note saying what was cut. A cut entry no longer matches its original
BibTeX, so it drops that text and is exported from its fields.
"""

from __future__ import annotations

from citations.model import Entry, ParseWarning, make_entry

# A long PubMed abstract is ~5,000 characters; guidelines' notes run to a few thousand.
FIELD_LIMIT = 20_000
ENTRY_LIMIT = 100_000
# The entry as written in the file: its fields plus their names, braces and line breaks.
RAW_LIMIT = ENTRY_LIMIT + 20_000


def fit(entry: Entry) -> tuple[Entry, list[ParseWarning]]:
    """`entry` within the limits, and a note for each field cut or left out (none when it
    fits: the same entry is returned)."""
    fields: dict[str, str] = {}
    cut: list[str] = []
    left = ENTRY_LIMIT
    for name, value in entry.fields.items():
        room = min(FIELD_LIMIT, left)
        if len(value) <= room:
            fields[name] = value
        elif room > 0:
            fields[name] = _cut(value, room)
            cut.append(f"`{name}` was cut to {len(fields[name]):,} characters of {len(value):,}")
        else:
            cut.append(f"`{name}` ({len(value):,} characters) was left out")
        left -= len(fields.get(name, ""))
    raw = entry.raw or ""
    macros = sum(len(v) for v in entry.macros.values())
    if not cut and len(raw) <= RAW_LIMIT and macros <= ENTRY_LIMIT:
        return entry, []
    line = entry.line or 0
    if not cut:
        cut.append(f"its BibTeX ({len(raw) + macros:,} characters) was too long to keep as written")
    fitted = make_entry(entry.key, entry.entry_type, fields, line=entry.line)
    notes = [
        ParseWarning(
            line,
            f"Entry `{entry.key}` is kept, but {why}: an entry keeps at most "
            f"{FIELD_LIMIT:,} characters a field and {ENTRY_LIMIT:,} in all. It is exported "
            "from its fields.",
        )
        for why in cut
    ]
    return fitted, notes


def _cut(value: str, room: int) -> str:
    """The longest start of `value` within `room` characters that ends at a space outside
    braces (so a LaTeX group is never cut in two), else at any point outside braces."""
    depth, best, outside = 0, 0, 0
    for i, c in enumerate(value[:room]):
        if c == "{" and (i == 0 or value[i - 1] != "\\"):
            depth += 1
        elif c == "}" and (i == 0 or value[i - 1] != "\\"):
            depth = max(depth - 1, 0)
        if depth == 0:
            outside = i + 1
            if c.isspace():
                best = i
    return value[: best or outside].rstrip()
