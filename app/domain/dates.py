"""Dates as clinicians write them: a day, or a month or year when that is all the chart says."""

import re
from datetime import date

_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def partial_date(text: str) -> str:
    """Normalise "2024", "2024-1" or "2024-01-05" to ISO form; raises ValueError otherwise."""
    text = text.strip()
    match = _PARTIAL.match(text)
    if not match:
        raise ValueError(f"“{text}” is not a date: write 2024-01-15, or 2024-01 for a month.")
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        date(year, month or 1, day or 1)
    except ValueError:
        raise ValueError(f"“{text}” is not a date on the calendar.") from None
    return "-".join([f"{year:04d}"] + [f"{n:02d}" for n in (month, day) if n])


def full_date(text: str) -> date:
    """A whole date (YYYY-MM-DD); raises ValueError with a readable message."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"“{text.strip()}” is not a date: write it as 2026-10-02.") from None


def show(iso: str | date | None) -> str:
    """Human form of a full or partial date: 12 Sep 2026, Sep 2026, 2026."""
    if not iso:
        return ""
    parts = [int(p) for p in str(iso).split("-")]
    if len(parts) == 1:
        return f"{parts[0]}"
    month = _MONTHS[parts[1] - 1]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{parts[2]} {month} {parts[0]}"


def age(born: date, on: date) -> int:
    """Whole years between `born` and `on`."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
