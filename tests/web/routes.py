"""Every route of the URL map, declared once: who may use it, a form it accepts and the audit
row it writes (or why it writes none). tests/web/test_matrix.py sends them all; a route
missing here fails it with the route's name.
"""

import io
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import (
    Case,
    Criterion,
    Fact,
    TwoFactor,
)
from tests.support import PASSWORD
from tests.web.records import Ids

MEMBERS = frozenset({"admin", "clinician", "coordinator"})
ADMIN = frozenset({"admin"})
CLINICIAN = frozenset({"clinician"})

# The id of the record the route is about: it decides whose the request is.
OWNERS = {"case_id", "conference_id", "citation_id", "job_id", "slug"}
# Records reached through an owner (a case's fact): checked against that owner.
PARTS = {
    "fact_id",
    "document_id",
    "link_id",
    "criterion_id",
    "export_id",
    "call_id",
    "task_id",
    "item_id",
    "membership_id",
    "rebuttal_id",
    "invitation_id",
}
# Not records: a document kind, a chart, a paragraph or rule key, a screen, a file, a token.
VALUES = {"kind", "name", "key", "n", "filename", "token"}

Value = str | list[str] | Callable[[Ids], Any]


@dataclass(frozen=True)
class Route:
    """One route of the URL map as the matrix uses it.

    `audit` is the row a member's request writes: (action, "case" | "case2" | "new" | "team" |
    "account"), where "new" is a case the request made, "team" a row of the team naming no
    case and "account" one naming neither; or, as a string, why the route writes none.
    In `form` and `query`, "{name}" is a planted record's id, and a callable is asked for its
    value just before the request.
    """

    audit: tuple[str, str] | str
    form: dict[str, Value] = field(default_factory=dict)
    query: str = ""
    allowed: frozenset[str] = MEMBERS
    args: dict[str, str] = field(default_factory=dict)  # URL argument -> planted name
    hx: bool = False  # a member sends it as htmx, as the page does
    public: bool = False


def current(model, ids_key: str, column: str = "version") -> Callable[[Ids], str]:
    """The record's version as saved now: a form made from the page just opened."""
    return lambda ids: str(
        db.session.scalar(select(getattr(model, column)).where(model.id == ids[ids_key]))
    )


def fingerprint(ids: Ids) -> str:
    from app.brief import letter_of

    return letter_of(db.session.get(Case, ids["case_id"])).fingerprint()


def app_code(ids: Ids) -> str:
    """The code the authenticator app shows of whoever set up two-factor last (the member
    sending the request, as the matrix sends them): now's, or the next one once now's is used."""
    from app.domain import totp
    from app.mfa import service

    row = db.session.scalars(select(TwoFactor).order_by(TwoFactor.created_at.desc())).first()
    if row is None:  # nobody set it up: a request refused before any code is read
        return "000000"
    step = totp.step_at(time.time())
    if row.last_step is not None and step <= row.last_step:
        step = row.last_step + 1
    return totp.code_at(service.unseal(row.secret), step)


def bib_file(ids: Ids):
    return (io.BytesIO(b"@misc{upload2024, title={An upload}, year={2024}}"), "upload.bib")


NEW_PASSWORD = "a fresh phrase of quiet words"
NO_PHI_LIBRARY = "no PHI: the team's library of published literature"
INTAKE = {
    "patient_name": "Harold Brandt",
    "patient_dob": "1955-06-02",
    "payer": "Evergreen Medicare Advantage",
    "plan_type": "medicare_advantage",
    "service_description": "MRI lumbar spine without contrast",
    "denial_category": "not_medically_necessary",
    "denial_reason": "Not medically necessary.",
    "urgency": "standard",
    "criteria_set": "policy",
    "criteria_detail": "Imaging guideline",
    "clinician_id": "{admin_id}",
}
RULE = {
    "key": "team.extra",
    "plan_type": "*",
    "step": "Call the plan back",
    "length": "3",
    "unit": "calendar_days",
    "starts": "denial_received",
    "ends": "",
    "urgency": "any",
    "source": "Team policy",
    "note": "",
}

