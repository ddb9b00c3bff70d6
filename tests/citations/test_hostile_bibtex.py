"""Hostile BibTeX: every quirk of hand-written and exported files, with editor line numbers."""

from __future__ import annotations

import pytest

from citations import decode, parse_bibtex, to_bibtex


def _only(text: str):
    result = parse_bibtex(text)
    assert result.failed == [], result.failed
    assert len(result.entries) == 1
    return result.entries[0]


def test_string_concatenation_with_macros_of_macros_quotes_and_braces() -> None:
    text = """@string{org = "American College"}
@STRING{full = org # { of } # "Rheumatology"}
@String{guide = full # " guideline, " # {{\\"U}bersicht}}
@article{k,
  publisher = full,
  title = guide # { (} # 2021 # ")",
  month = jan # "~" # {15},
}
"""
    result = parse_bibtex(text)
    assert result.strings == {
        "org": "American College",
        "full": "American College of Rheumatology",
        "guide": 'American College of Rheumatology guideline, {\\"U}bersicht',
    }
    entry = result.entries[0]
    assert entry.fields["publisher"] == "American College of Rheumatology"
    assert entry.display["title"] == "American College of Rheumatology guideline, Übersicht (2021)"
    assert entry.fields["month"] == "January~15"
    assert entry.macros == {
        "full": "American College of Rheumatology",
        "guide": 'American College of Rheumatology guideline, {\\"U}bersicht',
    }
    assert result.warnings == []


def test_macro_names_ignore_case_and_a_second_definition_is_reported() -> None:
    text = '@string{ACR = "First"}\n@string{acr = "Second"}\n@misc{k, publisher = Acr}\n'
    result = parse_bibtex(text)
    assert result.entries[0].fields["publisher"] == "First"
    assert [(f.line, f.reason) for f in result.failed] == [
        (2, "`@string` `acr` is defined again (first on line 1); the first definition is used.")
    ]


def test_month_macros_can_be_redefined() -> None:
    entry = parse_bibtex('@string{jan = "Jan."}\n@misc{k, month = jan}\n').entries[0]
    assert entry.fields["month"] == "Jan."


def test_undefined_macro_in_a_string_is_kept_with_a_warning_on_its_line() -> None:
    result = parse_bibtex('\n@string{x = y # {z}}\n@string{y = {Y}}\n@misc{k, title = x # " " # y}')
    assert result.entries[0].fields["title"] == "yz Y"
    assert [(w.line, w.message) for w in result.warnings] == [
        (2, "`@string` `x` uses undefined macro `y`.")
    ]


def test_hash_inside_braces_or_quotes_is_text() -> None:
    entry = _only('@misc{k, title = {C# and F#}, note = "#1 " # {#2}}')
    assert entry.fields == {"title": "C# and F#", "note": "#1 #2"}


def test_capitalised_field_names_are_lower_cased() -> None:
    entry = _only("@Article{Key2020,\n  Title = {T},\n  AUTHOR = {Doe, Jane},\n  Journal = {J}\n}")
    assert entry.entry_type == "article"
    assert entry.key == "Key2020"
    assert list(entry.fields) == ["title", "author", "journal"]
    assert entry.authors[0].ama == "Doe J"


