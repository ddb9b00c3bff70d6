"""The letter answers the denial it is written against, and says nothing the case does not
hold: each category's argument, "enclosed" and "agreed" only with their records, the
rebuttals only when their conditions hold, references numbered after a rewrite."""

from datetime import date

import pytest

from app.domain import followup, points
from app.domain.brief import assemble
from app.domain.points import BankRebuttal
from app.domain.rebuttals import DEFAULT_REBUTTALS, needs_of, values_of
from tests.factories import call, case, citation, claim, criterion, document, fact

TODAY = date(2026, 12, 6)
DENIAL = (
    "Spinal cord stimulation for painful diabetic neuropathy is considered investigational; "
    "long-term outcomes are not established."
)


def text(letter) -> str:
    return " ".join(p.text for p in letter.paragraphs())


def scs_case(**over):
    fda = citation("fda2021senza")
    rct = citation("petersen2021senza")
    durable = citation("petersen2022durability")
    hba1c = fact("finding", finding_type="lab", text="HbA1c 7.1%", fact_date="2026-10-14")
    psych = fact(
        "history",
        text="Psychological evaluation found no contraindication to a stimulator trial",
        fact_date="2026-09-30",
    )
    criteria = [
        criterion("HbA1c 10% or less);", [hba1c]),
        criterion("Psychological evaluation without contraindication", [psych]),
    ]
    values = dict(
        denial_category="experimental",
        denial_reason=DENIAL,
        patient_name="Walter Rennick",
        patient_sex="male",
        requested_service="a percutaneous spinal cord stimulator trial",
        procedure_codes="63650",
        criteria_detail="policy MP-7.01.25",
        facts=[
            fact("diagnosis", text="Painful diabetic neuropathy", fact_date="2021"),
            hba1c,
            psych,
        ],
        criteria=criteria,
        citations=[
            claim(
                "The FDA approved the Senza system for painful diabetic neuropathy in July 2021 "
                "(PMA P130022/S042)",
                fda,
                "regulatory",
            ),
            claim(
                "In a randomized trial of 216 patients, 79% responded to 10-kHz stimulation "
                "against 5% with conventional management at 6 months",
                rct,
                "trial",
                "p690",
            ),
            claim("The benefit held at 12 months in 86% of patients", durable, "durability"),
        ],
    )
    values.update(over)
    return case(**values)


def test_an_experimental_denial_is_answered_in_the_order_the_category_calls_for():
    letter = assemble(scs_case(), TODAY)
    keys = [p.key for p in letter.paragraphs()]
    order = ["argument-regulatory", "argument-trials", "argument-durability"]
    assert [k for k in keys if k in order] == order
    assert keys.index("denial") == 1  # right after the request
    body = text(letter)
    assert "The FDA approved the Senza system" in body
    assert "published evidence" not in body and "(Petersen" not in body
    durability = next(p for p in letter.paragraphs() if p.key == "argument-durability")
    assert durability.sentences[0].text.startswith(
        "The denial says “long-term outcomes are not established”"
    )
    marks = [s.mark for p in letter.paragraphs() for s in p.sentences if s.mark]
    assert marks == ["1", "2(p690)", "3"]
    assert [r.number for r in letter.references] == [1, 2, 3]


def test_criteria_read_as_argument_with_every_linked_fact_and_no_doubled_punctuation():
    body = text(assemble(scs_case(), TODAY))
    assert (
        "Criterion 1 of Summit Health's policy MP-7.01.25 requires “HbA1c 10% or less)”. "
        "Mr. Rennick meets it: laboratory testing on 14 Oct 2026 showed HbA1c 7.1%."
    ) in body
    assert ";." not in body and ").." not in body
    assert body.count("HbA1c 7.1%") == 1  # said once: history leaves the argued fact out


def test_the_patient_is_named_in_full_once_then_by_title_and_pronoun():
    letter = assemble(scs_case(), TODAY)
    body = text(letter)
    assert body.count("Walter Rennick") == 1
    assert "Mr. Rennick" in body
    assert "Their " not in body and " they " not in body


def test_the_request_is_built_from_the_structured_ask_never_the_service_description():
    over = dict(
        service_description="Percutaneous trial, then permanent implant if >=50% pain relief",
        requested_quantity="one 7-day trial",
        fallback_asks="Approve a trial at a single level\nbiosimilar device acceptable",
        urgency="expedited",
    )
    letter = assemble(scs_case(**over), TODAY)
    request = next(p for p in letter.paragraphs() if p.key == "request")
    assert request.sentences[0].text == (
        "I am writing on behalf of my patient, Walter Rennick, to ask Summit Health to reverse "
        "its denial and approve a percutaneous spinal cord stimulator trial (63650), one 7-day "
        "trial."
    )
    assert ">=50%" not in text(letter)
    fallback = next(p for p in letter.paragraphs() if p.key == "fallback").text
    assert fallback == (
        "If Summit Health cannot approve the full request, I ask it to approve a trial at a "
        "single level; failing that, biosimilar device."
    )


