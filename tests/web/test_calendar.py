"""Calendar downloads and the private feed: what they list, who may fetch them, and that
they never carry the patient's name."""

import hashlib
import logging
import re
from datetime import date, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Case, PeerCall, Team, User
from app.services.deadlines import for_case
from tests.support import Client, add_member

pytestmark = pytest.mark.persistence

DENIED = date.today() - timedelta(days=10)
CALL_AT = datetime.combine(date.today() + timedelta(days=5), datetime.min.time()).replace(hour=14)
# Words typed about the patient: none may reach a calendar.
TYPED = "Methotrexate failed twice"


def _prepare(app, case_id, **fields):
    """An ERISA case denied ten days ago, with a peer-to-peer call scheduled in five days."""
    with app.app_context():
        case = db.session.get(Case, case_id)
        values = dict(
            plan_type="erisa", denial_received=DENIED, member_id="MBR-99812", framing=TYPED
        )
        for name, value in (values | fields).items():
            setattr(case, name, value)
        call = PeerCall(case=case, scheduled_at=CALL_AT, callback_number="(800) 555-0142")
        call.reviewer_name = "Dr Reviewer"
        db.session.add(call)
        db.session.commit()
        return call.id


def _events(body: bytes) -> dict[str, object]:
    return {str(e["UID"]): e for e in Calendar.from_ical(body).walk("VEVENT")}


def _no_patient_data(body: bytes) -> None:
    text = body.decode()
    for secret in ("Nora North", "Sam South", "MBR-99812", "N-1", "1970", TYPED, "Dr Reviewer"):
        assert secret not in text


def _make_feed(client: Client) -> str:
    """Make a feed on the calendar page; the address it shows, as a path."""
    client.get("/calendar")
    response = client.post("/calendar/token")
    assert response.status_code == 200
    found = re.search(r'value="http://localhost(/calendar/feed/[^"]+\.ics)"', response.text)
    assert found, "the new address is shown"
    return found.group(1)


def _fetch(app, path):
    """The feed as a calendar service fetches it: no session, no cookies."""
    return app.test_client().get(path)


# --- one case's file -------------------------------------------------------------------


def test_a_case_downloads_as_ics_with_its_deadlines_and_call(app, world, signed_in):
    case_id = world["north"]
    call_id = _prepare(app, case_id)
    response = signed_in.get(f"/cases/{case_id}/calendar.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="case-{case_id}-deadlines.ics"'
    )
    found = _events(response.data)
    with app.app_context():
        expected = [d for d in for_case(db.session.get(Case, case_id)) if not d.done]
    assert [d.rule_key for d in expected] == ["erisa.file_appeal"]
    appeal = found[f"deadline-{case_id}-erisa.file_appeal@peerbrief"]
    assert appeal.decoded("DTSTART") == DENIED + timedelta(days=180) == expected[0].due.date()
    assert str(appeal["SUMMARY"]) == f"Case {case_id} · File internal appeal (due)"
    assert f"http://localhost/cases/{case_id}" in str(appeal["DESCRIPTION"])
    call = found[f"call-{call_id}@peerbrief"]
    assert call.decoded("DTSTART") == CALL_AT
    assert call.decoded("DURATION") == timedelta(minutes=30)
    assert "(800) 555-0142" in str(call["DESCRIPTION"])
    assert len(found) == 2
    _no_patient_data(response.data)
    with app.app_context():
        audit = db.session.scalars(
            select(AuditEvent).where(AuditEvent.case_id == case_id, AuditEvent.action == "export")
        ).all()
        assert [a.what for a in audit] == ["calendar (.ics)"]


def test_the_case_page_links_to_its_calendar_file(world, signed_in):
    page = signed_in.get(f"/cases/{world['north']}").text
    assert f'href="/cases/{world["north"]}/calendar.ics"' in page and "Calendar (.ics)" in page


def test_done_deadlines_and_held_calls_are_left_out(app, world, signed_in):
    case_id = world["north"]
    call_id = _prepare(app, case_id, appeal_filed=date.today() - timedelta(days=1))
    with app.app_context():
        db.session.get(PeerCall, call_id).held_at = CALL_AT - timedelta(days=7)
        db.session.commit()
    found = _events(signed_in.get(f"/cases/{case_id}/calendar.ics").data)
    # The appeal was filed: its deadline is done; the plan's 30 days to decide now run.
    assert set(found) == {f"deadline-{case_id}-erisa.decide_appeal.standard@peerbrief"}


def test_anonymous_download_goes_to_sign_in(app, world):
    response = Client(app).get(f"/cases/{world['north']}/calendar.ics")
    assert response.status_code == 302 and "/login" in response.location


def test_another_teams_case_file_is_not_found(world, signed_in):
    assert signed_in.get(f"/cases/{world['south']}/calendar.ics").status_code == 404


