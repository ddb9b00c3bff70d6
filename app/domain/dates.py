"""Dates as clinicians write them: a day, or a month or year when that is all the chart says."""

import re
from datetime import date, datetime

_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


# The dates a form takes, every date field of every form (intake, facts, documents, calls,
# the case's path, tasks, conferences): from 1900, before any living patient's birth, to ten
# years ahead, past any appointment, deadline or conference anyone schedules. Outside that a
# date is a slip of the year field (9999, 0202), and counting a clock from it runs off the
# calendar. Dates stored before the check are shown as typed and start no clock.
EARLIEST = date(1900, 1, 1)
YEARS_AHEAD = 10


def latest(today: date | None = None) -> date:
    """The last day a form takes: ten years from `today` (28 Feb for a 29 Feb)."""
    today = today or date.today()
    year = today.year + YEARS_AHEAD
    return today.replace(year=year, day=min(today.day, 28 if today.month == 2 else 31))


def in_range(day: date, today: date | None = None) -> bool:
    """Whether `day` (or a datetime's day) lies in the range a form takes."""
    if isinstance(day, datetime):
        day = day.date()
    return EARLIEST <= day <= latest(today)


def plausible(value: str | date | None, today: date | None = None) -> bool:
    """Whether a stored date, full or partial ("2024", "2024-03"), lies in the range a form
    takes; text that is no date is not plausible either."""
    if value is None or value == "":
        return False
    if isinstance(value, date):
        return in_range(value, today)
    try:
        parts = [int(p) for p in partial_date(value).split("-")]
    except ValueError:
        return False
    return in_range(date(parts[0], *([*parts[1:], 1, 1][:2])), today)


def outside(text: str, today: date | None = None) -> str:
    """The message for a date typed outside the range a form takes."""
    return (
        f"“{text}” is outside the dates Peerbrief takes, {show(EARLIEST)} to "
        f"{show(latest(today))}: check the year."
    )


def entered_partial(text: str, today: date | None = None) -> str:
    """A partial date typed in a form (see `partial_date`), within the range a form takes;
    raises ValueError with a readable message."""
    found = partial_date(text)
    if not plausible(found, today):
        raise ValueError(outside(text.strip(), today))
    return found


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


def full_date(text: str, today: date | None = None) -> date:
    """A whole date (YYYY-MM-DD) typed in a form, within the range a form takes; raises
    ValueError with a readable message."""
    try:
        found = date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"“{text.strip()}” is not a date: write it as 2026-10-02.") from None
    if not in_range(found, today):
        raise ValueError(outside(text.strip(), today))
    return found


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
