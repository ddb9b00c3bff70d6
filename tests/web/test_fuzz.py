"""Whatever a form or an upload sends, Peerbrief answers without a server error.

Every POST route of the URL map (and every GET route that reads a query string) is posted
random forms: the route's own field names (read from its view and template) and unknown ones,
holding valid choices, planted ids, dates in odd formats, numbers as text, NUL and control
characters, very long text and repeated fields, with and without htmx's headers. The answer
is never a 5xx nor a traceback, and the case and the pages that read what was saved still
open. Then the caps and type checks of each upload and large-text field, one by one, and a
regression test for each server error the fuzzing found.
"""

import contextlib
import io
import itertools
import time
from functools import partial

import pytest
import responses
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app import brief, calls, deadlines, documents
from app.brief import preload
from app.domain import calls as call_domain
from app.domain import deadlines as deadline_domain
from app.domain import facts as fact_domain
from app.domain import intake, outcomes
from app.domain.brief import CRITERION_STATUSES
from app.domain.vocabulary import (
    CRITERIA_SETS,
    DENIAL_CATEGORIES,
    PLAN_TYPES,
    STATUSES,
    URGENCIES,
    values,
)
from app.extensions import db
from app.library import store
from app.library import views as library_views
from app.models import (
    ROLES,
    Case,
    CaseCitation,
    Conference,
    ConferenceCase,
    Criterion,
    DeadlineRule,
    Export,
    Fact,
    ImportJob,
    Membership,
    PeerCall,
    Rebuttal,
    SourceDocument,
    Task,
    Team,
    User,
)
from citations import MetadataClient, parse_bibtex
from tests.support import PASSWORD, Client, add_case, add_member, app_on

pytestmark = pytest.mark.persistence

# --- what each route reads -----------------------------------------------------------------

# The fields each POST route reads, from its view (and the form its template renders).
FACT_FIELDS = ("kind", *fact_domain.FACT_COLUMNS, "source_id", "source_start", "source_end")
FORMS = {
    "auth.login": ("email", "password"),
    "auth.logout": (),
    "auth.password": ("current", "password", "confirm"),
    "brief.add_criteria": ("set_id", "text", "save_set"),
    "brief.delete_criterion": (),
    "brief.framing": (*brief.FRAMING, "version"),
    "brief.link_citation": ("citation_id", "pinpoint"),
    "brief.link_fact": ("fact_id",),
    "brief.rewrite": ("text", "action", "version"),
    "brief.unlink_citation": (),
    "brief.update_criterion": ("text", "status", "note", "version"),
    "calendar.make_token": (),
    "calendar.revoke_token": (),
    "calls.arrange": tuple(calls.ARRANGE),
    "calls.attempt": ("at", "result", "note"),
    "calls.log": (*calls.SHEET, "outcome", "rebuttal"),
    "calls.path": (*calls.PATH, "appeal_outcome", "external_outcome"),
    "calls.rearrange": tuple(calls.ARRANGE),
    "cases.add_document": ("kind", "title", "document_date", "text"),
    "cases.create": (*intake.FIELDS, "token", "clinician_id"),
    "cases.delete_document": (),
    "cases.set_status": ("status",),
    "cases.update": (*intake.FIELDS, "clinician_id", "version"),
    "conferences.add_case": ("case_id", "question"),
    "conferences.create": ("title", "held_on"),
    "conferences.delete": (),
    "conferences.move": ("direction",),
    "conferences.remove_case": (),
    "conferences.set_question": ("question",),
    "deadlines.remove": (),
    "deadlines.save": (*deadlines.FIELDS, "note"),
    "deadlines.specialty_note": ("specialty_note",),
    "discussion.add_task": ("title", "assignee_id", "due"),
    "discussion.comment": ("body",),
    "discussion.finish_task": ("undo", "from"),
    "discussion.sign": ("version",),
    "discussion.unsign": (),
    "documents.export": ("ack", "deidentify"),
    "evidence.link": ("citation_id", "claim", "pinpoint"),
    "evidence.unlink": (),
    "facts.create": FACT_FIELDS,
    "facts.delete": (),
    "facts.form": FACT_FIELDS,
    "facts.move": ("direction",),
    "facts.toggle_letter": ("in_letter",),
    "facts.update": (*fact_domain.FACT_COLUMNS, "version"),
    "library.apply": (),
    "library.evidence": (
        *("issuer", "recommendation", "system", "grade", "page", "section", "number", "tags"),
    ),
    "library.lookup": ("ids",),
    "library.upload": ("file",),
    "rebuttals.add": ("category", "objection", "rebuttal"),
    "rebuttals.update": ("action", "key", "objection", "rebuttal"),
    "teams.add_member": ("email", "role", "name", "password", "credentials"),
    "teams.change_member": ("action", "role"),
    "teams.letterhead": ("file", "action"),
    "teams.member_access": ("action",),
    "teams.switch": (),
}
# GET routes that read a query string, and what they read.
QUERIES = {
    "auth.login": ("next",),
    "brief.pick_citation": ("q",),
    "calls.specialty": ("reviewer_specialty",),
    "cases.index": ("status", "q"),
    "conferences.packet": ("deidentify",),
    "deadlines.index": ("key",),
    "discussion.activity": ("after", "seen"),
    "documents.export": ("call",),
    "evidence.pick": ("q",),
    "facts.form": ("kind", "source_id", "source_start", "source_end"),
    "library.export": ("key",),
    "library.index": ("q", "tag", "grade"),
    "rebuttals.index": ("category",),
}
FILES = {"library.upload", "teams.letterhead"}
# Routes that build a .docx on every request: fewer examples keep the file fast.
SLOW = {"documents.export", "conferences.packet", "library.upload", "teams.letterhead"}
EXAMPLES, SLOW_EXAMPLES = 10, 5

