"""Shape checks for the billing and diagnosis codes of a case.

Shapes only: whether a code exists in this year's code set is the payer's question.
CPT category I is five digits, category II ends in F, III in T, PLA codes in U (AMA CPT);
HCPCS Level II is a letter and four digits (CMS); ICD-10-CM is a letter, a digit, a letter or
digit, then up to four more after a dot (CDC ICD-10-CM guidelines, section I.A).
"""

import re

_SPLIT = re.compile(r"[\s,;]+")
_CPT = re.compile(r"^\d{4}[0-9FTU]$")
_HCPCS = re.compile(r"^[A-V]\d{4}$")
_MODIFIER = re.compile(r"^[0-9A-Z]{2}$")
_ICD10 = re.compile(r"^[A-Z]\d[0-9A-Z](\.[0-9A-Z]{1,4})?$")


class CodeError(ValueError):
    """A code that does not have the expected shape; the message names it."""


def _tokens(text: str) -> list[str]:
    return [t for t in _SPLIT.split(text.strip().upper()) if t]


def _procedure(token: str) -> str:
    code, _, modifier = token.partition("-")
    if not (_CPT.match(code) or _HCPCS.match(code)):
        raise CodeError(
            f"“{token}” is not a CPT code (five characters, e.g. 72148 or 0275T) "
            "or a HCPCS code (a letter and four digits, e.g. J0135)."
        )
    if modifier and not _MODIFIER.match(modifier):
        raise CodeError(f"“{token}”: a modifier is two letters or digits, e.g. 64635-LT.")
    return token


def _diagnosis(token: str) -> str:
    if "." not in token and len(token) > 3:
        token = f"{token[:3]}.{token[3:]}"
    if not _ICD10.match(token):
        raise CodeError(
            f"“{token}” is not an ICD-10-CM code: a letter, a digit, a letter or digit, "
            "then up to four more after a dot (e.g. M05.79)."
        )
    return token


def procedure_codes(text: str) -> list[str]:
    """CPT/HCPCS codes (with optional modifier) from free text, upper-cased.

    Raises CodeError naming the first code of the wrong shape.
    """
    return [_procedure(t) for t in _tokens(text)]


def diagnosis_codes(text: str) -> list[str]:
    """ICD-10-CM codes from free text, upper-cased and with the dot put back (M0579 -> M05.79).

    Raises CodeError naming the first code of the wrong shape.
    """
    return [_diagnosis(t) for t in _tokens(text)]
