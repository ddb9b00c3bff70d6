from datetime import date
from types import SimpleNamespace as NS

from app.domain.brief import assemble


def citation(id_, key, grade=""):
    return NS(
        id=id_,
        key=key,
        ama=[{"text": f"{key} ref. ", "italic": False}, {"text": "J", "italic": True}],
        grade_system="GRADE" if grade else "",
        grade=grade,
        recommendation="",
        issuer="",
        authors=[f"{key.title()} A"],
        journal="J",
        year="2021",
    )


def fact(id_, kind, position, in_letter=True, **fields):
    base = dict(
        text=None,
        fact_date=None,
        severity=None,
        finding_type=None,
        therapy=None,
        dose=None,
        start_date=None,
        stop_date=None,
        outcome=None,
        reason_stopped=None,
        instrument=None,
        score=None,
        source_id=None,
    )
    base.update(fields)
    return NS(id=id_, kind=kind, position=position, in_letter=in_letter, **base)


def claim(id_, cited, text, kind="trial", pinpoint="", criterion_id=None, position=1):
    """A claim of the case (a CaseCitation): the clinician's words, backed by `cited`."""
    return NS(
        id=id_,
        citation=cited,
        claim=text,
        pinpoint=pinpoint,
        position=position,
        kind=kind,
        criterion_id=criterion_id,
    )


def case(**over):
    a, b = citation(1, "alpha"), citation(2, "beta")
    mtx = fact(10, "prior_treatment", 1, therapy="Methotrexate", outcome="intolerant")
    secret = fact(11, "history", 2, in_letter=False, text="Unrelated psychiatric history")
    rheum = fact(14, "history", 3, text="Treated by rheumatology since 2023")
    # Criterion ids differ from their numbers, so a message naming an id would show.
    crit = [
        NS(
            id=101,
            text="Two DMARDs tried",
            status="met",
            note="",
            facts=[mtx, secret],
            evidence=[],
        ),
        NS(
            id=102,
            text="Rheumatologist prescribes",
            status="met",
            note="",
            facts=[rheum],
            evidence=[NS(citation=a, pinpoint=""), NS(citation=b, pinpoint="")],
        ),
    ]
    guideline = claim(
        31,
        b,
        "The ACR guideline recommends a biologic after an inadequate trial of methotrexate",
        kind="guideline",
        pinpoint="p 2",
    )
    values = dict(
        id=7,
        patient_name="Pat Doe",
        patient_dob=date(1980, 3, 14),
        patient_sex="female",
        patient_title="",
        patient_pronouns="",
        payer="Acme",
        plan_type="erisa",
        member_id="M1",
        group_number="",
        denial_reference="R9",
        denial_received=date(2026, 10, 2),
        denial_category="step_therapy",
        denial_reason="Step therapy not met.",
        denial_reason_missing=False,
        service_description="Biologic for RA, see the chart",
        requested_service="adalimumab 40 mg every 2 weeks",
        requested_quantity="2 pens per 28 days",
        requested_duration="12 months",
        procedure_codes="J0135",
        drug_name="",
        drug_strength="",
        drug_quantity="",
        site_of_care="",
        diagnosis_codes="M05.79",
        service_start=None,
        service_end=None,
        urgency="standard",
        criteria_set="policy",
        criteria_detail="RX-417",
        ask="",
        thesis="",
        framing="",
        risks="",
        fallback_asks="",
        facts=[mtx, secret, rheum],
        criteria=crit,
        citations=[guideline],
        documents=[],
    )
    values.update(over)
    return NS(**values)


def body(letter) -> str:
    return " ".join(p.text for p in letter.paragraphs())


def test_references_are_numbered_in_order_of_first_use():
    letter = assemble(case(), date(2026, 11, 23))
    cited = [s for p in letter.paragraphs() for s in p.sentences if s.refs]
    refs = [n for s in cited for n in s.refs]
    # beta first (the guideline claim), then alpha (criterion 2); beta again keeps its 1
    assert refs == [1, 2, 1]
    assert [s.mark for s in cited] == ["1(p2)", "2,1"]  # the pinpoint in the superscript
    assert [r.text for r in letter.references] == ["beta ref. J", "alpha ref. J"]


