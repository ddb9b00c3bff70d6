"""Write entries back to BibTeX.

An entry read from a file is written from its raw text, so the user's own data (field order,
formatting, fields this library does not know) comes back unchanged; ``@string`` definitions the
raw text relies on are written first. Entries built from look-ups are written from their fields.
"""

from __future__ import annotations

from collections.abc import Iterable

from citations.model import Entry


def _generated(entry: Entry) -> str:
    lines = [f"@{entry.entry_type}{{{entry.key},"]
    width = max((len(name) for name in entry.fields), default=0)
    for name, value in entry.fields.items():
        lines.append(f"  {name.ljust(width)} = {{{value}}},")
    lines.append("}")
    return "\n".join(lines)


def entry_to_bibtex(entry: Entry) -> str:
    """One entry as BibTeX: its raw text when it has one, else generated from its fields."""
    return entry.raw if entry.raw else _generated(entry)


def to_bibtex(entries: Iterable[Entry]) -> str:
    """Entries as a BibTeX file, preceded by the ``@string`` macros their raw text uses.

    When two entries rely on one macro name with different values, the later entry is written
    from its resolved fields instead, so each entry keeps its own meaning.
    """
    macros: dict[str, tuple[str, str]] = {}
    blocks: list[str] = []
    for entry in entries:
        text = entry_to_bibtex(entry)
        if entry.raw and entry.macros:
            clash = any(
                name.lower() in macros and macros[name.lower()][1] != value
                for name, value in entry.macros.items()
            )
            if clash:
                text = _generated(entry)
            else:
                for name, value in entry.macros.items():
                    macros.setdefault(name.lower(), (name, value))
        blocks.append(text)
    head = [f"@string{{{name} = {{{value}}}}}" for name, value in macros.values()]
    return "\n\n".join([*head, *blocks]) + "\n" if head or blocks else ""