def test_same_field_in_two_cases_fails_the_entry_with_its_line() -> None:
    result = parse_bibtex("% notes\n@article{k,\n  Title = {A},\n  title = {B}\n}\n@misc{ok}\n")
    assert [e.key for e in result.entries] == ["ok"]
    assert [(f.line, f.reason) for f in result.failed] == [
        (2, "Entry `k` could not be read: the field `title` is given more than once.")
    ]


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ('M{\\"u}ller', "Müller"),
        ('M\\"{u}ller', "Müller"),
        ('M\\"uller', "Müller"),
        ("{\\O}stergaard", "Østergaard"),
        ("{\\o}", "ø"),
        ("Stra\\ss e", "Straße"),
        ("Stra{\\ss}e", "Straße"),
        ("\\ss{}", "ß"),
        ("Garc{\\'\\i}a", "García"),
        ("Fran\\c{c}ois", "François"),
        ("\\v{S}koda", "Škoda"),
        ("Care \\& Research", "Care & Research"),
        ("50\\% of", "50% of"),
        ("924--939", "924–939"),
        ("then---now", "then—now"),
        ("Fig.~2", "Fig. 2"),
        ("``quoted''", "\u201cquoted\u201d"),
        ("\\textit{in vivo}", "in vivo"),
        ("{{Case}} {KEPT}", "Case KEPT"),
        ("$\\alpha$-blockers", "α-blockers"),
        ("$\\beta$ and $\\geq$ 2", "β and ≥ 2"),
        ("$x^2$", "x^2"),
        ("{\\noopsort{a}}Title", "Title"),
        ("two  spaces\tand\nlines", "two spaces and lines"),
    ],
)
def test_latex_accents_and_symbols_are_decoded(source: str, shown: str) -> None:
    assert decode(source) == shown
    entry = _only(f"@misc{{k, title = {{{source}}}}}")
    assert entry.display["title"] == shown
    assert entry.fields["title"] == source


def test_names_are_split_before_decoding() -> None:
    entry = _only('@misc{k, author = {M{\\"u}ller, J{\\"o}rg and {\\O}stergaard, Mikkel}}')
    assert [(n.surname, n.given, n.initials) for n in entry.authors] == [
        ("Müller", "Jörg", "J"),
        ("Østergaard", "Mikkel", "M"),
    ]


@pytest.mark.parametrize("name", ["url", "doi", "file", "eprint", "pdf", "URL", "Doi"])
def test_verbatim_fields_keep_percent_backslash_tilde_and_dashes(name: str) -> None:
    value = "https://x.org/~me/a%20b--c_{d}\\e"
    entry = _only(f"@misc{{k, {name} = {{{value}}}}}")
    assert entry.display[name.lower()] == value
    assert entry.fields[name.lower()] == value


def test_url_percent_does_not_cut_the_rest_of_the_entry() -> None:
    entry = _only("@online{k,\n  url = {https://example.org/a%20b?q=1%2C2},\n  title = {After}\n}")
    assert entry.display["url"] == "https://example.org/a%20b?q=1%2C2"
    assert entry.display["title"] == "After"


def test_corporate_authors_in_braces_stay_whole() -> None:
    entry = _only(
        "@misc{k, author = {{World Health Organization} and {Johnson and Johnson} and "
        "{\\O}rsted, Anders and {Centers for Disease Control {\\&} Prevention}}}"
    )
    assert [(n.corporate, n.ama) for n in entry.authors] == [
        (True, "World Health Organization"),
        (True, "Johnson and Johnson"),
        (False, "Ørsted A"),
        (True, "Centers for Disease Control & Prevention"),
    ]
    assert entry.display["author"] == (
        "World Health Organization; Johnson and Johnson; Ørsted, Anders; "
        "Centers for Disease Control & Prevention"
    )


def test_duplicate_keys_keep_the_first_and_report_key_and_line() -> None:
    text = (
        "@article{k,\n  title = {First}\n}\n\n"
        "@book{k,\n  title = {Second}\n}\n"
        "@misc{other, title = {O}}\n"
        "@misc{k, title = {Third}}\n"
    )
    result = parse_bibtex(text)
    assert [(e.key, e.display["title"]) for e in result.entries] == [
        ("k", "First"),
        ("other", "O"),
    ]
    assert [(d.key, d.line, d.first_line) for d in result.duplicates] == [
        ("k", 5, 1),
        ("k", 9, 1),
    ]