def test_a_reference_is_numbered_only_when_the_letter_as_rewritten_cites_it():
    letter = assemble(case(), date(2026, 11, 23), {"argument-guideline": "My own words."})
    assert [r.text for r in letter.references] == ["alpha ref. J", "beta ref. J"]
    cited = [s.mark for p in letter.paragraphs() for s in p.sentences if s.refs]
    assert cited == ["1,2"]  # alpha is now first used by criterion 2


def test_a_citation_linked_to_the_step_rule_stays_in_the_letter():
    """The criterion that states the step rule is quoted, not argued: the citation the
    clinician linked to it must still be cited, not silently dropped."""
    step = case()
    step.criteria[0].evidence = [NS(citation=citation(3, "gamma"), pinpoint="p 9")]
    letter = assemble(step, date(2026, 11, 23))
    assert "gamma ref. J" in [r.text for r in letter.references]


def test_a_criterion_argued_by_its_note_keeps_its_citations():
    """A criterion the clinician answers with a note, no fact linked, is still argued: the
    citations linked to it must be cited with it, not silently dropped."""
    noted = case(denial_category="not_medically_necessary", citations=[])
    noted.criteria[1].facts = []
    noted.criteria[1].note = "Dr Stone, rheumatology, prescribes"
    letter = assemble(noted, date(2026, 11, 23))
    assert "Dr Stone, rheumatology, prescribes." in body(letter)
    assert [r.text for r in letter.references] == ["alpha ref. J", "beta ref. J"]


def test_the_request_is_built_from_the_structured_ask():
    letter = assemble(case(), date(2026, 11, 23))
    request = next(p for p in letter.paragraphs() if p.key == "request").text
    assert request == (
        "I am writing on behalf of my patient, Pat Doe, to ask Acme to reverse its denial "
        "and approve adalimumab 40 mg every 2 weeks (J0135), 2 pens per 28 days, for 12 months."
    )
    assert "Biologic for RA" not in body(letter)  # the free-text description is not the ask


def test_the_denial_is_quoted_then_answered_in_one_sentence():
    letter = assemble(case(), date(2026, 11, 23))
    denial = next(p for p in letter.paragraphs() if p.key == "denial")
    assert [s.text for s in denial.sentences] == [
        "The denial dated 2 Oct 2026 (reference R9) states: “Step therapy not met.”",
        "It does not hold, for the reasons set out below: the prior trials, each with its "
        "dates and outcome, the guideline's position and how each of the plan's criteria is "
        "met.",
    ]
    own = assemble(case(thesis="Two DMARDs were tried and failed"), date(2026, 11, 23))
    denial = next(p for p in own.paragraphs() if p.key == "denial")
    assert denial.sentences[1].text == "Two DMARDs were tried and failed."
    assert denial.sentences[1].sources[0].kind == "own"


def test_the_patient_is_named_in_full_once_then_by_title_and_surname():
    text = body(assemble(case(), date(2026, 11, 23)))
    assert text.count("Pat Doe") == 1
    assert "Ms. Doe is 46 years old." in text and "she could not tolerate it" in text
    unsaid = body(assemble(case(patient_sex=""), date(2026, 11, 23)))
    assert "Ms. Doe" not in unsaid and "they could not tolerate it" in unsaid


def test_a_fact_left_out_of_the_letter_stays_out_even_when_linked():
    letter = assemble(case(), date(2026, 11, 23))
    text = body(letter)
    assert "psychiatric" not in text
    assert "She tried methotrexate; she could not tolerate it." in text
    assert "Methotrexate — Intolerant." not in text  # a fact is written, not pasted as a label
    assert [(t.therapy, t.outcome) for t in letter.treatments] == [("Methotrexate", "Intolerant")]
    assert letter.table_after == "argument"  # step therapy: the table follows the trials


def test_every_sentence_names_its_source():
    letter = assemble(case(), date(2026, 11, 23))
    kinds = {s.kind for p in letter.paragraphs() for x in p.sentences for s in x.sources}
    assert all(x.sources for p in letter.paragraphs() for x in p.sentences)
    assert {"case", "fact", "criterion", "claim", "letter"} <= kinds


