"""AMA 11th edition references for each shape a letter cites, against strings written by hand
from the AMA Manual of Style (chapter 3), with the italic runs checked too."""

from __future__ import annotations

import pytest

from citations import format_ama, parse_bibtex

SIX = " and ".join(
    [
        "Dowell, Deborah",
        "Ragan, Kathleen R.",
        "Jones, Christopher M.",
        "Baldwin, Grant T.",
        "Chou, Roger",
        'M{\\"u}ller, J{\\"o}rg',
    ]
)
SHAPES = {
    "one_author": (
        "@article{k, author = {Kroenke, Kurt}, title = {Pain measurement in research and "
        "practice}, journal = {Journal of General Internal Medicine}, shortjournal = {J Gen "
        "Intern Med}, year = 2018, volume = 33, number = {Suppl 1}, pages = {7--8}, "
        "doi = {10.1007/s11606-018-4363-5}}",
        "Kroenke K. Pain measurement in research and practice. J Gen Intern Med. "
        "2018;33(Suppl 1):7-8. doi:10.1007/s11606-018-4363-5",
        ["J Gen Intern Med"],
    ),
    "two_authors": (
        "@article{k, author = {Qaseem, Amir and Wilt, Timothy J.}, title = {Noninvasive "
        "treatments for low back pain}, journal = {JAMA}, year = 2017, volume = 166, "
        "number = 7, pages = {514--530}, doi = {https://doi.org/10.7326/M16-2367}}",
        "Qaseem A, Wilt TJ. Noninvasive treatments for low back pain. JAMA. "
        "2017;166(7):514-530. doi:10.7326/M16-2367",
        ["JAMA"],
    ),
    "six_authors": (
        f"@article{{k, author = {{{SIX}}}, title = {{Prescribing opioids for pain}}, "
        "journal = {MMWR Recomm Rep}, year = 2022, volume = 71, number = 3, pages = {1--95}}",
        "Dowell D, Ragan KR, Jones CM, Baldwin GT, Chou R, Müller J. Prescribing opioids for "
        "pain. MMWR Recomm Rep. 2022;71(3):1-95.",
        ["MMWR Recomm Rep"],
    ),
    "seven_authors": (
        f"@article{{k, author = {{{SIX} and Deane, Kevin D.}}, title = {{Prescribing}}, "
        "journal = {JAMA}, year = 2022, volume = 71, pages = {1--95}}",
        "Dowell D, Ragan KR, Jones CM, et al. Prescribing. JAMA. 2022;71:1-95.",
        ["JAMA"],
    ),
    "corporate_author": (
        "@article{k, author = {{American College of Rheumatology}}, title = {Position "
        "statement on biosimilars}, journal = {Arthritis Rheumatol}, year = 2018, "
        "volume = 70, pages = {1--3}}",
        "American College of Rheumatology. Position statement on biosimilars. "
        "Arthritis Rheumatol. 2018;70:1-3.",
        ["Arthritis Rheumatol"],
    ),
    "corporate_after_people": (
        "@article{k, author = {Qaseem, Amir and Forciea, Mary Ann and {Clinical Guidelines "
        "Committee of the American College of Physicians}}, title = {Low back pain}, "
        "journal = {Ann Intern Med}, year = 2017, volume = 166, number = 7, pages = {514--530}}",
        "Qaseem A, Forciea MA; Clinical Guidelines Committee of the American College of "
        "Physicians. Low back pain. Ann Intern Med. 2017;166(7):514-530.",
        ["Ann Intern Med"],
    ),
    "book": (
        "@book{k, author = {Loscalzo, Joseph and Hu, Jr., Frank B.}, title = {Harrison's "
        "Principles of Internal Medicine}, edition = 21, publisher = {McGraw Hill}, year = 2022}",
        "Loscalzo J, Hu FB Jr. Harrison's Principles of Internal Medicine. 21st ed. "
        "McGraw Hill; 2022.",
        ["Harrison's Principles of Internal Medicine"],
    ),
    "edited_book": (
        "@book{k, editor = {Firestein, Gary S. and Budd, Ralph C.}, title = {Kelley's Textbook "
        "of Rheumatology}, edition = 11, publisher = {Elsevier}, year = 2021}",
        "Firestein GS, Budd RC, eds. Kelley's Textbook of Rheumatology. 11th ed. Elsevier; 2021.",
        ["Kelley's Textbook of Rheumatology"],
    ),
    "chapter_with_editors": (
        "@incollection{k, author = {Doe, John}, editor = {Roe, Richard and Poe, Pat}, "
        "title = {Low back pain}, booktitle = {Primary Care Medicine}, edition = 3, "
        "publisher = {Elsevier}, year = 2019, pages = {10--20}}",
        "Doe J. Low back pain. In: Roe R, Poe P, eds. Primary Care Medicine. 3rd ed. "
        "Elsevier; 2019:10-20.",
        ["Primary Care Medicine"],
    ),
    "guideline_web_page": (
        "@online{k, author = {{American College of Rheumatology}}, title = {Rheumatoid "
        "arthritis guideline}, organization = {American College of Rheumatology}, "
        "date = {2021-06-08}, urldate = {2026-10-01}, url = {https://rheumatology.org/ra}}",
        "American College of Rheumatology. Rheumatoid arthritis guideline. June 8, 2021. "
        "Accessed October 1, 2026. https://rheumatology.org/ra",
        [],
    ),
    "web_page_without_author": (
        "@online{k, title = {Step therapy policy}, organization = {Aetna}, "
        "date = {2025-01-15}, urldate = {2026-10-01}, url = {https://www.aetna.com/a%20b}}",
        "Step therapy policy. Aetna. January 15, 2025. Accessed October 1, 2026. "
        "https://www.aetna.com/a%20b",
        [],
    ),
    "conference_presented": (
        "@inproceedings{k, author = {Hoffman, Robert L.}, title = {Peer-to-peer review "
        "outcomes}, eventtitle = {ACR Convergence}, eventdate = {2023-11-10/2023-11-15}, "
        "venue = {San Diego, CA}}",
        "Hoffman RL. Peer-to-peer review outcomes. Presented at: ACR Convergence; "
        "November 10-15, 2023; San Diego, CA.",
        [],
    ),
    "conference_across_months": (
        "@conference{k, author = {Hoffman, Robert L.}, title = {Appeals}, "
        "eventtitle = {Annual Meeting}, eventdate = {2023-05-30/2023-06-02}, "
        "location = {Boston, MA}}",
        "Hoffman RL. Appeals. Presented at: Annual Meeting; May 30-June 2, 2023; Boston, MA.",
        [],
    ),
    "conference_proceedings": (
        "@inproceedings{k, author = {Doe, John and Roe, Richard}, title = {Automated appeal "
        "letters}, booktitle = {Proceedings of the AMIA Annual Symposium}, editor = {Smith, "
        "Jane}, publisher = {American Medical Informatics Association}, year = 2022, "
        "pages = {101--110}}",
        "Doe J, Roe R. Automated appeal letters. In: Smith J, ed. Proceedings of the AMIA "
        "Annual Symposium. American Medical Informatics Association; 2022:101-110.",
        ["Proceedings of the AMIA Annual Symposium"],
    ),
    "dissertation": (
        "@phdthesis{k, author = {Zuckerman, Sarah G.}, title = {Outcomes of step therapy}, "
        "school = {University of Toronto}, year = 2014}",
        "Zuckerman SG. Outcomes of step therapy. Dissertation. University of Toronto; 2014.",
        ["Outcomes of step therapy"],
    ),
    "masters_thesis": (
        "@thesis{k, author = {Lee, Ann}, title = {Prior authorization delays}, "
        "type = {mathesis}, institution = {Johns Hopkins University}, date = {2019-05-01}}",
        "Lee A. Prior authorization delays. Master's thesis. Johns Hopkins University; 2019.",
        ["Prior authorization delays"],
    ),
    "misc_with_url": (
        "@misc{k, author = {{Centers for Disease Control and Prevention}}, title = {Opioid "
        "therapy and different types of pain}, url = {https://www.cdc.gov/opioids/}, "
        "urldate = {2026-09-15}, year = 2024}",
        "Centers for Disease Control and Prevention. Opioid therapy and different types of "
        "pain. 2024. Accessed September 15, 2026. https://www.cdc.gov/opioids/",
        [],
    ),
    "report": (
        "@techreport{k, author = {Chou, Roger and Deyo, Richard}, title = {Noninvasive "
        "treatments for low back pain}, institution = {Agency for Healthcare Research and "
        "Quality}, year = 2016, type = {AHRQ publication}, number = {16-EHC004-EF}}",
        "Chou R, Deyo R. Noninvasive treatments for low back pain. Agency for Healthcare "
        "Research and Quality; 2016. AHRQ publication 16-EHC004-EF.",
        ["Noninvasive treatments for low back pain"],
    ),
    "article_without_volume_issue_pages": (
        "@article{k, author = {Chou, Roger}, title = {Imaging for back pain}, "
        "journal = {JAMA}, year = 2019}",
        "Chou R. Imaging for back pain. JAMA. Published online 2019.",
        ["JAMA"],
    ),
    "article_in_press_with_doi": (
        "@article{k, author = {Chou, Roger}, title = {Opioid tapering}, journal = {JAMA}, "
        "date = {2024-03-27}, doi = {10.1001/jama.2024.1234}}",
        "Chou R. Opioid tapering. JAMA. Published online March 27, 2024. "
        "doi:10.1001/jama.2024.1234",
        ["JAMA"],
    ),
    "supplement_without_volume": (
        "@article{k, author = {Chou, Roger}, title = {Supplement}, journal = {JAMA}, "
        "year = 2002, number = {suppl 2}, pages = {S3--S10}}",
        "Chou R. Supplement. JAMA. 2002;(suppl 2):S3-S10.",
        ["JAMA"],
    ),
    "particles_and_suffixes": (
        "@article{k, author = {van der Heijde, D{\\'e}sir{\\'e}e and de la Cruz, "
        "Mar{\\'\\i}a and Hu, Jr., Frank B. and Smith, III, John A. and Ludwig van Beethoven},"
        " title = {Names}, journal = {JAMA}, year = 2020, volume = 1, pages = {1--2}}",
        "van der Heijde D, de la Cruz M, Hu FB Jr, Smith JA III, van Beethoven L. Names. "
        "JAMA. 2020;1:1-2.",
        ["JAMA"],
    ),
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_ama_shape(shape: str) -> None:
    source, expected, italics = SHAPES[shape]
    result = parse_bibtex(source)
    assert result.failed == [] and len(result.entries) == 1
    reference = format_ama(result.entries[0])
    assert reference.text == expected
    assert [r.text for r in reference.runs if r.italic] == italics