# --- the values a field may hold -------------------------------------------------------------

CHOICES = sorted(
    set().union(
        *(
            values(v)
            for v in (PLAN_TYPES, STATUSES, URGENCIES, CRITERIA_SETS, DENIAL_CATEGORIES)
            + (call_domain.OUTCOMES, call_domain.DECISIONS, call_domain.ATTEMPT_RESULTS)
            + (fact_domain.TREATMENT_OUTCOMES, fact_domain.FINDING_TYPES)
        ),
        (k.value for k in fact_domain.FACT_KINDS),
        (i.code for i in outcomes.INSTRUMENTS),
        CRITERION_STATUSES,
        documents.KINDS,
        deadline_domain.UNITS,
        deadline_domain.EVENTS,
        ROLES,
        documents.KINDS,
        ("*", "any", "Consult", "Other", "up", "down", "on", "1", "0", "true"),
        ("remove", "save", "cite", "uncite-1", "reset", "mine", "GRADE", "USPSTF"),
    )
)
ODD = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x01\x02\x1b[31m\x7f",
    "\r\n\t\x0b\x0c",
    "\u2028\u2029\ufeff\u200b",
    "\u202eevil",
    "Zoë Ñúñez-O'Brien 😀 名前",
    "e\u0301\u0301\u0301",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%",
    "_",
    "\\",
    "{{ 7 * 7 }}",
    "{% raw %}",
    "../../etc/passwd",
    "-1",
    "0",
    "-0",
    "00012",
    "1e400",
    "nan",
    "inf",
    "-inf",
    "3.5",
    "1_000",
    "٣٤",
    "99999999999999999999999999",
    str(2**63),
    str(2**31),
    "-2147483649",
    "2026-11-24",
    "2026-11-24T14:30",
    "2026-11-24T14:30:00+05:00",
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "9999-12-31T23:59",
    "10000-01-01",
    "2026-W01",
    "20261124",
    "24/11/2026",
    "11/24/2026",
    "Nov 24, 2026",
    "2026",
    "2026-11",
    "2026-1",
    "  2026-11-24  ",
    "2026-11-24T25:61",
    "10.1000/xyz123",
    "PMID: 12345678",
    "north",
    "@article{x, title={y}}",
]
LONG = st.builds(
    str.__mul__,
    st.sampled_from(["x", "é", "😀", "<b>", "\u202e", "9", "a\n"]),
    st.sampled_from([41, 61, 81, 101, 121, 201, 301, 2001, 5001, 10_001, 300_001]),
)
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
HEADER_TEXT = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=30)
UNKNOWN = st.sampled_from(["x", "id", "case_id", "csrf_token", "_method", "", "a[]", "text[0]"])


def scalar(ids: dict) -> st.SearchStrategy[str]:
    planted = [str(v) for k, v in ids.items() if k.endswith("_id")]
    return st.one_of(
        st.sampled_from(CHOICES),
        st.sampled_from(planted),
        st.sampled_from(ODD),
        TEXT,
        LONG,
        st.integers(-(2**70), 2**70).map(str),
    )