# In the order a member's requests are sent: a record is removed only after every route
# that reads it, and signing out comes last.
ROUTES: dict[str, Route] = {
    "GET static": Route("public: the app's own stylesheet, script and icon", public=True),
    "GET auth.login": Route("public: the sign-in page", public=True),
    "POST auth.login": Route(
        "public: signing in; reads no patient data",
        {"email": "admin@north.test", "password": PASSWORD},
        public=True,
    ),
    "GET calendar.feed": Route("public, its URL is the credential (test_calendar)", public=True),
    # The team's lists and pages
    "GET index": Route("a redirect to the case list"),
    "GET cases.index": Route(("list", "team")),
    "GET dashboard.index": Route(("list", "team")),
    "GET dashboard.overturns_png": Route("no PHI: overturn rates by payer and category"),
    "GET tasks.index": Route(("list", "team")),
    "GET calendar.index": Route("no PHI: whether the user's feed is active"),
    "POST calendar.make_token": Route(("calendar", "team")),
    "POST calendar.revoke_token": Route(("calendar", "team")),
    "GET deadlines.index": Route("no PHI: the team's deadline rules"),
    "POST deadlines.save": Route(("update", "team"), RULE, allowed=ADMIN),
    "POST deadlines.specialty_note": Route(
        ("update", "team"), {"specialty_note": "Ask for a rheumatologist."}, allowed=ADMIN
    ),
    "POST deadlines.date_style": Route(("update", "team"), {"date_style": "mdy"}, allowed=ADMIN),
    "POST deadlines.remove": Route(("update", "team"), allowed=ADMIN, args={"key": "rule_key"}),
    "GET rebuttals.index": Route("no PHI: the team's answers to reviewers' objections"),
    "POST rebuttals.add": Route(
        ("rebuttal", "team"),
        {"category": "not_medically_necessary", "objection": "Too early", "rebuttal": "It is not"},
    ),
    "POST rebuttals.update": Route(
        ("rebuttal", "team"), {"action": "cite", "key": "{citation_key}"}
    ),
    # One's own two-factor sign-in, in the order a member sets it up
    "GET mfa.index": Route("no PHI: whether one's own two-factor sign-in is on"),
    "POST mfa.start": Route(("two_factor", "account")),
    "GET mfa.setup": Route("no PHI: one's own new key and its QR code"),
    "POST mfa.confirm": Route(("two_factor", "account"), {"code": app_code}),
    "POST mfa.regenerate": Route(("two_factor", "account"), {"code": app_code}),
    "GET mfa.code": Route("public: the sign-in's second step (test_two_factor)", public=True),
    "POST mfa.code": Route("public: the sign-in's second step (test_two_factor)", public=True),
    "GET teams.members": Route("no PHI: the team's staff", allowed=ADMIN),
    "POST teams.add_member": Route(
        ("member", "team"),
        {
            "email": "newcomer-{slug}@example.test",
            "role": "coordinator",
            "name": "New Comer",
            "password": "long enough password",
        },
        allowed=ADMIN,
    ),
    "POST teams.change_member": Route(("member", "team"), {"role": "clinician"}, allowed=ADMIN),
    "POST teams.member_access": Route(("member", "team"), {"action": "deactivate"}, allowed=ADMIN),
    "POST teams.letterhead": Route(("letterhead", "team"), {"action": "remove"}, allowed=ADMIN),
    "POST teams.switch": Route("no PHI: chooses the team to work in"),
    # Profiles: every planted user is at its first profile version.
    "GET profile.edit": Route("no PHI: the form of one's own profile"),
    "POST profile.edit": Route(
        ("profile", "account"),
        {"name": "Own Name", "specialty": "Pain medicine", "npi": "1234567893", "version": "1"},
    ),
    "GET profile.member": Route("no PHI: a member's profile form", allowed=ADMIN),
    "POST profile.member": Route(
        ("profile", "team"),
        {"name": "Helper Name", "specialty": "Rheumatology", "version": "1"},
        allowed=ADMIN,
    ),
    # The planted invitation is of an account outside the team: no actor of the matrix may
    # answer it, and nothing changes (tests/web/test_invitations.py answers one's own).
    "POST invitations.answer": Route(
        "no PHI: answers one's own invitation only", {"invitation_id": "{invitation_id}"}
    ),
    # The library
    "GET library.index": Route(NO_PHI_LIBRARY),
    "GET library.show": Route(NO_PHI_LIBRARY),
    "POST library.evidence": Route(NO_PHI_LIBRARY, {"issuer": "ACR", "tags": "spine"}),
    "GET library.export": Route(("export", "team")),
    "POST library.upload": Route(("import", "team"), {"file": bib_file}),
    "GET library.job": Route(NO_PHI_LIBRARY),
    "POST library.apply": Route(NO_PHI_LIBRARY),
    "POST library.lookup": Route(NO_PHI_LIBRARY, {"ids": "not-an-identifier"}),
    # A case: intake, workspace, documents, status
    "GET cases.new": Route("no PHI: an empty intake form"),
    "POST cases.create": Route(("create", "new"), INTAKE | {"token": "{slug}-intake"}),
    "GET cases.show": Route(("view", "case")),
    "GET cases.edit": Route(("view", "case")),
    "POST cases.update": Route(("update", "case"), INTAKE | {"version": current(Case, "case_id")}),
    "POST cases.set_status": Route(("status", "case"), {"status": "appeal"}),
    "POST cases.add_document": Route(
        ("update", "case"),
        {"kind": "Consult", "title": "Spine", "document_date": "2025-02-03", "text": "Seen."},
    ),
    "GET cases.audit": Route(("view", "case"), allowed=ADMIN),
    # Facts
    "GET facts.form": Route(
        ("view", "case"), query="kind=history&source_id={document_id}&source_start=0&source_end=4"
    ),
    "POST facts.form": Route(
        "echoes what is being typed; reads nothing stored", {"kind": "history", "text": "Typed"}
    ),
    "POST facts.create": Route(
        ("update", "case"),
        {
            "kind": "history",
            "text": "Pain at night",
            "source_id": "{document_id}",
            "source_start": "0",
            "source_end": "4",
        },
    ),
    "GET facts.show": Route(("view", "case")),
    "GET facts.edit": Route(("view", "case")),
    "POST facts.update": Route(
        ("update", "case"), {"text": "Pain for a year", "version": current(Fact, "fact_id")}
    ),
    "POST facts.move": Route(("update", "case"), {"direction": "down"}),
    "POST facts.toggle_letter": Route(("update", "case"), {"in_letter": "on"}),
    # The brief
    "GET brief.show": Route(("view", "case")),
    "GET brief.letter": Route(("view", "case"), hx=True),
    "GET brief.framing_form": Route(("view", "case")),
    "POST brief.framing": Route(
        ("update", "case"),
        {
            "framing": "Walks to work again",
            "ask": "Approve the MRI",
            "version": current(Case, "case_id", "framing_version"),
        },
    ),
    "POST brief.add_criteria": Route(("update", "case"), {"set_id": "{set_id}"}),
    "GET brief.criterion": Route(("view", "case")),
    "GET brief.edit_criterion": Route(("view", "case")),
    "POST brief.update_criterion": Route(
        ("update", "case"), {"status": "met", "version": current(Criterion, "criterion_id")}
    ),
    "GET brief.fact_choices": Route(("view", "case")),
    "POST brief.link_fact": Route(("update", "case"), {"fact_id": ["{fact_id}"]}),
    "GET brief.pick_citation": Route(NO_PHI_LIBRARY, query="q=only"),
    "POST brief.link_citation": Route(
        ("update", "case"), {"citation_id": "{citation_id}", "pinpoint": "p 3"}
    ),
    "GET brief.rewrite_form": Route(("view", "case")),
    "POST brief.rewrite": Route(("update", "case"), {"text": "In our words.", "version": "0"}),
    "GET evidence.pick": Route(NO_PHI_LIBRARY, query="q=only"),
    "POST evidence.link": Route(
        ("update", "case"), {"citation_id": "{citation2_id}", "claim": "Imaging is indicated"}
    ),
    "GET evidence.export": Route(("export", "case")),
    # The team on the case
    # Polled: a row only when it brings teammates' news (the planted comment); one that finds
    # nothing shows nothing and writes nothing.
    "GET discussion.activity": Route(("view", "case"), query="after=0&seen=0"),
    "POST discussion.comment": Route(("comment", "case"), {"body": "Ready for review"}),
    "POST discussion.add_task": Route(
        ("update", "case"), {"title": "Call the plan", "assignee_id": "{admin_id}"}
    ),
    "POST discussion.finish_task": Route(("update", "case")),
    "POST discussion.sign": Route(("sign", "case"), {"version": fingerprint}, allowed=CLINICIAN),
    "POST discussion.unsign": Route(("sign", "case")),
    # Documents
    "GET documents.points": Route(("view", "case")),
    "GET documents.patient_summary": Route(("view", "case")),
    "GET documents.chart": Route(("view", "case")),
    "GET documents.export": Route(("view", "case")),
    "POST documents.export": Route(("export", "case")),
    "GET documents.download": Route(("export", "case")),
    "GET calendar.case_file": Route(("export", "case")),
    # The peer-to-peer call and the path after it
    "GET calls.show": Route(("view", "case")),
    "POST calls.arrange": Route(
        ("create", "case"), {"offered_on": "2026-01-05", "scheduled_at": "2026-01-07T10:00"}
    ),
    "POST calls.rearrange": Route(("update", "case"), {"scheduled_at": "2026-01-08T10:00"}),
    "POST calls.attempt": Route(
        ("update", "case"), {"at": "2026-01-08T10:00", "result": "reviewer_missed"}
    ),
    "GET calls.specialty": Route(
        "no PHI: the typed specialty against the clinician's", query="reviewer_specialty=Spine"
    ),
    "POST calls.log": Route(
        ("update", "case"),
        {"reviewer_name": "Dr Payer", "outcome": "pending", "rebuttal": ["{rebuttal_id}"]},
    ),
    "POST calls.path": Route(("update", "case"), {"appeal_filed": "2026-01-10"}),
    # Case conferences
    "GET conferences.index": Route("no PHI: conference titles, days and numbers of cases"),
    "POST conferences.create": Route(
        ("update", "team"), {"title": "Weekly", "held_on": "2026-12-08"}
    ),
    "GET conferences.show": Route(("view", "case")),
    "GET conferences.present": Route(("view", "case")),
    "GET conferences.agenda": Route(("export", "case")),
    "GET conferences.packet": Route(("export", "case")),
    "POST conferences.set_question": Route(("update", "case"), {"question": "Appeal or not?"}),
    "POST conferences.add_case": Route(
        ("update", "case2"), {"case_id": "{case2_id}", "question": "Same plan?"}
    ),
    "POST conferences.move": Route(("update", "team"), {"direction": "down"}),
    # Removals, after every route that reads what they remove
    "POST brief.unlink_citation": Route(("update", "case"), args={"link_id": "criterion_link_id"}),
    "POST brief.delete_criterion": Route(("update", "case")),
    "POST evidence.unlink": Route(("update", "case")),
    "POST facts.delete": Route(("update", "case")),
    "POST cases.document_answers": Route(("update", "case"), {"answers": "denial"}),
    "POST cases.delete_document": Route(("update", "case")),
    "POST conferences.remove_case": Route(("update", "case")),
    "POST conferences.delete": Route(("update", "team")),
    "POST auth.keepalive": Route('no PHI: the page\'s "Stay signed in"'),
    "POST invitations.withdraw": Route(("member", "team"), allowed=ADMIN),
    # Late: members without two-factor are led to set it up from here on.
    "POST teams.two_factor": Route(("two_factor", "team"), {"required": "on"}, allowed=ADMIN),
    "GET auth.password": Route("no PHI: the form to change one's own password"),
    "POST auth.password": Route(
        ("password", "account"),
        {"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    ),
    "POST auth.logout": Route("no PHI: signing out"),
    "POST auth.logout_everywhere": Route("no PHI: signing out every session of one's own"),
}

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def routes(app) -> list[tuple[str, Any]]:
    """(\"METHOD endpoint\", rule) for every method of every rule in the URL map."""
    return [
        (f"{method} {rule.endpoint}", rule)
        for rule in app.url_map.iter_rules()
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    ]


def undeclared(app, ids: Ids) -> list[str]:
    """What keeps the matrix from building a request for every route, one line per route."""
    found = routes(app)
    problems = [
        f"{name} {rule.rule}: not in ROUTES; declare who may use it, a valid form and the "
        "audit row it writes"
        for name, rule in found
        if name not in ROUTES
    ]
    for name, rule in found:
        spec = ROUTES.get(name)
        for arg in sorted(rule.arguments):
            planted = spec.args.get(arg, arg) if spec else arg
            if arg not in OWNERS | PARTS | VALUES:
                problems.append(f"{name} {rule.rule}: argument <{arg}> is not classified")
            elif planted not in ids:
                problems.append(f"{name} {rule.rule}: no planted record for <{arg}>")
    problems += [
        f"{name}: in ROUTES but not in the URL map" for name in set(ROUTES) - {n for n, _ in found}
    ]
    return problems
