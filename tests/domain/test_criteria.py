from app.domain.criteria import parse_criteria

POLICY = """Adalimumab is considered medically necessary when ALL of the following are met:
1. Diagnosis of moderately to severely active rheumatoid arthritis; and
2. Prescribed by or in consultation with a rheumatologist; and
3. Trial and failure, contraindication or intolerance to TWO conventional
   DMARDs (e.g. methotrexate, leflunomide, sulfasalazine) for at least 3 months
   each; and
4) Not used in combination with another biologic DMARD.
"""


def test_numbered_policy_becomes_one_row_per_criterion_with_wrapped_lines_joined():
    rows = parse_criteria(POLICY)
    assert rows[0].startswith("Diagnosis of moderately")  # the preamble is not a criterion
    assert rows[2] == (
        "Trial and failure, contraindication or intolerance to TWO conventional "
        "DMARDs (e.g. methotrexate, leflunomide, sulfasalazine) for at least 3 "
        "months each; and"
    )
    assert rows[3] == "Not used in combination with another biologic DMARD."
    assert len(rows) == 4


def test_lettered_and_bulleted_lists():
    assert parse_criteria("(a) six weeks of care\n(b) red flag\n• imaging") == [
        "six weeks of care",
        "red flag",
        "imaging",
    ]
    assert parse_criteria("ii) second\niii) third") == ["second", "third"]


def test_plain_lines_are_one_criterion_each():
    assert parse_criteria("Pain for 6 weeks\n\nFailed PT\n") == ["Pain for 6 weeks", "Failed PT"]