def field_value(ids: dict):
    one = scalar(ids)
    return st.one_of(one, one, one, st.lists(one, min_size=2, max_size=3))


def upload_body() -> st.SearchStrategy[bytes]:
    return st.one_of(
        st.binary(max_size=300),
        TEXT.map(lambda t: t.encode("utf-8")),
        st.sampled_from(
            [
                b"",
                b"@article{k, title={T}, year={2020}}",
                b"\xff\xfe@\x00a\x00",
                b"PK\x03\x04" + b"\x00" * 30,
                b"MZ\x90\x00" + b"\x00" * 60,
                b"%PDF-1.7\n",
                b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
            ]
        ),
        st.just(None).map(lambda _: docx_bytes()),
    )


FILENAMES = st.one_of(
    st.sampled_from(["x.bib", "letterhead.docx", "a.docm", "evil.exe", "noext", "ü 名.docx"]),
    HEADER_TEXT,
    LONG,
)
HTMX_HEADERS = st.fixed_dictionaries(
    {},
    optional={
        "HX-Request": st.sampled_from(["true", "false", "TRUE", "", "1"]),
        "HX-Target": HEADER_TEXT,
        "HX-Trigger": HEADER_TEXT,
        "HX-Boosted": st.sampled_from(["true", "false"]),
        "HX-Current-URL": HEADER_TEXT,
    },
)


# --- the world the fuzzing works on ------------------------------------------------------------

SERIAL = itertools.count()


def docx_bytes() -> bytes:
    import docx

    out = io.BytesIO()
    docx.Document().save(out)
    return out.getvalue()


def plant(case: Case) -> dict:
    """Fresh records of every kind a route reaches, on `case`; their ids by argument name."""
    n = next(SERIAL)
    doc = SourceDocument(
        case=case, kind="Consult", title="Note", text="Knee pain for a year.", document_date=None
    )
    doc.document_date = case.patient_dob
    fact = Fact(case=case, kind="history", text=f"History {n}", position=n)
    criterion = Criterion(case=case, text=f"Criterion {n}", position=n)
    db.session.add_all([doc, fact, criterion])
    entry = parse_bibtex(f"@article{{fuzz{n}, title={{Trial {n}}}, year={{2020}}}}").entries[0]
    citation = store.save(case.team_id, entry)
    link = CaseCitation(case=case, citation=citation, claim=f"Claim {n}")
    job = ImportJob(team_id=case.team_id, text="@misc{x, title={y}}", state="done", report={})
    export = Export(case=case, kind="letter", filename="x.docx", sha256="0" * 64, content=b"x")
    call = PeerCall(case=case, reviewer_name="Dr Who", reference_number="R-1")
    task = Task(case=case, title=f"Task {n}")
    conference = Conference(team_id=case.team_id, title=f"Meeting {n}", held_on=case.patient_dob)
    item = ConferenceCase(conference=conference, case=case, position=1, question="Appeal?")
    rebuttal = Rebuttal(
        team_id=case.team_id,
        category=case.denial_category,
        objection="Not proven",
        rebuttal="It is",
        position=n,
    )
    user = User(email=f"member{n}@north.test", name=f"Member {n}", password_hash="x")
    membership = Membership(user=user, team_id=case.team_id, role="coordinator")
    rule = DeadlineRule(
        team_id=case.team_id,
        key=f"fuzz.rule{n}",
        plan_type="*",
        step="Step",
        length=5,
        unit="calendar_days",
        starts="denial_received",
        source="Plan",
    )
    db.session.add_all([link, job, export, call, task, conference, item, rebuttal, membership])
    spare = Case(
        team_id=case.team_id,
        patient_name=f"Spare {n}",
        patient_dob=case.patient_dob,
        payer="Acme Health",
        plan_type="commercial",
        service_description="MRI",
        denial_category="not_medically_necessary",
    )
    db.session.add_all([rule, spare])
    db.session.commit()
    admin = db.session.scalar(select(User).where(User.email == "admin@north.test"))
    return {
        "n_": n,
        "admin_id": admin.id,
        "spare_case_id": spare.id,
        "case_id": case.id,
        "fact_id": fact.id,
        "document_id": doc.id,
        "citation_id": citation.id,
        "link_id": link.id,
        "job_id": job.id,
        "criterion_id": criterion.id,
        "export_id": export.id,
        "call_id": call.id,
        "conference_id": conference.id,
        "item_id": item.id,
        "task_id": task.id,
        "rebuttal_id": rebuttal.id,
        "membership_id": membership.id,
        "n": 1,
    }


