"""The letters after the call: what each says, what it leaves out, and where each sentence
comes from."""

from datetime import datetime

import pytest

from app.domain.brief import assemble
from app.domain.followup import (
    APPEAL,
    CONFIRMATION,
    EXTERNAL,
    RECONSIDERATION,
    appeal,
    confirmation,
    external_review,
    gaps,
    latest_call,
)
from tests.domain.followup_cases import NOTE, SIGNER, TODAY, call, case, document, text


def paragraph(letter, key):
    return next(p for p in letter.paragraphs() if p.key == key)


# --- confirmation ----------------------------------------------------------------------------


def test_confirmation_states_the_call_as_logged():
    letter = confirmation(case(), call(), TODAY, [SIGNER])
    body = text(letter)
    assert letter.title == CONFIRMATION
    assert body.startswith(
        "This letter confirms my peer-to-peer conversation about my patient, Pat Doe, on "
        "8 Oct 2026 at 2:30 PM with Alan Reyes, MD (internal medicine)."
    )
    assert "Dr. Alan Reyes, MD" not in body  # the title is not said twice
    assert "I asked Acme to reverse its denial dated 2 Oct 2026 (reference R9)" in body
    assert "based on Pharmacy policy RX-417 (2026-07)." in body
    assert "The reviewer upheld the denial." in body
    # The reference is asked for in writing and stands in the RE block: said once in the text.
    assert body.count("P2P-26-55190") == 1
    assert (
        "the following documentation would change the decision: Pharmacy fill history for the "
        "leflunomide trial." in body
    )
    assert "The reason you gave was: “Only one conventional DMARD is on the claims record.”" in body
    assert (
        "You agreed to re-review the request within 5 days of receiving the fill history." in body
    )
    # The clinician's own next step is theirs, not something the reviewer agreed to.
    assert "We agreed on the next step" not in body
    assert "File the internal appeal" not in body
    assert (
        "The reviewer's specialty (internal medicine) is not the same as mine (rheumatology); "
        "I request that any further review of this case be done by a physician in the same or "
        "a similar specialty." in body
    )
    assert "with the reviewer's name and credentials and reference number P2P-26-55190." in body
    assert "Counted methotrexate only" not in body  # the clinician's notes stay notes
    assert dict(letter.re_block)["Peer-to-peer review"] == "8 Oct 2026, reference P2P-26-55190"
    labels = [label for label, _ in letter.re_block]
    assert labels.index("Peer-to-peer review") == labels.index("Denial reason") + 1
    assert letter.addressee[-1] == "Attention: Alan Reyes, MD"
    assert letter.treatments == [] and letter.references == [] and letter.enclosures == []


def test_confirmation_leaves_out_what_was_not_logged():
    bare = call(
        outcome="pending",
        held_at=None,
        reviewer_name="",
        reviewer_credentials="",
        reviewer_specialty="",
        same_specialty=None,
        criteria_named="",
        criteria_version="2026",
        reference_number="",
        would_change="  ",
        reviewer_reason="",
        reviewer_commitment=" ",
        next_step="File the internal appeal",
    )
    letter = confirmation(case(denial_received=None), bare, TODAY, [])
    body = text(letter)
    assert body.startswith(
        "This letter confirms my peer-to-peer conversation about my patient, Pat Doe, with the "
        "plan's reviewer."
    )
    assert (
        "I asked Acme to approve adalimumab 40 mg every 2 weeks (J0135), 2 pens per 28 days, "
        "for 12 months." in body
    )
    assert "The reviewer told me that the decision is pending." in body
    for absent in (
        "None",
        "“”",
        "()",
        " on ",
        "based on",
        "would change",
        "reason you gave",
        "You agreed",
        "File the internal appeal",
        "specialty",
    ):
        assert absent not in body, absent
    assert "the reference number of this review." in body
    assert "Peer-to-peer review" not in dict(letter.re_block)
    assert not any(line.startswith("Attention") for line in letter.addressee)


