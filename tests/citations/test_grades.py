"""Evidence grades: validated per system, shown uniformly."""

from __future__ import annotations

import pytest

from citations import Evidence, GradeError, grade_display, grading_systems, normalise_grade


@pytest.mark.parametrize(
    ("system", "written", "shown"),
    [
        ("GRADE", "conditional, low", "Conditional recommendation, low certainty"),
        (
            "GRADE",
            "Strong recommendation; moderate certainty evidence",
            "Strong recommendation, moderate certainty",
        ),
        ("GRADE", "weak", "Conditional recommendation"),
        ("GRADE", "very low", "Very low certainty"),
        ("GRADE", "1B", "1B (strong recommendation, moderate certainty)"),
        ("GRADE", "2c", "2C (conditional recommendation, low certainty)"),
        ("NCCN", "category 2A, preferred", "Category 2A, preferred"),
        ("NCCN", "1", "Category 1"),
        ("NCCN", "2B other recommended regimen", "Category 2B, other recommended"),
        (
            "NCCN",
            "Category 3, useful in certain circumstances",
            "Category 3, useful in certain circumstances",
        ),
        ("USPSTF", "b", "Grade B"),
        ("USPSTF", "Grade I", "Grade I"),
        ("ACR-AC", "8", "8 (usually appropriate)"),
        ("ACR Appropriateness Criteria", "5, may be appropriate", "5 (may be appropriate)"),
        ("ACR-AC", "usually not appropriate", "Usually not appropriate"),
        ("ACC/AHA", "class 2a, level B-R", "Class 2a, Level B-R"),
        ("ACC/AHA", "COR 3: No Benefit; LOE A", "Class 3: No Benefit, Level A"),
        ("ACC/AHA", "Class III harm, level C-EO", "Class 3: Harm, Level C-EO"),
        ("ACC/AHA", "class I", "Class 1"),
        ("OCEBM", "2", "Level 2"),
        ("Oxford CEBM", "level 1a", "Level 1a (OCEBM 2009)"),
        ("OCEBM", "5", "Level 5"),
    ],
)
def test_accepted_grades_normalise(system: str, written: str, shown: str) -> None:
    assert normalise_grade(system, written) == shown
    # The display form is itself accepted, so stored grades validate again on re-import.
    assert normalise_grade(system, shown) == shown


@pytest.mark.parametrize(
    ("system", "written", "message"),
    [
        ("GRADE", "3A", "'3A' is not a grade of GRADE. Accepted: strength strong or conditional"),
        ("GRADE", "medium", "'medium' is not a grade of GRADE."),
        ("NCCN", "category 4", "Accepted: category 1, 2A, 2B or 3, optionally with preferred"),
        ("NCCN", "2A, best", "'2A, best' is not a grade of NCCN"),
        ("USPSTF", "E", "'E' is not a grade of USPSTF. Accepted: grade A, B, C, D or I."),
        ("ACR-AC", "10", "Accepted: a rating from 1 to 9"),
        (
            "ACR-AC",
            "5, usually appropriate",
            "rating 5 is 'may be appropriate', not 'usually appropriate'",
        ),
        ("ACC/AHA", "class 3", "ACC/AHA class 3 must say 'no benefit' or 'harm'."),
        (
            "ACC/AHA",
            "level B",
            "Accepted: class 1, 2a, 2b, 3 (no benefit) or 3 (harm), and/or level",
        ),
        ("OCEBM", "4b", "Accepted: level 1, 2, 3, 4 or 5 (2011), or 1a, 1b"),
        ("OCEBM", "6", "'6' is not a grade of Oxford CEBM Levels of Evidence."),
        ("KDIGO", "1A", "Unknown grading system 'KDIGO'. Known systems: GRADE, NCCN, USPSTF"),
        ("USPSTF", "  ", "The USPSTF grade is empty."),
    ],
)
def test_bad_grades_name_the_accepted_forms(system: str, written: str, message: str) -> None:
    with pytest.raises(GradeError) as raised:
        normalise_grade(system, written)
    assert message in str(raised.value)


def test_systems_list_and_display() -> None:
    assert [s.code for s in grading_systems()] == [
        "GRADE",
        "NCCN",
        "USPSTF",
        "ACR-AC",
        "ACC/AHA",
        "OCEBM",
    ]
    assert grade_display("nccn", "2a preferred") == "NCCN Category 2A, preferred"


def test_evidence_validation() -> None:
    evidence = Evidence(system="acc/aha", grade="class 1 level A").validated()
    assert (evidence.system, evidence.grade) == ("ACC/AHA", "Class 1, Level A")
    assert evidence.grade_text == "ACC/AHA: Class 1, Level A"
    with pytest.raises(GradeError, match="needs its grading system"):
        Evidence(grade="B").validated()
    assert Evidence(page="930", number="4").pinpoint == "p 930, recommendation 4"
