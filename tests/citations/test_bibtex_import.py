"""Reading BibTeX exports from Zotero, Better BibTeX, JabRef, Mendeley and by hand."""

from __future__ import annotations

import bibtexparser

from citations import parse_bibtex


def test_bibtexparser_counts_lines_from_zero_and_we_report_editor_lines() -> None:
    text = "% comment\n\n@article{a,\n  title = {T},\n}\n"
    assert bibtexparser.parse_string(text).entries[0].start_line == 2
    assert parse_bibtex(text).entries[0].line == 3


def test_better_bibtex_export(parse_fixture) -> None:
    result = parse_fixture("zotero_bbt.bib")
    assert [e.key for e in result.entries] == ["fraenkel2021", "qaseem2017", "who2020"]
    assert [e.line for e in result.entries] == [2, 25, 39]
    assert result.failed == [] and result.duplicates == [] and result.warnings == []
    fraenkel = result.by_key()["fraenkel2021"]
    assert fraenkel.entry_type == "article"
    assert fraenkel.display["title"] == (
        "2021 American College of Rheumatology Guideline for the Treatment of Rheumatoid Arthritis"
    )
    assert fraenkel.display["journaltitle"] == "Arthritis Care & Research"
    assert fraenkel.fields["journaltitle"] == "Arthritis Care \\& Research"
    assert fraenkel.display["pages"] == "924–939"
    assert len(fraenkel.authors) == 10
    assert fraenkel.authors[3].surname == "St. Clair"
    assert fraenkel.authors[3].initials == "EW"
    who = result.by_key()["who2020"]
    assert who.authors[0].corporate and who.authors[0].surname == "World Health Organization"


def test_raw_text_is_kept_verbatim(parse_fixture, fixture_text) -> None:
    text = fixture_text("zotero_bbt.bib")
    for entry in parse_fixture("zotero_bbt.bib").entries:
        assert entry.raw is not None and entry.raw in text
        assert entry.raw.startswith("@") and entry.raw.endswith("}")


def test_verbatim_fields_are_not_decoded(parse_fixture) -> None:
    jabref = parse_fixture("jabref.bib").by_key()["Mueller2019"]
    assert jabref.display["url"] == (
        "https://academic.oup.com/rheumatology/article/58/Suppl_2/ii1/5%20x"
    )
    mendeley = parse_fixture("mendeley.bib").by_key()["Ailani2021"]
    assert mendeley.display["file"] == (
        ":C$\\backslash$:/Users/clinic/Documents/Mendeley/Ailani 2021.pdf:pdf"
    )
    zotero = parse_fixture("zotero_bbt.bib").by_key()["fraenkel2021"]
    assert zotero.display["file"].endswith("Fraenkel et al. - 2021 - 2021 ACR guideline.pdf")


def test_jabref_capitalised_fields_string_macro_and_meta_comments(parse_fixture) -> None:
    result = parse_fixture("jabref.bib")
    assert [e.key for e in result.entries] == ["Fraenkel2021", "Mueller2019"]
    fraenkel = result.entries[0]
    assert fraenkel.entry_type == "article"
    assert set(fraenkel.fields) >= {"author", "title", "journal", "year", "doi", "groups"}
    assert fraenkel.display["journal"] == "Arthritis Care & Research"
    assert fraenkel.macros == {"acr": "Arthritis Care \\& Research"}
    mueller = result.entries[1]
    assert [n.ama for n in mueller.authors] == [
        "Müller J",
        "Østergaard M",
        "García M",
        "van der Heijde D",
    ]
    assert mueller.display["title"] == "Imaging in early arthritis: a review — 10 years on"
    assert result.failed == []


def test_mendeley_header_text_is_ignored_and_fields_read(parse_fixture) -> None:
    result = parse_fixture("mendeley.bib")
    assert [(e.key, e.line) for e in result.entries] == [("Ailani2021", 6), ("ACR2021", 22)]
    assert result.entries[0].display["title"].startswith("The American Headache Society")
    assert result.entries[1].authors[0].corporate


def test_zotero_native_month_macros_and_tabs(parse_fixture) -> None:
    dowell = parse_fixture("zotero_native.bib").by_key()["dowell_cdc_2022"]
    assert dowell.fields["month"] == "November"
    assert dowell.macros == {}
    assert dowell.display["title"] == (
        "CDC Clinical Practice Guideline for Prescribing Opioids for Pain — United States, 2022"
    )


