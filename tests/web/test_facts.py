import re

import pytest

from app.extensions import db
from app.models import Case, Fact, SourceDocument

pytestmark = pytest.mark.persistence


def add(client, case_id, **form):
    return client.post(f"/cases/{case_id}/facts", form, hx=True)


def facts_of(app, case_id):
    with app.app_context():
        return [
            (f.kind, f.text or f.therapy or f.instrument)
            for f in db.session.get(Case, case_id).facts
        ]


def test_add_facts_of_three_kinds_inline(signed_in, world, app):
    case_id = world["north"]
    r1 = add(signed_in, case_id, kind="history", text="Seropositive RA since 2023")
    r2 = add(
        signed_in,
        case_id,
        kind="prior_treatment",
        therapy="Methotrexate",
        dose="15 → 25 mg weekly",
        start_date="2024-01",
        stop_date="2024-09",
        outcome="intolerant",
        reason_stopped="ALT 3.4× ULN",
    )
    r3 = add(signed_in, case_id, kind="pro", instrument="cdai", score="31", fact_date="2026-09-12")
    assert r1.status_code == r2.status_code == r3.status_code == 200
    html = r3.get_data(as_text=True)
    assert html.startswith('<div id="fact-list">')
    assert "Methotrexate, 15 → 25 mg weekly, Jan 2024 – Sep 2024 — Intolerant: ALT 3.4× ULN" in html
    assert "CDAI 31 (high activity)" in html
    assert 'hx-swap-oob="outerHTML"' in html  # a fresh, empty form comes back too
    assert facts_of(app, case_id) == [
        ("history", "Seropositive RA since 2023"),
        ("prior_treatment", "Methotrexate"),
        ("pro", "cdai"),
    ]


def test_out_of_range_score_is_refused_in_place_and_typed_values_kept(signed_in, world, app):
    response = add(
        signed_in,
        world["north"],
        kind="pro",
        instrument="phq9",
        score="31",
        fact_date="2026-09-12",
        text="after the flare",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == "#new-fact"
    assert "A PHQ-9 score runs from 0 to 27; 31 is outside that range." in html
    assert 'value="31"' in html and "after the flare" in html
    assert facts_of(app, world["north"]) == []


def test_edit_remove_and_reorder(signed_in, world, app):
    case_id = world["north"]
    for text in ("first", "second", "third"):
        add(signed_in, case_id, kind="history", text=text)
    with app.app_context():
        ids = [f.id for f in db.session.get(Case, case_id).facts]
    form = signed_in.get(f"/cases/{case_id}/facts/{ids[0]}/edit", headers={"HX-Request": "true"})
    html = form.get_data(as_text=True)
    assert ">first</textarea>" in html
    version = re.search(r'name="version" value="(\d+)"', html).group(1)  # as the form sends it
    saved = signed_in.post(
        f"/cases/{case_id}/facts/{ids[0]}", {"text": "first, edited", "version": version}, hx=True
    )
    assert saved.status_code == 200 and "first, edited" in saved.get_data(as_text=True)
    signed_in.post(f"/cases/{case_id}/facts/{ids[2]}/move", {"direction": "up"}, hx=True)
    signed_in.post(f"/cases/{case_id}/facts/{ids[2]}/move", {"direction": "up"}, hx=True)
    signed_in.post(f"/cases/{case_id}/facts/{ids[2]}/move", {"direction": "up"}, hx=True)
    assert [t for _, t in facts_of(app, case_id)] == ["third", "first, edited", "second"]
    swapped = signed_in.post(
        f"/cases/{case_id}/facts/{ids[0]}/move", {"direction": "down"}, hx=True
    ).get_data(as_text=True)
    assert swapped.count("data-kind=") == 2  # only the two neighbours come back
    assert f'<li id="fact-{ids[1]}" hx-swap-oob="delete">' in swapped
    assert (
        signed_in.post(
            f"/cases/{case_id}/facts/{ids[2]}/move", {"direction": "up"}, hx=True
        ).status_code
        == 204
    )  # already at the top
    signed_in.post(f"/cases/{case_id}/facts/{ids[0]}/move", {"direction": "up"}, hx=True)
    signed_in.post(f"/cases/{case_id}/facts/{ids[1]}/delete", hx=True)
    assert [t for _, t in facts_of(app, case_id)] == ["third", "first, edited"]


def test_the_first_fact_cannot_move_up_nor_the_last_down(signed_in, world, app):
    case_id = world["north"]
    for text in ("first", "second", "third"):
        add(signed_in, case_id, kind="history", text=text)
    page = signed_in.get(f"/cases/{case_id}").get_data(as_text=True)
    assert arrows(page) == [(True, False), (False, False), (False, True)]
    # A row sent back alone (after a tick, an edit, or shown again) knows where it stands too.
    with app.app_context():
        ids = [f.id for f in db.session.get(Case, case_id).facts]
    rows = [f"/cases/{case_id}/facts/{fact_id}" for fact_id in ids]
    ticked = [signed_in.post(f"{row}/letter", {}, hx=True).get_data(as_text=True) for row in rows]
    assert [arrows(html) for html in ticked] == [[(True, False)], [(False, False)], [(False, True)]]
    shown = signed_in.get(rows[2], headers={"HX-Request": "true"}).get_data(as_text=True)
    assert arrows(shown) == [(False, True)]


def arrows(html: str) -> list[tuple[bool, bool]]:
    """For each fact row, whether its up and down arrows are disabled."""
    ups = re.findall(r'id="up-\d+"[^>]*?( disabled)?>', html)
    downs = re.findall(r'id="down-\d+"[^>]*?( disabled)?>', html)
    return [(bool(up), bool(down)) for up, down in zip(ups, downs, strict=True)]


def test_fact_can_be_left_out_of_the_letter(signed_in, world, app):
    case_id = world["north"]
    add(signed_in, case_id, kind="goal", text="Keep working")
    with app.app_context():
        fact_id = db.session.get(Case, case_id).facts[0].id
    html = signed_in.post(f"/cases/{case_id}/facts/{fact_id}/letter", {}, hx=True)
    assert "left-out" in html.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Fact, fact_id).in_letter is False
    signed_in.post(f"/cases/{case_id}/facts/{fact_id}/letter", {"in_letter": "on"}, hx=True)
    with app.app_context():
        assert db.session.get(Fact, fact_id).in_letter is True


