"""Plain objects shaped like the models, for the domain tests: a case with its facts,
criteria, claims, documents and calls, each builder taking the fields a test cares about.

The domain reads attributes only, so these stand in for ORM rows without a database.
"""

from datetime import date, datetime
from itertools import count
from types import SimpleNamespace as NS

_ids = count(100)

FACT_FIELDS = (
    "text",
    "fact_date",
    "severity",
    "finding_type",
    "therapy",
    "dose",
    "start_date",
    "stop_date",
    "outcome",
    "reason_stopped",
    "instrument",
    "score",
    "source_id",
)


def fact(kind: str, in_letter: bool = True, **fields) -> NS:
    values = dict.fromkeys(FACT_FIELDS)
    values.update(fields)
    return NS(id=next(_ids), kind=kind, position=next(_ids), in_letter=in_letter, **values)


def citation(key: str, grade: str = "", system: str = "", recommendation: str = "", **more) -> NS:
    values = dict(
        id=next(_ids),
        key=key,
        ama=[{"text": f"{key} et al. A study. ", "italic": False}, {"text": "J", "italic": True}],
        grade_system=system,
        grade=grade,
        recommendation=recommendation,
        issuer="",
        authors=[f"{key.title()} A"],
        journal="J",
        year="2021",
    )
    values.update(more)
    return NS(**values)


def claim(text: str, cited: NS, kind: str = "trial", pinpoint: str = "", criterion=None) -> NS:
    return NS(
        id=next(_ids),
        claim=text,
        citation=cited,
        kind=kind,
        pinpoint=pinpoint,
        position=next(_ids),
        criterion_id=criterion.id if criterion is not None else None,
    )


def criterion(text: str, facts=(), status: str = "met", note: str = "", evidence=()) -> NS:
    return NS(
        id=next(_ids),
        text=text,
        status=status,
        note=note,
        facts=list(facts),
        evidence=[NS(citation=c, pinpoint=p) for c, p in evidence],
    )


def document(title: str, on: date, answers_denial: bool = False, answers_call=None) -> NS:
    return NS(
        id=next(_ids),
        title=title,
        kind="Procedure note",
        document_date=on,
        text="",
        answers_denial=answers_denial,
        answers_call_id=answers_call.id if answers_call is not None else None,
    )


def call(**fields) -> NS:
    values = dict(
        id=next(_ids),
        outcome="upheld",
        held_at=datetime(2026, 10, 20, 14, 30),
        scheduled_at=None,
        reviewer_name="Dana Li",
        reviewer_credentials="MD",
        reviewer_specialty="Internal medicine",
        same_specialty=False,
        criteria_named="",
        criteria_version="",
        discussion="",
        reviewer_reason="",
        reference_number="P2P-1",
        would_change="",
        reviewer_commitment="",
        next_step="",
    )
    values.update(fields)
    return NS(**values)


def case(**fields) -> NS:
    values = dict(
        id=next(_ids),
        team=NS(id=1, specialty_note="", date_style="dmy"),
        patient_name="Lena Okafor",
        patient_dob=date(1972, 5, 1),
        patient_sex="female",
        patient_title="",
        patient_pronouns="",
        member_id="M-1",
        group_number="",
        mrn="",
        payer="Summit Health",
        plan_type="commercial",
        service_description="Lumbar medial branch radiofrequency ablation L3-L5, left",
        requested_service="lumbar medial branch radiofrequency ablation L3-L5, left",
        requested_quantity="",
        requested_duration="",
        procedure_codes="64635 64636",
        drug_name="",
        drug_strength="",
        drug_quantity="",
        diagnosis_codes="M47.816",
        site_of_care="",
        service_start=None,
        service_end=None,
        urgency="standard",
        denial_received=date(2026, 10, 15),
        denial_reference="SHI-1",
        denial_category="not_medically_necessary",
        denial_reason="Not medically necessary.",
        denial_reason_missing=False,
        criteria_set="policy",
        criteria_detail="policy MP-1",
        thesis="",
        framing="",
        risks="",
        ask="",
        fallback_asks="",
        request_received=None,
        appeal_filed=None,
        appeal_decided=None,
        appeal_outcome="",
        facts=[],
        criteria=[],
        citations=[],
        documents=[],
        calls=[],
        edits=[],
        signatures=[],
        clinician=None,
    )
    values.update(fields)
    return NS(**values)
