"""No lost edits: two people save the same part of a case; the later save of an old version is
refused with both versions shown, nothing is overwritten, and a save from the new one passes."""

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Case, Criterion, Fact, ParagraphEdit, Team, User
from tests.support import Client, add_member

pytestmark = pytest.mark.persistence

HX = {"HX-Request": "true"}
INTAKE = dict(
    patient_name="Nora North",
    patient_dob="1970-05-01",
    payer="Acme Health",
    plan_type="commercial",
    service_description="Adalimumab 40 mg every 2 weeks",
    urgency="standard",
    denial_category="step_therapy",
    denial_reason="Two conventional DMARDs not documented.",
)
THEIRS = "Her wording: failed methotrexate and leflunomide"
YOURS = "My wording: intolerant of methotrexate, ALT 3.4 x ULN"


def version_in(response) -> str:
    """The version the form in `response` carries, as the page sends it back."""
    found = re.search(r'name="version" value="(\d*)"', response.get_data(as_text=True))
    return found.group(1)


@dataclass
class Part:
    """One part of a case two people can edit: its form, its save, where it lives."""

    name: str
    form: Callable  # (client, ids) -> response holding the form
    save: Callable  # (client, ids, version, text) -> response
    saved: Callable  # (ids) -> the text the database holds, inside an app context
    target: Callable  # (ids) -> the element a refused htmx save is put in
    what: Callable  # (ids) -> how the audit log names the save


def _fact_save(client, ids, version, text, hx=True):
    url = f"/cases/{ids['case']}/facts/{ids['fact']}"
    return client.post(url, {"text": text, "fact_date": "2025-04", "version": version}, hx=hx)


def _framing_save(client, ids, version, text):
    form = {
        "framing": text,
        "risks": "",
        "ask": "Approve it",
        "fallback_asks": "",
        "version": version,
    }
    return client.post(f"/cases/{ids['case']}/framing", form, hx=True)


def _criterion_save(client, ids, version, text):
    form = {"text": "Trial of two DMARDs", "status": "met", "note": text, "version": version}
    return client.post(f"/cases/{ids['case']}/criteria/{ids['criterion']}", form, hx=True)


def _rewrite_save(client, ids, version, text):
    url = f"/cases/{ids['case']}/letter/paragraphs/closing"
    return client.post(url, {"text": text, "version": version}, hx=True)


def _closing(ids):
    edit = db.session.scalar(
        select(ParagraphEdit).where(
            ParagraphEdit.case_id == ids["case"], ParagraphEdit.key == "closing"
        )
    )
    return edit.text if edit else ""


PARTS = [
    Part(
        "fact",
        lambda c, ids: c.get(f"/cases/{ids['case']}/facts/{ids['fact']}/edit", headers=HX),
        _fact_save,
        lambda ids: db.session.get(Fact, ids["fact"]).text,
        lambda ids: f"#fact-{ids['fact']}",
        lambda ids: f"fact {ids['fact']} edited",
    ),
    Part(
        "framing",
        lambda c, ids: c.get(f"/cases/{ids['case']}/brief"),
        _framing_save,
        lambda ids: db.session.get(Case, ids["case"]).framing,
        lambda ids: "#framing",
        lambda ids: "framing and asks edited",
    ),
    Part(
        "criterion",
        lambda c, ids: c.get(f"/cases/{ids['case']}/criteria/{ids['criterion']}/edit", headers=HX),
        _criterion_save,
        lambda ids: db.session.get(Criterion, ids["criterion"]).note,
        lambda ids: f"#criterion-{ids['criterion']}",
        lambda ids: f"criterion {ids['criterion']} edited",
    ),
    Part(
        "paragraph rewrite",
        lambda c, ids: c.get(f"/cases/{ids['case']}/letter/paragraphs/closing", headers=HX),
        _rewrite_save,
        _closing,
        lambda ids: "#para-closing",
        lambda ids: "letter paragraph closing rewritten",
    ),
]


@pytest.fixture
def ids(app, world):
    """Team north's case with a fact and a criterion; a second clinician, Dana Reyes."""
    with app.app_context():
        north = db.session.scalar(select(Team).where(Team.slug == "north"))
        add_member("dana@north.test", north, "clinician", name="Dana Reyes")
        case = db.session.get(Case, world["north"])
        fact = Fact(case=case, kind="history", text="RA since 2023", position=1)
        criterion = Criterion(case=case, text="Trial of two DMARDs", position=1)
        db.session.add_all([fact, criterion])
        db.session.commit()
        return {"case": case.id, "fact": fact.id, "criterion": criterion.id}


@pytest.fixture
def dana(app, ids):
    client = Client(app)
    client.login("dana@north.test")
    return client


def refusals(app, case_id):
    with app.app_context():
        rows = db.session.scalars(
            select(AuditEvent).where(AuditEvent.case_id == case_id, AuditEvent.action == "refused")
        ).all()
        return [(r.user.email, r.what) for r in rows]