def versions(case_id: int, ids: dict) -> dict:
    """The versions the planted records are at now: a form made from them saves."""
    with db.session.no_autoflush:
        case = db.session.get(Case, case_id)
        fact, criterion = (
            db.session.get(Fact, ids["fact_id"]),
            db.session.get(Criterion, ids["criterion_id"]),
        )
        edit = next((e for e in case.edits if e.key == "request"), None)
        return {
            "case": case.version,
            "framing": case.framing_version,
            "fact": fact.version if fact else 0,
            "criterion": criterion.version if criterion else 0,
            "request": edit.version if edit else 0,
        }


def baselines(ids: dict, v: dict) -> tuple[dict, dict]:
    """For each route, a form (and a query string) it would accept: the fuzzing changes some
    of its fields, so a value reaches the code behind the checks instead of stopping at the
    first one. A file field holds the file's text, or "docx" for a Word document."""
    n, unique = ids["n_"], next(SERIAL)
    intake_form = {
        "patient_name": "Ann Example",
        "patient_dob": "1970-05-01",
        "mrn": "M-1",
        "payer": "Acme Health",
        "plan_type": "commercial",
        "service_description": "MRI lumbar spine",
        "procedure_codes": "72148",
        "diagnosis_codes": "M54.5",
        "denial_category": "not_medically_necessary",
        "criteria_set": "interqual",
        "criteria_detail": "LCD L123",
        "urgency": "standard",
        "denial_received": "2026-11-01",
        "denial_reason": "Not medically necessary.",
        "clinician_id": str(ids["admin_id"]),
    }
    fact = {
        "kind": "prior_treatment",
        "text": "Stopped for nausea.",
        "fact_date": "2024-01",
        "severity": "high",
        "therapy": "Methotrexate",
        "dose": "15 mg weekly",
        "start_date": "2023-01",
        "stop_date": "2023-06",
        "outcome": "intolerant",
        "reason_stopped": "nausea",
        "instrument": "phq9",
        "score": "12",
        "finding_type": "exam",
    }
    sheet = {
        "held_at": "2026-11-24T14:30",
        "reviewer_name": "Dr Reviewer",
        "reviewer_credentials": "MD",
        "reviewer_specialty": "Rheumatology",
        "criteria_named": "InterQual",
        "criteria_version": "2025",
        "discussion": "Discussed the failed treatments.",
        "reference_number": "R-9",
        "would_change": "Imaging.",
        "next_step": "Appeal.",
        "outcome": "upheld",
        "rebuttal": str(ids["rebuttal_id"]),
    }
    arrangement = {
        "offered_on": "2026-11-20",
        "request_by": "2026-11-27",
        "scheduled_at": "2026-11-24T14:30",
        "windows": "Mon 9-11",
        "callback_number": "555-0100",
    }
    forms = {
        "auth.login": {"email": "admin@north.test", "password": "not the password"},
        "auth.password": {
            "current": PASSWORD,
            "password": "a new pass phrase 42",
            "confirm": "a new pass phrase 42",
        },
        "brief.add_criteria": {"text": "1. Tried two drugs\n2. Active disease", "save_set": "on"},
        "brief.framing": {
            "framing": "She can work again.",
            "risks": "Joint damage.",
            "ask": "Approve 12 months.",
            "fallback_asks": "Approve 6 months.",
            "version": str(v["framing"]),
        },
        "brief.link_citation": {"citation_id": str(ids["citation_id"]), "pinpoint": "p. 4"},
        "brief.link_fact": {"fact_id": str(ids["fact_id"])},
        "brief.rewrite": {"text": "Our own words.", "version": str(v["request"])},
        "brief.update_criterion": {
            "text": "Tried two drugs",
            "status": "met",
            "note": "See the notes.",
            "version": str(v["criterion"]),
        },
        "calls.arrange": arrangement,
        "calls.attempt": {"at": "2026-11-24T14:30", "result": "reviewer_missed", "note": "No call"},
        "calls.log": sheet,
        "calls.path": {
            "request_received": "2026-11-01",
            "appeal_filed": "2026-11-10",
            "appeal_decided": "2026-12-01",
            "external_review_requested": "2026-12-05",
            "external_decided": "2027-01-05",
            "appeal_outcome": "upheld",
            "external_outcome": "approved",
        },
        "calls.rearrange": arrangement,
        "cases.add_document": {
            "kind": "Consult",
            "title": "Rheumatology follow-up",
            "document_date": "2026-10-02",
            "text": "Knee pain for a year.",
        },
        "cases.create": {**intake_form, "token": f"fuzz-token-{unique}"},
        "cases.set_status": {"status": "p2p_done"},
        "cases.update": {**intake_form, "version": str(v["case"])},
        "conferences.add_case": {"case_id": str(ids["spare_case_id"]), "question": "Appeal?"},
        "conferences.create": {"title": "Case conference", "held_on": "2026-12-01"},
        "conferences.move": {"direction": "up"},
        "conferences.set_question": {"question": "External review?"},
        "deadlines.save": {
            "key": f"team.rule{unique}",
            "plan_type": "*",
            "step": "File the appeal",
            "length": "30",
            "unit": "calendar_days",
            "starts": "denial_received",
            "ends": "",
            "urgency": "any",
            "source": "Plan document, p. 12",
            "note": "",
        },
        "deadlines.specialty_note": {"specialty_note": "The plan promises a rheumatologist."},
        "discussion.add_task": {
            "title": "Get the PHQ-9",
            "assignee_id": str(ids["admin_id"]),
            "due": "2026-12-01",
        },
        "discussion.comment": {"body": "Looks ready, @Admin"},
        "discussion.finish_task": {"from": "mine"},
        "documents.export": {"ack": ["missing_citation", "no_signer"], "deidentify": "1"},
        "evidence.link": {
            "citation_id": str(ids["citation_id"]),
            "claim": "Two drugs first",
            "pinpoint": "p. 4",
        },
        "facts.create": fact,
        "facts.form": fact,
        "facts.move": {"direction": "up"},
        "facts.toggle_letter": {"in_letter": "on"},
        "facts.update": {**fact, "version": str(v["fact"])},
        "library.evidence": {
            "issuer": "ACR",
            "recommendation": "Use methotrexate first.",
            "system": "GRADE",
            "grade": "strong",
            "page": "4",
            "section": "2.1",
            "number": "3",
            "tags": "ra, methotrexate",
        },
        "library.lookup": {"ids": "10.1000/xyz123\nPMID: 12345678"},
        "library.upload": {"file": "@article{k, title={T}, year={2020}}"},
        "rebuttals.add": {
            "category": "not_medically_necessary",
            "objection": "Not proven",
            "rebuttal": "It is, see {guideline}.",
        },
        "rebuttals.update": {
            "action": "cite",
            "key": f"fuzz{n}",
            "objection": "Not proven",
            "rebuttal": "It is.",
        },
        "teams.add_member": {
            "email": f"new{unique}@north.test",
            "role": "coordinator",
            "name": "New Member",
            "password": "a long pass phrase 42",
            "credentials": "RN",
        },
        "teams.change_member": {"role": "clinician"},
        "teams.letterhead": {"file": "docx"},
        "teams.member_access": {"action": "deactivate"},
    }
    queries = {
        "auth.login": {"next": "/cases/"},
        "brief.pick_citation": {"q": "Trial"},
        "calls.specialty": {"reviewer_specialty": "Rheumatology"},
        "cases.index": {"status": "draft", "q": "Fuzz"},
        "conferences.packet": {"deidentify": "0"},
        "deadlines.index": {"key": f"fuzz.rule{n}"},
        "discussion.activity": {"after": "0", "seen": "0"},
        "documents.export": {"call": str(ids["call_id"])},
        "evidence.pick": {"q": "Trial"},
        "facts.form": {
            "kind": "history",
            "source_id": str(ids["document_id"]),
            "source_start": "0",
            "source_end": "4",
        },
        "library.export": {"key": f"fuzz{n}"},
        "library.index": {"q": "Trial", "tag": "ra", "grade": "GRADE"},
        "rebuttals.index": {"category": "not_medically_necessary"},
    }
    return forms, queries


