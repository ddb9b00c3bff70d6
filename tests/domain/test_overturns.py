import pytest

from app.domain.overturns import Usage, overturns, rebuttal_usage

NMN, STEP = "not_medically_necessary", "step_therapy"

# Eight calls: Acme 2 overturned (one partly), 1 upheld, 1 pending, 1 not logged yet; Birch 1
# upheld, 1 alternative offered; Cedar 1 pending only.
CALLS = [
    ("Acme Health", NMN, "approved"),
    ("Acme Health", STEP, "partly_approved"),
    ("acme  health ", NMN, "upheld"),
    ("Acme Health", STEP, "pending"),
    ("Acme Health", STEP, ""),
    ("Birch Mutual", NMN, "upheld"),
    ("Birch Mutual", STEP, "alternative_offered"),
    ("Cedar Care", "site_of_care", "pending"),
]


def test_rates_by_payer_count_decided_calls_only():
    acme, birch, cedar = overturns(CALLS).by_payer

    assert (acme.name, acme.calls, acme.overturned, acme.upheld, acme.other) == (
        "Acme Health",
        4,
        2,
        1,
        1,
    )
    assert acme.decided == 3
    assert acme.rate == pytest.approx(2 / 3)
    assert (birch.calls, birch.overturned, birch.upheld, birch.other, birch.rate) == (
        2,
        0,
        1,
        1,
        0.0,
    )
    assert (cedar.calls, cedar.decided, cedar.rate) == (1, 0, None)


def test_rates_by_category_carry_the_category_label():
    nmn, step, site = overturns(CALLS).by_category

    assert (nmn.key, nmn.name) == (NMN, "Not medically necessary")
    # NMN: approved, upheld, upheld -> 1 of 3 decided.
    assert (nmn.calls, nmn.overturned, nmn.upheld, nmn.other) == (3, 1, 2, 0)
    assert nmn.rate == pytest.approx(1 / 3)
    # Step therapy: partly approved, pending, alternative offered -> 1 of 1 decided.
    assert (step.name, step.calls, step.overturned, step.upheld, step.other) == (
        "Step therapy / fail-first not met",
        3,
        1,
        0,
        2,
    )
    assert step.rate == 1.0
    assert (site.calls, site.rate) == (1, None)


def test_payers_are_one_whatever_the_spacing_and_case_and_shown_as_first_written():
    (only,) = overturns(
        [("  keystone benefit ", NMN, "upheld"), ("Keystone  Benefit", NMN, "approved")]
    ).by_payer

    assert (only.name, only.calls, only.rate) == ("keystone benefit", 2, 0.5)


def test_most_decided_first_then_by_name():
    calls = [
        ("Zeta", NMN, "approved"),
        ("Alpha", NMN, "pending"),
        ("Beta", NMN, "upheld"),
        ("Zeta", NMN, "upheld"),
    ]

    assert [t.name for t in overturns(calls).by_payer] == ["Zeta", "Beta", "Alpha"]


def test_no_logged_calls_gives_empty_tallies():
    result = overturns([("Acme", NMN, "")])

    assert result.by_payer == result.by_category == ()
    assert result.decided == 0


def test_total_decided_counts_each_call_once():
    # Acme approved, partly approved, upheld; Birch upheld.
    assert overturns(CALLS).decided == 4


def test_an_unknown_outcome_is_refused():
    with pytest.raises(ValueError, match="“won” is not a call outcome"):
        overturns([("Acme", NMN, "won")])
    with pytest.raises(ValueError, match="not a call outcome"):
        rebuttal_usage([(1, "won")])


def test_rebuttal_usage_counts_logged_calls_and_how_they_ended():
    pairs = [
        (7, "approved"),
        (7, "partly_approved"),
        (7, "upheld"),
        (7, "pending"),
        (7, ""),
        (9, "alternative_offered"),
        (11, ""),
    ]

    assert rebuttal_usage(pairs) == {7: Usage(4, 2, 1), 9: Usage(1, 0, 0)}
