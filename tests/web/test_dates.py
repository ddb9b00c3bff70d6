"""Dates far outside a case's life: refused when typed, and survived when already stored.

A date typed as 9999-12-31 (a slip of the year field) once made every page that counts a
deadline from it answer 500, for every member of the team and every teammate's calendar.
"""

import re
from datetime import date, datetime

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import (
    CallAttempt,
    Case,
    Conference,
    Fact,
    PeerCall,
    SourceDocument,
    Task,
)
from tests.support import Client
from tests.web.records import plant
from tests.web.routes import ROUTES, routes
from tests.web.test_matrix import url

pytestmark = pytest.mark.persistence

CASE_DATES = (
    "patient_dob",
    "service_start",
    "service_end",
    "denial_received",
    "request_received",
    "appeal_filed",
    "appeal_decided",
    "external_review_requested",
    "external_decided",
)


def _store(app, case_id: int, day: date) -> dict:
    """Plant every kind of record on the case, then give every date of the team's the day."""
    at = datetime(day.year, day.month, day.day, 0 if day.year == 1 else 23, 0)
    with app.app_context():
        case = db.session.get(Case, case_id)
        ids = plant(case, "Nora North")
        for score in (18, 9):  # two scores of one instrument: a trend chart
            db.session.add(Fact(case=case, kind="pro", instrument="phq9", score=score, position=9))
        for name in CASE_DATES:
            setattr(case, name, day)
        case.plan_type = "erisa"
        for fact in db.session.scalars(select(Fact).where(Fact.case_id == case_id)):
            fact.fact_date = fact.start_date = fact.stop_date = day.isoformat()
        for doc in db.session.scalars(
            select(SourceDocument).where(SourceDocument.case_id == case_id)
        ):
            doc.document_date = day
        for call in db.session.scalars(select(PeerCall).where(PeerCall.case_id == case_id)):
            call.offered_on = call.request_by = day
            call.scheduled_at = call.held_at = at
            db.session.add(CallAttempt(call=call, at=at, result="no_answer"))
        db.session.add(PeerCall(case=case, scheduled_at=at, offered_on=day, request_by=day))
        for task in db.session.scalars(select(Task).where(Task.case_id == case_id)):
            task.due = day
        for conference in db.session.scalars(
            select(Conference).where(Conference.team_id == case.team_id)
        ):
            conference.held_on = day
        db.session.commit()
    return ids


@pytest.mark.parametrize("day", [date(9999, 12, 31), date(1, 1, 1)], ids=["9999", "0001"])
def test_every_page_of_the_case_and_team_survives_dates_already_stored(app, world, day):
    ids = _store(app, world["north"], day)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a 500 is an answer: list them all
    client = Client(app)
    client.login("admin@north.test")
    client.get("/calendar")
    made = client.post("/calendar/token").get_data(as_text=True)
    feed = re.search(r'value="http://localhost(/calendar/feed/[^"]+\.ics)"', made).group(1)
    failed = []
    for name, rule in routes(app):
        spec = ROUTES[name]
        if not name.startswith("GET ") or spec.public:
            continue
        address = url(rule, spec, ids)
        for hx in (False, True):
            answer = client.get(address, headers={"HX-Request": "true"} if hx else {})
            if answer.status_code >= 500:
                failed.append(f"{name} {address}{' (htmx)' if hx else ''}")
    trend = f"/cases/{ids['case_id']}/charts/phq9.png"
    if client.get(trend).status_code >= 500:
        failed.append(f"GET {trend}")
    answer = app.test_client().get(feed)
    if answer.status_code != 200:
        failed.append(f"the calendar feed: {answer.status_code}")
    assert not failed, "\n".join(failed)


# --- typed: every date field of every form refuses a date outside 1900 .. ten years ahead --