@pytest.mark.parametrize("part", PARTS, ids=lambda p: p.name)
def test_a_stale_save_is_refused_with_both_versions_and_saves_once_resolved(
    part, app, ids, dana, signed_in
):
    mine = part.form(signed_in, ids)  # both open the form
    theirs = part.form(dana, ids)
    assert version_in(mine) == version_in(theirs)
    assert part.save(dana, ids, version_in(theirs), THEIRS).status_code == 200

    refused = part.save(signed_in, ids, version_in(mine), YOURS)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert refused.headers["HX-Retarget"] == part.target(ids)
    assert re.search(r"Dana Reyes saved a change at <time [^>]*>\d\d:\d\d UTC</time>", html)
    assert THEIRS in html  # theirs, side by side with yours
    assert html.count(YOURS) >= 2  # yours beside theirs, and still in the form to save again
    with app.app_context():
        assert part.saved(ids) == THEIRS  # nothing overwritten
    assert refusals(app, ids["case"]) == [
        (
            "clinician@north.test",
            f"{part.what(ids)} from version {version_in(mine)}: "
            f"version {version_in(refused)} was saved first",
        )
    ]

    # The refused form carries the version now saved: saving it again keeps mine.
    again = part.save(signed_in, ids, version_in(refused), YOURS + ", checked")
    assert again.status_code == 200, again.get_data(as_text=True)
    assert YOURS + ", checked" in again.get_data(as_text=True)
    with app.app_context():
        assert part.saved(ids) == YOURS + ", checked"
    assert len(refusals(app, ids["case"])) == 1


@pytest.mark.parametrize("part", PARTS, ids=lambda p: p.name)
def test_the_same_form_sent_twice_is_not_a_conflict_with_oneself(part, app, ids, signed_in):
    form = part.form(signed_in, ids)
    first = part.save(signed_in, ids, version_in(form), YOURS)
    second = part.save(signed_in, ids, version_in(form), YOURS)
    assert first.status_code == second.status_code == 200
    assert YOURS in second.get_data(as_text=True)
    assert refusals(app, ids["case"]) == []
    with app.app_context():
        saves = db.session.scalars(
            select(AuditEvent).where(AuditEvent.what == part.what(ids))
        ).all()
        assert len(saves) == 1  # one change, logged once


@pytest.mark.parametrize("part", PARTS, ids=lambda p: p.name)
def test_two_people_saving_the_same_text_do_not_conflict(part, app, ids, dana, signed_in):
    mine, theirs = part.form(signed_in, ids), part.form(dana, ids)
    assert part.save(dana, ids, version_in(theirs), THEIRS).status_code == 200
    assert part.save(signed_in, ids, version_in(mine), THEIRS).status_code == 200
    assert refusals(app, ids["case"]) == []


@pytest.mark.parametrize("part", PARTS, ids=lambda p: p.name)
def test_a_save_that_names_no_version_is_refused_not_applied(part, app, ids, signed_in):
    response = part.save(signed_in, ids, "", YOURS)
    assert response.status_code == 422 and YOURS in response.get_data(as_text=True)
    with app.app_context():
        assert part.saved(ids) != YOURS


def test_the_refused_form_offers_their_version(app, ids, dana, signed_in):
    mine, theirs = PARTS[0].form(signed_in, ids), PARTS[0].form(dana, ids)
    _fact_save(dana, ids, version_in(theirs), THEIRS)
    html = _fact_save(signed_in, ids, version_in(mine), YOURS).get_data(as_text=True)
    reload = f"/cases/{ids['case']}/facts/{ids['fact']}/edit"
    assert f'hx-get="{reload}" hx-target="#fact-{ids["fact"]}"' in html
    assert "Use their version" in html
    fresh = signed_in.get(reload, headers=HX).get_data(as_text=True)
    assert f">{THEIRS}</textarea>" in fresh and "saved a change" not in fresh


def test_your_own_save_from_another_tab_is_named_as_yours(app, ids, signed_in):
    tab_one, tab_two = PARTS[0].form(signed_in, ids), PARTS[0].form(signed_in, ids)
    _fact_save(signed_in, ids, version_in(tab_one), THEIRS)
    html = _fact_save(signed_in, ids, version_in(tab_two), YOURS).get_data(as_text=True)
    assert "You saved another version of this at" in html and "in another tab or window" in html


def test_moving_a_fact_or_leaving_it_out_of_the_letter_is_not_a_conflict(app, ids, dana, signed_in):
    with app.app_context():
        case = db.session.get(Case, ids["case"])
        case.facts.append(Fact(kind="goal", text="Keep working", position=2))
        db.session.commit()
    form = PARTS[0].form(signed_in, ids)
    base = f"/cases/{ids['case']}/facts/{ids['fact']}"
    dana.post(f"{base}/move", {"direction": "down"}, hx=True)
    dana.post(f"{base}/letter", {}, hx=True)
    saved = _fact_save(signed_in, ids, version_in(form), YOURS)
    assert saved.status_code == 200
    with app.app_context():
        fact = db.session.get(Fact, ids["fact"])
        assert (fact.text, fact.position, fact.in_letter) == (YOURS, 2, False)


