"""Writing entries back to BibTeX without losing the user's data."""

from __future__ import annotations

from citations import (
    Evidence,
    csl_to_entry,
    entry_to_bibtex,
    parse_bibtex,
    read_evidence,
    to_bibtex,
    with_evidence,
)


def test_round_trip_gives_back_each_entry_verbatim(parse_fixture, fixture_text) -> None:
    for name in ("zotero_bbt.bib", "zotero_native.bib", "mendeley.bib"):
        text = fixture_text(name)
        entries = parse_fixture(name).entries
        exported = to_bibtex(entries)
        for entry in entries:
            assert entry.raw in exported and entry.raw in text
        again = parse_bibtex(exported)
        assert [(e.key, e.fields) for e in again.entries] == [(e.key, e.fields) for e in entries]


def test_string_macros_used_by_raw_text_are_written_first(parse_fixture) -> None:
    entries = parse_fixture("jabref.bib").entries
    exported = to_bibtex(entries)
    assert exported.startswith("@string{acr = {Arthritis Care \\& Research}}\n\n@Article{Fraenkel")
    again = parse_bibtex(exported)
    assert again.warnings == []
    assert again.entries[0].display["journal"] == "Arthritis Care & Research"


def test_conflicting_macro_values_fall_back_to_resolved_fields() -> None:
    one = parse_bibtex("@string{j = {Headache}}\n@article{a, journal = j}\n").entries[0]
    two = parse_bibtex("@string{j = {Cephalalgia}}\n@article{b, journal = j}\n").entries[0]
    exported = to_bibtex([one, two])
    assert exported == (
        "@string{j = {Headache}}\n\n@article{a, journal = j}\n\n"
        "@article{b,\n  journal = {Cephalalgia},\n}\n"
    )
    assert [e.display["journal"] for e in parse_bibtex(exported).entries] == [
        "Headache",
        "Cephalalgia",
    ]


def test_entry_without_raw_text_is_generated_from_fields() -> None:
    entry = csl_to_entry(
        {
            "type": "article-journal",
            "title": "Pain & function: 50% better",
            "author": [{"family": "Müller", "given": "Jörg"}, {"literal": "WHO"}],
            "issued": {"date-parts": [[2020]]},
            "DOI": "10.1000/x_y",
        }
    )
    assert entry_to_bibtex(entry) == (
        "@article{muller2020,\n"
        "  author = {Müller, Jörg and {WHO}},\n"
        "  title  = {Pain \\& function: 50\\% better},\n"
        "  year   = {2020},\n"
        "  doi    = {10.1000/x_y},\n"
        "}"
    )
    again = parse_bibtex(entry_to_bibtex(entry)).entries[0]
    assert again.display["title"] == "Pain & function: 50% better"
    assert again.display["doi"] == "10.1000/x_y"


def test_evidence_edit_rewrites_only_evidence_fields(parse_fixture) -> None:
    entry = parse_fixture("zotero_native.bib").by_key()["dowell_cdc_2022"]
    evidence = Evidence(
        issuer="Centers for Disease Control and Prevention",
        recommendation="Maximize use of nonopioid therapies & nonpharmacologic therapies.",
        system="grade",
        grade="1a",
        page="18",
        section="Recommendation 2",
        number="2",
        tags=("opioids", "chronic pain"),
    )
    updated = with_evidence(entry, evidence)
    assert updated.raw == entry.raw.replace(
        "\tpages = {1--95},\n}",
        "\tpages = {1--95},\n"
        "\tevidence-issuer = {Centers for Disease Control and Prevention},\n"
        "\tevidence-recommendation = {Maximize use of nonopioid therapies \\& nonpharmacologic "
        "therapies.},\n"
        "\tevidence-system = {GRADE},\n"
        "\tevidence-grade = {1A (strong recommendation, high certainty)},\n"
        "\tevidence-page = {18},\n"
        "\tevidence-section = {Recommendation 2},\n"
        "\tevidence-number = {2},\n}",
    )
    # Tags were unchanged, so `keywords` stays as the user wrote it.
    assert "\tkeywords = {opioids, chronic pain},\n" in updated.raw
    read_back = read_evidence(parse_bibtex(to_bibtex([updated])).entries[0])
    assert read_back == Evidence(
        issuer="Centers for Disease Control and Prevention",
        recommendation="Maximize use of nonopioid therapies & nonpharmacologic therapies.",
        system="GRADE",
        grade="1A (strong recommendation, high certainty)",
        page="18",
        section="Recommendation 2",
        number="2",
        tags=("opioids", "chronic pain"),
    )


def test_changing_evidence_replaces_previous_values_and_tags(parse_fixture) -> None:
    entry = parse_fixture("zotero_bbt.bib").by_key()["fraenkel2021"]
    before = read_evidence(entry)
    assert before.grade == "Conditional recommendation, low certainty"
    assert before.tags == ("rheumatoid arthritis", "step therapy")
    changed = with_evidence(entry, Evidence(issuer="ACR", tags=("biologics",)))
    assert "evidence-recommendation" not in changed.raw
    assert "evidence-grade" not in changed.raw
    assert "  evidence-issuer = {ACR},\n" in changed.raw
    assert "  keywords = {biologics},\n" in changed.raw
    assert changed.raw.count("keywords") == 1
    assert "  file = {/home/clinic/Zotero/storage/ABCD1234/" in changed.raw
    assert changed.raw.endswith("}")
    reread = parse_bibtex(changed.raw).entries[0]
    assert read_evidence(reread) == Evidence(issuer="ACR", tags=("biologics",))
    assert reread.fields["doi"] == entry.fields["doi"]


def test_unchanged_evidence_keeps_the_same_entry(parse_fixture) -> None:
    entry = parse_fixture("zotero_bbt.bib").by_key()["fraenkel2021"]
    assert with_evidence(entry, read_evidence(entry)) is entry


def test_evidence_on_a_one_line_entry() -> None:
    entry = parse_bibtex("@misc{w, title = {Guideline}}").entries[0]
    updated = with_evidence(entry, Evidence(system="USPSTF", grade="b"))
    assert updated.raw == (
        "@misc{w, title = {Guideline}, evidence-system = {USPSTF}, evidence-grade = {Grade B}}"
    )
    assert read_evidence(parse_bibtex(updated.raw).entries[0]).grade == "Grade B"