def test_without_a_service_to_approve_no_request_sentence_is_made_and_readiness_says_so():
    from app.domain.readiness import gaps

    plain = scs_case(requested_service="")
    letter = assemble(plain, TODAY)
    assert "to ask Summit Health to reverse" not in text(letter)
    assert "no-ask" in {w.code for w in gaps(plain, ["Dr"], letter.missing_steps)}


def test_a_step_with_nothing_to_draw_on_is_left_out_and_named_by_the_readiness_check():
    from app.domain.readiness import gaps

    bare = scs_case(citations=[])
    letter = assemble(bare, TODAY)
    assert not any(p.key.startswith("argument-regulatory") for p in letter.paragraphs())
    codes = {w.code for w in gaps(bare, ["Dr"], letter.missing_steps)}
    assert {"argument-regulatory", "argument-trials", "argument-durability"} <= codes


# --- step therapy: stability and contraindications only when the chart says so -------------


def step_case(*extra):
    mtx = fact(
        "prior_treatment",
        therapy="Methotrexate",
        dose="15 → 25 mg weekly",
        start_date="2024-01",
        stop_date="2024-09",
        outcome="intolerant",
        reason_stopped="ALT 3.4× ULN despite folic acid",
    )
    return case(
        denial_category="step_therapy",
        denial_reason="Member must try and fail two conventional DMARDs.",
        requested_service="adalimumab 40 mg every 2 weeks",
        facts=[mtx, *extra],
    )


def test_stability_on_current_therapy_is_argued_only_when_recorded():
    without = text(assemble(step_case(), TODAY))
    assert "has been on" not in without and "not be interrupted" not in without
    current = fact("current_treatment", therapy="Adalimumab", dose="40 mg", start_date="2026-03")
    with_it = text(assemble(step_case(current), TODAY))
    assert "She has been on adalimumab 40 mg since Mar 2026." in with_it


def test_a_contraindication_is_an_exception_only_when_documented():
    assert "exception" not in text(assemble(step_case(), TODAY))
    asthma = fact("contraindication", text="Propranolol is contraindicated by asthma, FEV1 68%")
    body = text(assemble(step_case(asthma), TODAY))
    assert "treated as an exception to the step requirement" in body
    assert "Propranolol is contraindicated by asthma, FEV1 68%." in body


def test_a_prior_trial_reads_as_a_sentence_with_its_length_and_reason():
    body = text(assemble(step_case(), TODAY))
    assert (
        "Ms. Okafor tried methotrexate 15 → 25 mg weekly from Jan 2024 to Sep 2024 "
        "(8 months); it was stopped for ALT 3.4× ULN despite folic acid."
    ) in body
    assert "2024 – 2024" not in body


# --- enclosed, agreed -----------------------------------------------------------------------


def test_enclosed_only_for_documents_marked_as_what_the_denial_asked_for():
    blocks = document("Medial branch block record", date(2026, 7, 14), answers_denial=True)
    other = document("Progress note", date(2026, 9, 1))
    asked = dict(
        denial_category="insufficient_documentation",
        denial_reason="Two diagnostic medial branch blocks with ≥80% relief not submitted.",
    )
    without = text(assemble(case(**asked, documents=[other]), TODAY))
    assert "enclosed" not in without
    with_it = text(assemble(case(**asked, documents=[other, blocks]), TODAY))
    assert "The record the denial asked for is enclosed: the medial branch block record" in with_it
    assert "progress note" not in with_it.split("enclosed:")[1].split(".")[0].lower()


def test_the_appeal_says_the_requested_documentation_is_enclosed_only_when_it_is():
    logged = call(would_change="The medial branch block diaries", reviewer_reason="No diaries")
    note = document("Progress note", date(2026, 9, 1))
    appeal = followup.appeal(case(documents=[note], calls=[logged]), logged, TODAY)
    assert "enclosed" not in text(appeal).split("would change the decision")[1]
    assert "The reviewer gave this reason for the decision: “No diaries.”" in text(appeal)
    codes = {w.code for w in followup.gaps("appeal", case(documents=[note]), logged, ["Dr"])}
    assert "would-change-not-enclosed" in codes
    diaries = document("Block pain diaries", date(2026, 8, 11), answers_call=logged)
    appeal = followup.appeal(case(documents=[note, diaries], calls=[logged]), logged, TODAY)
    assert "It is enclosed: the block pain diaries of 11 Aug 2026." in text(appeal)


