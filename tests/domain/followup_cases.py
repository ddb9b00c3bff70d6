"""Material for the follow-up letter tests: a case with its path, a logged call, a signer.

The case is the brief tests' case (two criteria, two citations, a guideline claim, one prior
treatment) with the dates of its path and a team; the call is a logged, upheld peer-to-peer
review, with the reviewer's stated reason and what the reviewer agreed to do, apart from the
clinician's own next step.
"""

from datetime import date, datetime
from types import SimpleNamespace as NS

from tests.domain.test_brief import case as brief_case

TODAY = date(2026, 11, 23)
NOTE = (
    "Tex. Ins. Code 4201.356 provides for review by a physician of the same or a similar specialty."
)
SIGNER = NS(name="Avery Stone", credentials="MD", npi="1234567893", specialty="Rheumatology")


def call(**over) -> NS:
    values = dict(
        id=41,
        outcome="upheld",
        held_at=datetime(2026, 10, 8, 14, 30),
        scheduled_at=datetime(2026, 10, 8, 14, 0),
        reviewer_name="Dr. Alan Reyes",
        reviewer_credentials="MD",
        reviewer_specialty="Internal medicine",
        same_specialty=False,
        criteria_named="Pharmacy policy RX-417",
        criteria_version="2026-07",
        discussion="Counted methotrexate only; said leflunomide was not on the claims record.",
        reference_number="P2P-26-55190",
        would_change="Pharmacy fill history for the leflunomide trial.",
        reviewer_reason="Only one conventional DMARD is on the claims record.",
        reviewer_commitment="To re-review the request within 5 days of receiving the fill history.",
        next_step="File the internal appeal with the leflunomide records.",
    )
    values.update(over)
    return NS(**values)


def document(**over) -> NS:
    """An enclosed source document; by default what the reviewer on call 41 asked for."""
    values = dict(
        id=61,
        kind="Pharmacy record",
        title="Pharmacy fill history",
        document_date=date(2026, 10, 14),
        text="Leflunomide 20 mg daily, filled monthly Aug 2025 to Jun 2026.",
        answers_denial=False,
        answers_call_id=41,
    )
    values.update(over)
    return NS(**values)


def case(**over) -> NS:
    values = dict(
        team=NS(id=3, specialty_note=NOTE),
        request_received=date(2026, 9, 25),
        appeal_filed=date(2026, 10, 20),
        appeal_decided=date(2026, 11, 12),
        appeal_outcome="upheld",
        fallback_asks="A 6-month trial with a CDAI re-check",
        calls=[call()],
    )
    values.update(over)
    return brief_case(**values)


def text(letter) -> str:
    return "\n".join(p.text for p in letter.paragraphs())
