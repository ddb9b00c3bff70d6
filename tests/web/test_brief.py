"""The brief in the app: criteria matrix, framing and asks, the letter preview and rewrites."""

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.library import importer
from app.models import Case, CriteriaSet, Criterion, Fact
from citations.starter import starter_bibtex

pytestmark = pytest.mark.persistence

POLICY = """Approved when all of the following are met:
1. Diagnosis of moderately to severely active rheumatoid arthritis
2. Trial and failure of two conventional DMARDs
3. Prescribed by a rheumatologist
"""


def version_in(response) -> str:
    """The version a form or a row carries, as the page sends it back."""
    html = response.get_data(as_text=True)
    return re.search(r'(?:name="version" value=|"version": )"(\d+)"', html).group(1)


@pytest.fixture
def case_id(app, world):
    with app.app_context():
        case = db.session.get(Case, world["north"])
        case.criteria_detail = "RX-417"
        case.requested_service = "MRI lumbar spine"
        case.procedure_codes = "72148"
        case.patient_sex = "female"
        case.facts.append(
            Fact(
                kind="prior_treatment",
                therapy="Methotrexate",
                dose="25 mg weekly",
                start_date="2024-01",
                stop_date="2024-09",
                outcome="intolerant",
                reason_stopped="ALT 3.4× ULN",
                position=1,
            )
        )
        case.facts.append(
            Fact(kind="pro", instrument="cdai", score=31, fact_date="2026-09-12", position=2)
        )
        importer.run(case.team_id, starter_bibtex())
        db.session.commit()
        return case.id


def test_pasted_policy_becomes_criteria_and_is_saved_for_the_payer(signed_in, app, case_id):
    html = signed_in.post(f"/cases/{case_id}/criteria", {"text": POLICY, "save_set": "on"}, hx=True)
    assert html.headers["HX-Trigger"] == "letterChanged"
    text = html.get_data(as_text=True)
    assert "Trial and failure of two conventional DMARDs" in text
    assert text.count("No fact or citation linked yet.") == 3  # unlinked criteria stand out
    with app.app_context():
        saved = db.session.scalar(select(CriteriaSet))
        assert (saved.payer, saved.policy, len(saved.items)) == ("Acme Health", "RX-417", 3)


def test_nothing_pasted_is_refused_in_place(signed_in, case_id):
    response = signed_in.post(f"/cases/{case_id}/criteria", {"text": "  "}, hx=True)
    assert response.status_code == 422 and response.headers["HX-Retarget"] == "#criteria"


def paste_policy(client, app, case_id) -> tuple[int, dict[str, int], int]:
    """Paste POLICY as the case's criteria: the step-therapy criterion's id, the id of the
    case's first fact of each kind, and the id of a guideline from the library."""
    client.post(f"/cases/{case_id}/criteria", {"text": POLICY}, hx=True)
    with app.app_context():
        case = db.session.get(Case, case_id)
        step = next(c for c in case.criteria if "two conventional" in c.text)
        firsts = {}
        for f in case.facts:
            firsts.setdefault(f.kind, f.id)
        from app.models import Citation

        fraenkel = db.session.scalar(select(Citation.id).where(Citation.key.like("fraenkel%")))
        return step.id, firsts, fraenkel


def test_link_facts_and_citations_mark_met_and_see_it_in_the_letter(signed_in, app, case_id):
    step, firsts, fraenkel = paste_policy(signed_in, app, case_id)
    base = f"/cases/{case_id}/criteria/{step}"
    row = signed_in.post(f"{base}/facts", {"fact_id": [firsts["prior_treatment"]]}, hx=True)
    assert "No fact or citation linked yet." not in row.get_data(as_text=True)
    signed_in.post(f"{base}/citations", {"citation_id": fraenkel, "pinpoint": "p 930"}, hx=True)
    row = signed_in.post(base, {"status": "met", "version": version_in(row)}, hx=True)
    assert row.status_code == 200 and "s-met" in row.get_data(as_text=True)
    letter = signed_in.get(f"/cases/{case_id}/letter", headers={"HX-Request": "true"})
    html = letter.get_data(as_text=True)
    assert (
        "Criterion 2 of Acme Health&#39;s RX-417 requires “Trial and failure of two conventional "
        "DMARDs”." in html
    )
    assert "Ms. North meets it" in html and "This criterion is met." not in html
    assert (
        "<td>Methotrexate</td><td>25 mg weekly</td><td>Jan 2024 – Sep 2024</td>"
        "<td>Intolerant</td><td>ALT 3.4× ULN</td>" in html
    )
    assert "— Intolerant: ALT 3.4× ULN." not in html  # a table row, not a pasted label
    assert "<sup>1(p930)</sup>" in html  # the pinpoint in the superscript, AMA style
    assert "(p 930)." not in html
    assert "<i>Arthritis Care Res (Hoboken)</i>" in html
    assert "Her CDAI score was 31 on 12 Sep 2026, in the high activity range." in html
    assert "The CDAI score was" not in html


