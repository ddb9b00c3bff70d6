import re

import pytest

from app.domain.claims import absolute_language
from app.domain.readability import split_sentences
from app.domain.rebuttals import DEFAULT_REBUTTALS, PLACEHOLDERS, Rebuttal, fill, for_category
from app.domain.vocabulary import DENIAL_CATEGORIES

CATEGORIES = [
    "not_medically_necessary", "experimental", "step_therapy", "insufficient_documentation",
    "no_prior_auth", "out_of_network", "site_of_care", "level_of_care", "quantity_limit",
    "coding_error", "not_covered",
]  # fmt: skip


def test_the_bank_covers_exactly_the_denial_categories():
    assert sorted({r.category for r in DEFAULT_REBUTTALS}) == sorted(CATEGORIES)
    assert sorted(c.value for c in DENIAL_CATEGORIES) == sorted(CATEGORIES)


@pytest.mark.parametrize("category", CATEGORIES)
def test_every_category_has_two_to_five_rebuttals(category):
    rebuttals = for_category(category)
    assert 2 <= len(rebuttals) <= 5
    assert all(isinstance(r, Rebuttal) and r.category == category for r in rebuttals)
    assert len({r.objection for r in rebuttals}) == len(rebuttals)


def test_unknown_category_has_no_rebuttals():
    assert for_category("not_a_category") == []


@pytest.mark.parametrize("rebuttal", DEFAULT_REBUTTALS, ids=lambda r: r.objection[:40])
def test_rebuttals_are_short_and_calm(rebuttal):
    assert 1 <= len(split_sentences(rebuttal.rebuttal)) <= 3
    assert absolute_language(rebuttal.rebuttal) == []
    assert absolute_language(rebuttal.objection) == []


def test_rebuttals_only_use_documented_placeholders():
    used = {name for r in DEFAULT_REBUTTALS for name in re.findall(r"\{(\w+)\}", r.rebuttal)}
    assert used <= set(PLACEHOLDERS)
    assert {"patient", "service", "prior_treatments", "criteria_set"} <= used


def test_step_therapy_rebuttal_names_the_prior_trials():
    values = {
        "patient": "Ms. Rivera",
        "prior_treatments": "methotrexate, hydroxychloroquine with sulfasalazine, and leflunomide",
    }
    said = [fill(r.rebuttal, values) for r in for_category("step_therapy")]
    assert any("Ms. Rivera has tried methotrexate, hydroxychloroquine" in s for s in said)
    assert not any("{" in s for s in said)


def test_fill_substitutes_and_shows_missing_values_in_brackets():
    text = "{patient} has tried {prior_treatments}; see {criteria_set}."
    assert fill(text, {"patient": "Ms. Rivera", "criteria_set": " RX-417 "}) == (
        "Ms. Rivera has tried [prior treatments]; see RX-417."
    )


def test_fill_never_raises_on_missing_blank_none_or_unknown_keys():
    text = "{patient} {service} {custom_field} {cite:fraenkel2021} {"
    assert fill(text, {"patient": None, "service": "  "}) == (
        "[patient] [service] [custom field] {cite:fraenkel2021} {"
    )
    assert fill(text, {}) == "[patient] [service] [custom field] {cite:fraenkel2021} {"


def test_fill_does_not_expand_braces_inside_values():
    assert fill("{patient}", {"patient": "{service}"}) == "{service}"