# What a string argument of a URL may be: real values, and anything else.
def path_strings(name: str, ids: dict) -> list[str]:
    return {
        "slug": ["north"],
        "key": ["request", f"fuzz.rule{ids['n_']}", "erisa.appeal", "history"],
        "kind": [*documents.KINDS, "packet-deidentified"],
        "name": ["timeline", "phq9"],
    }[name]


def path_value(name: str, ids: dict):
    if not name.endswith("_id") and name != "n":
        real = st.sampled_from(path_strings(name, ids))
        return st.one_of(real, real, st.sampled_from(ODD[:20]), TEXT)
    return st.one_of(*[st.just(ids[name])] * 5, st.sampled_from([0, 2**31, 2**63, 10**30]))


def first_url(rule, ids: dict) -> str:
    args = {
        a: ids[a] if a.endswith("_id") or a == "n" else path_strings(a, ids)[0]
        for a in rule.arguments
    }
    return rule.build(args, append_unknown=False)[1]


def rules(app, method: str, table: dict):
    for rule in app.url_map.iter_rules():
        if method in rule.methods and rule.endpoint in table:
            yield rule


# --- the fuzzing ----------------------------------------------------------------------------

TALLY = {"routes": set(), "examples": 0}
# Routes that take away what they are given: they get fresh records for every example.
DESTROYS = {
    "brief.delete_criterion",
    "brief.unlink_citation",
    "cases.delete_document",
    "conferences.delete",
    "conferences.remove_case",
    "evidence.unlink",
    "facts.delete",
    "teams.change_member",
    "teams.member_access",
}
# What a case's own pages read: each still opens after a route of the case was fuzzed.
CASE_PAGES = ("/cases/{case_id}", "/cases/{case_id}/brief", "/cases/{case_id}/p2p")
# The documents made of a case, and the team's pages: they open once all routes were fuzzed.
DOCUMENT_PAGES = (
    "/cases/{case_id}/points",
    "/cases/{case_id}/patient-summary",
    "/cases/{case_id}/export/letter",
    "/cases/{case_id}/export/packet",
    "/cases/{case_id}/calendar.ics",
)
TEAM_PAGES = (
    "/cases/",
    "/dashboard/",
    "/library/",
    "/conferences/",
    "/tasks/",
    "/calendar",
    "/teams/north/members",
    "/teams/north/deadlines/",
    "/teams/north/rebuttals/",
)
FUZZED_CASES: list[int] = []


