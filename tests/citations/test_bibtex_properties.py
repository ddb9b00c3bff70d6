"""Property-based tests: damaged input never raises, and a broken entry never takes the
well-formed entries around it down with it."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citations import entry_to_csl, format_ama, import_bibtex, parse_bibtex, to_bibtex

SETTINGS = settings(
    max_examples=150,
    deadline=None,  # a shared machine: timing is not the property under test
    database=None,  # leave no example database in the working tree
    suppress_health_check=[HealthCheck.too_slow],
)

FIELD_NAMES = [
    "title",
    "author",
    "editor",
    "journal",
    "booktitle",
    "year",
    "month",
    "day",
    "date",
    "eventdate",
    "urldate",
    "edition",
    "volume",
    "number",
    "type",
    "pages",
    "note",
    "url",
    "doi",
    "abstract",
]
TYPES = ["article", "book", "inproceedings", "misc", "online", "techreport", "phdthesis"]
# Pieces of well-formed values: plain text and the markup real files carry.
PIECES = st.one_of(
    st.text(
        st.characters(
            min_codepoint=32,
            max_codepoint=0x2FF,
            exclude_characters='{}"\\@#',
        ),
        max_size=12,
    ),
    st.sampled_from(
        [
            '{\\"u}',
            "\\'e",
            "{\\O}",
            "\\ss{}",
            "\\&",
            "50\\%",
            "--",
            "---",
            "~",
            "{Braced Case}",
            "$\\alpha$",
            "%20",
            " @ ",
            "a, b = c",
            " and ",
            "{World Health Organization}",
            "2021-06-08",
            "2023-05-30/2023-06-02",
            "\u00b2",
            "12",
        ]
    ),
)
VALUES = st.lists(PIECES, max_size=6).map("".join)
KEYS = st.from_regex(r"[A-Za-z][A-Za-z0-9_:.-]{0,12}", fullmatch=True)


@dataclass(frozen=True)
class Source:
    key: str
    entry_type: str
    fields: tuple[tuple[str, str], ...]  # as written: names may be capitalised

    def text(self) -> str:
        body = "".join(f",\n  {name} = {{{value}}}" for name, value in self.fields)
        return f"@{self.entry_type}{{{self.key}{body}\n}}\n"

    def expected(self) -> dict[str, str]:
        return {name.lower(): value for name, value in self.fields}


@st.composite
def sources(draw: st.DrawFn, key: str) -> Source:
    names = draw(st.lists(st.sampled_from(FIELD_NAMES), unique=True, max_size=6))
    fields = []
    for name in names:
        shown = name.capitalize() if draw(st.booleans()) else name
        fields.append((shown, draw(VALUES)))
    return Source(key, draw(st.sampled_from(TYPES)), tuple(fields))


@st.composite
def libraries(draw: st.DrawFn, min_size: int = 0) -> list[Source]:
    keys = draw(st.lists(KEYS, min_size=min_size, max_size=6, unique_by=str.lower))
    return [draw(sources(key)) for key in keys]


def _join(entries: list[Source], separators: list[str]) -> str:
    out = ""
    for i, source in enumerate(entries):
        out += source.text() + separators[i % len(separators)]
    return out


SEPARATORS = st.lists(
    st.sampled_from(["", "\n", "\n% comment\n", "\nfree text, with = signs\n", "\n@comment{x}\n"]),
    min_size=1,
    max_size=3,
)
NOISE = st.one_of(
    st.sampled_from(list('{}"@,#=\\%\n\r\t') + ["@article{", "@string{", "\r\n", "\ufeff"]),
    st.text(max_size=5),
)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = _join(draw(libraries()), draw(SEPARATORS))
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(text)))
        if draw(st.booleans()) and text:
            text = text[:at] + text[at + draw(st.integers(1, 4)) :]
        else:
            text = text[:at] + draw(NOISE) + text[at:]
    return text


def _check_never_raises(text: str) -> None:
    result = parse_bibtex(text)
    lines = text.count("\n") + text.count("\r") + 1
    for entry in result.entries:
        assert entry.line is not None and 1 <= entry.line <= lines
        format_ama(entry).html()
        entry_to_csl(entry)
    for failed in result.failed:
        assert 1 <= failed.line <= lines and failed.reason
    for duplicate in result.duplicates:
        assert 1 <= duplicate.line <= lines
    outcome = import_bibtex(text, existing={e.key: {"title": "old"} for e in result.entries})
    assert set(outcome.references) == {e.key for e in result.entries}
    outcome.report.to_json()
    to_bibtex(result.entries)


@SETTINGS
@given(mutated())
def test_mutated_libraries_never_raise(text: str) -> None:
    _check_never_raises(text)


@SETTINGS
@given(st.text(max_size=400))
def test_arbitrary_text_never_raises(text: str) -> None:
    _check_never_raises(text)


@SETTINGS
@given(
    st.binary(max_size=600),
    st.sampled_from(["utf-8", "latin-1", "cp1252"]),
    st.sampled_from(["replace", "surrogateescape", "ignore"]),
)
def test_random_bytes_decoded_as_text_never_raise(data: bytes, codec: str, errors: str) -> None:
    _check_never_raises(data.decode(codec, errors=errors))


def _break(source: Source, how: str) -> str:
    """The entry's text, damaged in one of the ways hand-edited files are."""
    text = source.text()
    body_start = text.index(",") if source.fields else len(text) - 3
    if how == "no closing brace":
        return text.rstrip()[:-1] + "\n"
    if how == "unclosed value":
        return text[:body_start] + ",\n  broken = {never closed\n" + text[body_start:]
    if how == "missing comma after key":
        return text[:body_start] + " x = {1}" + text[body_start:]
    if how == "missing key":
        return text.replace(source.key, "", 1)
    if how == "field without value":
        return text[:body_start] + ",\n  lonely" + text[body_start:]
    if how == "field twice":
        return text[:body_start] + ",\n  note = {a},\n  NOTE = {b}" + text[body_start:]
    if how == "text after value":
        return text[:body_start] + ",\n  year = {2020} junk = {x}" + text[body_start:]
    raise AssertionError(how)


