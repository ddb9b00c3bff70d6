"""Every letter kind is previewed in the browser and rewritable paragraph by paragraph, and
the preview and the exported .docx say the same words."""

import html
import io
import re

import pytest
from docx import Document
from sqlalchemy import select

from app import demo
from app.extensions import db
from app.models import Case, PeerCall
from tests.support import Client

pytestmark = pytest.mark.persistence

SENTENCE = re.compile(r'<span class="sentence">(.*?)<span class="src">', re.S)


@pytest.fixture
def demo_client(app):
    with app.app_context():
        demo.load()
    client = Client(app)
    client.login(demo.EMAIL, demo.PASSWORD)
    return client


def _called_case(app) -> int:
    with app.app_context():
        return db.session.scalar(select(PeerCall.case_id).where(PeerCall.outcome != "").limit(1))


def preview_sentences(client, case_id: int, kind: str) -> list[str]:
    url = f"/cases/{case_id}/letter" + ("" if kind == "letter" else f"?kind={kind}")
    page = client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    out = []
    for raw in SENTENCE.findall(page):
        text = re.sub(r"<sup>.*?</sup>", "", raw)
        out.append(html.unescape(re.sub(r"<[^>]+>", "", text)).strip())
    return out


def docx_text(client, case_id: int, kind: str) -> str:
    page = client.get(f"/cases/{case_id}/export/{kind}").get_data(as_text=True)
    acks = [v.split('"')[0] for v in page.split('name="ack" value="')[1:]]
    response = client.post(f"/cases/{case_id}/export/{kind}", {"ack": acks})
    assert response.status_code == 200, (kind, response.status_code)
    paragraphs = [p.text for p in Document(io.BytesIO(response.data)).paragraphs]
    return "\n".join(paragraphs)


@pytest.mark.parametrize("kind", ["letter", "appeal", "external", "confirmation"])
def test_preview_and_docx_say_the_same_sentences(app, demo_client, kind):
    case_id = _called_case(app)
    said = preview_sentences(demo_client, case_id, kind)
    assert said, f"the {kind} preview shows no sentence"
    written = docx_text(demo_client, case_id, kind)
    missing = [s for s in said if s not in written]
    assert missing == []


def test_a_paragraph_of_the_appeal_is_rewritten_from_its_preview_and_carried_into_the_letter(
    app, demo_client
):
    case_id = _called_case(app)
    page = demo_client.get(
        f"/cases/{case_id}/letter?kind=appeal", headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert "/letter/paragraphs/history?kind=appeal" in page
    form = demo_client.get(
        f"/cases/{case_id}/letter/paragraphs/history?kind=appeal", headers={"HX-Request": "true"}
    )
    assert form.status_code == 200
    saved = demo_client.post(
        f"/cases/{case_id}/letter/paragraphs/history?kind=appeal",
        {"text": "My own history paragraph.", "version": "0"},
        hx=True,
    )
    assert saved.status_code == 200
    assert "My own history paragraph." in saved.get_data(as_text=True)
    assert "Your wording" in saved.get_data(as_text=True)
    # The same paragraph recurs in the letter of medical necessity: it carries the rewrite.
    assert "My own history paragraph." in preview_sentences(demo_client, case_id, "letter")
    with app.app_context():
        assert db.session.get(Case, case_id).edits[0].key == "history"


def test_the_full_preview_page_of_a_later_letter_opens_without_htmx(app, demo_client):
    case_id = _called_case(app)
    page = demo_client.get(f"/cases/{case_id}/letter?kind=external")
    assert page.status_code == 200
    assert "Request for external review" in page.get_data(as_text=True)
    assert demo_client.get(f"/cases/{case_id}/letter?kind=nonsense").status_code == 404
