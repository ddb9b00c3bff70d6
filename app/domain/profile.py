"""A clinician's profile as letters sign with it: name, credentials, specialty, NPI, phone, fax.

`check` turns what a form (or the command line) sent into the values to keep and, for what
cannot be kept, a message the clinician can act on. Nothing here touches a database.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

# The fields a clinician edits, with the most each may hold (their columns' sizes).
LIMITS = {
    "name": 200,
    "credentials": 60,
    "specialty": 120,
    "board_certification": 200,
    "npi": 10,
    "phone": 40,
    "fax": 40,
}
FIELDS = tuple(LIMITS)
LABELS = {
    "name": "Name",
    "credentials": "Credentials",
    "specialty": "Specialty",
    "board_certification": "Board certification",
    "npi": "NPI",
    "phone": "Call-back phone",
    "fax": "Fax",
}
# The card-issuer prefix CMS puts before an NPI for its check digit (ISO 7812: 80840).
NPI_PREFIX = "80840"
_PHONE = re.compile(r"[0-9+()./ x-]+")


def npi_valid(npi: str) -> bool:
    """Whether `npi` is a National Provider Identifier as CMS issues them: ten digits whose
    last is the Luhn check digit of the first nine taken after the prefix 80840.

    >>> npi_valid("1234567893")
    True
    >>> npi_valid("1234567890")
    False
    """
    if len(npi) != 10 or not npi.isascii() or not npi.isdigit():
        return False
    return luhn_digit(NPI_PREFIX + npi[:9]) == int(npi[9])


def luhn_digit(digits: str) -> int:
    """The Luhn check digit that makes `digits` followed by it pass the Luhn test."""
    total = 0
    # From the right, every other digit (starting with the rightmost) is doubled: the
    # check digit will take the rightmost place and shift the rest one to the left.
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            d = d - 9 if d > 9 else d
        total += d
    return (10 - total % 10) % 10


def npi_problem(npi: str) -> str | None:
    """Why `npi` (as typed; spaces and dashes allowed) cannot be kept, or None if it can.
    An empty NPI can be kept: not every member has one."""
    digits = re.sub(r"[\s-]", "", npi)
    if not digits:
        return None
    if not digits.isascii() or not digits.isdigit():
        return "An NPI has digits only: 10 of them, like 1234567893."
    if len(digits) != 10:
        return f"An NPI has 10 digits; this one has {len(digits)}."
    if not npi_valid(digits):
        return (
            "This is not a valid NPI: its last digit does not match the check digit CMS "
            "gives the other nine. Check it against the NPPES registry."
        )
    return None


@dataclass(frozen=True)
class Checked:
    """What a profile form sent: the `values` to keep, and `errors` by field."""

    values: dict[str, str]
    errors: dict[str, str]


def check(form: Mapping[str, str], fields: tuple[str, ...] = FIELDS) -> Checked:
    """Check the profile `fields` that `form` carries (missing ones count as empty).

    Every field is trimmed and held to its size; the name cannot be empty; the NPI must pass
    its check digit (it is kept as ten digits); phone and fax take digits and the usual
    separators.
    """
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name in fields:
        value = " ".join(str(form.get(name, "") or "").split())
        if name == "npi":
            if problem := npi_problem(value):
                errors[name] = problem
            value = re.sub(r"[\s-]", "", value)
        elif len(value) > LIMITS[name]:
            errors[name] = f"At most {LIMITS[name]} characters."
        values[name] = value
    if "name" in fields and not values["name"]:
        errors["name"] = "A profile needs a name: letters are signed with it."
    for name in ("phone", "fax"):
        if name in fields and values[name] and not _PHONE.fullmatch(values[name]):
            errors[name] = "Digits, spaces and + ( ) - . only, like (555) 010-2030."
    return Checked(values, errors)
