"""A case travels whole as JSON (version 2): brief, calls, documents, signer and the BibTeX of
what it cites. An import that finds a problem names its path and creates nothing; version 1
files are still read."""

import copy
import json

import pytest
from sqlalchemy import func, select

from app import demo
from app.extensions import db
from app.models import Case, Citation, Membership, ParagraphEdit, Rebuttal, Team, User
from app.transfer import export_case, import_case

pytestmark = pytest.mark.persistence


def run(app, *args):
    return app.test_cli_runner().invoke(args=[str(a) for a in args])


def counts() -> dict[str, int]:
    """Rows in every table: what a refused import must leave as it was."""
    return {
        t.name: db.session.scalar(select(func.count()).select_from(t))
        for t in db.metadata.sorted_tables
    }


def other_team(with_signers: bool) -> Team:
    team = Team(slug="other", name="Other clinic")
    db.session.add(team)
    if with_signers:
        for email, *_ in demo.CLINICIANS:
            user = db.session.scalar(select(User).where(User.email == email))
            db.session.add(Membership(user=user, team=team, role="clinician"))
    db.session.commit()
    return team


def test_a_full_case_round_trips_into_another_team(app):
    with app.app_context():
        _, cases = demo.load()
        case = cases[0]
        db.session.add(ParagraphEdit(case_id=case.id, key="closing", text="My own closing."))
        db.session.commit()
        data = export_case(case)
        assert data["version"] == 2 and data["signer"]["email"] == demo.EMAIL
        assert data["criteria"] and data["claims"] and data["calls"][0]["attempts"]
        assert data["documents"][1]["answers_call"] == 0
        assert data["calls"][0]["rebuttals"] and data["rewrites"][0]["key"] == "closing"
        assert {c["key"] for c in data["citations"]} == {"fraenkel2021acr"}

        team = other_team(with_signers=True)
        imported = import_case(copy.deepcopy(data), team.id)
        db.session.commit()
        assert imported.added_citations == ["fraenkel2021acr"] and imported.notes == []
        again = export_case(db.session.get(Case, imported.case.id))
        assert again == data
        copy_ = imported.case
        assert copy_.team_id == team.id and copy_.clinician.email == demo.EMAIL
        assert copy_.calls[0].reviewer_commitment.startswith("re-review the request")
        assert copy_.documents[1].answers_call_id == copy_.calls[0].id
        assert copy_.citations[0].citation.team_id == team.id
        linked = [
            r for r in db.session.scalars(select(Rebuttal).where(Rebuttal.team_id == team.id))
        ]
        assert copy_.calls[0].rebuttals[0] in linked  # the other team's own bank row


def test_a_signer_who_is_not_a_member_is_left_unset_with_a_note(app):
    with app.app_context():
        _, cases = demo.load()
        data = export_case(cases[0])
        team = other_team(with_signers=False)
        imported = import_case(data, team.id)
        db.session.commit()
        assert imported.case.clinician is None
        assert any(n.startswith("signer: no member of this team") for n in imported.notes)
        assert any(n.startswith("calls[0].logged_by:") for n in imported.notes)
        # The team's library had none of the cited entries: the file's BibTeX added them.
        keys = db.session.scalars(select(Citation.key).where(Citation.team_id == team.id)).all()
        assert keys == ["fraenkel2021acr"]


@pytest.mark.parametrize("name", demo.fixture_names())
def test_every_fixture_imports_and_exports_unchanged(app, name):
    data = demo.fixture(name)
    with app.app_context():
        demo.load()
        team = other_team(with_signers=True)
        imported = import_case(copy.deepcopy(data), team.id)
        db.session.commit()
        assert imported.notes == []
        assert export_case(db.session.get(Case, imported.case.id)) == data


def test_version_1_files_are_still_read(app):
    v1 = {
        "format": "peerbrief-case",
        "version": 1,
        "case": {
            "patient_name": "Vera Old (synthetic)",
            "patient_dob": "1961-02-03",
            "payer": "Acme Health",
            "plan_type": "commercial",
            "service_description": "MRI lumbar spine without contrast",
            "procedure_codes": "72148",
            "denial_category": "not_medically_necessary",
            "denial_reason": "Not medically necessary.",
            "urgency": "standard",
            "status": "draft",
        },
        "documents": [
            {
                "kind": "Progress note",
                "title": "Clinic note",
                "document_date": "2026-10-01",
                "text": "Pain 8/10 today.",
            }
        ],
        "facts": [
            {
                "kind": "pro",
                "in_letter": True,
                "instrument": "pain_nrs",
                "score": 8,
                "fact_date": "2026-10-01",
                "source": {"document": 0, "start": 0, "end": 9},
            }
        ],
    }
    with app.app_context():
        team = other_team(with_signers=False)
        case = import_case(v1, team.id).case
        db.session.commit()
        assert case.patient_name == "Vera Old (synthetic)" and case.facts[0].score == 8
        assert case.facts[0].source_passage == "Pain 8/10"
        again = export_case(case)
        assert again["version"] == 2 and again["criteria"] == [] and again["signer"] is None