OUTSIDE = "is outside the dates Peerbrief takes"
TYPED = {
    "POST cases.create": ["patient_dob", "service_start", "service_end", "denial_received"],
    "POST cases.update": ["patient_dob", "denial_received"],
    "POST cases.add_document": ["document_date"],
    "POST facts.create": ["fact_date"],
    "POST facts.update": ["fact_date"],
    "POST calls.arrange": ["offered_on", "request_by", "scheduled_at"],
    "POST calls.rearrange": ["scheduled_at"],
    "POST calls.attempt": ["at"],
    "POST calls.log": ["held_at"],
    "POST calls.path": [
        "request_received",
        "appeal_filed",
        "appeal_decided",
        "external_review_requested",
        "external_decided",
    ],
    "POST discussion.add_task": ["due"],
    "POST conferences.create": ["held_on"],
}
TIMES = {"scheduled_at", "at", "held_at"}
# A treatment's start and stop are partial dates of their own form.
TREATMENT = {"kind": "prior_treatment", "therapy": "Naproxen", "outcome": "ineffective"}


def _typed_cases():
    for name, fields in TYPED.items():
        for field in fields:
            for year in ("9999", "0202"):
                yield name, field, year


@pytest.fixture
def north(app, world):
    with app.app_context():
        return plant(db.session.get(Case, world["north"]), "Nora North")


@pytest.mark.parametrize(("name", "field", "year"), list(_typed_cases()))
def test_a_date_outside_the_range_is_refused_with_a_message_and_kept(app, north, name, field, year):
    from tests.web.test_matrix import form_of

    client = Client(app)
    client.login("admin@north.test")
    rule = next(r for n, r in routes(app) if n == name)
    spec = ROUTES[name]
    with app.app_context(), app.test_request_context():
        form = form_of(spec, north)
    typed = f"{year}-03-04T10:00" if field in TIMES else f"{year}-03-04"
    if name == "POST cases.create":
        form["token"] = "dated-form"
    if name.startswith("POST facts.") and field == "fact_date":
        typed = f"{year}-03"  # a month, as the chart says
    form[field] = typed
    with app.app_context():
        before = _stored(north)
    answer = client.post(url(rule, spec, north), form, hx=spec.hx)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422, page[:400]
    assert OUTSIDE in page and typed in page
    with app.app_context():
        assert _stored(north) == before


@pytest.mark.parametrize("field", ["start_date", "stop_date"])
def test_a_treatment_dated_outside_the_range_is_refused(app, north, field):
    client = Client(app)
    client.login("admin@north.test")
    form = {**TREATMENT, "start_date": "2024-01", "stop_date": "2024-06", field: "9999-01"}
    answer = client.post(f"/cases/{north['case_id']}/facts", form, hx=True)
    assert answer.status_code == 422 and OUTSIDE in answer.get_data(as_text=True)


def _stored(ids) -> tuple:
    """What the forms above could have written."""
    return (
        db.session.scalars(select(Case.updated_at).order_by(Case.id)).all(),
        db.session.scalars(select(Fact.id).order_by(Fact.id)).all(),
        db.session.scalars(select(SourceDocument.id)).all(),
        db.session.scalars(select(PeerCall.id)).all(),
        db.session.scalars(select(CallAttempt.id)).all(),
        db.session.scalars(select(Task.id)).all(),
        db.session.scalars(select(Conference.id)).all(),
    )


def test_the_range_runs_from_1900_to_ten_years_ahead():
    from app.domain import dates

    today = date(2026, 12, 6)
    assert dates.full_date("1900-01-01", today) == date(1900, 1, 1)
    assert dates.full_date("2036-12-06", today) == date(2036, 12, 6)
    for typed in ("1899-12-31", "2036-12-07", "9999-12-31", "0001-01-01"):
        with pytest.raises(ValueError, match="outside the dates Peerbrief takes"):
            dates.full_date(typed, today)
    assert dates.entered_partial("2036", today) == "2036"
    with pytest.raises(ValueError, match="1 Jan 1900 to 6 Dec 2036"):
        dates.entered_partial("2037", today)
    assert dates.latest(date(2028, 2, 29)) == date(2038, 2, 28)
    assert not dates.plausible("9999-12") and not dates.plausible("") and dates.plausible("2020")
