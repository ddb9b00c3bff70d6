import pytest

from app.domain.claims import absolute_language, uncited_claims


def phrases(text):
    return [f.phrase for f in absolute_language(text)]


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Adalimumab is guaranteed to control her arthritis.", "guaranteed"),
        ("This treatment will cure her migraines.", "cure"),
        ("Erenumab always works after two failed preventives.", "always"),
        ("Radiofrequency ablation never fails in facet pain.", "never"),
        ("It is a miracle for patients like her.", "miracle"),
        ("The infusion is risk-free.", "risk-free"),
        ("The MRI carries no risk.", "no risk"),
        ("Biosimilars are 100% effective.", "100% effective"),
        ("Home infusion is completely safe.", "completely safe"),
        ("Anti-TNF therapy is proven to cure RA.", "proven to cure"),
        ("CGRP antibodies are a breakthrough.", "breakthrough"),
        ("She is the perfect candidate.", "perfect"),
        ("Approval will definitely prevent surgery.", "will definitely"),
        ("Adalimumab is the only option left.", "the only option"),
    ],
)
def test_absolute_and_promotional_wording_is_flagged_with_a_calmer_wording(text, flagged):
    findings = absolute_language(text)
    assert [f.phrase for f in findings] == [flagged]
    finding = findings[0]
    assert text[finding.start : finding.end] == flagged
    assert finding.span == (finding.start, finding.end)
    assert finding.reason and finding.suggestion


@pytest.mark.parametrize(
    "text",
    [
        "Symptoms do not always respond to a second csDMARD.",
        "Oral preventives almost always come first.",
        "She never smoked and has never been hospitalized.",
        "We need to secure approval and procure the drug.",
        "There is no cure for rheumatoid arthritis.",
        "He was cured of hepatitis C in 2019.",
        "The trial reported its cure rate at 12 weeks.",
        "She takes naproxen for breakthrough pain.",
        "He has no risk factors for infusion reactions.",
        "The CDAI was 31 on 2026-09-12 (high activity).",
    ],
)
def test_negations_history_and_clinical_terms_are_not_flagged(text):
    assert absolute_language(text) == []


def test_overlapping_words_give_one_finding_in_text_order():
    text = "It is perfectly safe. We guarantee it."
    assert phrases(text) == ["perfectly safe", "guarantee"]


def test_payer_wording_is_checked_when_the_caller_passes_it():
    # A quotation in the clinician's own text is the clinician's text.
    assert phrases('The denial says members must "always" try two DMARDs.') == ["always"]


FLAGGED = [
    # Scenario 1 (RA): guideline claim and efficacy claim without a source.
    "For patients not at target on csDMARDs, adding a bDMARD is conditionally recommended.",
    "Adalimumab reduces radiographic progression in seropositive RA.",
    "Methotrexate is the first-line DMARD.",
    # Scenario 2 (MRI): red-flag imaging claim.
    "Progressive neurological deficit is a red flag for which imaging is indicated.",
    # Scenario 3 (migraine): trial statistics.
    "Erenumab reduced monthly migraine days by 50% in 40% of patients.",
    "CGRP monoclonal antibodies are effective in patients who failed two oral preventives.",
    # Scenario 4 (RFA): literature claim.
    "Studies show radiofrequency ablation gives lasting relief after positive blocks.",
    "Even with her asthma, the ACR guideline recommends a biologic.",
]

NOT_FLAGGED = [
    # Observations from the chart.
    "Her CDAI was 31 on 12 Sep 2026.",
    "She missed 11 work days in the last quarter.",
    "Methotrexate was stopped for ALT 3.4× ULN despite folic acid.",
    "ODI 52% (severe disability); pain NRS 8/10.",
    "Propranolol is contraindicated because of her asthma (FEV1 68% predicted).",
    "Two medial branch blocks on 2026-07-14 and 2026-08-11 gave 85% and 90% relief.",
    "NSAIDs are limited by his CKD stage 3a (eGFR 52).",
    "She failed first-line methotrexate.",
    # The payer's own documents, and the clinician's stated judgement.
    "The denial cited the vendor imaging guideline, spine section.",
    "I recommend adalimumab 40 mg every 2 weeks.",
    "In my clinical judgement, erenumab is the safest next step for her.",
    # Cited claims, with each accepted marker.
    "Adding a bDMARD is conditionally recommended [1].",
    "CGRP antibodies are recommended after two oral preventives [2, 3].",
    "Imaging is indicated with a progressive deficit [1-3].",
    "Nonopioid therapies should be maximized.¹",
    "Adalimumab reduces radiographic progression {cite:fraenkel2021}.",
]


@pytest.mark.parametrize("sentence", FLAGGED)
def test_uncited_clinical_claims_are_flagged(sentence):
    findings = uncited_claims(sentence)
    assert [f.phrase for f in findings] == [sentence]
    assert "no citation" in findings[0].reason


@pytest.mark.parametrize("sentence", NOT_FLAGGED)
def test_patient_observations_judgement_and_cited_claims_are_not_flagged(sentence):
    assert uncited_claims(sentence) == []


def test_only_the_uncited_sentence_of_a_paragraph_is_flagged_with_its_span():
    text = (
        "Her CDAI was 31 on 12 Sep 2026. Adding a bDMARD is conditionally recommended [1]. "
        "Biologics improve function in seropositive RA. She missed 11 work days."
    )
    findings = uncited_claims(text)
    assert [f.phrase for f in findings] == ["Biologics improve function in seropositive RA."]
    assert text[findings[0].start : findings[0].end] == findings[0].phrase
