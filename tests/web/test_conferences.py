"""Case conferences: plan one, choose and order its cases, present them, export the agenda."""

import io
import zipfile
from datetime import date, timedelta

import docx
import pytest
from sqlalchemy import select

from app.domain.dates import show
from app.extensions import db
from app.models import (
    AuditEvent,
    Case,
    Conference,
    ConferenceCase,
    Criterion,
    Fact,
    Team,
)
from tests.support import Client, add_case, add_member

pytestmark = pytest.mark.persistence

DAY = date.today() + timedelta(days=3)


def _plan(client, title="Weekly case conference", day=DAY):
    response = client.post("/conferences/", {"title": title, "held_on": day.isoformat()})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.location.rstrip("/").rsplit("/", 1)[1])


def _add(client, conference_id, case_id, question="", hx=False):
    return client.post(
        f"/conferences/{conference_id}/cases", {"case_id": case_id, "question": question}, hx=hx
    )


def _order(app, conference_id):
    """(case id, question) in the running order, as stored."""
    with app.app_context():
        conference = db.session.get(Conference, conference_id)
        return [(e.case_id, e.question) for e in conference.items]


def _entry_ids(app, conference_id):
    with app.app_context():
        return [e.id for e in db.session.get(Conference, conference_id).items]


def _audit(app, action, what_contains):
    with app.app_context():
        return [
            (e.case_id, e.what)
            for e in db.session.scalars(
                select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
            )
            if what_contains in e.what
        ]


@pytest.fixture
def second(app, world):
    """A second open case of team north."""
    with app.app_context():
        team = db.session.scalar(select(Team).where(Team.slug == "north"))
        return add_case(team, patient_name="Olive Oakes", payer="Bluebird Health").id


@pytest.fixture
def prepared(app, world):
    """North's case with a story to tell: a diagnosis, a failed treatment, a criterion met by
    it and one with nothing linked, a denial date that starts the appeal clock."""
    with app.app_context():
        case = db.session.get(Case, world["north"])
        case.denial_received = date.today() - timedelta(days=10)
        case.framing = "She cannot grip a cup"
        diagnosis = Fact(kind="diagnosis", text="Lumbar radiculopathy", position=1)
        trial = Fact(
            kind="prior_treatment",
            therapy="Physical therapy",
            dose="12 sessions",
            start_date="2026-01",
            stop_date="2026-04",
            outcome="inadequate_response",
            position=2,
        )
        case.facts += [diagnosis, trial]
        db.session.flush()
        met = Criterion(text="Six weeks of conservative therapy", status="met", position=1)
        met.facts.append(trial)
        bare = Criterion(text="Neurological deficit on examination", position=2)
        case.criteria += [met, bare]
        db.session.commit()
    return world["north"]


# --- planning ----------------------------------------------------------------------------


def test_conferences_are_listed_upcoming_first_and_the_nav_links_them(signed_in, app):
    _plan(signed_in, "Held last spring", date(2020, 4, 2))
    _plan(signed_in, "The one after", DAY + timedelta(days=7))
    _plan(signed_in, "The next one", DAY)
    page = signed_in.get("/conferences/").get_data(as_text=True)
    assert page.index("The next one") < page.index("The one after") < page.index("Held last")
    assert 'href="/conferences/">Conferences</a>' in signed_in.get("/cases/").get_data(as_text=True)


