"""The clinician's profile: the NPI's check digit and what a profile form may keep."""

import pytest

from app.domain.profile import check, luhn_digit, npi_problem, npi_valid

# Ten digits, the last the Luhn digit of 80840 + the first nine. 1234567893 is CMS's own
# example; the others were worked by hand (sum of the doubled and plain digits, plus 24).
VALID = ["1234567893", "1987654328", "1456789019", "1676767670", "2000000002"]


@pytest.mark.parametrize("npi", VALID)
def test_real_shaped_npis_pass(npi):
    assert npi_valid(npi)
    assert npi_problem(npi) is None


@pytest.mark.parametrize(
    "npi",
    [
        "1234567890",  # the last digit off by three
        "1234567894",  # off by one
        "1987654321",  # a plausible-looking run of digits
        "2134567893",  # two digits swapped: Luhn catches adjacent transpositions
        "0000000000",
    ],
)
def test_a_wrong_check_digit_fails(npi):
    assert not npi_valid(npi)
    assert "not a valid NPI" in npi_problem(npi)


def test_the_prefix_counts():
    # Without 80840 in front, 1234567893's check digit would be 1: a plain Luhn check is wrong.
    assert luhn_digit("123456789") == 7
    assert luhn_digit("80840123456789") == 3
    assert not npi_valid("1234567897")


@pytest.mark.parametrize(
    "typed, message",
    [
        ("123456789", "has 9"),
        ("12345678931", "has 11"),
        ("12345x7893", "digits only"),
        ("١٢٣٤٥٦٧٨٩٣", "digits only"),  # Arabic-Indic digits are digits to str.isdigit
    ],
)
def test_the_wrong_shape_says_what_is_wrong(typed, message):
    assert message in npi_problem(typed)
    assert not npi_valid(typed)


def test_spaces_and_dashes_are_kept_as_ten_digits():
    checked = check({"name": "Priya Natarajan", "npi": " 1234-567 893 "})
    assert checked.errors == {}
    assert checked.values["npi"] == "1234567893"


def test_empty_npi_is_allowed_and_empty_name_is_not():
    checked = check({"name": "  ", "npi": ""})
    assert set(checked.errors) == {"name"}
    assert checked.values["npi"] == ""


def test_a_refused_profile_keeps_what_was_typed():
    form = {"name": "Priya Natarajan", "specialty": "Pain medicine", "npi": "1234567890"}
    checked = check(form)
    assert "npi" in checked.errors
    assert checked.values["specialty"] == "Pain medicine"
    assert checked.values["npi"] == "1234567890"


def test_sizes_and_phone_numbers():
    checked = check(
        {"name": "A", "specialty": "x" * 121, "phone": "call me", "fax": "+1 (555) 010-2030"}
    )
    assert checked.errors["specialty"] == "At most 120 characters."
    assert "Digits" in checked.errors["phone"]
    assert "fax" not in checked.errors


def test_only_the_fields_asked_for():
    checked = check({"npi": "1234567893"}, fields=("npi",))
    assert checked.values == {"npi": "1234567893"}
    assert checked.errors == {}