def test_unbalanced_braces_fail_one_entry_and_the_next_ones_are_read() -> None:
    text = (
        "@article{good1, title = {One}}\n"
        "@article{broken,\n  title = {Unclosed {brace},\n  year = 2020,\n}\n"
        "@article{good2, title = {Two}}\n"
    )
    result = parse_bibtex(text)
    assert [(e.key, e.line) for e in result.entries] == [("good1", 1), ("good2", 6)]
    assert [(f.line, f.reason) for f in result.failed] == [
        (
            2,
            "Entry `broken` could not be read: it is not closed before the next entry starts "
            "(a `}` is missing).",
        )
    ]


def test_stray_closing_braces_between_entries_are_ignored() -> None:
    result = parse_bibtex("@misc{a, title = {A}}}\n}}\n@misc{b, title = {B}}\n")
    assert [(e.key, e.line) for e in result.entries] == [("a", 1), ("b", 3)]
    assert result.failed == []


def test_value_going_on_after_its_closing_brace_fails_the_entry() -> None:
    result = parse_bibtex("@misc{a,\n  title = {T} year = {2020}\n}\n@misc{b, title = {B}}")
    assert [e.key for e in result.entries] == ["b"]
    assert [(f.line, f.reason) for f in result.failed] == [
        (
            1,
            "Entry `a` could not be read: the value of `title` goes on after its closing `}` "
            "(a comma or `#` is missing).",
        )
    ]


@pytest.mark.parametrize(
    "entry",
    ["@article{,\n  title = {No key},\n}", "@article{\n  title = {No key},\n}"],
)
def test_entries_missing_a_key_are_reported(entry: str) -> None:
    result = parse_bibtex(f"@misc{{before, title = {{B}}}}\n{entry}\n@misc{{after}}\n")
    assert [e.key for e in result.entries] == ["before", "after"]
    assert [(f.line, f.reason) for f in result.failed] == [
        (2, "`@article` entry could not be read: it has no citation key.")
    ]


def test_garbage_between_entries_is_ignored() -> None:
    text = (
        "Exported by hand. Contact me@example.org {or not}\n"
        "@article{a, title = {A}} trailing words, commas = and equals\n"
        "\n  some } stray { text\n"
        "@book{b, title = {B}}\n"
        "% a TeX comment line\n"
        "@misc{c, title = {C}}"
    )
    result = parse_bibtex(text)
    assert [(e.key, e.line) for e in result.entries] == [("a", 2), ("b", 5), ("c", 7)]


def test_comment_and_preamble_blocks_are_not_entries() -> None:
    text = (
        "@comment{jabref-meta: databaseType:bibtex;}\n"
        '@preamble{ "\\newcommand{\\noopsort}[1]{}" }\n'
        "@Comment{@article{hidden, title = {Inside a comment}}}\n"
        "@article{a, title = {{\\noopsort{b}}Shown}}\n"
    )
    result = parse_bibtex(text)
    assert [(e.key, e.line, e.display["title"]) for e in result.entries] == [("a", 4, "Shown")]
    assert result.failed == []


def test_unclosed_comment_block_is_reported_as_a_block() -> None:
    result = parse_bibtex("@comment{unbalanced {\n@misc{b, title = {B}}\n")
    assert [e.key for e in result.entries] == ["b"]
    assert [f.reason for f in result.failed] == [
        "`@comment` block could not be read: it is not closed before the next entry starts "
        "(a `}` is missing)."
    ]


def test_file_ending_inside_an_entry_keeps_the_entries_before_it() -> None:
    text = "@misc{a, title = {A}}\n\n@misc{b, title = {B}}\n@article{cut,\n  title = {Cut off"
    result = parse_bibtex(text)
    assert [e.key for e in result.entries] == ["a", "b"]
    assert [(f.line, f.reason) for f in result.failed] == [
        (4, "Entry `cut` could not be read: the file ends before it is closed (a `}` is missing).")
    ]
    assert result.failed[0].raw.startswith("@article{cut,")


def test_crlf_line_endings() -> None:
    text = (
        "% header\r\n\r\n@article{a,\r\n  title = {A\r\n  wrapped},\r\n}\r\n\r\n@misc{b,\r\n}\r\n"
    )
    result = parse_bibtex(text)
    assert [(e.key, e.line) for e in result.entries] == [("a", 3), ("b", 8)]
    a = result.entries[0]
    assert a.display["title"] == "A wrapped"
    assert a.raw == "@article{a,\r\n  title = {A\r\n  wrapped},\r\n}"
    assert a.raw in to_bibtex(result.entries)


