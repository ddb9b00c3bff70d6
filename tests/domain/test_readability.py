import pytest

from app.domain.jargon import JARGON, explain_jargon
from app.domain.readability import (
    count_syllables,
    hardest_sentences,
    measure,
    split_sentences,
)

PLATYPUS = "The Australian platypus is seemingly a hybrid of a mammal and reptilian creature."
DENSE = (
    "Seropositive rheumatoid arthritis with radiographic erosions and persistently high disease "
    "activity despite sequential conventional synthetic disease-modifying antirheumatic drugs "
    "constitutes an indication for biologic therapy according to contemporary recommendations."
)
PLAIN = (
    "Your plan said no to the shot your doctor wants you to have. "
    "Your doctor will call the plan to talk about it. "
    "We will tell you what they say. "
    "You do not need to do anything yet."
)


def test_published_example_scores_grade_11_3_and_ease_37_5():
    # Wikipedia's worked example: 13 words, 24 syllables.
    result = measure(PLATYPUS)
    assert (result.sentences, result.words, result.syllables) == (1, 13, 24)
    assert result.grade == pytest.approx(11.3, abs=0.05)
    assert result.ease == pytest.approx(37.5, abs=0.05)


def test_one_syllable_sentence_scores_below_first_grade():
    result = measure("The cat sat on the mat.")
    assert (result.words, result.syllables) == (6, 6)
    assert result.grade == pytest.approx(-1.45, abs=0.1)
    assert result.ease > 100


def test_dense_clinical_prose_reads_as_graduate_level_and_plain_text_near_grade_4():
    assert measure(DENSE).grade > 16
    assert measure(DENSE).ease < 10
    assert measure(PLAIN).grade < 5
    assert measure(PLAIN).sentences == 4


def test_empty_text_measures_nothing():
    assert measure("  \n ").words == 0
    assert measure("").grade == 0.0


@pytest.mark.parametrize(
    ("word", "syllables"),
    [
        ("cat", 1), ("make", 1), ("table", 2), ("tables", 2), ("called", 1), ("failed", 1),
        ("wanted", 2), ("stopped", 1), ("denied", 2), ("boxes", 2), ("places", 2), ("dates", 1),
        ("yes", 1), ("beyond", 2), ("player", 2), ("lawyer", 2), ("studying", 3), ("trying", 2),
        ("every", 2), ("everyone", 3), ("media", 3), ("criteria", 4), ("trial", 2),
        ("denial", 3), ("special", 2), ("physician", 3), ("prior", 2), ("senior", 2),
        ("ratio", 2), ("video", 3), ("people", 2), ("actual", 3), ("evaluate", 4),
        ("language", 2), ("influence", 3), ("continuing", 4), ("issue", 2), ("fatigue", 2),
        ("technique", 2), ("patient", 2), ("experience", 4), ("earlier", 3), ("area", 3),
        ("creature", 2), ("continuity", 5), ("didn't", 2), ("don't", 1), ("safely", 2),
        ("statement", 2), ("settlement", 3), ("sometimes", 2), ("someone", 2), ("safety", 2),
        ("career", 2), ("coinsurance", 4), ("preauthorization", 6), ("reevaluate", 5),
        ("medicare", 3), ("arthritis", 3), ("adalimumab", 5), ("methotrexate", 4),
        ("radiculopathy", 6), ("contraindication", 6), ("biologic", 4), ("diagnosis", 4),
        ("subcutaneous", 5), ("patient's", 2), ("nurse's", 2),
    ],
)  # fmt: skip
def test_syllables_of_english_and_clinical_words(word, syllables):
    assert count_syllables(word) == syllables


@pytest.mark.parametrize(
    ("token", "syllables"),
    [
        ("MRI", 3), ("CDAI", 4), ("FDA", 3), ("DMARD", 2), ("DMARDs", 2), ("NSAIDs", 2),
        ("HIPAA", 2), ("P2P", 3), ("FEV1", 4), ("mg", 3), ("40", 2), ("12", 1), ("7", 2),
        ("2026", 5), ("2.8", 3), ("25%", 5), ("1,000", 3), ("well-known", 2), ("U.S.", 2),
    ],
)  # fmt: skip
def test_initialisms_units_and_numbers_are_counted_as_read_aloud(token, syllables):
    assert count_syllables(token) == syllables


def test_digits_count_as_words():
    assert measure("She missed 11 work days.").words == 5


def test_sentences_split_at_ends_not_at_titles_decimals_or_abbreviations():
    text = (
        "Dr. Lee saw her on 12 Sep. 2026 and her CDAI was 2.8, e.g. remission. "
        "The guideline agrees.¹ Next steps:\n- call the plan\n- send the records"
    )
    sentences = [text[s:e] for s, e in split_sentences(text)]
    assert sentences == [
        "Dr. Lee saw her on 12 Sep. 2026 and her CDAI was 2.8, e.g. remission.",
        "The guideline agrees.¹",
        "Next steps:",
        "call the plan",
        "send the records",
    ]


def test_hard_wrapped_lines_stay_one_sentence():
    assert len(split_sentences("The plan asked for more\nrecords from the clinic.")) == 1


def test_citation_markers_are_not_read_as_words():
    assert measure("The drug works [1].").words == measure("The drug works.").words


def test_hardest_sentences_points_at_the_dense_one_with_its_span():
    text = PLAIN + " " + DENSE
    hardest = hardest_sentences(text, 2)
    assert len(hardest) == 2
    assert hardest[0].text == DENSE
    assert text[hardest[0].start : hardest[0].end] == DENSE
    assert hardest[0].grade > hardest[1].grade
    assert hardest_sentences(text, 0) == []


def test_jargon_is_found_whole_word_case_insensitive_in_order_of_use():
    text = (
        "Your plan's Prior Authorization was denied after a peer to peer review. "
        "The reviewer said you must try two DMARDs first (step therapy). Your MRI is next."
    )
    terms = [term for term, _ in explain_jargon(text)]
    assert terms == ["prior authorization", "peer-to-peer review", "DMARD", "step therapy", "MRI"]


def test_jargon_ignores_words_inside_other_words():
    # "appeal" inside "appealing", "claim" inside "reclaimed": neither is the term.
    assert explain_jargon("An appealing idea; she reclaimed her time.") == []


def test_aliases_report_the_main_term_once():
    found = explain_jargon("After the P2P, the peer-to-peer review notes said prior auth.")
    assert [t for t, _ in found] == ["peer-to-peer review", "prior authorization"]
    assert found[0][1] == JARGON["peer-to-peer review"]


def test_jargon_list_covers_denial_letter_terms_in_plain_words():
    for term in ("medical necessity", "formulary", "biologic", "contraindication",
                 "radiculopathy", "utilization review", "external review", "appeal",
                 "medical director", "in-network"):  # fmt: skip
        assert term in JARGON
    assert len(JARGON) >= 55
    for term, explanation in JARGON.items():
        assert measure(explanation).grade <= 9, (term, explanation)