def test_a_reviewer_of_the_same_specialty_or_unknown_is_not_challenged():
    # The signer's profile says rheumatology: a rheumatologist, or a reviewer not named.
    for reviewer, same in (("Rheumatology", True), ("", None)):
        shown = call(reviewer_specialty=reviewer, same_specialty=same)
        body = text(confirmation(case(), shown, TODAY, [SIGNER]))
        assert "same or a similar specialty" not in body


def test_every_confirmation_sentence_names_its_source_and_the_call_fields():
    letter = confirmation(case(), call(), TODAY, [SIGNER])
    sentences = [s for p in letter.paragraphs() for s in p.sentences]
    assert all(s.sources for s in sentences)
    fields = {x.label for s in sentences for x in s.sources if x.kind == "call" and x.ref == 41}
    assert {
        "held_at",
        "reviewer_name",
        "criteria_named",
        "outcome",
        "reference_number",
        "would_change",
        "reviewer_reason",
        "reviewer_commitment",
        "same_specialty",
    } <= fields
    assert "next_step" not in fields  # no sentence comes from the clinician's next step


# --- appeal ------------------------------------------------------------------------------------


def test_appeal_replaces_the_request_and_adds_what_the_call_revealed():
    letter = appeal(case(documents=[document()]), call(), TODAY, {}, [SIGNER])
    assert letter.title == APPEAL
    assert [s.key for s in letter.sections] == [
        "request",
        "p2p",
        "history",
        "argument",
        "consequences",
        "closing",
    ]
    request = next(s for s in letter.sections if s.key == "request")
    assert [p.key for p in request.paragraphs] == ["appeal-request", "denial"]
    assert paragraph(letter, "appeal-request").text == (
        "I am writing on behalf of my patient, Pat Doe, to request an internal appeal of "
        "Acme's denial of adalimumab 40 mg every 2 weeks (J0135), 2 pens per 28 days, for 12 "
        "months. The denial was upheld at a peer-to-peer review on 8 Oct 2026 with Alan Reyes, "
        "MD (internal medicine), reference P2P-26-55190."
    )
    denial = paragraph(letter, "denial").text
    assert denial.startswith(
        "The denial dated 2 Oct 2026 (reference R9) states: “Step therapy not met.” It does not "
        "hold, for the reasons set out below:"
    )
    assert "I am writing on behalf of my patient, Pat Doe, to ask Acme" not in text(letter)
    p2p = next(s for s in letter.sections if s.key == "p2p")
    assert p2p.heading == "The peer-to-peer review"
    heard = p2p.paragraphs[0].text
    assert heard.startswith(
        "The reviewer gave this reason for the decision: “Only one conventional DMARD is on the "
        "claims record.”"
    )
    assert "based on Pharmacy policy RX-417 (2026-07)." in heard
    assert heard.endswith(
        "would change the decision: Pharmacy fill history for the leflunomide trial. It is "
        "enclosed: the pharmacy fill history of 14 Oct 2026."
    )
    enclosed = p2p.paragraphs[0].sentences[-1]
    assert [(x.kind, x.ref) for x in enclosed.sources] == [("document", 61)]
    assert "re-review" not in text(letter)  # the reviewer's promise is the confirmation's
    specialty = p2p.paragraphs[1]
    assert specialty.text.startswith("The reviewer's specialty (internal medicine) is not")
    assert specialty.sentences[-1].text == NOTE
    assert specialty.sentences[-1].sources[0].kind == "team"
    closing = paragraph(letter, "appeal-closing").text
    assert "internal appeal be decided by a physician in the same or a similar specialty" in closing
    assert dict(letter.re_block)["Peer-to-peer review"] == "8 Oct 2026, reference P2P-26-55190"
    assert letter.enclosures == ["Pharmacy fill history (pharmacy record, 14 Oct 2026)"]
    fallback = paragraph(letter, "fallback").text  # the brief's fallback asks carry over
    assert fallback.startswith("If Acme cannot approve the full request, I ask it to approve ")
    assert fallback.endswith("6-month trial with a CDAI re-check.")
    assert "I would accept" not in text(letter)


