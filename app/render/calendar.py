"""Calendar files (.ics): a case's deadlines and its scheduled peer-to-peer call.

What goes into an entry, and what never does: a calendar file ends up in a third-party
calendar service (Google, Microsoft, Apple) that has signed no business associate agreement,
and a subscribed feed is fetched again and again from the outside. So an entry names the case
by its number only, and says what is due ("Case 12 · File internal appeal (due)", "Case 12 ·
Peer-to-peer call"). Its description may hold the rule's source, the payer's name, the
callback number of a scheduled call and a link to the case page, which asks for a sign-in.
Never the patient's name, date of birth, MRN or member id, and no text the clinician typed
about the patient: the way to the patient is the link, behind the sign-in.

How entries are laid out: a day-based deadline is an all-day event on its due date; an
hour-based one is a timed event at its due time, with no length; a scheduled call lasts
30 minutes. Deadlines are marked free (they do not block the day), the call busy. Times are
floating (no timezone): the app keeps the clinic's local time, and a calendar shows a floating
time at the same clock time. UIDs are stable, so importing a file again or refreshing a feed
updates the entries instead of adding copies.

Pure: no Flask, no database. The caller builds the items and the links.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event, vDuration

from app.domain.deadlines import Deadline

PRODID = "-//Peerbrief//Deadlines and peer-to-peer calls//EN"
UID_DOMAIN = "peerbrief"
CALL_LENGTH = timedelta(minutes=30)
# How often a subscribed calendar should fetch the feed again (clients may ignore it).
REFRESH = timedelta(hours=1)


@dataclass(frozen=True)
class CalendarItem:
    """One calendar entry: all-day when `start` is a date, timed when it is a datetime.

    `length` is the length of a timed entry (zero: a moment, such as a deadline's hour).
    `busy` marks the time as taken in free/busy views.
    """

    uid: str
    summary: str
    start: date | datetime
    description: str = ""
    url: str = ""
    length: timedelta = timedelta(0)
    busy: bool = False

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, datetime)


def deadline_item(case_id: int, deadline: Deadline, payer: str, url: str) -> CalendarItem:
    """The entry for one deadline of case `case_id`; `url` links to the case page."""
    timed = deadline.unit == "hours"
    return CalendarItem(
        uid=f"deadline-{case_id}-{deadline.rule_key}@{UID_DOMAIN}",
        summary=f"Case {case_id} · {deadline.step} (due)",
        start=deadline.due if timed else deadline.due.date(),
        description=_lines(
            ("Due by", deadline.due.strftime("%H:%M") if timed else "end of day"),
            ("Rule", deadline.source),
            ("Payer", payer),
            ("Case", url),
        ),
        url=url,
    )


def call_item(
    case_id: int, call_id: int, at: datetime, callback_number: str, payer: str, url: str
) -> CalendarItem:
    """The entry for a scheduled peer-to-peer call of case `case_id`."""
    return CalendarItem(
        uid=f"call-{call_id}@{UID_DOMAIN}",
        summary=f"Case {case_id} · Peer-to-peer call",
        start=at,
        description=_lines(("Callback number", callback_number), ("Payer", payer), ("Case", url)),
        url=url,
        length=CALL_LENGTH,
        busy=True,
    )


def _lines(*pairs: tuple[str, str]) -> str:
    return "\n".join(f"{label}: {value}" for label, value in pairs if value)


def render_calendar(
    items: list[CalendarItem], name: str = "Peerbrief", stamp: datetime | None = None
) -> bytes:
    """A VCALENDAR holding `items`, as the bytes of an .ics file.

    `name` is the calendar's name where a client shows one; `stamp` (UTC, default now) is
    every entry's DTSTAMP, the time the file was made.
    """
    stamp = stamp or datetime.now(UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(REFRESH))
    for item in items:
        cal.add_component(_event(item, stamp))
    return cal.to_ical()


def _event(item: CalendarItem, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", item.uid)
    event.add("dtstamp", stamp)
    event.add("summary", item.summary)
    event.add("dtstart", item.start)
    if item.all_day:
        # DTEND of an all-day entry is the next day, exclusive: one day long.
        event.add("dtend", item.start + timedelta(days=1))
    elif item.length:
        event.add("duration", item.length)
    event.add("transp", "OPAQUE" if item.busy else "TRANSPARENT")
    if item.description:
        event.add("description", item.description)
    if item.url:
        event.add("url", item.url)
    return event
