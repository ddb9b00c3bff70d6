"""The starter library of published guidelines: it imports cleanly, every entry can be cited,
every stated grade is one its system has, and the guidelines the demo cases cite read right."""

from __future__ import annotations

import re

import pytest

from citations import ImportOutcome, import_bibtex, normalise_grade, read_evidence
from citations.starter import starter_bibtex

DOI = re.compile(r"^10\.\d{4,9}/\S+$")

# AMA 11th edition references for the guidelines the demo cases cite, written out by hand.
SCENARIO_REFERENCES = {
    "fraenkel2021acr": (
        "Fraenkel L, Bathon JM, England BR, et al. 2021 American College of Rheumatology "
        "guideline for the treatment of rheumatoid arthritis. Arthritis Care Res (Hoboken). "
        "2021;73(7):924-939. doi:10.1002/acr.24596"
    ),
    "qaseem2017acp": (
        "Qaseem A, Wilt TJ, McLean RM, Forciea MA; Clinical Guidelines Committee of the "
        "American College of Physicians. Noninvasive treatments for acute, subacute, and chronic "
        "low back pain: a clinical practice guideline from the American College of Physicians. "
        "Ann Intern Med. 2017;166(7):514-530. doi:10.7326/M16-2367"
    ),
    "ailani2021ahs": (
        "Ailani J, Burch RC, Robbins MS; Board of Directors of the American Headache Society. "
        "The American Headache Society Consensus Statement: update on integrating new migraine "
        "treatments into clinical practice. Headache. 2021;61(7):1021-1039. "
        "doi:10.1111/head.14153"
    ),
    "dowell2022cdc": (
        "Dowell D, Ragan KR, Jones CM, Baldwin GT, Chou R. CDC clinical practice guideline for "
        "prescribing opioids for pain\u2014United States, 2022. MMWR Recomm Rep. "
        "2022;71(3):1-95. doi:10.15585/mmwr.rr7103a1"
    ),
    "narayanaswami2021mg": (
        "Narayanaswami P, Sanders DB, Wolfe G, et al. International consensus guidance for "
        "management of myasthenia gravis: 2020 update. Neurology. 2021;96(3):114-122. "
        "doi:10.1212/WNL.0000000000011124"
    ),
    "hehir2017musk": (
        "Hehir MK, Hobson-Webb LD, Benatar M, et al. Rituximab as treatment for anti-MuSK "
        "myasthenia gravis: multicenter blinded prospective review. Neurology. "
        "2017;89(10):1069-1077. doi:10.1212/WNL.0000000000004341"
    ),
    "petersen2021senzapdn": (
        "Petersen EA, Stauss TG, Scowcroft JA, et al. Effect of high-frequency (10-kHz) spinal "
        "cord stimulation in patients with painful diabetic neuropathy: a randomized clinical "
        "trial. JAMA Neurol. 2021;78(6):687-698. doi:10.1001/jamaneurol.2021.0538"
    ),
    "petersen2022durability": (
        "Petersen EA, Stauss TG, Scowcroft JA, et al. Durability of high-frequency 10-kHz spinal "
        "cord stimulation for patients with painful diabetic neuropathy refractory to "
        "conventional treatments: 12-month results from a randomized controlled trial. "
        "Diabetes Care. 2022;45(1):e3-e6. doi:10.2337/dc21-1813"
    ),
    "fda2021senzapdn": (
        "U.S. Food and Drug Administration. Premarket approval P130022/S042: Senza spinal cord "
        "stimulation system (Nevro Corp.), approved for the treatment of chronic pain associated "
        "with painful diabetic neuropathy. July 2021. Accessed October 20, 2026. "
        "https://www.accessdata.fda.gov/scripts/cdrh/cfdocs/cfpma/pma.cfm?id=P130022S042"
    ),
}
# Trials: primary evidence, cited for their result; nobody issues them and nothing grades them.
TRIALS = {"hehir2017musk", "petersen2021senzapdn", "petersen2022durability"}


@pytest.fixture(scope="module")
def outcome() -> ImportOutcome:
    return import_bibtex(starter_bibtex())


def test_text_starts_with_a_comment_saying_what_it_is() -> None:
    head = starter_bibtex().lstrip()
    assert head.startswith("%")
    assert "check the current version" in head[:1000]


def test_imports_cleanly(outcome: ImportOutcome) -> None:
    parsed = outcome.parsed
    assert parsed.failed == []
    assert parsed.duplicates == []
    assert parsed.warnings == []
    assert 25 <= len(parsed.entries) <= 40
    assert outcome.report.to_json()["added"] == len(parsed.entries)


def test_every_entry_can_be_cited(outcome: ImportOutcome) -> None:
    for entry in outcome.parsed.entries:
        assert entry.get("title"), entry.key
        assert re.fullmatch(r"\d{4}", entry.get("year")), entry.key
        doi, url = entry.get("doi"), entry.get("url")
        assert doi or url, entry.key
        if doi:
            assert DOI.match(doi), entry.key
        if url:
            assert url.startswith("https://"), entry.key
            assert entry.get("urldate"), entry.key
        assert entry.authors, entry.key
        assert read_evidence(entry).tags, entry.key


def test_journal_articles_carry_their_full_citation(outcome: ImportOutcome) -> None:
    articles = [e for e in outcome.parsed.entries if e.entry_type == "article"]
    assert articles
    for entry in articles:
        for name in ("journal", "shortjournal", "volume", "pages", "doi"):
            assert entry.get(name), (entry.key, name)
        assert outcome.references[entry.key].text.endswith(f"doi:{entry.get('doi')}")


def test_every_grade_is_one_its_system_has(outcome: ImportOutcome) -> None:
    graded = 0
    for entry in outcome.parsed.entries:
        evidence = read_evidence(entry)
        if entry.key in TRIALS:
            assert not (evidence.issuer or evidence.grade or evidence.recommendation), entry.key
            continue
        assert evidence.issuer, entry.key
        # A grade always names its system, and a system is only given with a grade.
        assert bool(evidence.system) == bool(evidence.grade), entry.key
        if evidence.grade:
            graded += 1
            assert evidence.recommendation, entry.key
            validated = evidence.validated()
            assert validated.grade == normalise_grade(evidence.system, evidence.grade)
            # Stored grades are already in display form, so they survive a round trip.
            assert validated.grade == evidence.grade, entry.key
    assert graded >= 10


@pytest.mark.parametrize(("key", "expected"), sorted(SCENARIO_REFERENCES.items()))
def test_demo_case_guidelines_read_as_ama(outcome: ImportOutcome, key: str, expected: str) -> None:
    assert outcome.references[key].text == expected


def test_rheumatoid_arthritis_recommendation_carries_its_grade(outcome: ImportOutcome) -> None:
    entry = next(e for e in outcome.parsed.entries if e.key == "fraenkel2021acr")
    evidence = read_evidence(entry).validated()
    assert evidence.issuer == "American College of Rheumatology"
    assert evidence.grade_text == "GRADE: Conditional recommendation, very low certainty"
    assert "bDMARD or tsDMARD" in evidence.recommendation
    assert "step therapy" in evidence.tags


def test_journal_title_is_italic(outcome: ImportOutcome) -> None:
    runs = outcome.references["fraenkel2021acr"].runs
    assert [r.text for r in runs if r.italic] == ["Arthritis Care Res (Hoboken)"]
