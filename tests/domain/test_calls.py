from types import SimpleNamespace

import pytest

from app.domain.calls import (
    advance,
    after_appeal,
    after_call,
    after_external,
    after_scheduling,
    missed,
    same_specialty,
)


@pytest.mark.parametrize(
    ("reviewer", "clinician", "same"),
    [
        ("Rheumatology", "Rheumatology, board certified", True),
        ("rheumatology ", "RHEUMATOLOGY", True),
        ("Internal medicine", "Rheumatology", False),
        ("Internal medicine", "Internal medicine, rheumatology", False),
        ("Family medicine", "Psychiatry", False),
        ("", "Psychiatry", None),
        ("Oncology", "", None),
    ],
)
def test_same_specialty_flag(reviewer, clinician, same):
    assert same_specialty(reviewer, clinician) is same


@pytest.mark.parametrize(
    ("current", "outcome", "after"),
    [
        ("p2p_scheduled", "upheld", "appeal"),
        ("draft", "approved", "approved"),
        ("p2p_scheduled", "pending", "p2p_done"),
        ("p2p_scheduled", "alternative_offered", "p2p_done"),
        ("appeal", "pending", "appeal"),  # a second call during the appeal: no step back
        ("closed", "upheld", "closed"),  # a case someone closed stays closed
    ],
)
def test_status_after_a_call(current, outcome, after):
    assert after_call(current, outcome) == after


def test_the_whole_path_moves_forward():
    status = after_scheduling("draft")
    assert status == "p2p_scheduled"
    status = after_call(status, "upheld")
    assert status == "appeal"
    assert after_appeal(status, filed=True, decision="") == "appeal"
    status = after_appeal(status, filed=True, decision="upheld")
    assert status == "appeal"  # the external-review clock runs; the case is not over
    status = after_external(status, requested=True, decision="")
    assert status == "external_review"
    assert after_external(status, requested=True, decision="approved") == "approved"
    assert after_external(status, requested=True, decision="upheld") == "upheld"


def test_scheduling_never_moves_a_case_back():
    assert after_scheduling("appeal") == "appeal"
    assert advance("external_review", "p2p_done") == "external_review"
    assert advance("draft", None) == "draft"


def test_missed_windows_are_counted_from_either_side():
    attempts = [SimpleNamespace(result=r) for r in ("reviewer_missed", "rescheduled", "we_missed")]
    assert missed(attempts) == 2