def test_a_selected_passage_becomes_a_fact_that_keeps_its_source(signed_in, world, app):
    case_id = world["north"]
    note = "Exam today. Left ankle dorsiflexion 4/5, down from 5/5. Plan MRI."
    added = signed_in.post(
        f"/cases/{case_id}/documents",
        {
            "kind": "Progress note",
            "title": "Spine clinic",
            "document_date": "2026-10-20",
            "text": note,
        },
        hx=True,
    )
    assert "Spine clinic" in added.get_data(as_text=True)
    with app.app_context():
        doc_id = db.session.get(Case, case_id).documents[0].id
    start = note.index("Left")
    end = note.index(" Plan")
    form = signed_in.get(
        f"/cases/{case_id}/facts/form?kind=finding&source_id={doc_id}"
        f"&source_start={start}&source_end={end}"
    )
    html = form.get_data(as_text=True)
    assert "Left ankle dorsiflexion 4/5, down from 5/5.</textarea>" in html
    assert 'value="2026-10-20"' in html
    add(
        signed_in,
        case_id,
        kind="finding",
        finding_type="exam",
        text="Left ankle dorsiflexion 4/5, down from 5/5.",
        fact_date="2026-10-20",
        source_id=doc_id,
        source_start=start,
        source_end=end,
    )
    with app.app_context():
        fact = db.session.get(Case, case_id).facts[0]
        assert fact.source.title == "Spine clinic"
        assert fact.source_passage == "Left ankle dorsiflexion 4/5, down from 5/5."
    page = signed_in.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "From Spine clinic (progress note, 20 Oct 2026)" in page


def test_passage_offsets_outside_the_note_are_refused(signed_in, world, app):
    case_id = world["north"]
    with app.app_context():
        db.session.add(
            SourceDocument(
                case_id=case_id,
                kind="Consult",
                title="c",
                document_date=__import__("datetime").date(2026, 1, 1),
                text="short",
            )
        )
        db.session.commit()
        doc_id = db.session.get(Case, case_id).documents[0].id
    url = (
        f"/cases/{case_id}/facts/form?kind=history&source_id={doc_id}&source_start=2&source_end=99"
    )
    assert signed_in.get(url).status_code == 400


def test_a_refused_document_keeps_its_text(signed_in, world):
    response = signed_in.post(
        f"/cases/{world['north']}/documents",
        {"kind": "Consult", "document_date": "20-10-2026", "text": "Neurosurgery consult text"},
        hx=True,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and response.headers["HX-Retarget"] == "#document-form"
    assert "Neurosurgery consult text" in html and "is not a date" in html


def test_changing_the_kind_keeps_what_was_typed(signed_in, world):
    response = signed_in.post(
        f"/cases/{world['north']}/facts/form",
        {"kind": "contraindication", "text": "Asthma, FEV1 68%"},
        hx=True,
    )
    html = response.get_data(as_text=True)
    assert "Add contraindication" in html and "Asthma, FEV1 68%" in html
