"""Read BibTeX from Zotero, Better BibTeX, JabRef, Mendeley or a text editor.

bibtexparser splits the text into blocks; this module closes its gaps: ``@string`` macros with
``#`` concatenation, resolved within bounds (citations/macros.py), field names in any case, line
numbers as an editor shows them (bibtexparser counts from 0), readable reasons for blocks that
failed, and display decoding.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import bibtexparser
from bibtexparser import model as bp

from citations.macros import Macros, TooLarge, Uses
from citations.model import (
    KEY_LENGTH,
    TYPE_LENGTH,
    DuplicateKey,
    FailedBlock,
    ParseResult,
    ParseWarning,
    make_entry,
)

_HEAD = re.compile(r"@\s*(\w*)\s*[{(]\s*([^,\s}]*)")
# `@article{title = {...}` : the first word is a field name, the key is missing.
_NO_KEY = re.compile(r"@\s*\w*\s*[{(]\s*[^,\s}=]*\s*=")
# A carriage return not followed by a line feed (classic Mac OS): an editor starts a line there,
# bibtexparser does not.
_LONE_CR = re.compile(r"\r(?!\n)")
_NOT_ENTRIES = frozenset({"comment", "preamble", "string"})
_DELIMITERS = re.compile(r'(?<!\\)[{}"]')  # as bibtexparser: escaped ones do not count


def _head(raw: str | None) -> tuple[str, str]:
    m = _HEAD.match(raw or "")
    return (m.group(1).lower(), m.group(2)) if m else ("", "")


def _describe_failure(block: bp.ParsingFailedBlock) -> str:
    entry_type, key = _head(block.raw)
    if entry_type in _NOT_ENTRIES:
        what = f"`@{entry_type}` block"
    elif _NO_KEY.match(block.raw or ""):
        return f"`@{entry_type}` entry could not be read: it has no citation key."
    else:
        what = f"Entry `{key}`" if key else (f"`@{entry_type}` block" if entry_type else "Block")
    error = block.error
    reason = getattr(error, "abort_reason", "") or str(error)
    if "Unexpectedly reached end of file" in reason:
        detail = "the file ends before it is closed (a `}` is missing)"
    elif "Unexpected block start" in reason and "closing `}`" in reason:
        detail = "a `{` is not closed before the next entry starts (a `}` is missing)"
    elif "Unexpected block start" in reason and '`"`' in reason:
        detail = 'a value opened with `"` is not closed before the next entry starts'
    elif "Unexpected block start" in reason:
        detail = "it is not closed before the next entry starts (a `}` is missing)"
    elif "Expected comma after entry key" in reason:
        detail = "a comma is expected after the citation key"
    elif "Expected a `=` after entry key" in reason:
        m = re.search(r"entry key `([^`]*)`", reason)
        name = f"`{m.group(1)}` " if m else ""
        detail = f"the field {name}has no `=` and value"
    elif "Expected a `=`" in reason or "Expected equals sign" in reason:
        detail = "a field name must be followed by `=` and a value"
    elif "Expected either a `,`" in reason:
        detail = "two fields are not separated by a comma"
    else:
        detail = reason.strip() or type(error).__name__
    return f"{what} could not be read: {detail}."


# The text is read a piece of about this many characters at a time, cut where a block starts,
# so what an import holds at once follows this size, not the file's (a 50 MB library would
# otherwise be held as blocks, entries and references all together: ~8 times its size).
PIECE = 1_000_000
# Where bibtexparser starts a block whatever was open: `@type{` or `@type(` first on a line.
_BLOCK_LINE = re.compile(r"^[ \t]*(@\w*[ \t]*[{(])", re.M)
# Closes a piece as the block after it would: one left open is reported as cut off by the next
# block, in the words and with the raw text it has when the file is read whole.
_NEXT_BLOCK = "@comment{}"


def parse_bibtex(text: str) -> ParseResult:
    """Parse BibTeX text into entries, reporting duplicates and unreadable blocks by line.

    Keys used twice keep their first entry; the later ones are listed in ``duplicates``.
    Blocks with syntax errors or a field given twice are listed in ``failed`` with the line an
    editor shows (first line is 1) and a reason; undefined ``@string`` macros are kept as text
    and listed in ``warnings``. Never raises on bad input.
    """
    whole = ParseResult()
    for part in read_bibtex(text, PIECE):
        whole.entries += part.entries
        whole.duplicates += part.duplicates
        whole.failed += part.failed
        whole.warnings += part.warnings
        whole.strings.update(part.strings)
    return whole


def read_bibtex(text: str, piece: int = PIECE) -> Iterator[ParseResult]:
    """:func:`parse_bibtex`, one piece of the text at a time: each result holds what was read
    from about `piece` characters (macros and keys carry over from the pieces before), so a
    caller that stores and drops each one holds a fixed amount whatever the file's size."""
    source = text
    if "\r" in text and _LONE_CR.search(text):
        # Same length, so each block's raw text can be cut from the original at the same place.
        text = _LONE_CR.sub("\n", text)
    reader = _Reader()
    start, lines = 0, 0
    while start < len(text):
        end = _cut(text, start + piece)
        chunk = text[start:end]
        original = chunk if source is text else source[start:end]
        yield reader.read(chunk, original, lines, last=end == len(text))
        lines += chunk.count("\n")
        start = end


