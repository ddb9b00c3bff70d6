"""What the fuzzing sends: the fields each route reads, and the values a field, a file, a URL
argument and htmx's headers may hold."""

import io

from hypothesis import strategies as st

from app import brief, calls, deadlines, documents
from app.domain import calls as call_domain
from app.domain import deadlines as deadline_domain
from app.domain import facts as fact_domain
from app.domain import intake, outcomes, profile
from app.domain.brief import CRITERION_STATUSES
from app.domain.vocabulary import (
    CRITERIA_SETS,
    DENIAL_CATEGORIES,
    PLAN_TYPES,
    STATUSES,
    URGENCIES,
    values,
)
from app.models import (
    ROLES,
)

# --- what each route reads -----------------------------------------------------------------

# The fields each POST route reads, from its view (and the form its template renders).
FACT_FIELDS = ("kind", *fact_domain.FACT_COLUMNS, "source_id", "source_start", "source_end")
FORMS = {
    "auth.login": ("email", "password"),
    "auth.logout": (),
    "auth.logout_everywhere": (),
    "auth.keepalive": (),
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
    "cases.document_answers": ("answers",),
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
    "deadlines.date_style": ("date_style",),
    "discussion.add_task": ("title", "assignee_id", "due"),
    "discussion.comment": ("body",),
    "discussion.finish_task": ("undo", "from"),
    "discussion.sign": ("version",),
    "discussion.unsign": (),
    "documents.export": ("ack", "deidentify"),
    "evidence.link": ("citation_id", "claim", "pinpoint", "kind", "criterion_id"),
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
    "mfa.code": ("code",),
    "mfa.confirm": ("code",),
    "mfa.regenerate": ("code",),
    "mfa.start": (),
    "rebuttals.add": ("category", "objection", "rebuttal"),
    "rebuttals.update": ("action", "key", "objection", "rebuttal", "needs"),
    "profile.edit": (*profile.FIELDS, "version"),
    "profile.member": (*profile.FIELDS, "version"),
    "invitations.answer": ("invitation_id", "answer"),
    "invitations.withdraw": (),
    "teams.add_member": ("email", "role", "name", "password", "credentials"),
    "teams.change_member": ("action", "role"),
    "teams.letterhead": ("file", "action"),
    "teams.member_access": ("action",),
    "teams.switch": (),
    "teams.two_factor": ("required",),
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


def docx_bytes() -> bytes:
    import docx

    out = io.BytesIO()
    docx.Document().save(out)
    return out.getvalue()


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
