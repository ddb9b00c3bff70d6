"""The case conference as data: initials, the agenda's lines, and one case's screen."""

from datetime import date, datetime
from types import SimpleNamespace as NS

import pytest

from app.domain import conference
from app.domain.deadlines import Deadline

TODAY = date(2026, 11, 23)


def deadline(step, due, days_left, state="open", unit="calendar_days"):
    return Deadline(step, due, f"rule.{step}", "src", "denial_received", days_left, state, unit)


APPEAL = deadline("File internal appeal", datetime(2027, 3, 31, 23, 59, 59), 128)
DONE = deadline("Request the peer-to-peer review", datetime(2026, 10, 9, 23, 59, 59), -45, "done")


def fact(id_, kind, **fields):
    base = dict.fromkeys(
        ("text", "fact_date", "severity", "finding_type", "therapy", "dose", "start_date",
         "stop_date", "outcome", "reason_stopped", "instrument", "score", "source_id"),
    )  # fmt: skip
    return NS(id=id_, kind=kind, in_letter=True, position=id_, **{**base, **fields})


def case(**over):
    trial = fact(2, "prior_treatment", therapy="Methotrexate", dose="20 mg weekly",
                 outcome="ineffective")  # fmt: skip
    values = dict(
        id=42,
        patient_name="Marisol Quintero (synthetic)",
        patient_dob=date(1980, 3, 14),
        payer="Keystone Benefit Administrators",
        plan_type="erisa",
        status="appeal",
        urgency="standard",
        service_description="Biologic, see the chart",
        requested_service="adalimumab 40 mg every 2 weeks",
        requested_quantity="",
        requested_duration="",
        procedure_codes="J0135",
        drug_name="",
        drug_strength="",
        drug_quantity="",
        site_of_care="",
        patient_sex="female",
        patient_title="",
        patient_pronouns="",
        denial_category="step_therapy",
        denial_reason="Step therapy not met.",
        denial_reason_missing=False,
        denial_received=None,
        diagnosis_codes="",
        service_start=None,
        service_end=None,
        criteria_set="policy",
        criteria_detail="RX-417",
        member_id="",
        framing="",
        risks="",
        thesis="",
        ask="",
        fallback_asks="",
        facts=[fact(1, "diagnosis", text="Rheumatoid arthritis"), trial],
        criteria=[
            NS(
                id=1, text="Two DMARDs tried", status="not_met", note="", facts=[trial], evidence=[]
            ),
            NS(
                id=2,
                text="Rheumatologist prescribes",
                status="unset",
                note="",
                facts=[],
                evidence=[],
            ),  # fmt: skip
        ],
        documents=[],
        citations=[],
        mrn="SYN-100231",
        group_number="",
        denial_reference="PA-2026-118734",
        clinician=NS(
            name="Avery Demo", specialty="Rheumatology", npi="1234567893", display="Avery Demo, MD"
        ),
    )
    values.update(over)
    return NS(**values)


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Marisol Quintero (synthetic)", "M.Q."),
        ("Anne-Marie O'Neil", "A.O."),
        ("josé  de la cruz", "J.D.L.C."),
        ("Łukasz Żółw", "Ł.Ż."),
        ("(synthetic)", "?"),
        ("", "?"),
    ],
)
def test_initials(name, expected):
    assert conference.initials(name) == expected


def test_an_agenda_line_names_the_case_without_the_patients_name():
    agenda = conference.agenda(
        " Weekly conference ",
        TODAY,
        [(case(), "Appeal now?", [DONE, APPEAL]), (case(id=7, status="draft"), "", [])],
        "Demo Clinic",
    )
    first, second = agenda.items
    assert agenda.title == "Weekly conference" and agenda.team == "Demo Clinic"
    assert (first.number, first.label, first.question) == (1, "M.Q. · case 42", "Appeal now?")
    assert (first.status, first.denial) == ("Appeal", "Step therapy / fail-first not met")
    assert first.deadline == APPEAL  # the one done is passed over
    assert (second.number, second.status, second.deadline) == (2, "Draft", None)
    assert "Marisol" not in repr(agenda) and "Quintero" not in repr(agenda)


def on(day, hour=23, minute=59):
    return datetime(2026, 11, day, hour, minute, 59)