def estimate_entries(text: str) -> int:
    """About how many entries `text` holds (blocks other than strings, comments, preambles),
    counted without reading them: the total of an import's progress."""
    return sum(
        1
        for m in _BLOCK_LINE.finditer(text)
        if not m.group(1)[1:].lower().startswith(("string", "comment", "preamble"))
    )


def _cut(text: str, at: int) -> int:
    """The start of the first block at or after `at` (its `@`), else the end of the text."""
    if at >= len(text):
        return len(text)
    line = text.rfind("\n", 0, at) + 1
    found = _BLOCK_LINE.search(text, line)
    while found is not None and found.start(1) < at:
        found = _BLOCK_LINE.search(text, found.end())
    return found.start(1) if found else len(text)


class _Reader:
    """What reading one piece needs from the pieces before: macros, and keys with their line."""

    __slots__ = ("entry_lines", "macros", "string_lines")

    def __init__(self) -> None:
        self.macros = Macros()
        self.string_lines: dict[str, int] = {}
        self.entry_lines: dict[str, int] = {}

    def read(self, text: str, original: str, lines: int, last: bool) -> ParseResult:
        """The blocks of `text` (lines counted from `lines` + 1); `original` is the same text
        before line breaks were normalised, for each block's raw text."""
        # The splitter alone: the default middleware resolves `@string`s without `#` and
        # removes delimiters, both of which are done here, together with what it leaves out.
        library = bibtexparser.parse_string(text if last else text + _NEXT_BLOCK, parse_stack=[])
        raw_of = _RawText(original, text)
        result = ParseResult()
        for block in library.blocks:
            line = (block.start_line or 0) + 1 + lines
            self._block(block, line, raw_of, result, lines)
        return result

    def _block(self, block, line: int, raw_of: _RawText, result: ParseResult, lines: int) -> None:
        if isinstance(block, bp.DuplicateFieldKeyBlock):
            entry = block.ignore_error_block
            names = ", ".join(f"`{k.lower()}`" for k in sorted(block.duplicate_keys))
            key = getattr(entry, "key", "")
            result.failed.append(
                FailedBlock(
                    line,
                    f"Entry `{key}` could not be read: the field {names} is given more than once.",
                    raw_of(block.raw),
                )
            )
        elif isinstance(block, bp.DuplicateBlockKeyBlock):
            duplicate = block.ignore_error_block
            previous = block.previous_block
            first = (previous.start_line or 0) + 1 + lines if previous is not None else None
            if isinstance(duplicate, bp.String):
                result.failed.append(_string_again(block.key, line, first, raw_of(block.raw)))
            else:
                result.duplicates.append(DuplicateKey(block.key, line, first))
        elif isinstance(block, bp.ParsingFailedBlock):
            result.failed.append(FailedBlock(line, _describe_failure(block), raw_of(block.raw)))
        elif isinstance(block, bp.String):
            self._string(block, line, raw_of(block.raw), result)
        elif isinstance(block, bp.Entry):
            if block.key in self.entry_lines:  # used in an earlier piece
                result.duplicates.append(DuplicateKey(block.key, line, self.entry_lines[block.key]))
                return
            self.entry_lines[block.key] = line
            _add_entry(block, line, self.macros, result, raw_of(block.raw))

    def _string(self, block: bp.String, line: int, raw: str, result: ParseResult) -> None:
        name = block.key.lower()
        if name in self.string_lines:  # BibTeX macro names ignore case: `ACR` is `acr` again
            result.failed.append(_string_again(block.key, line, self.string_lines[name], raw))
            return
        uses = Uses()
        try:
            value = self.macros.resolve(block.value, uses)
        except TooLarge as why:
            reason = f"`@string` `{block.key}` could not be read: {why}."
            result.failed.append(FailedBlock(line, reason, raw))
            return
        for unknown in uses.unknown:
            result.warnings.append(
                ParseWarning(line, f"`@string` `{block.key}` uses undefined macro `{unknown}`.")
            )
        self.macros.define(name, value, uses)
        self.string_lines[name] = line
        result.strings[block.key] = value


