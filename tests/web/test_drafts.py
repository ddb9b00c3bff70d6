"""A save that arrives after the session ended loses nothing: its fields are kept on the
server for the same user, and signing in again opens the page with them in the form (the
browser test tests/browser/test_idle.py fills it in a real page)."""

import json
import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import FormDraft, PeerCall
from tests.support import PASSWORD, Client

pytestmark = pytest.mark.persistence

NOTES = "Reviewer asked for the infliximab records"


@pytest.fixture
def call_page(app, world):
    """A case with an arranged call: its P2P page, and the call sheet's address."""
    with app.app_context():
        call = PeerCall(case_id=world["north"])
        db.session.add(call)
        db.session.commit()
        return f"/cases/{world['north']}/p2p", f"/cases/{world['north']}/calls/{call.id}"


def gone_idle(app, client: Client) -> None:
    app.config["IDLE_TIMEOUT"] = timedelta(minutes=15)
    with client.http.session_transaction() as session:
        session["seen"] -= 15 * 60 + 1


def restored_of(html: str) -> tuple[str, list] | None:
    found = re.search(
        r'id="restored-form" hidden data-action="([^"]*)" data-fields="([^"]*)"', html
    )
    return (unescape(found.group(1)), json.loads(unescape(found.group(2)))) if found else None


def drafts(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(FormDraft.id)))


def test_a_save_after_the_idle_sign_out_comes_back_in_the_form(app, signed_in, call_page):
    page, sheet = call_page
    signed_in.get(page)
    gone_idle(app, signed_in)
    late = signed_in.post(
        sheet,
        {"discussion": NOTES, "reviewer_name": "Dr Kemper", "outcome": ""},
        headers={"Referer": f"http://localhost{page}"},
    )
    assert late.status_code == 302 and "/login" in late.location and "p2p" in late.location
    login = signed_in.get(late.location).get_data(as_text=True)
    assert "inactivity" in login and "Nothing you typed is lost" in login
    with app.app_context():
        assert db.session.get(PeerCall, int(sheet.rsplit("/", 1)[1])).discussion in ("", None)
    back = signed_in.post(late.location, {"email": "clinician@north.test", "password": PASSWORD})
    assert back.status_code == 302 and back.location == page
    html = signed_in.get(page).get_data(as_text=True)
    assert "What you typed is back in the form" in html
    action, fields = restored_of(html)
    assert action == sheet
    assert ["discussion", NOTES] in fields and ["reviewer_name", "Dr Kemper"] in fields
    assert not any(name == "csrf_token" for name, _ in fields)
    # Shown once: the row is gone, and the page opened again is as saved.
    assert drafts(app) == 0
    assert restored_of(signed_in.get(page).get_data(as_text=True)) is None


def test_an_htmx_save_after_the_sign_out_is_sent_to_sign_in_and_kept(app, world, signed_in):
    case = f"/cases/{world['north']}"
    signed_in.get(case)
    gone_idle(app, signed_in)
    late = signed_in.post(
        f"{case}/facts",
        {"kind": "history", "text": "Pain at night"},
        hx=True,
        headers={"HX-Current-URL": f"http://localhost{case}"},
    )
    assert late.status_code == 401 and late.headers["HX-Redirect"].startswith("/login")
    assert "next=" in late.headers["HX-Redirect"]
    signed_in.get(late.headers["HX-Redirect"])
    back = signed_in.post(
        late.headers["HX-Redirect"], {"email": "clinician@north.test", "password": PASSWORD}
    )
    assert back.location == case
    action, fields = restored_of(signed_in.get(case).get_data(as_text=True))
    assert action == f"{case}/facts" and ["text", "Pain at night"] in fields


def test_passwords_and_the_csrf_token_are_never_kept(app, signed_in):
    signed_in.get("/password")
    gone_idle(app, signed_in)
    form = {"current": PASSWORD, "password": "a new one here", "confirm": "a new one here"}
    signed_in.post("/password", form, headers={"Referer": "http://localhost/password"})
    assert drafts(app) == 0


def test_a_post_without_a_valid_csrf_token_plants_nothing(app, signed_in, call_page):
    page, sheet = call_page
    gone_idle(app, signed_in)
    signed_in.post(
        sheet, {"discussion": "planted"}, csrf=False, headers={"Referer": f"http://localhost{page}"}
    )
    assert drafts(app) == 0


def test_only_the_same_user_finds_it_and_only_for_a_while(app, signed_in, call_page):
    page, sheet = call_page
    gone_idle(app, signed_in)
    signed_in.post(sheet, {"discussion": NOTES}, headers={"Referer": f"http://localhost{page}"})
    assert drafts(app) == 1
    other = Client(app)
    other.get("/login")
    other_back = other.post(
        f"/login?next={page}", {"email": "admin@north.test", "password": PASSWORD}
    )
    assert NOTES not in other.get(other_back.location).get_data(as_text=True)
    assert drafts(app) == 1  # still the clinician's
    with app.app_context():
        row = db.session.scalar(select(FormDraft))
        row.created_at -= app.config["DRAFT_LIFETIME"] + timedelta(minutes=1)
        db.session.commit()
    me = Client(app)
    assert me.login("clinician@north.test").location.endswith("/cases/")
    assert drafts(app) == 0


def test_a_keep_alive_post_moves_the_idle_clock_on(app, signed_in):
    app.config["IDLE_TIMEOUT"] = timedelta(minutes=15)
    with signed_in.http.session_transaction() as session:
        session["seen"] -= 14 * 60
        before = session["seen"]
    response = signed_in.post("/session/keepalive", hx=False)
    assert response.status_code == 204 and response.headers["X-Session-Seen"] == "1"
    with signed_in.http.session_transaction() as session:
        assert session["seen"] > before + 13 * 60
    page = signed_in.get("/cases/").get_data(as_text=True)
    assert 'data-idle-seconds="900"' in page and "peerbrief-idle.js" in page


def test_the_live_feed_does_not_count_as_activity_for_the_page(app, world, signed_in):
    case = signed_in.get(f"/cases/{world['north']}").get_data(as_text=True)
    poll = case.split('id="live" hx-get="')[1].split('"')[0].replace("&amp;", "&")
    assert "X-Session-Seen" not in signed_in.get(poll).headers
