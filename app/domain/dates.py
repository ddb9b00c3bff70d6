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


# The date styles a team can choose for its documents: one style through a whole letter.
STYLES = {
    "dmy": "12 Sep 2026",
    "long": "12 September 2026",
    "mdy": "September 12, 2026",
    "iso": "2026-09-12",
}
_FULL_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip


def show(iso: str | date | None, style: str = "dmy") -> str:
    """Human form of a full or partial date in a team's style (`STYLES`): 12 Sep 2026,
    Sep 2026, 2026 (dmy); September 12, 2026, September 2026 (mdy); 2026-09-12 (iso)."""
    if not iso:
        return ""
    parts = [int(p) for p in str(iso).split("-")]
    if len(parts) == 1:
        return f"{parts[0]}"
    if style == "iso":
        return "-".join([f"{parts[0]:04d}"] + [f"{n:02d}" for n in parts[1:]])
    if style in ("mdy", "long"):
        month = _FULL_MONTHS[parts[1] - 1]
        if len(parts) == 2:
            return f"{month} {parts[0]}"
        return (
            f"{month} {parts[2]}, {parts[0]}"
            if style == "mdy"
            else f"{parts[2]} {month} {parts[0]}"
        )
    month = _MONTHS[parts[1] - 1]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{parts[2]} {month} {parts[0]}"


def span(start: str | date | None, stop: str | date | None, style: str = "dmy") -> str:
    """A treatment's dates as a phrase: "from Jan 2024 to Sep 2024", "in 2024" when both ends
    fall in the same period, "since Jan 2024", "until Sep 2024"; "" with neither."""
    first, last = show(start, style), show(stop, style)
    if first and last:
        return f"in {first}" if first == last else f"from {first} to {last}"
    if first:
        return f"since {first}"
    return f"until {last}" if last else ""


def months_between(start: str | None, stop: str | None) -> int | None:
    """Whole months from `start` to `stop` when both give at least a month; else None."""
    if not start or not stop or len(start) < 7 or len(stop) < 7:
        return None
    (y1, m1), (y2, m2) = (tuple(int(p) for p in d.split("-")[:2]) for d in (start, stop))
    months = (y2 - y1) * 12 + m2 - m1
    return months if months > 0 else None


def age(born: date, on: date) -> int:
    """Whole years between `born` and `on`."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