def _set(path, value):
    """A change to a valid file: the value at `path` (keys and indexes) replaced."""

    def change(data):
        *head, last = path
        node = data
        for part in head:
            node = node[part]
        node[last] = value

    return change


def _drop(name):
    return lambda data: data.pop(name)


MALFORMED = [
    (_set(("criteria", 2, "facts"), [7, 70]), "criteria[2].facts[1]: no fact 70 in this file."),
    (_set(("criteria", 0, "facts"), [0, 0]), "criteria[0].facts[1]: fact 0 is listed twice."),
    (_set(("criteria", 1, "status"), "great"), "criteria[1].status: 'great' is not one of"),
    (_set(("criteria",), {"text": "x"}), "criteria: expected a list"),
    (_set(("claims", 0, "kind"), "anecdote"), "claims[0].kind: 'anecdote' is not one of"),
    (_set(("claims", 0, "criterion"), 9), "claims[0].criterion: no criterion 9 in this file."),
    (_set(("claims", 0, "claim"), "  "), "claims[0].claim: must not be empty."),
    (_drop("citations"), "claims[0].citation: no citation 'fraenkel2021acr' in this team's"),
    (_set(("citations", 0, "bibtex"), "@article{other,"), "citations[0].bibtex: not a BibTeX"),
    (_set(("documents", 1, "answers_call"), 5), "documents[1].answers_call: no call 5 in this"),
    (_set(("documents", 0, "document_date"), "12/09/2026"), "documents[0].document_date:"),
    (_set(("facts", 4, "outcome"), "cured"), "facts[4].outcome: Choose one of the listed"),
    (_set(("facts", 7, "score"), 99), "facts[7].score:"),
    (_set(("facts", 2, "source", "end"), 10_000), "facts[2].source: not a passage of document 0"),
    (_set(("facts", 2, "source", "document"), 4), "facts[2].source.document: no document 4"),
    (_set(("calls", 0, "held_at"), "yesterday"), "calls[0].held_at: 'yesterday' is not a time"),
    (_set(("calls", 0, "outcome"), "won"), "calls[0].outcome: 'won' is not one of"),
    (_set(("calls", 0, "same_specialty"), "no"), "calls[0].same_specialty: expected true or"),
    (_set(("calls", 0, "attempts", 0, "result"), "maybe"), "calls[0].attempts[0].result:"),
    (_set(("calls", 0, "rebuttals", 0, "category"), "x"), "calls[0].rebuttals[0].category:"),
    (_set(("rewrites",), [{"key": "a", "text": "b"}] * 2), "rewrites[1].key: paragraph 'a'"),
    (_set(("signer",), "Avery Demo"), "signer: expected an object"),
    (_set(("case", "patient_sex"), "f"), "case.patient_sex: Choose one of the listed options"),
    (_set(("case", "requested_service"), "x" * 301), "case.requested_service: at most 300"),
    (_set(("case", "appeal_filed"), "soon"), "case.appeal_filed: 'soon' is not a date"),
    (_set(("case", "procedure_codes"), "12"), "case.procedure_codes:"),
    (_set(("version",), 3), "Unsupported export version 3"),
]


@pytest.mark.parametrize(("change", "message"), MALFORMED)
def test_a_malformed_file_names_its_first_problem_and_creates_nothing(
    app, tmp_path, change, message
):
    data = demo.fixture("ra-adalimumab-step-therapy")
    data["rewrites"] = [{"key": "closing", "text": "My own closing."}]
    change(data)
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with app.app_context():
        demo.load()
        other_team(with_signers=True)
        before = counts()
    result = run(app, "case", "import", path, "--team", "other")
    assert result.exit_code != 0
    assert f"Error: {message}" in result.output, result.output
    with app.app_context():
        assert counts() == before


def test_the_valid_base_of_the_malformed_table_imports(app, tmp_path):
    # The table above changes one thing each in this file: as it stands, it is accepted.
    data = demo.fixture("ra-adalimumab-step-therapy")
    data["rewrites"] = [{"key": "closing", "text": "My own closing."}]
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with app.app_context():
        demo.load()
        other_team(with_signers=True)
    result = run(app, "case", "import", path, "--team", "other")
    assert result.exit_code == 0, result.output
    assert "Added to the team's library: fraenkel2021acr." in result.stderr