def test_the_facts_to_tick_come_when_a_criterion_is_opened_and_stay_open(signed_in, app, case_id):
    step, _, _ = paste_policy(signed_in, app, case_id)
    with app.app_context():
        fact_ids = [f.id for f in db.session.get(Case, case_id).facts]
    page = signed_in.get(f"/cases/{case_id}/brief").get_data(as_text=True)
    assert 'name="fact_id"' not in page  # no boxes until a criterion's list is opened
    assert page.count("Choose the facts that meet it (0 of") == 3
    base = f"/cases/{case_id}/criteria/{step}/facts"
    choices = signed_in.get(base, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert re.findall(r'name="fact_id" value="(\d+)"', choices) == [str(i) for i in fact_ids]
    assert " checked" not in choices

    row = signed_in.post(base, {"fact_id": [fact_ids[0]]}, hx=True).get_data(as_text=True)
    assert '<details class="pick" open>' in row  # the list stays open for the next tick
    assert f'value="{fact_ids[0]}" checked' in row
    assert "Choose the facts that meet it (1 of" in row
    assert 'aria-label="Facts that meet it"' in row


def test_every_control_of_the_brief_and_the_workspace_calls_a_route(signed_in, app, case_id):
    """The rows build their URLs from one url_for each: each must still be a route."""
    step, firsts, fraenkel = paste_policy(signed_in, app, case_id)
    base = f"/cases/{case_id}/criteria/{step}"
    signed_in.post(f"{base}/facts", {"fact_id": [firsts["prior_treatment"]]}, hx=True)
    signed_in.post(f"{base}/citations", {"citation_id": fraenkel, "pinpoint": "p 3"}, hx=True)
    routes = app.url_map.bind("localhost")
    called = set()
    for url in (f"/cases/{case_id}", f"/cases/{case_id}/brief"):
        html = signed_in.get(url).get_data(as_text=True)
        called |= set(re.findall(r'hx-(get|post)="(/[^"]*)"', html))
        called |= {("post", a) for a in re.findall(r'method="post" action="(/[^"]*)"', html)}
    assert {"get", "post"} == {method for method, _ in called}
    assert any("/citations/" in u and u.endswith("/delete") for _, u in called)
    assert any("/letter/paragraphs/" in u for _, u in called)
    for method, url in called:
        routes.match(url.split("?")[0], method=method.upper())  # raises if no such route


def test_framing_and_asks_flow_into_the_letter(signed_in, case_id):
    page = signed_in.get(f"/cases/{case_id}/brief")
    form = {
        "version": version_in(page),
        "requested_service": "adalimumab 40 mg every 2 weeks",
        "requested_quantity": "2 pens per 28 days",
        "requested_duration": "12 months",
        "thesis": "Two conventional DMARDs were tried and failed",
        "framing": "Treatment would let her keep her job as a warehouse supervisor",
        "risks": "Without it, joint damage progresses",
        "ask": "Please also approve the loading dose",
        "fallback_asks": "a 6-month trial with a CDAI re-check\nbiosimilar adalimumab",
    }
    response = signed_in.post(f"/cases/{case_id}/framing", form, hx=True)
    assert response.headers["HX-Trigger"] == "letterChanged"
    html = signed_in.get(f"/cases/{case_id}/letter", headers={"HX-Request": "true"}).get_data(
        as_text=True
    )
    assert (
        "to ask Acme Health to reverse its denial and approve adalimumab 40 mg every 2 weeks "
        "(72148), 2 pens per 28 days, for 12 months." in html
    )
    assert "MRI lumbar spine (72148)" not in html  # the ask, not the intake's description
    assert "Please also approve the loading dose" not in html  # used only with no service
    assert "Two conventional DMARDs were tried and failed." in html
    assert (
        "If Acme Health cannot approve the full request, I ask it to approve a 6-month trial "
        "with a CDAI re-check; failing that, biosimilar adalimumab."
    ) in html
    assert "I would accept" not in html
    assert "keep her job as a warehouse supervisor." in html
    assert "Without it, joint damage progresses." in html

    # With no service to approve, the clinician's own ask stands in for the request.
    form.update(version=version_in(response), requested_service="")
    signed_in.post(f"/cases/{case_id}/framing", form, hx=True)
    html = signed_in.get(f"/cases/{case_id}/letter", headers={"HX-Request": "true"}).get_data(
        as_text=True
    )
    assert "I am writing on behalf of my patient, Nora North." in html
    assert "Please also approve the loading dose." in html
    assert "reverse its denial and approve" not in html


def test_a_rewritten_paragraph_is_kept_marked_and_can_be_undone(signed_in, case_id):
    url = f"/cases/{case_id}/letter/paragraphs/closing"
    form = signed_in.get(url, headers={"HX-Request": "true"})
    assert "I am available for a peer-to-peer review" in form.get_data(as_text=True)
    mine = "Please call me on my cell to arrange a peer-to-peer review this week."
    html = signed_in.post(url, {"text": mine, "version": version_in(form)}, hx=True).get_data(
        as_text=True
    )
    assert mine in html and "Your wording" in html
    assert "I am available for a peer-to-peer review" not in html
    form = signed_in.get(url, headers={"HX-Request": "true"})
    html = signed_in.post(
        url, {"text": mine, "action": "reset", "version": version_in(form)}, hx=True
    ).get_data(as_text=True)
    assert "I am available for a peer-to-peer review" in html and "Your wording" not in html


def test_a_criterion_of_another_case_is_not_reachable(signed_in, app, world, case_id):
    with app.app_context():
        south = db.session.get(Case, world["south"])
        other = Criterion(case=south, text="south criterion")
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    response = signed_in.post(f"/cases/{case_id}/criteria/{other_id}", {"status": "met"}, hx=True)
    assert response.status_code == 404


def test_patient_summary_page_shows_plain_words_and_the_reading_level(signed_in, case_id):
    page = signed_in.get(f"/cases/{case_id}/patient-summary").get_data(as_text=True)
    assert "Dear Nora," in page
    assert "has said it will not pay for MRI lumbar spine." in page
    assert "You have already tried 1 other treatment (Methotrexate)." in page
    assert "Your latest CDAI score was 31. That is in the high activity range." in page
    assert "Grade " in page and "Flesch" in page


def test_charts_are_served_from_the_same_origin_when_the_case_has_the_data(signed_in, case_id):
    timeline = signed_in.get(f"/cases/{case_id}/charts/timeline.png")
    trend = signed_in.get(f"/cases/{case_id}/charts/cdai.png")
    assert timeline.mimetype == trend.mimetype == "image/png"
    assert timeline.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert signed_in.get(f"/cases/{case_id}/charts/phq9.png").status_code == 404
    page = signed_in.get(f"/cases/{case_id}").get_data(as_text=True)
    assert f'src="/cases/{case_id}/charts/timeline.png"' in page
    assert "Methotrexate, 25 mg weekly, Jan 2024 – Sep 2024" in page.split('alt="', 1)[1]


def test_talking_points_page_has_the_opening_quote_objections_and_questions(
    signed_in, app, case_id
):
    from app.models import CaseCitation, Citation

    with app.app_context():
        fraenkel = db.session.scalar(select(Citation.id).where(Citation.key.like("fraenkel%")))
        claim = "The ACR guideline conditionally recommends adding a biologic after methotrexate"
        db.session.add(
            CaseCitation(case_id=case_id, citation_id=fraenkel, claim=claim, kind="guideline")
        )
        db.session.commit()
    page = signed_in.get(f"/cases/{case_id}/points").get_data(as_text=True)
    assert "Nora North, 56." in page or "Nora North, 5" in page
    assert "I am asking you to approve MRI lumbar spine (72148)." in page
    assert "We asked for" not in page
    assert "<blockquote>Not medically necessary.</blockquote>" in page
    assert "Which criteria set and version are you applying?" in page
    assert "What documentation would change the decision?" in page
    assert page.count("<dt>“") >= 2  # objections for the category, with rebuttals
    assert "Conservative treatment should be tried first." in page  # backed by the guideline
    assert "Imaging is not indicated" not in page  # needs a dated finding the case lacks
    assert "[patient]" not in page and "{" not in page.split("<main", 1)[1]  # placeholders filled


def test_trust_warnings_flag_promises_and_uncited_claims_in_own_wording(app, case_id):
    from app.brief import letter_of
    from app.domain.trust import warnings

    with app.app_context():
        case = db.session.get(Case, case_id)
        case.framing = "This biologic is guaranteed to work. Studies show it reduces erosions."
        found = warnings(case, letter_of(case))
    codes = [w.code for w in found]
    assert any(c.startswith("absolute-consequences") for c in codes)
    assert any(c.startswith("uncited-consequences") for c in codes)
    # A not-medically-necessary letter with no criterion to argue says what to add, and where.
    assert {"no-signer", "argument-criteria"} <= set(codes)
    assert "nmn-no-criterion" not in codes
    criteria = next(w for w in found if w.code == "argument-criteria")
    assert criteria.where == "criteria" and "paste the payer's criteria" in criteria.message
    uncited = next(w for w in found if w.code.startswith("uncited-consequences"))
    assert uncited.where == "letter#para-consequences"
    assert "under “Consequences of denial”" in uncited.message


def test_points_export_is_kept_and_downloads_again_byte_for_byte(signed_in, app, case_id):
    import io

    from docx import Document

    from app.models import AuditEvent, Export

    page = signed_in.get(f"/cases/{case_id}/export/points").get_data(as_text=True)
    assert "Nothing exported yet." in page
    first = signed_in.post(f"/cases/{case_id}/export/points")
    assert first.status_code == 200 and first.mimetype.endswith("wordprocessingml.document")
    assert "attachment" in first.headers["Content-Disposition"]
    assert "Nora" not in first.headers["Content-Disposition"]  # no names in file names
    text = "\n".join(p.text for p in Document(io.BytesIO(first.data)).paragraphs)
    assert "P2P · Nora North" in text
    with app.app_context():
        export = db.session.scalar(select(Export))
        assert export.kind == "points" and export.content == first.data
        export_id = export.id
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export"))
    again = signed_in.get(f"/cases/{case_id}/exports/{export_id}")
    assert again.data == first.data
    assert "Download" in signed_in.get(f"/cases/{case_id}/export/points").get_data(as_text=True)


def test_letter_export_on_the_team_letterhead_with_warnings_acknowledged(app, world, case_id):
    import io

    from docx import Document

    from app.models import Export
    from tests.render.fixtures.letters import letterhead_docx
    from tests.support import Client

    admin = Client(app)
    admin.login("admin@north.test")
    saved = admin.post(
        "/teams/north/letterhead",
        {"file": (io.BytesIO(letterhead_docx()), "north.docx")},
        content_type="multipart/form-data",
    )
    assert saved.status_code == 302
    refused = admin.post(
        "/teams/north/letterhead",
        {"file": (io.BytesIO(b"not a docx"), "x.docx")},
        content_type="multipart/form-data",
    )
    assert "Letterhead not saved" in admin.get(refused.location).get_data(as_text=True)

    page = admin.get(f"/cases/{case_id}/export/letter").get_data(as_text=True)
    assert "No signing clinician" in page and 'name="ack"' in page
    blocked = admin.post(f"/cases/{case_id}/export/letter", {"ack": []})
    assert blocked.status_code == 422 and "left" in blocked.get_data(as_text=True)
    codes = [
        line.split('value="')[1].split('"')[0] for line in page.splitlines() if 'name="ack"' in line
    ]
    sent = admin.post(f"/cases/{case_id}/export/letter", {"ack": codes})
    assert sent.status_code == 200
    doc = Document(io.BytesIO(sent.data))
    header = " ".join(p.text for p in doc.sections[0].first_page_header.paragraphs)
    assert "North Rheumatology" in header  # page 1 keeps the letterhead's header
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "Nora North" in body and "Dear Medical Director:" in body
    with app.app_context():
        export = db.session.scalar(select(Export).where(Export.kind == "letter"))
        assert any("No signing clinician" in w for w in export.acknowledged)


def test_a_letterhead_with_outside_links_is_saved_without_them_and_says_what_went(
    app, world, case_id
):
    import io
    import zipfile

    from app.models import Team
    from tests.render.test_letterhead import hostile_letterhead
    from tests.support import Client

    admin = Client(app)
    admin.login("admin@north.test")
    saved = admin.post(
        "/teams/north/letterhead",
        {"file": (io.BytesIO(hostile_letterhead()), "north.docx")},
        content_type="multipart/form-data",
    )
    page = admin.get(saved.location).get_data(as_text=True)
    assert "Letterhead north.docx saved" in page
    assert "Removed from the letterhead, so that no letter carries them:" in page
    assert "a template attached from outside the file (https://tracker.example.net/" in page
    assert "comments" in page and "custom document properties" in page
    with app.app_context():
        kept = db.session.scalar(select(Team.letterhead).where(Team.slug == "north"))
    with zipfile.ZipFile(io.BytesIO(kept)) as package:
        assert not any(b"tracker.example.net" in package.read(n) for n in package.namelist())


def test_a_score_trend_appears_once_there_are_two_scores(signed_in, app, case_id):
    assert f"/cases/{case_id}/charts/cdai.png" not in signed_in.get(f"/cases/{case_id}").get_data(
        as_text=True
    )
    signed_in.post(
        f"/cases/{case_id}/facts",
        {"kind": "pro", "instrument": "cdai", "score": "24", "fact_date": "2026-06-01"},
        hx=True,
    )
    page = signed_in.get(f"/cases/{case_id}").get_data(as_text=True)
    assert f'src="/cases/{case_id}/charts/cdai.png"' in page