def test_a_status_change_from_an_old_row_is_refused_in_the_criterion_form(
    app, ids, dana, signed_in
):
    url = f"/cases/{ids['case']}/criteria/{ids['criterion']}"
    mine = signed_in.get(url, headers=HX).get_data(as_text=True)
    old = re.search(r'hx-vals=\'\{"version": "(\d+)"\}\'', mine).group(1)  # the status list
    assert dana.post(url, {"status": "not_met", "version": old}, hx=True).status_code == 200
    refused = signed_in.post(url, {"status": "met", "version": old}, hx=True)
    html = refused.get_data(as_text=True)
    assert (
        refused.status_code == 422
        and refused.headers["HX-Retarget"] == f"#criterion-{ids['criterion']}"
    )
    assert '<tr><th scope="row">Status</th><td>Not met</td><td>Met</td></tr>' in html
    assert '<option value="met" selected>' in html  # mine, in the form, ready to save again
    with app.app_context():
        assert db.session.get(Criterion, ids["criterion"]).status == "not_met"


def test_a_reset_made_from_an_old_version_does_not_undo_a_newer_rewrite(app, ids, dana, signed_in):
    url = f"/cases/{ids['case']}/letter/paragraphs/closing"
    first = signed_in.get(url, headers=HX)
    mine = signed_in.post(url, {"text": YOURS, "version": version_in(first)}, hx=True)
    assert mine.status_code == 200
    stale_form = signed_in.get(url, headers=HX)
    theirs = dana.get(url, headers=HX)
    assert (
        dana.post(url, {"text": THEIRS, "version": version_in(theirs)}, hx=True).status_code == 200
    )
    reset = signed_in.post(
        url, {"text": YOURS, "action": "reset", "version": version_in(stale_form)}, hx=True
    )
    html = reset.get_data(as_text=True)
    assert reset.status_code == 422 and THEIRS in html and "The generated text:" in html
    with app.app_context():
        assert _closing(ids) == THEIRS


def test_intake_edit_full_page_refuses_a_stale_save_and_keeps_what_was_typed(
    app, world, ids, dana, signed_in
):
    url = f"/cases/{ids['case']}/edit"
    mine, theirs = signed_in.get(url), dana.get(url)
    form = {**INTAKE, "patient_name": "Nora North"}
    saved = dana.post(url, {**form, "payer": "Blue Lake Health", "version": version_in(theirs)})
    assert saved.status_code == 302

    refused = signed_in.post(url, {**form, "payer": "Harbor Health", "version": version_in(mine)})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and html.lstrip().startswith("<!doctype html>")
    assert "Dana Reyes saved a change at" in html
    assert '<th scope="row">Payer</th><td>Blue Lake Health</td><td>Harbor Health</td>' in html
    assert 'value="Harbor Health"' in html  # still in the form
    assert '<th scope="row">Name</th>' not in html  # the same in both: not shown
    with app.app_context():
        assert db.session.get(Case, ids["case"]).payer == "Blue Lake Health"
    assert refusals(app, ids["case"]) == [
        ("clinician@north.test", "intake edited from version 1: version 2 was saved first")
    ]

    again = signed_in.post(url, {**form, "payer": "Harbor Health", "version": version_in(refused)})
    assert again.status_code == 302
    with app.app_context():
        assert db.session.get(Case, ids["case"]).payer == "Harbor Health"
        assert db.session.get(Case, ids["case"]).version == 3


def test_audit_rows_of_refusals_carry_no_text(app, ids, dana, signed_in):
    for part in PARTS:
        mine, theirs = part.form(signed_in, ids), part.form(dana, ids)
        part.save(dana, ids, version_in(theirs), THEIRS)
        part.save(signed_in, ids, version_in(mine), YOURS)
    rows = refusals(app, ids["case"])
    assert len(rows) == len(PARTS)
    assert all("wording" not in what and "methotrexate" not in what for _, what in rows)


def test_a_user_name_with_markup_is_shown_as_text(app, ids, signed_in):
    with app.app_context():
        dana = db.session.scalar(select(User).where(User.email == "dana@north.test"))
        dana.name = "<b>Dana</b>"
        db.session.commit()
    other = Client(app)
    other.login("dana@north.test")
    mine, theirs = PARTS[0].form(signed_in, ids), PARTS[0].form(other, ids)
    _fact_save(other, ids, version_in(theirs), THEIRS)
    html = _fact_save(signed_in, ids, version_in(mine), YOURS).get_data(as_text=True)
    assert "&lt;b&gt;Dana&lt;/b&gt; saved a change" in html


def test_of_two_saves_from_the_same_version_only_the_first_moves_it_on(app, ids):
    from app.web import claim

    with app.app_context():
        fact = db.session.get(Fact, ids["fact"])
        assert claim(fact, 1) and fact.version == 2
        assert not claim(fact, 1)  # the second, made from the same version, is refused
        assert not claim(fact, None)
        db.session.commit()
        db.session.expire_all()
        assert db.session.get(Fact, ids["fact"]).version == 2
