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
    )
    base.update(fields)
    return NS(id=id_, kind=kind, position=position, in_letter=in_letter, **base)


def case(**over):
    a, b = citation(1, "alpha"), citation(2, "beta")
    mtx = fact(10, "prior_treatment", 1, therapy="Methotrexate", outcome="intolerant")
    secret = fact(11, "history", 2, in_letter=False, text="Unrelated psychiatric history")
    crit = [
        NS(
            id=1,
            text="Two DMARDs tried",
            status="met",
            note="",
            facts=[mtx, secret],
            evidence=[NS(citation=b, pinpoint="p 2")],
        ),
        NS(
            id=2,
            text="Rheumatologist prescribes",
            status="unset",
            note="",
            facts=[],
            evidence=[NS(citation=a, pinpoint=""), NS(citation=b, pinpoint="")],
        ),
    ]
    values = dict(
        id=7,
        patient_name="Pat Doe",
        patient_dob=date(1980, 3, 14),
        payer="Acme",
        plan_type="erisa",
        member_id="M1",
        group_number="",
        denial_reference="R9",
        denial_received=date(2026, 10, 2),
        denial_category="step_therapy",
        denial_reason="Step therapy not met.",
        denial_reason_missing=False,
        service_description="adalimumab",
        procedure_codes="J0135",
        drug_name="",
        drug_strength="",
        diagnosis_codes="M05.79",
        service_start=None,
        service_end=None,
        urgency="standard",
        criteria_set="policy",
        criteria_detail="RX-417",
        ask="",
        framing="",
        risks="",
        fallback_asks="",
        facts=[mtx, secret],
        criteria=crit,
        citations=[],
        documents=[],
    )
    values.update(over)
    return NS(**values)


def test_references_are_numbered_in_order_of_first_use():
    letter = assemble(case(), date(2026, 11, 23))
    refs = [n for p in letter.paragraphs() for s in p.sentences for n in s.refs]
    assert refs == [1, 2, 1]  # beta first (criterion 1), then alpha; beta again keeps its 1
    assert [r.text for r in letter.references] == ["beta ref. J", "alpha ref. J"]


def test_a_fact_left_out_of_the_letter_stays_out_even_when_linked():
    letter = assemble(case(), date(2026, 11, 23))
    text = " ".join(p.text for p in letter.paragraphs())
    assert "psychiatric" not in text
    assert "Methotrexate — Intolerant." in text


def test_every_sentence_names_its_source():
    letter = assemble(case(), date(2026, 11, 23))
    kinds = {s.kind for p in letter.paragraphs() for x in p.sentences for s in x.sources}
    assert all(x.sources for p in letter.paragraphs() for x in p.sentences)
    assert {"case", "fact", "criterion", "citation", "letter"} <= kinds


def test_a_sentence_resting_on_several_treatments_names_each():
    tried = [
        fact(10, "prior_treatment", 1, therapy="Methotrexate", outcome="intolerant"),
        fact(12, "prior_treatment", 2, therapy="Leflunomide", outcome="ineffective"),
        fact(13, "pro", 3, instrument="cdai", score=31, fact_date="2026-09-12"),
    ]
    letter = assemble(case(facts=tried), date(2026, 11, 23))
    paragraphs = {p.key: p for p in letter.paragraphs()}
    summary = paragraphs["treatments"].sentences[0]
    assert [str(s) for s in summary.sources] == [
        "fact: Prior treatment (Methotrexate)",
        "fact: Prior treatment (Leflunomide)",
    ]
    score = paragraphs["outcomes"].sentences[0]
    assert [str(s) for s in score.sources] == ["fact: Patient-reported outcome (CDAI)"]


def test_a_missing_written_reason_is_asked_for_not_invented():
    letter = assemble(case(denial_reason="", denial_reason_missing=True), date(2026, 11, 23))
    assert "has not been provided in writing" in letter.sections[0].paragraphs[0].text


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


SIGNER = NS(name="Dr", specialty="Rheumatology", npi="1234567893")  # a complete profile


def test_readiness_gaps_by_category():
    from app.domain.readiness import gaps

    step = case(member_id="", denial_reason_missing=True, denial_reason="")
    step.facts = [f for f in step.facts if f.kind != "prior_treatment"]
    codes = {w.code for w in gaps(step, signers=[])}
    assert {"no-written-reason", "no-member-id", "step-no-trials", "no-signer"} <= codes
    assert "excluded-fact-1" in codes  # criterion 1 relies on the left-out history
    ready = case(criteria=[])
    assert {w.code for w in gaps(ready, signers=[SIGNER])} == set()
    nmn = case(denial_category="not_medically_necessary", criteria=[])
    assert [w.code for w in gaps(nmn, signers=[SIGNER])] == ["nmn-no-criterion"]