def test_the_confirmation_says_agreed_only_for_the_reviewers_commitment():
    mine = call(next_step="File the internal appeal by Nov 10")
    letter = followup.confirmation(case(calls=[mine]), mine, TODAY)
    assert "agreed" not in text(letter) and "File the internal appeal" not in text(letter)
    theirs = call(reviewer_commitment="Re-review within 72 hours once the diaries arrive")
    letter = followup.confirmation(case(calls=[theirs]), theirs, TODAY)
    assert "You agreed to re-review within 72 hours once the diaries arrive." in text(letter)


# --- references after a rewrite ----------------------------------------------------------------


def test_a_rewrite_that_drops_a_citation_drops_its_reference_and_renumbers():
    plain = assemble(scs_case(), TODAY)
    regulatory = next(p for p in plain.paragraphs() if p.key == "argument-regulatory")
    assert "{cite:fda2021senza}" in regulatory.editable
    edits = {"argument-regulatory": "The device is FDA approved for this use."}
    letter = assemble(scs_case(), TODAY, edits)
    assert [r.text.split(" et al")[0] for r in letter.references] == [
        "petersen2021senza",
        "petersen2022durability",
    ]
    marks = [s.mark for p in letter.paragraphs() for s in p.sentences if s.mark]
    assert marks == ["1(p690)", "2"]


def test_a_rewrite_that_keeps_its_marker_keeps_the_citation():
    edits = {"argument-regulatory": "FDA approval came in July 2021. {cite:fda2021senza}"}
    letter = assemble(scs_case(), TODAY, edits)
    own = next(p for p in letter.paragraphs() if p.key == "argument-regulatory")
    assert own.own and own.sentences[0].mark == "1"
    assert own.text == "FDA approval came in July 2021."
    assert len(letter.references) == 3


# --- the rebuttal bank ---------------------------------------------------------------------------


def _rich_case(category: str):
    """A case that holds everything any rebuttal of the bank can need."""
    return scs_case(
        denial_category=category,
        denial_reason="Denied.",  # no clause of it answered: every backed rebuttal is said
        facts=[
            *scs_case().facts,
            fact("prior_treatment", therapy="Gabapentin", outcome="ineffective"),
            fact("contraindication", text="Duloxetine is contraindicated by hepatic disease"),
            fact("current_treatment", therapy="Pregabalin", dose="150 mg twice daily"),
            fact("pro", instrument="pain_nrs", score=8, fact_date="2026-10-01"),
        ],
        citations=[
            *scs_case().citations,
            claim("It is listed in DrugDex for this use", citation("drugdex"), "compendium"),
            claim(
                "The guideline suggests it",
                citation("ada", grade="B", system="ADA"),
                "guideline",
            ),
        ],
        documents=[document("Block record", date(2026, 7, 14), answers_denial=True)],
    )


@pytest.mark.parametrize("rebuttal", DEFAULT_REBUTTALS, ids=lambda r: r.objection[:40])
def test_each_default_rebuttal_appears_exactly_when_its_conditions_hold(rebuttal):
    bank = [BankRebuttal(rebuttal.objection, rebuttal.rebuttal, rebuttal.needs)]
    needs = needs_of(rebuttal.rebuttal, rebuttal.needs)
    rich = values_of(_rich_case(rebuttal.category))
    assert all(rich[n] for n in needs), "the rich case holds every need"
    for need in needs:  # each condition missing on its own keeps the rebuttal off the page
        thin = {**rich, need: ""}
        from app.domain.rebuttals import applies

        assert not applies(rebuttal.rebuttal, rebuttal.needs, thin), need
    said = points.assemble(_rich_case(rebuttal.category), TODAY, bank).objections
    assert len(said) == 1
    assert "[" not in said[0][1] and "{" not in said[0][1]
    empty = case(denial_category=rebuttal.category, criteria_detail="")
    bare = points.assemble(empty, TODAY, bank).objections
    assert bool(bare) == (not needs)


def test_the_talking_points_answer_the_payers_words_first_and_show_every_fact():
    tp = points.assemble(scs_case(), TODAY)
    assert tp.answers[0] == (
        "long-term outcomes are not established",
        "The benefit held at 12 months in 86% of patients.",
    )
    psych = next(c for c in tp.criteria if c.text.startswith("Psychological"))
    assert psych.facts == (
        "Psychological evaluation found no contraindication to a stimulator trial (30 Sep 2026).",
    )
    assert len(" ".join(tp.opening).split()) <= points.OPENING_WORDS
    assert tp.opening[0] == (
        "I'm calling about Walter Rennick, 54, who has painful diabetic neuropathy, diagnosed "
        "in 2021."
    )
