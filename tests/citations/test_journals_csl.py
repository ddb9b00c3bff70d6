"""Journal abbreviations and the entry <-> CSL-JSON mapping."""

from __future__ import annotations

import pytest

from citations import abbreviate, csl_to_entry, entry_to_csl, journal_abbreviation, parse_bibtex
from citations.keys import make_key
from citations.names import Name


@pytest.mark.parametrize(
    ("title", "abbreviation"),
    [
        ("The New England Journal of Medicine", "N Engl J Med"),
        ("JAMA", "JAMA"),
        ("The Lancet", "Lancet"),
        ("BMJ", "BMJ"),
        ("Annals of internal medicine", "Ann Intern Med"),
        ("Arthritis Care & Research", "Arthritis Care Res (Hoboken)"),
        ("Arthritis care and research", "Arthritis Care Res (Hoboken)"),
        ("Arthritis & Rheumatology (Hoboken, N.J.)", "Arthritis Rheumatol"),
        ("Headache: The Journal of Head and Face Pain", "Headache"),
        ("Neurology", "Neurology"),
        ("Spine", "Spine (Phila Pa 1976)"),
        ("MMWR. Recommendations and Reports", "MMWR Recomm Rep"),
        ("Journal of Clinical Oncology", "J Clin Oncol"),
        ("Journal of Crohn's and Colitis", "J Crohns Colitis"),
        ("Otolaryngology-Head and Neck Surgery", "Otolaryngol Head Neck Surg"),
        ("N Engl J Med", "N Engl J Med"),
    ],
)
def test_bundled_abbreviations(title: str, abbreviation: str) -> None:
    assert abbreviate(title) == abbreviation


def test_unknown_journal_keeps_full_title_and_entry_field_wins() -> None:
    assert abbreviate("Journal of Imaginary Studies") is None
    a, b, c = parse_bibtex(
        "@article{a, journal = {Journal of Imaginary Studies}}\n"
        "@article{b, journal = {Headache}, journal-abbrev = {Headache J.}}\n"
        "@article{c, journal = {Arthritis Care \\& Research}}\n"
    ).entries
    assert journal_abbreviation(a) == "Journal of Imaginary Studies"
    assert journal_abbreviation(b) == "Headache J"
    assert journal_abbreviation(c) == "Arthritis Care Res (Hoboken)"


def test_entry_to_csl(parse_fixture) -> None:
    entry = parse_fixture("zotero_bbt.bib").by_key()["qaseem2017"]
    csl = entry_to_csl(entry)
    assert csl["type"] == "article-journal"
    assert csl["author"][0] == {"family": "Qaseem", "given": "Amir"}
    assert csl["author"][4] == {
        "literal": "Clinical Guidelines Committee of the American College of Physicians"
    }
    assert csl["container-title"] == "Annals of Internal Medicine"
    assert csl["container-title-short"] == "Ann Intern Med"
    assert (csl["volume"], csl["issue"], csl["page"]) == ("166", "7", "514-530")
    assert csl["issued"] == {"date-parts": [[2017, 4, 4]]}
    assert csl["DOI"] == "10.7326/M16-2367"
    web = entry_to_csl(parse_fixture("mendeley.bib").by_key()["ACR2021"])
    assert web["type"] == "webpage"
    assert web["accessed"] == {"date-parts": [[2026, 10, 1]]}


def test_csl_to_entry_round_trips_through_bibtex() -> None:
    csl = {
        "type": "article-journal",
        "title": "2021 American College of Rheumatology Guideline for the Treatment of "
        "Rheumatoid Arthritis",
        "author": [
            {"family": "Fraenkel", "given": "Liana"},
            {"family": "Bathon", "given": "Joan M."},
            {"family": "St. Clair", "given": "E. William"},
        ],
        "container-title": "Arthritis Care & Research",
        "container-title-short": "Arthritis Care Res",
        "volume": "73",
        "issue": "7",
        "page": "924-939",
        "issued": {"date-parts": [[2021, 7]]},
        "DOI": "10.1002/acr.24596",
    }
    entry = csl_to_entry(csl, existing_keys={"fraenkel2021", "fraenkel2021a"})
    assert entry.key == "fraenkel2021b"
    assert entry.fields["journal"] == "Arthritis Care \\& Research"
    assert entry.fields["author"] == (
        "Fraenkel, Liana and Bathon, Joan M. and {St. Clair}, E. William"
    )
    again = parse_bibtex(
        f"@article{{{entry.key},\n"
        + "".join(f"  {k} = {{{v}}},\n" for k, v in entry.fields.items())
        + "}"
    ).entries[0]
    assert [n.ama for n in again.authors] == ["Fraenkel L", "Bathon JM", "St. Clair EW"]
    assert again.display == entry.display


def test_csl_without_title_is_refused() -> None:
    with pytest.raises(ValueError, match="no title"):
        csl_to_entry({"type": "article-journal", "title": ""})


def test_generated_keys() -> None:
    who = [Name("World Health Organization", corporate=True)]
    assert make_key(who, "2020") == "who2020"
    assert make_key([Name("Müller", "Jörg", "J")], "2019") == "muller2019"
    assert make_key([], "2022", "The opioid guideline") == "opioid2022"
    assert make_key([Name("Fraenkel", "L", "L")], "2021", existing={"Fraenkel2021"}) == (
        "fraenkel2021a"
    )