def wait_for_imports(app) -> None:
    """Background imports end before the next example (and before the database goes)."""
    for _ in range(500):
        with app.app_context():
            busy = db.session.scalar(
                select(ImportJob.id).where(ImportJob.state.in_(("queued", "running")))
            )
            db.session.remove()
        if busy is None:
            return
        time.sleep(0.02)
    raise AssertionError("an import did not finish")


def assert_no_server_error(response, what) -> None:
    body = response.get_data(as_text=True) if response.mimetype.startswith("text") else ""
    assert response.status_code < 500, (what, response.status_code, body[-2000:])
    assert "Traceback" not in body, what


@pytest.fixture(scope="module")
def fuzz_app(database_template, tmp_path_factory):
    """One app and database for the whole file: a fresh app per route would cost more than
    the route's examples. Each route works on a case of its own."""
    with app_on(database_template, tmp_path_factory.mktemp("fuzz")) as app:
        with app.app_context():
            team = Team(slug="north", name="North Rheumatology")
            db.session.add_all([team, Team(slug="south", name="South Spine")])
            db.session.commit()
            for role in ROLES:
                add_member(f"{role}@north.test", team, role)
        with pytest.MonkeyPatch.context() as patch:
            # No network (unmatched requests fail), and no waiting on the services' limits.
            patch.setattr(
                library_views, "MetadataClient", partial(MetadataClient, sleep=lambda _: None)
            )
            with responses.RequestsMock(assert_all_requests_are_fired=False):
                yield app
        wait_for_imports(app)


@pytest.fixture(scope="module")
def admin(fuzz_app):
    client = Client(fuzz_app)
    client.login("admin@north.test")
    return client


def signed_in_again(app, client) -> None:
    """Sign in anew: the sign-in routes were fuzzed with wrong passwords, which the
    throttle counts, and with signing out."""
    if limiter := app.extensions.get("signin_limiter"):
        # flask-limiter asserts that its store is truthy: an empty one has nothing to reset.
        with contextlib.suppress(AssertionError):
            limiter.reset()
    with app.app_context():  # the password page may have changed it
        user = db.session.scalar(select(User).where(User.email == "admin@north.test"))
        user.set_password(PASSWORD)
        db.session.commit()
    client.login("admin@north.test")