def _string_again(key: str, line: int, first: int | None, raw: str) -> FailedBlock:
    return FailedBlock(
        line,
        f"`@string` `{key}` is defined again (first on line {first}); "
        "the first definition is used.",
        raw,
    )


class _RawText:
    """Maps a block's raw text back to the original when line breaks were normalised."""

    __slots__ = ("normalised", "original", "position")

    def __init__(self, original: str, normalised: str) -> None:
        self.original = original
        self.normalised = normalised
        self.position = 0

    def __call__(self, raw: str | None) -> str:
        if not raw or self.original is self.normalised:
            return raw or ""
        start = self.normalised.find(raw, self.position)
        if start < 0:
            start = self.normalised.find(raw)
            if start < 0:
                return raw
        self.position = start + len(raw)
        return self.original[start : self.position]


def _closes_early(inner: str, opening: str) -> bool:
    """Whether a value's opening delimiter closes before its last character (``{a} x = {b}``)."""
    depth = 0
    for m in _DELIMITERS.finditer(inner):
        c = m.group()
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth < 0:
                return True
        elif depth == 0 and opening == '"':
            return True
    return False


def _add_entry(block: bp.Entry, line: int, macros: Macros, result: ParseResult, raw: str) -> None:
    if not block.key:
        result.failed.append(
            FailedBlock(
                line,
                f"`@{block.entry_type}` entry could not be read: it has no citation key.",
                raw,
            )
        )
        return
    too_long = (
        ("citation key", block.key, KEY_LENGTH),
        ("entry type", block.entry_type, TYPE_LENGTH),
    )
    for what, value, limit in too_long:
        if len(value) > limit:
            name = block.key if len(block.key) <= 40 else block.key[:40] + "…"
            reason = (
                f"Entry `{name}` could not be read: its {what} is {len(value)} characters "
                f"long (at most {limit})."
            )
            result.failed.append(FailedBlock(line, reason, raw))
            return
    fields: dict[str, str] = {}
    uses = Uses()
    for f in block.fields:
        name = f.key.lower()
        value = f.value
        if name not in fields and "#" not in value and len(value) > 1:
            # The usual case, a braced or quoted value without `#` (already stripped).
            first, last = value[0], value[-1]
            if (first == "{" and last == "}") or (first == '"' and last == '"'):
                inner = value[1:-1]
                if (first == "{" and "}" not in inner) or (first == '"' and '"' not in inner):
                    fields[name] = inner
                    continue
                if _closes_early(inner, first):
                    reason = (
                        f"Entry `{block.key}` could not be read: the value of `{name}` goes on "
                        f"after its closing `{'}' if first == '{' else first}` "
                        "(a comma or `#` is missing)."
                    )
                    result.failed.append(FailedBlock(line, reason, raw))
                    return
        if name in fields:
            result.failed.append(
                FailedBlock(
                    line,
                    f"Entry `{block.key}` could not be read: the field `{name}` "
                    "is given more than once.",
                    raw,
                )
            )
            return
        try:
            fields[name] = macros.resolve(value, uses)
        except TooLarge as why:
            reason = f"Entry `{block.key}` could not be read: its `{name}` field: {why}."
            result.failed.append(FailedBlock(line, reason, raw))
            return
    for name in uses.unknown:
        result.warnings.append(
            ParseWarning(
                line,
                f"Entry `{block.key}` uses `{name}`, which is not a defined `@string`; "
                "it was kept as text.",
            )
        )
    entry = make_entry(block.key, block.entry_type, fields, raw=raw, line=line)
    entry.macros = uses.defined
    result.entries.append(entry)
