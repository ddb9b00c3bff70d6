"""AMA 11th edition reference strings for the references the letters cite."""

from __future__ import annotations

import pytest

from citations import AmaReference, Run, format_ama, parse_bibtex

FRAENKEL = (
    "Fraenkel L, Bathon JM, England BR, et al. 2021 American College of Rheumatology Guideline "
    "for the Treatment of Rheumatoid Arthritis. Arthritis Care Res (Hoboken). "
    "2021;73(7):924-939. doi:10.1002/acr.24596"
)
QASEEM = (
    "Qaseem A, Wilt TJ, McLean RM, Forciea MA; Clinical Guidelines Committee of the American "
    "College of Physicians. Noninvasive Treatments for Acute, Subacute, and Chronic Low Back "
    "Pain: A Clinical Practice Guideline From the American College of Physicians. "
    "Ann Intern Med. 2017;166(7):514-530. doi:10.7326/M16-2367"
)
AILANI = (
    "Ailani J, Burch RC, Robbins MS; Board of Directors of the American Headache Society. "
    "The American Headache Society Consensus Statement: Update on integrating new migraine "
    "treatments into clinical practice. Headache. 2021;61(7):1021-1039. doi:10.1111/head.14153"
)
DOWELL = (
    "Dowell D, Ragan KR, Jones CM, Baldwin GT, Chou R. CDC Clinical Practice Guideline for "
    "Prescribing Opioids for Pain \u2014 United States, 2022. MMWR Recomm Rep. 2022;71(3):1-95. "
    "doi:10.15585/mmwr.rr7103a1"
)
WHO = (
    "World Health Organization. WHO guidelines on physical activity and sedentary behaviour. "
    "November 25, 2020. Accessed October 1, 2026. "
    "https://www.who.int/publications/i/item/9789240015128"
)
ACR_REPORT = (
    "American College of Rheumatology. Rheumatoid arthritis guideline. 2021. "
    "Accessed October 1, 2026. https://rheumatology.org/rheumatoid-arthritis-guideline"
)


@pytest.mark.parametrize(
    ("fixture", "key", "expected"),
    [
        ("zotero_bbt.bib", "fraenkel2021", FRAENKEL),
        ("jabref.bib", "Fraenkel2021", FRAENKEL.replace(", et al", "")),
        ("zotero_bbt.bib", "qaseem2017", QASEEM),
        ("zotero_native.bib", "ailani_american_2021", AILANI),
        (
            "mendeley.bib",
            "Ailani2021",
            AILANI.replace("; Board of Directors of the American Headache Society", ""),
        ),
        ("zotero_native.bib", "dowell_cdc_2022", DOWELL),
        ("zotero_bbt.bib", "who2020", WHO),
        ("zotero_native.bib", "american_college_of_rheumatology_ra_2021", ACR_REPORT),
    ],
)
def test_scenario_references(parse_fixture, fixture: str, key: str, expected: str) -> None:
    assert format_ama(parse_fixture(fixture).by_key()[key]).text == expected


def test_journal_is_the_italic_run(parse_fixture) -> None:
    reference = format_ama(parse_fixture("zotero_native.bib").by_key()["dowell_cdc_2022"])
    assert [r.text for r in reference.runs if r.italic] == ["MMWR Recomm Rep"]
    assert reference.html() == (
        "Dowell D, Ragan KR, Jones CM, Baldwin GT, Chou R. CDC Clinical Practice Guideline for "
        "Prescribing Opioids for Pain \u2014 United States, 2022. <i>MMWR Recomm Rep</i>. "
        "2022;71(3):1-95. doi:10.15585/mmwr.rr7103a1"
    )


def test_report_title_is_italic_and_html_is_escaped(parse_fixture) -> None:
    entry = parse_bibtex(
        "@techreport{r, author = {{Agency for Healthcare Research \\& Quality}}, "
        "title = {Pain <management> options}, institution = {AHRQ}, year = {2020}}"
    ).entries[0]
    reference = format_ama(entry)
    assert reference.runs == (
        Run("Agency for Healthcare Research & Quality. "),
        Run("Pain <management> options", italic=True),
        Run(". AHRQ; 2020."),
    )
    assert reference.html() == (
        "Agency for Healthcare Research &amp; Quality. <i>Pain &lt;management&gt; options</i>. "
        "AHRQ; 2020."
    )
    assert AmaReference.from_json(reference.to_json()) == reference


def _article(authors: str) -> str:
    entry = parse_bibtex(
        f"@article{{a, author = {{{authors}}}, title = {{T}}, journal = {{JAMA}}, year = 2020,"
        " volume = 323, number = 1, pages = {1--2}}"
    ).entries[0]
    return format_ama(entry).text


def test_six_authors_are_all_listed_seven_become_three_et_al() -> None:
    six = " and ".join(f"Author{i}, A." for i in range(1, 7))
    assert _article(six).startswith(
        "Author1 A, Author2 A, Author3 A, Author4 A, Author5 A, Author6 A. T. JAMA."
    )
    seven = six + " and Author7, A."
    assert _article(seven).startswith("Author1 A, Author2 A, Author3 A, et al. T. JAMA.")


def test_single_author_and_others() -> None:
    assert _article("Kroenke, Kurt") == "Kroenke K. T. JAMA. 2020;323(1):1-2."
    assert _article("Kroenke, Kurt and others") == "Kroenke K, et al. T. JAMA. 2020;323(1):1-2."


def test_book_and_chapter() -> None:
    book, chapter = parse_bibtex(
        """@book{b, author = {Loscalzo, Joseph and Hu, Jr., Frank B.},
  title = {Harrison's Principles of Internal Medicine}, edition = {21},
  publisher = {McGraw Hill}, year = {2022}}
@incollection{c, author = {Doe, John}, editor = {Roe, Richard and Poe, Pat},
  title = {Low back pain}, booktitle = {Primary Care Medicine}, edition = {3},
  publisher = {Elsevier}, year = {2019}, pages = {10--20}}"""
    ).entries
    assert format_ama(book).text == (
        "Loscalzo J, Hu FB Jr. Harrison's Principles of Internal Medicine. 21st ed. "
        "McGraw Hill; 2022."
    )
    assert [r.text for r in format_ama(book).runs if r.italic] == [
        "Harrison's Principles of Internal Medicine"
    ]
    assert format_ama(chapter).text == (
        "Doe J. Low back pain. In: Roe R, Poe P, eds. Primary Care Medicine. 3rd ed. "
        "Elsevier; 2019:10-20."
    )


def test_misc_web_page_without_author_and_question_title() -> None:
    entry = parse_bibtex(
        "@misc{w, title = {Is imaging needed?}, howpublished = {American College of Radiology},"
        " year = {2022}, month = nov, url = {https://acsearch.acr.org/list},"
        " urldate = {2026-10-03}}"
    ).entries[0]
    assert format_ama(entry).text == (
        "Is imaging needed? American College of Radiology. November 2022. "
        "Accessed October 3, 2026. https://acsearch.acr.org/list"
    )


def test_article_without_doi_gives_url_and_access_date() -> None:
    entry = parse_bibtex(
        "@article{a, author = {Chou, Roger}, title = {Low back pain}, journal = {Annals of"
        " Internal Medicine}, year = 2017, volume = 166, pages = {514--530},"
        " url = {https://www.acpjournals.org/x}, urldate = {2026-10-01}}"
    ).entries[0]
    assert format_ama(entry).text == (
        "Chou R. Low back pain. Ann Intern Med. 2017;166:514-530. Accessed October 1, 2026. "
        "https://www.acpjournals.org/x"
    )