def test_appeal_says_enclosed_only_when_a_document_answers_the_call():
    other_call = document(answers_call_id=99)
    for documents in ([], [other_call], [document(answers_call_id=None, answers_denial=True)]):
        letter = appeal(case(documents=documents), call(), TODAY, {}, [SIGNER])
        heard = next(s for s in letter.sections if s.key == "p2p").paragraphs[0].text
        assert heard.endswith("Pharmacy fill history for the leflunomide trial.")
        assert "enclosed" not in heard


def test_medicare_advantage_calls_the_appeal_a_reconsideration():
    letter = appeal(case(plan_type="medicare_advantage"), call(), TODAY, {}, [SIGNER])
    assert letter.title == RECONSIDERATION
    assert "to request a reconsideration of Acme's denial" in text(letter)
    assert "this reconsideration be decided by a physician" in text(letter)
    assert "internal appeal" not in text(letter)


def test_a_payer_named_in_the_plural_takes_an_apostrophe_alone():
    letter = appeal(case(payer="Keystone Benefit Administrators"), call(), TODAY, {}, [])
    assert "Keystone Benefit Administrators' denial" in text(letter)
    assert "Administrators's" not in text(letter)


def test_appeal_keeps_the_brief_references_numbered_in_order_of_first_use():
    brief = assemble(case(), TODAY)
    letter = appeal(case(), call(), TODAY, {}, [SIGNER])
    refs = [n for p in letter.paragraphs() for s in p.sentences for n in s.refs]
    assert refs == [1, 2, 1]
    assert [r.number for r in letter.references] == [1, 2]
    assert [r.text for r in letter.references] == [r.text for r in brief.references]


def test_appeal_without_a_call_has_no_peer_to_peer_section():
    letter = appeal(case(), None, TODAY, {}, [SIGNER])
    assert "p2p" not in [s.key for s in letter.sections]
    assert "peer-to-peer" not in paragraph(letter, "appeal-request").text
    assert "Peer-to-peer review" not in dict(letter.re_block)


def test_appeal_without_anything_revealed_or_a_mismatch_has_no_peer_to_peer_section():
    quiet = call(
        criteria_named="",
        would_change="",
        reviewer_reason="",
        reviewer_specialty="Rheumatology",
        same_specialty=True,
    )
    letter = appeal(case(), quiet, TODAY, {}, [SIGNER])
    assert "p2p" not in [s.key for s in letter.sections]
    assert NOTE not in text(letter)


def test_appeal_keeps_the_clinicians_rewrites_of_the_case_but_not_of_the_brief_request():
    edits = {"request": "Please approve.", "history": "My own history.", "p2p": "My own account."}
    letter = appeal(case(), call(), TODAY, edits, [SIGNER])
    assert "Please approve." not in text(letter)
    assert (
        paragraph(letter, "history").text == "My own history." and paragraph(letter, "history").own
    )
    assert paragraph(letter, "p2p").text == "My own account."


def test_every_appeal_sentence_names_its_source():
    letter = appeal(case(), call(), TODAY, {}, [SIGNER])
    assert all(s.sources for p in letter.paragraphs() for s in p.sentences)
    kinds = {x.kind for p in letter.paragraphs() for s in p.sentences for x in s.sources}
    assert {"case", "call", "team", "fact", "criterion", "claim", "letter"} <= kinds


# --- external review ---------------------------------------------------------------------------