# --- the private feed -------------------------------------------------------------------


def test_the_feed_lists_the_users_open_cases_and_no_patient_data(app, world, signed_in):
    call_id = _prepare(app, world["north"])
    path = _make_feed(signed_in)
    response = _fetch(app, path)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert response.headers["Cache-Control"] == "no-store"
    assert set(_events(response.data)) == {
        f"deadline-{world['north']}-erisa.file_appeal@peerbrief",
        f"call-{call_id}@peerbrief",
    }
    _no_patient_data(response.data)


def test_the_token_is_stored_only_as_its_hash_and_shown_only_once(app, world, signed_in):
    path = _make_feed(signed_in)
    token = path.removeprefix("/calendar/feed/").removesuffix(".ics")
    assert len(token) >= 43
    with app.app_context():
        stored = db.session.scalar(
            select(User.calendar_token_hash).where(User.email == "clinician@north.test")
        )
        assert stored != token and stored == hashlib.sha256(token.encode()).hexdigest()
        assert db.session.scalar(select(AuditEvent.what).where(AuditEvent.action == "calendar"))
    page = signed_in.get("/calendar").text
    assert token not in page and "A feed is active" in page


def test_a_revoked_feed_is_not_found(app, world, signed_in):
    path = _make_feed(signed_in)
    assert _fetch(app, path).status_code == 200
    response = signed_in.post("/calendar/token/revoke")
    assert response.status_code == 302
    assert _fetch(app, path).status_code == 404
    assert "No feed" in signed_in.get("/calendar").text
    with app.app_context():
        assert db.session.scalar(
            select(User.calendar_token_hash).where(User.email == "clinician@north.test")
        ) is None  # fmt: skip


def test_a_new_address_revokes_the_old_one(app, world, signed_in):
    old = _make_feed(signed_in)
    new = _make_feed(signed_in)
    assert old != new
    assert _fetch(app, old).status_code == 404
    assert _fetch(app, new).status_code == 200


def test_unknown_tokens_and_inactive_users_are_not_found(app, world, signed_in):
    path = _make_feed(signed_in)
    assert _fetch(app, "/calendar/feed/not-a-real-token.ics").status_code == 404
    assert _fetch(app, "/calendar/feed/" + "x" * 500 + ".ics").status_code == 404
    with app.app_context():
        db.session.scalar(select(User).where(User.email == "clinician@north.test")).active = False
        db.session.commit()
    assert _fetch(app, path).status_code == 404


def test_a_north_feed_never_shows_south_cases(app, world, signed_in):
    _prepare(app, world["north"])
    south_call = _prepare(app, world["south"])
    body = _fetch(app, _make_feed(signed_in)).data
    uids = set(_events(body))
    assert uids and all(f"-{world['north']}-" in u or u.startswith("call-") for u in uids)
    assert f"call-{south_call}@peerbrief" not in uids
    assert not any(f"-{world['south']}-" in u for u in uids)
    assert f"Case {world['south']} " not in body.decode()


def test_the_feed_covers_every_team_of_the_user_but_not_closed_cases(app, world):
    _prepare(app, world["north"])
    _prepare(app, world["south"])
    with app.app_context():
        add_member("clinician@north.test", db.session.scalar(select(Team).filter_by(slug="south")),
                   "coordinator")  # fmt: skip
    both = Client(app)
    both.login("clinician@north.test")
    path = _make_feed(both)
    appeals = {f"deadline-{world[t]}-erisa.file_appeal@peerbrief" for t in ("north", "south")}
    assert appeals <= set(_events(_fetch(app, path).data))
    with app.app_context():
        db.session.get(Case, world["south"]).status = "closed"
        db.session.commit()
    uids = set(_events(_fetch(app, path).data))
    assert not any(f"-{world['south']}-" in u for u in uids) and len(uids) == 2


def test_the_feed_page_needs_a_sign_in_and_its_forms_a_csrf_token(app, world, signed_in):
    anonymous = Client(app)
    assert anonymous.get("/calendar").status_code == 302
    assert anonymous.post("/calendar/token", csrf=False).status_code == 302
    assert signed_in.post("/calendar/token", csrf=False).status_code == 400
    assert signed_in.post("/calendar/token/revoke", csrf=False).status_code == 400


def test_the_feed_token_stays_out_of_the_request_log(app, caplog):
    caplog.set_level(logging.INFO)
    line = "GET /calendar/feed/s3cr3t-t0ken_value.ics HTTP/1.1"
    logging.getLogger("werkzeug").info('127.0.0.1 - - [x] "%s" %s %s', line, "200", "-")
    app.logger.error("Exception on /calendar/feed/s3cr3t-t0ken_value.ics [GET]")
    assert "s3cr3t" not in caplog.text
    assert caplog.text.count("/calendar/feed/….ics") == 2