def send(client, method, url, form, headers, multipart):
    if method == "GET":
        return client.get(url, query_string=form, headers=headers)
    if not multipart:
        return client.post(url, form, headers=headers)
    # Encoded here, in memory: the test client would spool a large body to a file it never
    # closes.
    boundary, body = encode_multipart(form)
    content_type = f"multipart/form-data; boundary={boundary}"
    return client.post(url, body, headers=headers, content_type=content_type)


def starting_form(app, case_id: int, ids: dict, method: str, endpoint: str) -> dict:
    """The route's accepted form, made from the records as they are now."""
    with app.app_context():
        forms, queries = baselines(ids, versions(case_id, ids))
        db.session.remove()
    base = dict((forms if method == "POST" else queries).get(endpoint, {}))
    if "file" in base:
        body = docx_bytes() if base["file"] == "docx" else base["file"].encode()
        base["file"] = FileStorage(io.BytesIO(body), filename="upload.docx")
    return base


def changed(endpoint: str, name: str, ids: dict):
    """Anything in place of the field's value (a file field: any file)."""
    if name == "file" and endpoint in FILES:
        return st.builds(
            lambda body, filename: FileStorage(io.BytesIO(body), filename=filename),
            upload_body(),
            FILENAMES,
        )
    return field_value(ids)


def still_loads(app, case_id: int) -> None:
    """The case and everything the letter reads of it load from the database."""
    with app.app_context():
        case = preload(db.session.get(Case, case_id))
        assert case is not None and case.team_id is not None
        db.session.remove()


