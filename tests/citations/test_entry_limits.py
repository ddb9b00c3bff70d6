"""One entry keeps a bounded amount of text: long fields are cut with a note, the entry stays."""

from citations import import_bibtex, parse_bibtex, to_bibtex
from citations.limits import ENTRY_LIMIT, FIELD_LIMIT, fit

WORDS = "rheumatoid arthritis step therapy {Methotrexate} failure " * 10_000  # 570,000 chars


def test_a_huge_abstract_is_cut_at_a_word_with_a_note_and_the_entry_kept():
    text = f"@article{{k,\n  title = {{Short}},\n  abstract = {{{WORDS}}}\n}}\n"
    outcome = import_bibtex(text)
    entry = outcome.parsed.entries[0]
    assert outcome.report.added == ["k"]
    abstract = entry.fields["abstract"]
    assert len(abstract) <= FIELD_LIMIT and WORDS.startswith(abstract)
    assert abstract.count("{") == abstract.count("}")  # no LaTeX group cut in two
    assert entry.fields["title"] == "Short" and entry.raw is None
    (note,) = outcome.parsed.warnings
    assert note.line == 1
    assert note.message.startswith(
        f"Entry `k` is kept, but `abstract` was cut to {len(abstract):,} characters of 570,000"
    )
    assert "It is exported from its fields." in note.message
    exported = to_bibtex([entry])
    assert len(exported) < FIELD_LIMIT + 200
    assert parse_bibtex(exported).entries[0].fields["abstract"] == abstract


def test_an_entry_of_many_large_fields_keeps_at_most_its_limit():
    fields = ",\n".join(f"  note{i} = {{{'x' * 15_000}}}" for i in range(12))
    outcome = import_bibtex(f"@misc{{many,\n{fields}\n}}\n")
    entry = outcome.parsed.entries[0]
    assert sum(len(v) for v in entry.fields.values()) <= ENTRY_LIMIT
    assert list(entry.fields) == [f"note{i}" for i in range(7)]
    messages = [w.message for w in outcome.parsed.warnings]
    assert "`note6` was cut to 10,000 characters of 15,000" in messages[0]
    assert [m for m in messages if "was left out" in m][0].startswith(
        "Entry `many` is kept, but `note7` (15,000 characters) was left out"
    )


def test_a_macro_that_makes_an_entry_too_long_drops_its_bibtex_text():
    big = "y " * 30_000
    outcome = import_bibtex(f"@string{{big = {{{big}}}}}\n@misc{{m, title = big}}\n")
    entry = outcome.parsed.entries[0]
    assert len(entry.fields["title"]) <= FIELD_LIMIT and entry.macros == {}
    assert "`title` was cut" in outcome.parsed.warnings[0].message


def test_an_entry_within_the_limits_is_kept_as_it_was():
    entry = parse_bibtex("@misc{k, title = {T}, abstract = {A short abstract.}}").entries[0]
    assert fit(entry) == (entry, [])
    assert fit(entry)[0] is entry and entry.raw
