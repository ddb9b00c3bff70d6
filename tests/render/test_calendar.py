"""Calendar files: all-day deadlines, timed ones and calls, stable UIDs, no patient data."""

from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar

from app.domain.deadlines import DEFAULT_RULES, compute
from app.render.calendar import (
    CalendarItem,
    call_item,
    deadline_item,
    render_calendar,
)

URL = "https://peerbrief.example/cases/12"
STAMP = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)


def events(body: bytes) -> dict[str, object]:
    return {str(e["UID"]): e for e in Calendar.from_ical(body).walk("VEVENT")}


def erisa_deadlines(**more):
    """An expedited ERISA case denied on 2 November 2026 and appealed on the 5th, 09:30."""
    found = {"denial_received": date(2026, 11, 2)} | more
    return compute(DEFAULT_RULES, "erisa", "expedited", found, date(2026, 11, 3))


def test_a_day_based_deadline_is_an_all_day_event_on_its_due_date():
    (appeal,) = erisa_deadlines()
    body = render_calendar([deadline_item(12, appeal, "Acme Health", URL)], stamp=STAMP)
    event = events(body)["deadline-12-erisa.file_appeal@peerbrief"]
    # 180 calendar days after the denial, counted from the day after.
    assert event.decoded("DTSTART") == date(2027, 5, 1) == date(2026, 11, 2) + timedelta(180)
    assert event.decoded("DTEND") == date(2027, 5, 2)  # exclusive: one day long
    assert str(event["SUMMARY"]) == "Case 12 · File internal appeal (due)"
    assert str(event["TRANSP"]) == "TRANSPARENT"
    description = str(event["DESCRIPTION"])
    assert "29 CFR 2560.503-1" in description and "Acme Health" in description
    assert URL in description and str(event["URL"]) == URL


def test_an_hour_based_deadline_is_timed_at_its_due_time():
    deadlines = erisa_deadlines(appeal_filed=datetime(2026, 11, 5, 9, 30))
    decide = next(d for d in deadlines if d.unit == "hours")
    event = events(render_calendar([deadline_item(12, decide, "Acme", URL)]))[
        "deadline-12-erisa.decide_appeal.expedited@peerbrief"
    ]
    assert event.decoded("DTSTART") == datetime(2026, 11, 8, 9, 30)  # 72 hours, floating
    assert "DTEND" not in event and "DURATION" not in event
    assert "Due by: 09:30" in str(event["DESCRIPTION"])


def test_a_scheduled_call_is_a_busy_half_hour():
    at = datetime(2026, 11, 24, 14, 30)
    body = render_calendar([call_item(12, 7, at, "(800) 555-0142", "Acme Health", URL)])
    event = events(body)["call-7@peerbrief"]
    assert event.decoded("DTSTART") == at
    assert event.decoded("DURATION") == timedelta(minutes=30)
    assert str(event["SUMMARY"]) == "Case 12 · Peer-to-peer call"
    assert str(event["TRANSP"]) == "OPAQUE"
    assert "Callback number: (800) 555-0142" in str(event["DESCRIPTION"])


def test_the_calendar_names_itself_and_stamps_every_event():
    item = CalendarItem("a@peerbrief", "Case 1 · x", date(2026, 12, 1))
    cal = Calendar.from_ical(render_calendar([item], name="Peerbrief deadlines", stamp=STAMP))
    assert str(cal["VERSION"]) == "2.0" and "Peerbrief" in str(cal["PRODID"])
    assert str(cal["X-WR-CALNAME"]) == "Peerbrief deadlines"
    (event,) = cal.walk("VEVENT")
    assert event.decoded("DTSTAMP") == STAMP


def test_uids_do_not_change_between_renderings_so_a_reimport_updates():
    (appeal,) = erisa_deadlines()
    later = compute(
        DEFAULT_RULES, "erisa", "expedited", {"denial_received": date(2026, 11, 9)}, STAMP.date()
    )[0]
    first = events(render_calendar([deadline_item(12, appeal, "Acme", URL)]))
    second = events(render_calendar([deadline_item(12, later, "Acme", URL)]))
    assert first.keys() == second.keys()
    (uid,) = first
    assert first[uid].decoded("DTSTART") != second[uid].decoded("DTSTART")


def test_an_empty_calendar_is_still_a_valid_file():
    cal = Calendar.from_ical(render_calendar([]))
    assert cal.walk("VEVENT") == []