def test_a_conference_needs_a_title_and_a_day(signed_in, app):
    response = signed_in.post("/conferences/", {"title": " ", "held_on": "next friday"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Give the conference a title" in page and "is not a date" in page
    with app.app_context():
        assert db.session.scalars(select(Conference)).all() == []


def test_cases_are_added_ordered_questioned_and_removed(signed_in, app, world, second):
    conference = _plan(signed_in)
    assert _add(signed_in, conference, world["north"], "Appeal now or wait?").status_code == 302
    response = _add(signed_in, conference, second, hx=True)
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in fragment
    assert fragment.index("Nora North") < fragment.index("Olive Oakes")
    assert _order(app, conference) == [(world["north"], "Appeal now or wait?"), (second, "")]

    first, last = _entry_ids(app, conference)
    signed_in.post(f"/conferences/{conference}/cases/{last}/move", {"direction": "up"}, hx=True)
    assert [c for c, _ in _order(app, conference)] == [second, world["north"]]
    signed_in.post(f"/conferences/{conference}/cases/{last}/move", {"direction": "up"})
    assert [c for c, _ in _order(app, conference)] == [second, world["north"]]  # first stays

    signed_in.post(
        f"/conferences/{conference}/cases/{last}/question",
        {"question": "  Is   imaging needed first? "},
    )
    assert _order(app, conference)[0] == (second, "Is imaging needed first?")
    page = signed_in.get(f"/conferences/{conference}").get_data(as_text=True)
    assert page.index("Olive Oakes") < page.index("Nora North")
    assert "Is imaging needed first?" in page

    signed_in.post(f"/conferences/{conference}/cases/{last}/remove", hx=True)
    assert _order(app, conference) == [(world["north"], "Appeal now or wait?")]
    with app.app_context():
        assert db.session.get(ConferenceCase, first).position == 1
        assert db.session.get(Case, second) is not None  # the case itself stays


def test_the_case_picker_offers_open_cases_not_yet_chosen(signed_in, app, world, second):
    with app.app_context():
        team = db.session.scalar(select(Team).where(Team.slug == "north"))
        add_case(team, patient_name="Closed Clara", status="closed")
    conference = _plan(signed_in)
    _add(signed_in, conference, world["north"])
    picker = signed_in.get(f"/conferences/{conference}").get_data(as_text=True)
    picker = picker[picker.index('id="case-id"') :]
    picker = picker[: picker.index("</select>")]
    assert "Olive Oakes" in picker
    assert "Nora North" not in picker and "Closed Clara" not in picker


def test_refused_additions_say_why_and_change_nothing(signed_in, app, world):
    conference = _plan(signed_in)
    response = _add(signed_in, conference, "", hx=True)
    assert response.status_code == 422 and "Choose a case to add." in response.get_data(
        as_text=True
    )
    _add(signed_in, conference, world["north"])
    response = _add(signed_in, conference, world["north"])
    assert response.status_code == 422
    assert "already on the agenda" in response.get_data(as_text=True)
    entry = _entry_ids(app, conference)[0]
    response = signed_in.post(
        f"/conferences/{conference}/cases/{entry}/question", {"question": "why? " * 100}, hx=True
    )
    assert response.status_code == 422 and "300 characters" in response.get_data(as_text=True)
    assert _order(app, conference) == [(world["north"], "")]


def test_viewing_the_conference_is_audited_per_case(signed_in, app, world, second):
    conference = _plan(signed_in)
    _add(signed_in, conference, world["north"])
    _add(signed_in, conference, second)
    signed_in.get(f"/conferences/{conference}")
    seen = _audit(app, "view", f"conference {conference}")
    assert sorted(case for case, _ in seen) == sorted([world["north"], second])


def test_deleting_a_conference_keeps_its_cases(signed_in, app, world):
    conference, other = _plan(signed_in), _plan(signed_in, "Another")
    _add(signed_in, conference, world["north"])
    response = signed_in.post(f"/conferences/{conference}/delete")
    assert response.status_code == 302 and response.location.endswith("/conferences/")
    response = signed_in.post(f"/conferences/{other}/delete", hx=True)
    assert response.status_code == 204 and response.headers["HX-Redirect"] == "/conferences/"
    with app.app_context():
        assert db.session.scalars(select(Conference)).all() == []
        assert db.session.scalars(select(ConferenceCase)).all() == []
        assert db.session.get(Case, world["north"]) is not None
    assert "“Weekly case conference” deleted" in signed_in.get("/conferences/").get_data(
        as_text=True
    )


# --- the presentation --------------------------------------------------------------------


def test_each_screen_shows_one_case_story_criteria_gaps_and_deadlines(
    signed_in, app, prepared, second
):
    conference = _plan(signed_in)
    _add(signed_in, conference, prepared, "Appeal now, or add the EMG first?")
    _add(signed_in, conference, second)
    response = signed_in.get(f"/conferences/{conference}/present")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Case 1 of 2" in page
    assert f"N.N. · case {prepared}" in page
    assert "Appeal now, or add the EMG first?" in page
    # The story opens as the talking points do, the patient named by initials.
    assert "N.N., " in page and "has lumbar radiculopathy" in page
    assert "The request is for MRI lumbar spine." in page
    assert "Nora North" not in page
    assert "Six weeks of conservative therapy" in page and "Physical therapy" in page
    assert "Neurological deficit on examination" in page and "Nothing linked" in page
    assert "No member ID" in page  # a readiness gap
    assert "File internal appeal" in page and "170 days left" in page  # 180 days from denial
    assert f'/cases/{prepared}/charts/timeline.png"' in page
    assert f'rel="next" href="/conferences/{conference}/present/2"' in page
    assert 'rel="prev"' not in page

    second_screen = signed_in.get(f"/conferences/{conference}/present/2").get_data(as_text=True)
    assert "Case 2 of 2" in second_screen and "O.O." in second_screen
    assert "Olive Oakes" not in second_screen and "lumbar radiculopathy" not in second_screen
    assert f'rel="prev" href="/conferences/{conference}/present/1"' in second_screen
    assert 'rel="next"' not in second_screen
    assert "No clock running." in second_screen and "not mapped yet" in second_screen

    assert signed_in.get(f"/conferences/{conference}/present/3").status_code == 404
    assert signed_in.get(f"/conferences/{conference}/present/0").status_code == 404
    screens = _audit(app, "view", "screen")
    assert screens == [
        (prepared, f"conference {conference} screen 1"),
        (second, f"conference {conference} screen 2"),
    ]


def test_a_conference_without_cases_says_so_when_presented(signed_in, app):
    conference = _plan(signed_in)
    page = signed_in.get(f"/conferences/{conference}/present").get_data(as_text=True)
    assert "No case on this conference yet" in page


def test_the_deadline_on_the_screen_is_the_running_clock(signed_in, app, prepared):
    conference = _plan(signed_in)
    _add(signed_in, conference, prepared)
    page = signed_in.get(f"/conferences/{conference}/present/1").get_data(as_text=True)
    deadlines = page[page.index('id="deadlines-h"') : page.index('id="gaps-h"')]
    due = date.today() + timedelta(days=170)
    assert "File internal appeal" in deadlines and "170 days left" in deadlines
    assert show(due) in deadlines


# --- the agenda --------------------------------------------------------------------------


def _docx_text(content: bytes) -> tuple[list[str], str]:
    """The paragraphs' text, and every XML part of the package (core properties too)."""
    paragraphs = [p.text for p in docx.Document(io.BytesIO(content)).paragraphs]
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = " ".join(
            archive.read(n).decode("utf-8", "replace")
            for n in archive.namelist()
            if n.endswith(".xml") or n.endswith(".rels")
        )
    return paragraphs, xml


def test_the_agenda_lists_each_case_by_initials_never_by_name(signed_in, app, prepared, second):
    conference = _plan(signed_in, "Spine case conference", date(2026, 11, 26))
    _add(signed_in, conference, prepared, "Appeal now, or add the EMG first?")
    _add(signed_in, conference, second)
    response = signed_in.get(f"/conferences/{conference}/agenda.docx")
    assert response.status_code == 200
    assert response.mimetype.endswith("wordprocessingml.document")
    assert (
        f"conference-{conference}-agenda-2026-11-26.docx" in response.headers["Content-Disposition"]
    )
    paragraphs, xml = _docx_text(response.data)
    assert paragraphs[0] == "Spine case conference"
    assert paragraphs[1] == "North Rheumatology · November 26, 2026 · 2 cases"
    assert f"1.\tN.N. · case {prepared} · Acme Health" in paragraphs
    assert f"2.\tO.O. · case {second} · Bluebird Health" in paragraphs
    assert "Question for the team: Appeal now, or add the EMG first?" in paragraphs
    assert "No question set: the presenter brings one." in paragraphs
    assert any(p.startswith("Draft · Not medically necessary · MRI") for p in paragraphs)
    assert "Nora North" not in xml and "Olive Oakes" not in xml and "N-1" not in xml
    styles = {p.style.name for p in docx.Document(io.BytesIO(response.data)).paragraphs}
    assert {"Title", "Subtitle", "Agenda case", "Agenda detail", "Agenda question"} <= styles
    exported = _audit(app, "export", f"conference {conference} agenda")
    assert sorted(case for case, _ in exported) == sorted([prepared, second])


def test_the_agenda_names_the_next_deadline(signed_in, app, prepared):
    conference = _plan(signed_in)
    _add(signed_in, conference, prepared)
    paragraphs, _ = _docx_text(signed_in.get(f"/conferences/{conference}/agenda.docx").data)
    detail = next(p for p in paragraphs if "Next deadline:" in p)
    due = date.today() + timedelta(days=170)
    assert detail.endswith(f"Next deadline: File internal appeal by {show(due)} (170 days left)")


# --- team isolation ----------------------------------------------------------------------


def _south_conference(app, world):
    with app.app_context():
        south = db.session.scalar(select(Team).where(Team.slug == "south"))
        conference = Conference(team_id=south.id, title="South spine review", held_on=DAY)
        conference.items.append(ConferenceCase(case_id=world["south"], position=1, question="?"))
        db.session.add(conference)
        db.session.commit()
        return conference.id, conference.items[0].id


def test_another_teams_conference_is_not_found(signed_in, app, world):
    conference, entry = _south_conference(app, world)
    base = f"/conferences/{conference}"
    pages = ("", "/present", "/present/1", "/agenda.docx", "/packet.docx?deidentify=0")
    for url in (base + page for page in pages):
        response = signed_in.get(url)
        assert response.status_code == 404, url
        assert "Sam South" not in response.get_data(as_text=True)
    for url in (
        f"{base}/cases",
        f"{base}/cases/{entry}/move",
        f"{base}/cases/{entry}/question",
        f"{base}/cases/{entry}/remove",
        f"{base}/delete",
    ):
        data = {"case_id": world["north"], "direction": "down", "question": "x"}
        assert signed_in.post(url, data, hx=True).status_code == 404, url
    assert "South spine review" not in signed_in.get("/conferences/").get_data(as_text=True)
    assert _order(app, conference) == [(world["south"], "?")]


def test_another_teams_case_cannot_join_a_conference(signed_in, app, world):
    conference = _plan(signed_in)
    assert _add(signed_in, conference, world["south"]).status_code == 404
    assert _order(app, conference) == []


def test_a_member_of_both_teams_keeps_each_conference_to_its_team(app, world):
    with app.app_context():
        south = db.session.scalar(select(Team).where(Team.slug == "south"))
        add_member("clinician@north.test", south, "clinician")
    both = Client(app)
    both.login("clinician@north.test")
    conference = _plan(both)  # in north, the team first joined
    assert _add(both, conference, world["south"]).status_code == 404
    assert _order(app, conference) == []


def test_an_entry_of_another_conference_is_not_found(signed_in, app, world):
    mine, other = _plan(signed_in), _plan(signed_in, "Another")
    _add(signed_in, other, world["north"])
    entry = _entry_ids(app, other)[0]
    response = signed_in.post(f"/conferences/{mine}/cases/{entry}/remove")
    assert response.status_code == 404
    assert _order(app, other) == [(world["north"], "")]


# --- the packet --------------------------------------------------------------------------


def test_the_packet_is_de_identified_unless_names_are_asked_for(signed_in, app, prepared, second):
    conference = _plan(signed_in, "Spine case conference", date(2026, 11, 26))
    _add(signed_in, conference, prepared, "Should Nora North appeal before 2026-12-15?")
    _add(signed_in, conference, second)

    response = signed_in.get(f"/conferences/{conference}/packet.docx")
    assert response.status_code == 200
    assert (
        f'"conference-{conference}-packet-deidentified.docx"'
        in response.headers["Content-Disposition"]
    )
    paragraphs, xml = _docx_text(response.data)
    assert "Nora North" not in xml and "Olive Oakes" not in xml and "N-1" not in xml
    assert "N.N." not in xml and f"case {prepared}" not in xml  # no initials, no case number
    assert "Should [Patient] appeal before 2026?" in xml  # the question is cleaned too
    assert "Case 1 · MRI lumbar spine" in paragraphs and "Case 2 · MRI lumbar spine" in paragraphs

    response = signed_in.get(f"/conferences/{conference}/packet.docx?deidentify=0")
    assert (
        f"conference-{conference}-packet-2026-11-26.docx" in response.headers["Content-Disposition"]
    )
    paragraphs, xml = _docx_text(response.data)
    assert "Case 1 · Nora North · MRI lumbar spine" in paragraphs
    assert f"N.N. · case {prepared} · Acme Health · Draft. Question for the team: " in xml
    assert "Should Nora North appeal before 2026-12-15?" in xml

    exported = _audit(app, "export", f"conference {conference} packet")
    assert sorted(case for case, what in exported if "(identified)" in what) == sorted(
        [prepared, second]
    )
    assert len([what for _, what in exported if "(de-identified" in what]) == 2


def test_a_conference_without_cases_has_no_packet(signed_in, app):
    conference = _plan(signed_in)
    response = signed_in.get(f"/conferences/{conference}/packet.docx")
    assert response.status_code == 409 and "Add cases to the conference first" in (
        response.get_data(as_text=True)
    )