BREAKS = st.sampled_from(
    [
        "no closing brace",
        "unclosed value",
        "missing comma after key",
        "missing key",
        "field without value",
        "field twice",
        "text after value",
    ]
)


@SETTINGS
@given(libraries(min_size=2), st.data(), BREAKS, SEPARATORS)
def test_a_broken_entry_never_loses_its_neighbours(
    entries: list[Source], data: st.DataObject, how: str, separators: list[str]
) -> None:
    broken = data.draw(st.integers(0, len(entries) - 1))
    text = ""
    lines: dict[str, int] = {}
    for i, source in enumerate(entries):
        lines[source.key] = text.count("\n") + 1
        text += (_break(source, how) if i == broken else source.text()) + separators[
            i % len(separators)
        ]
    result = parse_bibtex(text)
    read = {e.key: e for e in result.entries}
    for i, source in enumerate(entries):
        if i == broken:
            continue
        assert source.key in read, (source.key, text, result.failed)
        assert read[source.key].fields == source.expected()
        assert read[source.key].line == lines[source.key]
    # The broken entry itself is never dropped silently: it fails with a reason on its line,
    # or (when the damage left valid BibTeX) it is read.
    key = entries[broken].key
    assert key in read or any(f.line == lines[key] and f.reason for f in result.failed)


@SETTINGS
@given(libraries(), SEPARATORS)
def test_well_formed_libraries_read_exactly_and_export_back(
    entries: list[Source], separators: list[str]
) -> None:
    result = parse_bibtex(_join(entries, separators))
    assert result.failed == [] and result.duplicates == [] and result.warnings == []
    assert [(e.key, e.fields) for e in result.entries] == [(s.key, s.expected()) for s in entries]
    again = parse_bibtex(to_bibtex(result.entries))
    assert [(e.key, e.fields) for e in again.entries] == [(s.key, s.expected()) for s in entries]
