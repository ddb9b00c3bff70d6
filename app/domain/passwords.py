"""What a password must be (OWASP ASVS 2.1, NIST SP 800-63B 5.1.1): long enough, not absurdly
long, not a common password, not the account's own email. No rules of composition: a long
phrase of lower-case words is a good password.
"""

import string
from functools import cache
from pathlib import Path

MIN_LENGTH = 12
MAX_LENGTH = 128
COMMON_LIST = Path(__file__).with_name("common_passwords.txt")

# Stripped from either end before the list is consulted: "Summer2024!" is "summer".
_DECORATION = string.digits + string.punctuation + " "


@cache
def common_passwords() -> frozenset[str]:
    """The bundled list of common passwords, lower-cased."""
    lines = COMMON_LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line and not line.startswith("#"))


def _cores(password: str) -> set[str]:
    """The password lower-cased, and without the digits and symbols at its start or end."""
    lowered = password.lower()
    return {
        lowered,
        lowered.rstrip(_DECORATION),
        lowered.lstrip(_DECORATION),
        lowered.strip(_DECORATION),
    } - {""}


def _repeated_unit(password: str) -> str | None:
    """The shortest unit the password repeats ("abcabcabcabc" -> "abc"), or None."""
    for size in range(1, len(password) // 2 + 1):
        if len(password) % size == 0 and password[:size] * (len(password) // size) == password:
            return password[:size]
    return None


def is_common(password: str) -> bool:
    """True when the password is a listed one, a listed one with digits or symbols around it,
    or a listed word (or any unit of four characters or fewer) said over and over."""
    common = common_passwords()
    if _cores(password) & common:
        return True
    unit = _repeated_unit(password.lower())
    return unit is not None and (len(unit) <= 4 or bool(_cores(unit) & common))


def problem(password: str, email: str = "") -> str | None:
    """Why `password` cannot be the password of the account `email`, in words for the person
    choosing it; None when it can."""
    if len(password) < MIN_LENGTH:
        return f"Use {MIN_LENGTH} characters or more: a few words with spaces make a good one."
    if len(password) > MAX_LENGTH:
        return f"Use {MAX_LENGTH} characters or fewer."
    email = email.strip().lower()
    if email and password.strip().lower() in {email, email.partition("@")[0]}:
        return "The password cannot be your email address."
    if is_common(password):
        return "That is one of the most common passwords, which are tried first: choose another."
    return None
