"""Dates as AMA references print them: ``October 1, 2026``, ``May 1-4, 2023``, ``2021``."""

from __future__ import annotations

import re

from citations.model import Entry

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_MONTH_INDEX = {m.lower(): i for i, m in enumerate(MONTHS, 1)}
_MONTH_INDEX.update({m[:3].lower(): i for i, m in enumerate(MONTHS, 1)})
_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_YEAR = re.compile(r"\d{4}")


def _month(value: str | None) -> str:
    # `isdecimal`, not `isdigit`: int() rejects superscripts such as "²".
    if value and value.isdecimal() and 1 <= int(value) <= 12:
        return MONTHS[int(value) - 1]
    return ""


def format_date(value: str) -> str:
    """``2026-10-01`` -> ``October 1, 2026``; partial dates give ``October 2026`` or ``2026``.

    A range (``2023-05-01/2023-05-04``, biblatex's form) gives ``May 1-4, 2023``.
    """
    value = value.strip()
    if "/" in value:
        start, _, end = value.partition("/")
        return format_range(start, end)
    m = _ISO_DATE.match(value)
    if not m:
        return value
    year, month, day = m.group(1), _month(m.group(2)), m.group(3)
    if month:
        return f"{month} {int(day)}, {year}" if day else f"{month} {year}"
    return year


def format_range(start: str, end: str) -> str:
    """Two ISO dates as one AMA span: ``May 1-4, 2023``, ``May 30-June 2, 2023``."""
    a, b = _ISO_DATE.match(start.strip()), _ISO_DATE.match(end.strip())
    if not a or not b or not (a.group(3) and b.group(3)):
        return "-".join(format_date(d) for d in (start, end) if d.strip())
    (y1, m1, d1), (y2, m2, d2) = a.groups(), b.groups()
    if not _month(m1) or not _month(m2):
        return format_date(start)
    if y1 != y2:
        return f"{format_date(start)}-{format_date(end)}"
    if m1 == m2:
        return f"{_month(m1)} {int(d1)}-{int(d2)}, {y1}"
    return f"{_month(m1)} {int(d1)}-{_month(m2)} {int(d2)}, {y1}"


def year_of(entry: Entry) -> str:
    """The year of publication: ``year``, or the year in ``date``."""
    year = entry.get("year")
    if not year:
        m = _YEAR.search(entry.get("date"))
        return m.group(0) if m else ""
    return year


def published(entry: Entry) -> str:
    """Publication date as precise as the entry gives it (web pages show the full date)."""
    date = entry.get("date")
    if date and _ISO_DATE.match(date):
        return format_date(date)
    year = entry.get("year")
    month = entry.get("month").strip().lower()
    index = _MONTH_INDEX.get(month[:3]) if month and not month.isdecimal() else None
    if month.isdecimal() and 1 <= int(month) <= 12:
        index = int(month)
    if year and index:
        day = entry.get("day")
        iso = f"{year}-{index:02d}" + (f"-{int(day):02d}" if day.isdecimal() else "")
        return format_date(iso)
    return year