def test_lone_carriage_returns_count_as_lines_and_raw_is_kept() -> None:
    text = "% classic Mac OS\r@article{a,\r  title = {A}\r}\r\r@misc{b, title = {B}}"
    result = parse_bibtex(text)
    assert [(e.key, e.line) for e in result.entries] == [("a", 2), ("b", 6)]
    assert result.entries[0].raw == "@article{a,\r  title = {A}\r}"


def test_utf8_byte_order_mark() -> None:
    data = "\ufeff@article{bom,\n  title = {Caf\\'e}\n}\n@misc{b}\n".encode()
    for text in (data.decode("utf-8"), data.decode("utf-8-sig")):
        result = parse_bibtex(text)
        assert [(e.key, e.line) for e in result.entries] == [("bom", 1), ("b", 4)]
        assert result.entries[0].display["title"] == "Café"
        assert result.entries[0].raw.startswith("@article")


def test_tabs_anywhere() -> None:
    entry = _only("@article{\ttabbed,\n\tauthor\t=\t{Doe,\tJane},\n\ttitle =\t{A\t\tB}\n}")
    assert entry.key == "tabbed"
    assert entry.authors[0].ama == "Doe J"
    assert entry.display["title"] == "A B"


def test_parenthesised_entries() -> None:
    result = parse_bibtex("@article(p,\n  title = {In (parentheses)}\n)\n@misc{q}")
    assert [(e.key, e.line, e.display.get("title")) for e in result.entries] == [
        ("p", 1, "In (parentheses)"),
        ("q", 4, None),
    ]


def test_at_sign_inside_a_value_is_text() -> None:
    entry = _only("@misc{k,\n  note = {Mail me @ home,\n@ line start? no: inside braces}\n}")
    assert "@ home" in entry.display["note"]


def test_line_numbers_after_multiline_values_and_failures() -> None:
    text = (
        "@string{j = {J}}\n"  # 1
        "@article{a,\n  abstract = {one\n\n\ntwo},\n  journal = j\n}\n"  # 2-8
        "@article{bad, title = {x}, title = {y}}\n"  # 9
        "\n"  # 10
        "@article{c, title = \n  {C}}\n"  # 11-12
    )
    result = parse_bibtex(text)
    assert [(e.key, e.line) for e in result.entries] == [("a", 2), ("c", 11)]
    assert [f.line for f in result.failed] == [9]


def test_deeply_nested_markup_is_decoded_quickly_and_never_raises() -> None:
    # pylatexenc doubles its output for each nested accent; a hostile value must not exhaust
    # memory.
    hostile = "{\\'" * 40 + "a" + "}" * 40
    assert len(decode(hostile)) < 100
    assert decode("\\href{a}{" * 5 + "x") is not None
    entry = _only("@misc{k, title = {" + hostile + "}}")
    assert entry.display["title"]


def test_a_key_or_entry_type_too_long_to_store_is_refused_with_its_line() -> None:
    text = (
        "@article{ok, title = {Kept}}\n"  # 1
        "@article{" + "k" * 251 + ", title = {Key}}\n"  # 2
        "@" + "t" * 41 + "{longtype, title = {Type}}\n"  # 3
        "@article{" + "k" * 250 + ", title = {At the limit}}\n"  # 4
    )
    result = parse_bibtex(text)
    assert [e.line for e in result.entries] == [1, 4]
    assert [(f.line, f.reason) for f in result.failed] == [
        (
            2,
            f"Entry `{'k' * 40}…` could not be read: its citation key is 251 characters long "
            "(at most 250).",
        ),
        (
            3,
            "Entry `longtype` could not be read: its entry type is 41 characters long "
            "(at most 40).",
        ),
    ]