def test_a_sentence_resting_on_several_treatments_names_each():
    tried = [
        fact(10, "prior_treatment", 1, therapy="Methotrexate", outcome="intolerant"),
        fact(12, "prior_treatment", 2, therapy="Leflunomide", outcome="ineffective"),
        fact(13, "pro", 3, instrument="cdai", score=31, fact_date="2026-09-12"),
    ]
    letter = assemble(
        case(facts=tried, denial_category="not_medically_necessary"), date(2026, 11, 23)
    )
    paragraphs = {p.key: p for p in letter.paragraphs()}
    summary = paragraphs["treatments"].sentences[0]
    assert summary.text.startswith("Ms. Doe has tried 2 treatments for this condition")
    assert [str(s) for s in summary.sources] == [
        "fact: Prior treatment (Methotrexate)",
        "fact: Prior treatment (Leflunomide)",
    ]
    score = paragraphs["outcomes"].sentences[0]
    assert [str(s) for s in score.sources] == ["fact: Patient-reported outcome (CDAI)"]


def test_a_missing_written_reason_is_asked_for_not_invented():
    letter = assemble(case(denial_reason="", denial_reason_missing=True), date(2026, 11, 23))
    denial = next(p for p in letter.paragraphs() if p.key == "denial").text
    assert denial == (
        "The reason for the denial has not been provided in writing; I ask that it be sent to "
        "my office with the criteria applied."
    )
    assert "states:" not in body(letter) and "It does not hold" not in body(letter)


def test_the_clinicians_rewrite_replaces_the_paragraph_and_keeps_the_original():
    letter = assemble(case(), date(2026, 11, 23), {"closing": "Call me."})
    closing = next(p for p in letter.paragraphs() if p.key == "closing")
    assert closing.own and closing.text == "Call me."
    assert closing.generated.startswith("I am available for a peer-to-peer review")
    assert closing.sentences[0].sources[0].kind == "own"


def test_re_block_carries_identifiers_and_codes():
    block = dict(assemble(case(), date(2026, 11, 23)).re_block)
    assert block["Member ID"] == "M1" and block["Reference number"] == "R9"
    assert block["ICD-10-CM"] == "M05.79" and block["Date of birth"] == "14 Mar 1980"
    assert "Group number" not in block  # empty fields are left out


def test_the_fallbacks_are_asked_for_in_one_sentence():
    asks = "A 6-month trial with a CDAI re-check\nApprove biosimilar adalimumab"
    letter = assemble(case(fallback_asks=asks), date(2026, 11, 23))
    fallback = next(p for p in letter.paragraphs() if p.key == "fallback").text
    assert fallback == (
        "If Acme cannot approve the full request, I ask it to approve a 6-month trial with a "
        "CDAI re-check; failing that, biosimilar adalimumab."
    )


def test_dates_follow_the_teams_style_through_the_letter():
    letter = assemble(case(), date(2026, 11, 23), style="mdy")
    assert dict(letter.re_block)["Date of birth"] == "March 14, 1980"
    assert "The denial dated October 2, 2026 (reference R9)" in body(letter)
    assert "2 Oct 2026" not in body(letter)


SIGNER = NS(name="Dr", specialty="Rheumatology", npi="1234567893")  # a complete profile


def test_readiness_gaps_by_category():
    from app.domain.readiness import WHERE, gaps

    step = case(member_id="", denial_reason_missing=True, denial_reason="")
    step.facts = [f for f in step.facts if f.kind != "prior_treatment"]
    found = gaps(step, signers=[])
    codes = {w.code for w in found}
    assert {"no-written-reason", "no-member-id", "step-no-trials", "no-signer"} <= codes
    assert "excluded-fact-101" in codes  # criterion 1 relies on the left-out history
    excluded = next(w for w in found if w.code == "excluded-fact-101")
    assert excluded.message.startswith("Criterion 1 (“Two DMARDs tried”) relies on")
    assert all(w.where.split("#")[0] in WHERE for w in found)  # each says where it is fixed
    assert not any("101" in w.message or "102" in w.message for w in found)  # no internal ids
    ready = case(criteria=[])
    assert {w.code for w in gaps(ready, signers=[SIGNER])} == set()
    unasked = case(criteria=[], requested_service="", patient_sex="")
    assert {w.code for w in gaps(unasked, signers=[SIGNER])} == {"no-ask", "no-title"}
    nmn = case(denial_category="not_medically_necessary", criteria=[])
    missing = assemble(nmn, date(2026, 11, 23)).missing_steps
    warned = gaps(nmn, signers=[SIGNER], missing_steps=missing)
    assert [(w.code, w.where) for w in warned] == [("argument-criteria", "criteria")]
    assert "nmn-no-criterion" not in {w.code for w in warned}