def test_string_concatenation_with_hash() -> None:
    text = """@string{aim = "Ann Intern Med"}
@STRING{b = {middle}}
@article{x,
  journal = aim # { (Online)},
  note = "a" # b # {c},
  title = {C# in {medicine}: a # that is text},
  year = 2017,
}
"""
    entry = parse_bibtex(text).entries[0]
    assert entry.fields["journal"] == "Ann Intern Med (Online)"
    assert entry.fields["note"] == "amiddlec"
    assert entry.display["title"] == "C# in medicine: a # that is text"
    assert entry.fields["year"] == "2017"
    assert entry.macros == {"aim": "Ann Intern Med", "b": "middle"}


def test_string_defined_from_another_string() -> None:
    text = '@string{acr = "American College of Rheumatology"}\n@string{full = acr # " guideline"}\n'
    text += "@misc{g, title = full}\n"
    assert parse_bibtex(text).entries[0].fields["title"] == (
        "American College of Rheumatology guideline"
    )


def test_handwritten_file_reports_problems_by_line(parse_fixture) -> None:
    result = parse_fixture("handwritten.bib")
    assert [(e.key, e.line) for e in result.entries] == [
        ("qaseem", 4),
        ("after_broken", 17),
        ("undefined_macro", 35),
    ]
    qaseem = result.entries[0]
    assert qaseem.fields["title"] == (
        "Noninvasive treatments for low back pain: a guideline from the "
        "American College of Physicians"
    )
    assert qaseem.fields["journal"] == "Ann Intern Med (Online)"
    assert [d.to_dict() for d in result.duplicates] == [{"key": "qaseem", "line": 22}]
    assert result.duplicates[0].first_line == 4
    assert [f.to_dict() for f in result.failed] == [
        {
            "line": 12,
            "reason": "Entry `broken` could not be read: a `{` is not closed before the next "
            "entry starts (a `}` is missing).",
        },
        {
            "line": 26,
            "reason": "Entry `twice` could not be read: the field `title` is given more than once.",
        },
        {
            "line": 31,
            "reason": "Entry `nokey_missing_comma` could not be read: a comma is expected after "
            "the citation key.",
        },
    ]
    assert [(w.line, w.message) for w in result.warnings] == [
        (
            35,
            "Entry `undefined_macro` uses `nowhere`, which is not a defined `@string`; "
            "it was kept as text.",
        )
    ]


def test_first_of_duplicate_keys_is_kept() -> None:
    text = "@article{k, title = {First}}\n@article{k, title = {Second}}\n"
    result = parse_bibtex(text)
    assert [e.display["title"] for e in result.entries] == ["First"]
    assert [(d.key, d.line) for d in result.duplicates] == [("k", 2)]


def test_exact_duplicate_field_is_reported_with_its_line() -> None:
    text = "\n\n@article{k,\n  year = {2020},\n  year = {2021},\n}\n"
    result = parse_bibtex(text)
    assert result.entries == []
    assert [(f.line, f.reason) for f in result.failed] == [
        (3, "Entry `k` could not be read: the field `year` is given more than once.")
    ]


def test_file_ending_inside_an_entry() -> None:
    result = parse_bibtex(
        "@article{ok, title = {Fine}}\n\n@article{eof,\n  title = {Never closed}\n"
    )
    assert [e.key for e in result.entries] == ["ok"]
    assert [(f.line, f.reason) for f in result.failed] == [
        (3, "Entry `eof` could not be read: the file ends before it is closed (a `}` is missing).")
    ]
    assert "Never closed" in result.failed[0].raw


def test_duplicate_string_definition_is_reported() -> None:
    text = "@string{j = {One}}\n@string{j = {Two}}\n@article{a, journal = j}\n"
    result = parse_bibtex(text)
    assert result.entries[0].fields["journal"] == "One"
    assert [(f.line, f.reason) for f in result.failed] == [
        (2, "`@string` `j` is defined again (first on line 1); the first definition is used.")
    ]


def test_entry_without_key_is_reported() -> None:
    result = parse_bibtex("@article{,\n  title = {No key},\n}\n")
    assert result.entries == []
    assert [(f.line, f.reason) for f in result.failed] == [
        (1, "`@article` entry could not be read: it has no citation key.")
    ]


def test_empty_and_comment_only_input() -> None:
    assert parse_bibtex("").entries == []
    result = parse_bibtex("just some notes\n@comment{nothing here}\n")
    assert result.entries == [] and result.failed == []
