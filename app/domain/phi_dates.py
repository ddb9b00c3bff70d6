"""Dates in free text, for `deidentify`: every way a chart writes a day or a month, what
each says, and how to write a moved day in the same form."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August")
MONTH_NAMES += ("September", "October", "November", "December")
_MONTH_NUMBER = {m.lower(): n for n, m in enumerate(MONTH_NAMES, start=1)}
_MONTH_NUMBER |= {m[:3].lower(): n for m, n in list(_MONTH_NUMBER.items())} | {"sept": 9}
MON = (
    r"(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)(?P<dot>\.)?"
)
FULL_MONTH = (
    r"(?P<mon>January|February|March|April|June|July|August|September|October|November|December)"  # noqa: E501
)
DAY = r"(?P<day>[0-3]?\d)(?P<ord>st|nd|rd|th)?"
YEAR = r"(?P<year>(?:19|20)\d{2})"
NUMERIC_DAY = r"(?P<day>0?[1-9]|[12]\d|3[01])"
NUMERIC_MONTH = r"(?P<month>0?[1-9]|1[0-2])"
# (style, pattern): named forms with a year match in any case; without one only capitalised.
DATE_PATTERNS = [
    # A time may follow an ISO day directly: 2026-10-02T12:30.
    ("iso", rf"(?<![\w.-]){YEAR}(?P<sep>[-/.]){NUMERIC_MONTH}(?P=sep){NUMERIC_DAY}(?!\d|-\d)"),
    ("iso-month", rf"(?<![\w.-]){YEAR}-(?P<month>0[1-9]|1[0-2])(?![\w-])"),
    (
        "us",
        rf"(?<![\w/.-]){NUMERIC_MONTH}(?P<sep>/){NUMERIC_DAY}/(?P<year>(?:19|20)?\d{{2}})"
        r"(?![\w/-])",
    ),
    ("us", rf"(?<![\w/.-]){NUMERIC_MONTH}(?P<sep>-){NUMERIC_DAY}-{YEAR}(?![\w/-])"),
    ("us-month", rf"(?<![\w/.-]){NUMERIC_MONTH}/{YEAR}(?![\w/-])"),
    ("mdy", rf"(?i:\b{MON}\s+{DAY}(?P<comma>,)?\s+{YEAR}\b)"),
    ("dmy", rf"(?i:\b{DAY}\s+(?P<of>of\s+)?{MON},?\s+{YEAR}\b)"),
    ("my", rf"(?i:\b{MON}(?P<comma>,)?\s+{YEAR}\b)"),
    ("md", rf"\b(?!May\b){MON}\s+{DAY}\b(?!\s*[,/:.]?\s*\d)"),
    ("dm", rf"\b{DAY}\s+(?P<of>of\s+)?{FULL_MONTH}\b(?!,?\s+\d)"),
    (
        "month",
        r"(?i:\b(?:in|since|from|until|till|by|during|through|early|mid|late|last|this|next)"
        rf"[\s-]+){FULL_MONTH}\b(?!\s*\d)",
    ),
]
DATE_RES = [(style, re.compile(pattern)) for style, pattern in DATE_PATTERNS]
BIRTH_LABEL = re.compile(
    r"(?i:(?:\bDOB|\bD\.O\.B\.|date of birth|birth\s?date|\bborn(?:\s+on|\s+in)?)\s*[:#-]?\s*)$"
)
BIRTH_YEAR = re.compile(
    r"(?i:\b(?:born(?:\s+in)?|year of birth|YOB|birth year)\s*:?\s+)(?P<year>(?:19|20)\d{2})\b"
)


@dataclass(frozen=True)
class Found:
    """A date found in text: the day (the 1st for a month), its precision and how it looked."""

    day: date
    precision: str  # day | month
    style: str
    has_year: bool
    groups: dict[str, str | None]


def _parse(style: str, m: re.Match[str], today: date) -> Found | None:
    g = m.groupdict()
    if style in ("iso", "iso-month", "us", "us-month"):
        year = int(g["year"])
        if year < 100:
            year += 2000 if year <= today.year % 100 + 10 else 1900
        month, day = int(g["month"]), int(g.get("day") or 1)
    else:
        key = g["mon"].lower()
        month = _MONTH_NUMBER.get(key) or _MONTH_NUMBER[key[:3]]
        year = int(g["year"]) if g.get("year") else today.year
        day = int(g["day"]) if g.get("day") else 1
    try:
        found = date(year, month, day)
    except ValueError:
        return None
    precision = "day" if g.get("day") else "month"
    return Found(found, precision, style, bool(g.get("year")), g)


def _month_name(n: int, like: str | None, dot: str | None) -> str:
    """Month `n` written like `like` was: full or abbreviated, in its case, with its dot."""
    full = MONTH_NAMES[n - 1]
    if like is None or len(like) > 4 or like.lower() in ("june", "july"):
        name = full
    else:
        name = "Sept" if n == 9 and like.lower() == "sept" else full[:3]
    if like and like.isupper() and len(like) > 1:
        name = name.upper()
    elif like and like.islower():
        name = name.lower()
    return name + (dot or "")


def _ordinal(n: int) -> str:
    return "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def write_date(found: Found, day: date, precision: str) -> str:
    """`day` written the way `found` was, at `precision` (day, month or year)."""
    g, style = found.groups, found.style
    if precision == "year":
        return str(day.year) if found.has_year else "[date]"
    mon = _month_name(day.month, g.get("mon"), g.get("dot"))
    if style in ("iso", "iso-month"):
        sep = g.get("sep") or "-"
        return f"{day.year}{sep}{day.month:02d}" + (
            f"{sep}{day.day:02d}" if precision == "day" else ""
        )
    if style in ("us", "us-month"):
        pad = g["month"].startswith("0") or (g.get("day") or "").startswith("0")
        month = f"{day.month:02d}" if pad else str(day.month)
        if precision == "month":
            return f"{month}/{day.year}"
        year = f"{day.year % 100:02d}" if len(g["year"]) == 2 else str(day.year)
        dd = f"{day.day:02d}" if pad else str(day.day)
        return f"{month}{g['sep']}{dd}{g['sep']}{year}"
    if precision == "month" or style in ("my", "month"):
        return f"{mon} {day.year}" if found.has_year else mon
    dd = f"{day.day}{_ordinal(day.day) if g.get('ord') else ''}"
    if style in ("mdy", "md"):
        year = f"{g.get('comma') or ''} {day.year}" if found.has_year else ""
        return f"{mon} {dd}{year}"
    of = g.get("of") or ""
    return f"{dd} {of}{mon}" + (f" {day.year}" if found.has_year else "")


def find_dates(text: str, today: date) -> Iterator[tuple[int, int, Found, bool]]:
    """Every date in `text`: where it is, what it is, and whether a birth label precedes it
    ("DOB:", "born on"). `today` gives the year of a date written without one."""
    for style, pattern in DATE_RES:
        for m in pattern.finditer(text):
            found = _parse(style, m, today)
            if found is not None:
                start = m.start("mon") if style == "month" else m.start()
                birth = BIRTH_LABEL.search(text, max(0, start - 20), start) is not None
                yield start, m.end(), found, birth