def test_external_review_requests_review_of_the_final_internal_denial_with_the_path():
    second = call(
        id=42,
        held_at=datetime(2026, 10, 1, 9, 0),
        outcome="pending",
        reference_number="",
        reviewer_specialty="Rheumatology",
        same_specialty=True,
        criteria_named="",
    )
    unheld = call(id=43, held_at=None, outcome="")
    letter = external_review(case(), [call(), second, unheld], TODAY, {}, [SIGNER])
    assert letter.title == EXTERNAL
    assert letter.salutation == "Dear Reviewer:"
    assert letter.addressee[0] == "Independent Review Organization"
    assert dict(letter.re_block)["Final internal decision"] == "12 Nov 2026, internal appeal upheld"
    request = paragraph(letter, "external-request").text
    assert request.startswith(
        "I am writing on behalf of my patient, Pat Doe, to request an external review of Acme's "
        "final decision to deny adalimumab 40 mg every 2 weeks (J0135), 2 pens per 28 days, for "
        "12 months, upheld on internal appeal on 12 Nov 2026."
    )
    path = [p.key for p in next(s for s in letter.sections if s.key == "path").paragraphs]
    assert path == ["path-denial", "path-call-42", "path-call-41", "path-appeal"]  # in order held
    assert (
        paragraph(letter, "path-denial").text
        == "Acme received the request on 25 Sep 2026 and denied it on 2 Oct 2026 (reference R9)."
    )
    assert paragraph(letter, "path-call-42").text == (
        "At a peer-to-peer review on 1 Oct 2026, Alan Reyes, MD (rheumatology), told me "
        "that the decision is pending."
    )
    assert NOTE in paragraph(letter, "path-call-41").text
    assert paragraph(letter, "path-appeal").text == (
        "An internal appeal was filed on 20 Oct 2026. Acme upheld the denial on internal appeal "
        "on 12 Nov 2026."
    )
    keys = [s.key for s in letter.sections]
    assert keys[:2] == ["request", "path"] and keys[-1] == "closing"
    assert "I would accept" not in text(letter)  # no bargaining with an independent reviewer
    assert [r.number for r in letter.references] == [1, 2]


def test_external_review_for_medicare_advantage_and_before_a_final_decision():
    letter = external_review(
        case(plan_type="medicare_advantage", appeal_outcome="", appeal_decided=None),
        [],
        TODAY,
        {},
        [SIGNER],
    )
    assert letter.addressee[0] == "Independent Review Entity"
    assert "to request an external review of Acme's denial of adalimumab" in text(letter)
    assert "A reconsideration was filed on 20 Oct 2026." in text(letter)
    assert "Final internal decision" not in dict(letter.re_block)


# --- checklist and choice of call --------------------------------------------------------------


def test_gaps_of_each_follow_up_letter():
    codes = {w.code for w in gaps("confirmation", case(), call(reference_number=""), [])}
    assert codes == {"no-signer", "no-call-reference"}
    (missing,) = gaps("appeal", case(), call(), [SIGNER])
    assert missing.code == "would-change-not-enclosed"
    assert "“Pharmacy fill history for the leflunomide trial”" in missing.message
    assert "would-change-enclosed" not in {w.code for w in gaps("appeal", case(), call(), [])}
    assert gaps("appeal", case(documents=[document()]), call(), [SIGNER]) == []
    elsewhere = case(documents=[document(answers_call_id=99)])  # another call's request
    assert [w.code for w in gaps("appeal", elsewhere, call(), [SIGNER])] == [
        "would-change-not-enclosed"
    ]
    assert gaps("appeal", case(), call(would_change=""), [SIGNER]) == []
    assert gaps("external", case(), None, [SIGNER]) == []
    open_appeal = case(appeal_outcome="", appeal_decided=None)
    assert {w.code for w in gaps("external", open_appeal, None, [SIGNER])} == {"no-final-denial"}


@pytest.mark.parametrize(
    ("calls", "expected"),
    [
        ([], None),
        ([call(id=1, outcome="")], None),
        ([call(id=1), call(id=2, held_at=datetime(2026, 9, 1))], 1),
        ([call(id=1), call(id=2, held_at=datetime(2026, 12, 1)), call(id=3, outcome="")], 2),
    ],
)
def test_latest_logged_call(calls, expected):
    found = latest_call(calls)
    assert (found.id if found else None) == expected