@pytest.mark.parametrize(
    "d, expected",
    [
        (APPEAL, "File internal appeal by 31 Mar 2027 (128 days left)"),
        (deadline("Decide", on(23), 0), "Decide by 23 Nov 2026 (due today)"),
        (deadline("Decide", on(24), 1), "Decide by 24 Nov 2026 (1 day left)"),
        (deadline("Decide", on(22), -1), "Decide by 22 Nov 2026 (1 day overdue)"),
        (deadline("Decide", on(20), -3), "Decide by 20 Nov 2026 (3 days overdue)"),
        (deadline("Decide", on(25, 14, 30), 2, unit="hours"),
         "Decide by 25 Nov 2026, 14:30 (2 days left)"),
    ],
)  # fmt: skip
def test_a_deadline_reads_as_one_line(d, expected):
    assert conference.deadline_line(d) == expected


def test_a_question_is_folded_to_one_line_and_kept_short():
    assert conference.clean_question("  Appeal\n now,   or wait? ") == ("Appeal now, or wait?", "")
    question, problem = conference.clean_question("x" * 301)
    assert len(question) == 301 and "300 characters (it has 301)" in problem
    assert conference.clean_question("x" * 300)[1] == ""


def export_gaps(c) -> list[str]:
    """The readiness codes the letter's export would list for `c`."""
    from app.domain.brief import assemble
    from app.domain.readiness import gaps

    signers = [c.clinician] if c.clinician else []
    return [w.code for w in gaps(c, signers, assemble(c, TODAY).missing_steps)]


def test_a_screen_tells_the_story_by_initials_with_criteria_gaps_and_running_clocks():
    slide = conference.slide(case(), "Appeal now?", 2, 5, TODAY, [DONE, APPEAL])
    assert (slide.number, slide.total, slide.item.label) == (2, 5, "M.Q. · case 42")
    # The story is told of the patient to the room, not said to a reviewer on the phone.
    assert slide.story[:3] == [
        "M.Q., 46, has rheumatoid arthritis.",
        "The request is to approve adalimumab 40 mg every 2 weeks (J0135).",
        "She has tried methotrexate (ineffective).",
    ]
    assert all("Quintero" not in s and "calling" not in s for s in slide.story)
    assert [(c.number, c.text, c.status) for c in slide.criteria] == [
        (1, "Two DMARDs tried", "Not met"),
        (2, "Rheumatologist prescribes", "Not yet reviewed"),
    ]
    assert slide.criteria[0].fact == ("Methotrexate 20 mg weekly (ineffective).")
    codes = [g.code for g in slide.gaps]
    assert codes[0] == "no-member-id" and "criterion-unshown-2" in codes
    unshown = next(g for g in slide.gaps if g.code == "criterion-unshown-2")
    assert unshown.message.startswith("Criterion 2 (“Rheumatologist prescribes”) has no fact")
    assert slide.deadlines == [APPEAL]
    assert slide.denial_quote == "Step therapy not met."
    assert slide.ask == "Approve adalimumab 40 mg every 2 weeks (J0135)."


def test_a_screen_lists_the_gaps_an_export_would_warn_of():
    bare = case(denial_reason="", facts=[], criteria=[], clinician=None, member_id="W1")
    codes = [g.code for g in conference.slide(bare, "", 1, 1, TODAY, []).gaps]
    assert {"no-written-reason", "step-no-trials", "argument-guideline", "no-signer"} <= set(codes)
    assert codes == export_gaps(bare)
    assert [g.code for g in conference.slide(case(), "", 1, 1, TODAY, []).gaps] == export_gaps(
        case()
    )


def test_an_identified_packet_opens_with_the_agenda_as_sent_round():
    agenda = conference.agenda(
        "Weekly", TODAY, [(case(), "Appeal now?", [APPEAL]), (case(id=7), "", [])]
    )
    assert conference.packet_agenda(agenda) == [
        "M.Q. · case 42 · Keystone Benefit Administrators · Appeal. Question for the team: "
        "Appeal now? Next deadline: File internal appeal by 31 Mar 2027 (128 days left).",
        "M.Q. · case 7 · Keystone Benefit Administrators · Appeal.",
    ]


def test_a_de_identified_packet_agenda_has_no_initials_case_number_or_deadline():
    question = "Ms. Quintero was denied on 10/02/2026 (ref PA-2026-118734): appeal now?"
    lines = conference.deidentified_packet_agenda(
        [(case(), question, "Adalimumab 40 mg every 2 weeks"), (case(id=7), " ", "MRI")], TODAY
    )
    assert lines[1] == "MRI · Keystone Benefit Administrators · Step therapy / fail-first not met."
    first = lines[0]
    assert first.startswith("Adalimumab 40 mg every 2 weeks · Keystone Benefit Administrators")
    assert "Quintero" not in first and "M.Q." not in first and "42" not in first
    assert "PA-2026-118734" not in first and "10/02" not in first
    assert "[Patient]" in first and "2026" in first and first.endswith("appeal now?")