def fuzz_route(app, client, endpoint, method, table):
    found = [r for r in rules(app, method, table) if r.endpoint == endpoint]
    assert found, endpoint
    fields = table[endpoint]
    with app.app_context():
        team = db.session.scalar(select(Team).where(Team.slug == "north"))
        case_id = add_case(team, patient_name=f"Fuzz {endpoint}").id
    planted = {}

    def fresh() -> dict:
        with app.app_context():
            return plant(db.session.get(Case, case_id))

    @settings(
        max_examples=SLOW_EXAMPLES if endpoint in SLOW else EXAMPLES,
        deadline=None,
        # No shrinking: each example costs a few requests, and a failure already names the
        # request that failed (every draw is labelled).
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def example(data):
        TALLY["examples"] += 1
        if endpoint.startswith("auth."):
            signed_in_again(app, client)
        if endpoint in DESTROYS or not planted:
            planted.update(fresh())
        ids = planted
        rule = data.draw(st.sampled_from(found), label="rule")
        args = {a: data.draw(path_value(a, ids), label=a) for a in sorted(rule.arguments)}
        url = rule.build(args, append_unknown=False)[1]
        base = starting_form(app, case_id, ids, method, endpoint)
        form = {}
        for name in sorted(set(base) | set(fields)):
            how = data.draw(st.sampled_from(("keep", "keep", "change", "drop")), label=name)
            if how == "keep" and name in base:
                form[name] = base[name]
            elif how == "change":
                form[name] = data.draw(changed(endpoint, name, ids), label=f"{name}=")
        extra = st.one_of(st.sampled_from(fields or ("x",)), UNKNOWN)
        for name in data.draw(st.lists(extra, max_size=4), label="extra fields"):
            form[name] = data.draw(changed(endpoint, name, ids), label=f"{name}=")
        headers = data.draw(HTMX_HEADERS, label="headers")
        multipart = endpoint in FILES or data.draw(st.booleans(), label="multipart")
        response = send(client, method, url, form, headers, multipart)
        assert_no_server_error(response, (method, url, form))
        if endpoint in ("library.upload", "library.apply"):
            wait_for_imports(app)
        still_loads(app, case_id)

    example()
    TALLY["routes"].add((method, endpoint))
    signed_in_again(app, client)
    if any("case_id" in r.arguments for r in found):
        FUZZED_CASES.append(case_id)
        pages_open(client, CASE_PAGES, [case_id])


def pages_open(client, pages, case_ids) -> None:
    for case_id in case_ids:
        for page in pages:
            response = client.get(page.format(case_id=case_id))
            assert_no_server_error(response, page)
            assert response.status_code == 200, (page, response.status_code)


def test_every_form_route_is_in_the_table(fuzz_app):
    """A new POST route must join the fuzzing (and a GET route reading a query string should)."""
    posts = {r.endpoint for r in fuzz_app.url_map.iter_rules() if "POST" in r.methods}
    assert posts == set(FORMS)
    gets = {r.endpoint for r in fuzz_app.url_map.iter_rules() if "GET" in r.methods}
    assert set(QUERIES) <= gets


@pytest.mark.parametrize("endpoint", sorted(FORMS))
def test_posted_forms_never_give_a_server_error(fuzz_app, admin, endpoint):
    fuzz_route(fuzz_app, admin, endpoint, "POST", FORMS)


@pytest.mark.parametrize("endpoint", sorted(QUERIES))
def test_query_strings_never_give_a_server_error(fuzz_app, admin, endpoint):
    fuzz_route(fuzz_app, admin, endpoint, "GET", QUERIES)


# Each field of each form, one at a time, taken to an extreme the random examples may miss.
EXTREMES = ("x" * 100_001, "9" * 30, "²", "10000-01-01T25:00", ["a", "b", "c"])


@pytest.mark.parametrize("endpoint", sorted(e for e, fields in FORMS.items() if fields))
def test_each_field_taken_to_extremes(fuzz_app, admin, endpoint):
    rule = next(rules(fuzz_app, "POST", {endpoint: ()}))
    with fuzz_app.app_context():
        team = db.session.scalar(select(Team).where(Team.slug == "north"))
        case_id = add_case(team, patient_name=f"Extremes {endpoint}").id
    ids = {}
    for name in FORMS[endpoint]:
        if name == "file":
            continue
        for value in EXTREMES:
            if endpoint.startswith("auth."):
                signed_in_again(fuzz_app, admin)
            if endpoint in DESTROYS or not ids:
                with fuzz_app.app_context():
                    ids = plant(db.session.get(Case, case_id))
            form = starting_form(fuzz_app, case_id, ids, "POST", endpoint)
            form[name] = value
            url = first_url(rule, ids)
            response = send(admin, "POST", url, form, {}, endpoint in FILES)
            assert_no_server_error(response, (url, name, str(value)[:40]))
            if endpoint in ("library.upload", "library.apply"):
                wait_for_imports(fuzz_app)
            still_loads(fuzz_app, case_id)
    signed_in_again(fuzz_app, admin)
    FUZZED_CASES.append(case_id)
    pages_open(admin, CASE_PAGES, [case_id])


def test_every_page_opens_after_the_fuzzing(fuzz_app, admin):
    """Whatever the fuzzing saved, the documents of each case it worked on, and the team's
    pages, still open (a team's deadline rule or rebuttal reaches every case)."""
    signed_in_again(fuzz_app, admin)
    with fuzz_app.app_context():
        team = db.session.scalar(select(Team).where(Team.slug == "north"))
        untouched = add_case(team, patient_name="After the fuzzing").id
    pages_open(admin, TEAM_PAGES, [None])
    pages_open(admin, CASE_PAGES + DOCUMENT_PAGES, [untouched])
    pages_open(admin, DOCUMENT_PAGES, FUZZED_CASES)
    print(
        f"\nfuzzed {len(TALLY['routes'])} routes with {TALLY['examples']} examples: no server error"
    )


# --- server errors the fuzzing found, one test each --------------------------------------------

SEARCHES = (
    ("/cases/", "q"),
    ("/library/", "q"),
    ("/library/", "tag"),
    ("/library/", "grade"),
    ("/cases/{case_id}/citations/search", "q"),
)


@pytest.mark.parametrize(("page", "field"), SEARCHES)
def test_a_search_box_takes_any_length_and_wildcards_as_letters(fuzz_app, admin, page, field):
    """SQLite refused a LIKE pattern past 50,000 bytes (a 500); and "%" matched every case."""
    with fuzz_app.app_context():
        team = db.session.scalar(select(Team).where(Team.slug == "north"))
        case_id = add_case(team, patient_name="Zelda Searchable").id
    url = page.format(case_id=case_id)
    for value in ("%" * 100_001, "é_" * 60_000):
        response = admin.get(url, query_string={field: value})
        assert response.status_code == 200, (url, field)
    if page == "/cases/":
        assert "Zelda Searchable" not in admin.get(url, query_string={"q": "%"}).text
        assert "Zelda Searchable" in admin.get(url, query_string={"q": "zelda sEARCH"}).text
