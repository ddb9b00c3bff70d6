"""The letters after the call as Word documents: read back as a payer's clerk would."""

import io

import pytest
from docx import Document

from app.domain.followup import (
    APPEAL,
    CONFIRMATION,
    EXTERNAL,
    RECONSIDERATION,
    appeal,
    confirmation,
    external_review,
)
from app.render.letter import render_letter
from tests.domain.followup_cases import SIGNER, TODAY, call, case
from tests.render.fixtures.letters import letterhead_docx
from tests.render.office import pdf_pages


def read(data: bytes):
    return Document(io.BytesIO(data))


def re_rows(doc) -> dict[str, str]:
    return {row.cells[1].text: row.cells[2].text for row in doc.tables[0].rows}


def headings(doc) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]


@pytest.fixture(scope="module")
def docs():
    letters = {
        "confirmation": confirmation(case(), call(), TODAY, [SIGNER]),
        "appeal": appeal(case(), call(), TODAY, {}, [SIGNER]),
        "reconsideration": appeal(case(plan_type="medicare_advantage"), call(), TODAY, {}, []),
        "external": external_review(case(), [call()], TODAY, {}, [SIGNER]),
    }
    return {kind: render_letter(letter) for kind, letter in letters.items()}


@pytest.mark.parametrize(
    ("kind", "title"),
    [
        ("confirmation", CONFIRMATION),
        ("appeal", APPEAL),
        ("reconsideration", RECONSIDERATION),
        ("external", EXTERNAL),
    ],
)
def test_each_letter_carries_its_own_title(docs, kind, title):
    assert read(docs[kind]).core_properties.title == title


@pytest.mark.parametrize("kind", ["confirmation", "appeal"])
def test_re_block_carries_the_calls_reference_after_the_denial(docs, kind):
    rows = re_rows(read(docs[kind]))
    assert rows["Peer-to-peer review:"] == "8 Oct 2026, reference P2P-26-55190"
    assert rows["Reference number:"] == "R9"  # the denial's own reference stays
    labels = list(rows)
    assert labels.index("Peer-to-peer review:") == labels.index("Denial reason:") + 1


def test_confirmation_is_a_plain_letter_without_headings(docs):
    doc = read(docs["confirmation"])
    assert headings(doc) == []
    texts = [p.text for p in doc.paragraphs]
    assert texts[1].splitlines()[-1] == "Attention: Alan Reyes, MD"
    assert "Dear Medical Director:" in texts
    body = "\n".join(texts)
    assert "This letter confirms my peer-to-peer conversation" in body
    assert "Avery Stone, MD" in body and "NPI: 1234567893" in body


def test_confirmation_fits_on_one_page_of_the_letterhead(tmp_path):
    letter = confirmation(case(), call(), TODAY, [SIGNER])
    assert pdf_pages(render_letter(letter, letterhead_docx()), tmp_path) == 1


def test_appeal_has_the_peer_to_peer_section_between_the_request_and_the_history(docs):
    doc = read(docs["appeal"])
    assert headings(doc)[:4] == [
        "Request",
        "The peer-to-peer review",
        "History and diagnosis",
        "The step-therapy requirement",
    ]
    texts = [p.text for p in doc.paragraphs]
    after = texts[texts.index("The peer-to-peer review") + 1]
    assert after.startswith(
        "The reviewer gave this reason for the decision: “Only one conventional DMARD is on the "
        "claims record.” The reviewer stated that the decision was based on Pharmacy policy"
    )
    assert "References" in texts and "Enclosures" not in texts  # the case has no documents
    table = doc.tables[1]
    assert table.rows[1].cells[0].text == "Methotrexate"  # the brief's treatments table stays
    # A step-therapy letter sets the table out with the trials it walks through.
    body = list(doc.element.body.iterchildren())
    trials = next(p for p in doc.paragraphs if "tried methotrexate" in p.text)
    assert (
        body.index(trials._p)
        < body.index(table._tbl)
        < body.index(next(p for p in doc.paragraphs if p.text == "References")._p)
    )


def test_external_review_is_addressed_to_the_independent_reviewer(docs):
    doc = read(docs["external"])
    texts = [p.text for p in doc.paragraphs]
    assert texts[1].splitlines() == ["Independent Review Organization", "External Review"]
    assert "Dear Reviewer:" in texts and "Dear Medical Director:" not in texts
    assert headings(doc)[:2] == ["Request", "The decisions so far"]
    assert re_rows(doc)["Final internal decision:"] == "12 Nov 2026, internal appeal upheld"
