"""Evidence grading systems: validate a grade as a clinician writes it, and show it uniformly.

A medical director reads "conditional recommendation, low certainty" differently from "NCCN
category 1": the grade travels with the citation, so it must be one the system really has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


class GradeError(ValueError):
    """A grade that the named system does not have; the message lists the accepted forms."""


@dataclass(frozen=True, slots=True)
class GradingSystem:
    """A grading system: its code (stored in BibTeX), its name and the forms it accepts."""

    code: str
    name: str
    accepted: str


SYSTEMS: tuple[GradingSystem, ...] = (
    GradingSystem(
        "GRADE",
        "GRADE",
        "strength strong or conditional (weak), and/or certainty high, moderate, low or very "
        "low (e.g. 'conditional, low'); or 1A, 1B, 1C, 2A, 2B, 2C, 2D",
    ),
    GradingSystem(
        "NCCN",
        "NCCN Categories of Evidence and Consensus",
        "category 1, 2A, 2B or 3, optionally with preferred, other recommended or useful in "
        "certain circumstances (e.g. 'category 2A, preferred')",
    ),
    GradingSystem("USPSTF", "USPSTF", "grade A, B, C, D or I"),
    GradingSystem(
        "ACR-AC",
        "ACR Appropriateness Criteria",
        "a rating from 1 to 9, optionally with its band: usually not appropriate (1-3), may be "
        "appropriate (4-6), usually appropriate (7-9) (e.g. '8, usually appropriate')",
    ),
    GradingSystem(
        "ACC/AHA",
        "ACC/AHA Class of Recommendation and Level of Evidence",
        "class 1, 2a, 2b, 3 (no benefit) or 3 (harm), and/or level A, B-R, B-NR, C-LD or C-EO "
        "(e.g. 'class 2a, level B-R')",
    ),
    GradingSystem(
        "OCEBM",
        "Oxford CEBM Levels of Evidence",
        "level 1, 2, 3, 4 or 5 (2011), or 1a, 1b, 1c, 2a, 2b, 2c, 3a, 3b, 4 or 5 (2009)",
    ),
)
_BY_CODE = {s.code.lower(): s for s in SYSTEMS}
_ALIASES = {
    "acr": "ACR-AC",
    "acr appropriateness criteria": "ACR-AC",
    "acc/aha": "ACC/AHA",
    "acc-aha": "ACC/AHA",
    "aha/acc": "ACC/AHA",
    "oxford": "OCEBM",
    "cebm": "OCEBM",
    "oxford cebm": "OCEBM",
    "uspstf": "USPSTF",
}


def grading_systems() -> list[GradingSystem]:
    """The supported systems, in the order a form should offer them."""
    return list(SYSTEMS)


def find_system(name: str) -> GradingSystem:
    """Look a system up by code or common name (case-insensitive); raises :class:`GradeError`."""
    key = " ".join(name.lower().split())
    code = _ALIASES.get(key, key)
    system = _BY_CODE.get(code.lower())
    if system is None:
        known = ", ".join(s.code for s in SYSTEMS)
        raise GradeError(f"Unknown grading system '{name}'. Known systems: {known}.")
    return system


def _clean(text: str) -> str:
    return " ".join(re.sub(r"[,;:()/]+", " ", text.lower()).replace("–", "-").split())


def _fail(system: GradingSystem, text: str) -> GradeError:
    return GradeError(f"'{text}' is not a grade of {system.name}. Accepted: {system.accepted}.")


_GRADE_LETTERS = {"a": "high", "b": "moderate", "c": "low", "d": "very low"}
_GRADE_STRENGTH = {"1": "strong", "2": "conditional"}


def _grade(system: GradingSystem, text: str) -> str:
    # The numeric form may carry its own expansion in parentheses, as this module writes it.
    m = re.fullmatch(r"\s*(?:grade\s+)?([12])\s*([a-d])\s*(?:\(.*\))?\s*", text, re.IGNORECASE)
    if m:
        number, letter = m.group(1), m.group(2).lower()
        strength, certainty = _GRADE_STRENGTH[number], _GRADE_LETTERS[letter]
        return f"{number}{letter.upper()} ({strength} recommendation, {certainty} certainty)"
    t = _clean(text)
    t = re.sub(
        r"\b(recommendation|recommended|evidence|certainty|quality|of|grade|for|against)\b", " ", t
    )
    t = " ".join(t.split())
    strength = ""
    m = re.match(r"(strong|conditional|weak)\b\s*", t)
    if m:
        strength = "conditional" if m.group(1) == "weak" else m.group(1)
        t = t[m.end() :]
    certainty = ""
    if t in ("high", "moderate", "low", "very low"):
        certainty, t = t, ""
    if t or not (strength or certainty):
        raise _fail(system, text)
    parts = []
    if strength:
        parts.append(f"{strength.capitalize()} recommendation")
    if certainty:
        parts.append(f"{certainty} certainty" if parts else f"{certainty.capitalize()} certainty")
    return ", ".join(parts)


_NCCN_PREFERENCE = ("preferred", "other recommended", "useful in certain circumstances")


def _nccn(system: GradingSystem, text: str) -> str:
    t = re.sub(r"\b(intervention|regimen)s?\b", " ", _clean(text))
    t = " ".join(t.split())
    m = re.fullmatch(r"(?:nccn )?(?:category |cat )?(1|2a|2b|3)(?: (.+))?", t)
    if not m or (m.group(2) and m.group(2) not in _NCCN_PREFERENCE):
        raise _fail(system, text)
    out = f"Category {m.group(1).upper()}"
    return f"{out}, {m.group(2)}" if m.group(2) else out


def _uspstf(system: GradingSystem, text: str) -> str:
    m = re.fullmatch(r"(?:uspstf )?(?:grade )?([abcdi])(?: recommendation)?", _clean(text))
    if not m:
        raise _fail(system, text)
    return f"Grade {m.group(1).upper()}"


_ACR_BANDS = (
    (range(1, 4), "usually not appropriate"),
    (range(4, 7), "may be appropriate"),
    (range(7, 10), "usually appropriate"),
)


def _acr(system: GradingSystem, text: str) -> str:
    t = _clean(text).replace("rating", "").strip()
    m = re.fullmatch(
        r"(\d+)?\s*(usually not appropriate|may be appropriate|usually appropriate)?"
        r"\s*(\d+)?",
        t,
    )
    if not m or not any(m.groups()) or (m.group(1) and m.group(3)):
        raise _fail(system, text)
    number = m.group(1) or m.group(3)
    band = m.group(2)
    if number is None:
        return band.capitalize()
    rating = int(number)
    if not 1 <= rating <= 9:
        raise _fail(system, text)
    expected = next(b for r, b in _ACR_BANDS if rating in r)
    if band and band != expected:
        raise GradeError(
            f"ACR Appropriateness Criteria rating {rating} is '{expected}', not '{band}'. "
            f"Accepted: {system.accepted}."
        )
    return f"{rating} ({expected})"


_ACC_CLASS = {
    "1": "1",
    "i": "1",
    "2a": "2a",
    "iia": "2a",
    "2b": "2b",
    "iib": "2b",
    "3": "3",
    "iii": "3",
}
_ACC_LEVELS = {"a": "A", "b-r": "B-R", "b-nr": "B-NR", "c-ld": "C-LD", "c-eo": "C-EO"}


def _acc_aha(system: GradingSystem, text: str) -> str:
    t = _clean(text)
    t = re.sub(
        r"\b(cor|class of recommendation|loe|level of evidence)\b",
        lambda m: {
            "cor": "class",
            "class of recommendation": "class",
            "loe": "level",
            "level of evidence": "level",
        }[m.group(1)],
        t,
    )
    m = re.fullmatch(
        r"(?:class (1|2a|2b|3|i|iia|iib|iii)(?: (no benefit|harm))?)?\s*"
        r"(?:level ([a-c](?:-(?:r|nr|ld|eo))?))?",
        t,
    )
    if not m or not (m.group(1) or m.group(3)):
        raise _fail(system, text)
    parts = []
    if m.group(1):
        cls = _ACC_CLASS[m.group(1)]
        if cls == "3" and not m.group(2):
            raise GradeError(
                f"ACC/AHA class 3 must say 'no benefit' or 'harm'. Accepted: {system.accepted}."
            )
        if cls != "3" and m.group(2):
            raise _fail(system, text)
        parts.append(f"Class {cls}: {m.group(2).title()}" if m.group(2) else f"Class {cls}")
    if m.group(3):
        level = _ACC_LEVELS.get(m.group(3))
        if level is None:
            raise _fail(system, text)
        parts.append(f"Level {level}")
    return ", ".join(parts)


def _ocebm(system: GradingSystem, text: str) -> str:
    m = re.fullmatch(
        r"(?:oxford )?(?:cebm |ocebm )?(?:level |loe )?([1-5])([abc])?(?: (?:ocebm )?(2009|2011))?",
        _clean(text),
    )
    if not m:
        raise _fail(system, text)
    level, sub, edition = m.groups()
    if sub and (level in ("4", "5") or (level == "3" and sub == "c") or edition == "2011"):
        raise _fail(system, text)
    if edition == "2009" and not sub and level in ("1", "2", "3"):
        raise _fail(system, text)
    return f"Level {level}{sub} (OCEBM 2009)" if sub else f"Level {level}"


_VALIDATORS = {
    "GRADE": _grade,
    "NCCN": _nccn,
    "USPSTF": _uspstf,
    "ACR-AC": _acr,
    "ACC/AHA": _acc_aha,
    "OCEBM": _ocebm,
}


def normalise_grade(system: str, grade: str) -> str:
    """Validate `grade` for `system` and return its display form.

    >>> normalise_grade("GRADE", "conditional, low")
    'Conditional recommendation, low certainty'

    Raises :class:`GradeError` naming the accepted forms when the grade does not exist.
    """
    found = find_system(system)
    if not grade.strip():
        raise GradeError(f"The {found.name} grade is empty. Accepted: {found.accepted}.")
    return _VALIDATORS[found.code](found, grade)


def grade_display(system: str, grade: str) -> str:
    """``NCCN Category 2A, preferred`` style text: the system's code then the grade."""
    found = find_system(system)
    return f"{found.code} {normalise_grade(found.code, grade)}"
