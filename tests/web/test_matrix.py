"""Every route of the URL map, for every role, on the team's own records and another team's:
who may do what, the CSRF token on every state-changing request, and an audit row for every
read and change of patient data (ASVS L2 V4 and V13, 45 CFR 164.312(a) and (b)).

ROUTES (tests/web/routes.py) declares each route once: who may use it, a form it accepts,
and the audit row it writes (or why it writes none). A route missing from ROUTES, or with an
argument that `plant` (tests/web/records.py) has no record for, fails the suite with its
name, so a new route cannot slip through.
"""

from collections import Counter
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from app.extensions import db
from app.library import importer
from app.models import (
    AuditEvent,
    Case,
)
from app.security import PUBLIC_ENDPOINTS
from tests.support import Client
from tests.web.records import Ids, changed, cross_team_links, plant, snapshot
from tests.web.routes import (
    MEMBERS,
    OWNERS,
    PARTS,
    ROUTES,
    UNSAFE,
    Route,
    Value,
    bib_file,
    routes,
    undeclared,
)

pytestmark = pytest.mark.persistence


@pytest.fixture
def planted(app, world) -> dict[str, Ids]:
    with app.app_context():
        return {
            slug: plant(db.session.get(Case, world[slug]), name)
            for slug, name in (("north", "Nora North"), ("south", "Sam South"))
        }


@pytest.fixture(autouse=True)
def no_import_threads(monkeypatch):
    """An import runs in a thread; the matrix asks only whether it may be started."""
    monkeypatch.setattr(importer, "start", lambda job, apply_updates=False: None)


# --- the requests: what to send and what must come back -----------------------------------


@dataclass(frozen=True)
class Call:
    """One request of the matrix and the answer it must get."""

    name: str  # "METHOD endpoint"
    url: str
    form_ids: Ids  # where the form's "{name}" placeholders come from
    hx: bool
    expect: str  # sign-in | 404 | 403 | ok | ignored

    @property
    def method(self) -> str:
        return self.name.split()[0]

    def __str__(self) -> str:
        return f"{self.name} {self.url}{' (htmx)' if self.hx else ''}"


def fill(value: Value, ids: Ids):
    if callable(value):
        return value(ids)
    if isinstance(value, list):
        return [fill(v, ids) for v in value]
    return value.format(**ids)


def url(rule, spec: Route, ids: Ids, foreign: Ids | None = None, part: str = "") -> str:
    """The rule's URL with planted ids; `part` (or the query) from `foreign`, the rest from
    `ids`."""
    values = {}
    for arg in rule.arguments:
        source = foreign if arg == part else ids
        values[arg] = source[spec.args.get(arg, arg)]
    path = rule.build(values, append_unknown=False)[1]
    query = fill(spec.query, foreign if foreign and not part else ids)
    return path + ("?" + query if query else "")


def form_of(spec: Route, ids: Ids) -> dict:
    return {k: fill(v, ids) for k, v in spec.form.items()}


def has_ids(spec: Route) -> bool:
    """Whether the form or query names a record (a request could carry another team's)."""
    texts = [spec.query, *(v for v in spec.form.values() if isinstance(v, str))]
    texts += [v for vs in spec.form.values() if isinstance(vs, list) for v in vs]
    return any("{" in t for t in texts)


ACTORS = {
    "admin": ("admin@north.test", "north", "admin"),
    "clinician": ("clinician@north.test", "north", "clinician"),
    "coordinator": ("coordinator@north.test", "north", "coordinator"),
    "outsider": ("clinician@south.test", "south", "clinician"),  # a user of another team
    "anonymous": (None, None, None),
}
OBJECTS = ("north", "south")


def plan(app, actor: str, owner: str, planted: dict[str, Ids]) -> list[Call]:
    """Every request `actor` makes on the records of team `owner`, and what each must get."""
    problems = undeclared(app, planted[owner])
    if problems:
        pytest.fail("The matrix cannot build these routes:\n" + "\n".join(problems))
    _, home, role = ACTORS[actor]
    ids = planted[owner]
    by_name: dict[str, list] = {}
    for name, rule in routes(app):
        by_name.setdefault(name, []).append(rule)
    ordered = [(name, rule) for name in ROUTES for rule in by_name[name] if not ROUTES[name].public]
    calls = []
    if role is None:  # signed out: every route sends the browser to sign in
        for hx in (False, True):
            calls += [Call(n, url(r, ROUTES[n], ids), ids, hx, "sign-in") for n, r in ordered]
        return calls
    if home == owner:  # a member: the role decides
        for name, rule in ordered:
            spec = ROUTES[name]
            expect = "ok" if role in spec.allowed else "403"
            calls.append(Call(name, url(rule, spec, ids), ids, spec.hx, expect))
        return calls
    # Another team's records: the whole record, then one part of it under the actor's own.
    mine = planted[home]
    for hx in (False, True):
        for name, rule in ordered:
            spec = ROUTES[name]
            if rule.arguments & OWNERS:
                calls.append(Call(name, url(rule, spec, ids), ids, hx, "404"))
            # Under one's own record the role is checked first: 403 says nothing of theirs.
            refusal = "404" if role in spec.allowed else "403"
            for part in sorted(rule.arguments & PARTS):
                calls.append(Call(name, url(rule, spec, mine, ids, part), mine, hx, refusal))
    # Their record's id in the form of a request on one's own: refused or ignored.
    calls += [
        Call(name, url(rule, ROUTES[name], mine, ids), ids, True, "ignored")
        for name, rule in ordered
        if has_ids(ROUTES[name])
    ]
    return calls


def send(app, client: Client, call: Call):
    if call.method == "GET":
        return client.get(call.url, headers={"HX-Request": "true"} if call.hx else {})
    with app.test_request_context():
        form = form_of(ROUTES[call.name], call.form_ids)
    return client.post(call.url, form, hx=call.hx)


def client_of(app, actor: str) -> Client:
    client = Client(app)
    email = ACTORS[actor][0]
    if email:
        client.login(email)
    return client


def audit_rows(app) -> list[tuple]:
    with app.app_context():
        return db.session.execute(
            select(
                AuditEvent.id,
                AuditEvent.user_id,
                AuditEvent.team_id,
                AuditEvent.case_id,
                AuditEvent.action,
                AuditEvent.what,
                AuditEvent.at,
            ).order_by(AuditEvent.id)
        ).all()


# --- 1. authorization: every route x every role x own and another team's records ----------


def test_every_route_is_declared_and_buildable(app, planted):
    assert undeclared(app, planted["north"]) == []
    assert {n for n, s in ROUTES.items() if s.public} == {
        f"{m} {e}" for m, e in (n.split() for n, _ in routes(app)) if e in PUBLIC_ENDPOINTS
    }


def test_only_sign_in_static_files_and_the_calendar_feed_are_public(app, planted):
    # mfa.code: only for a visitor whose password was just accepted (test_two_factor).
    assert {"auth.login", "mfa.code", "static", "calendar.feed"} == PUBLIC_ENDPOINTS
    anonymous = Client(app)
    assert anonymous.get("/login").status_code == 200
    static = anonymous.get("/static/peerbrief.css")
    static.close()
    assert static.status_code == 200
    assert anonymous.get(f"/calendar/feed/{'x' * 43}.ics").status_code == 404


@pytest.mark.parametrize("owner", OBJECTS)
@pytest.mark.parametrize("actor", list(ACTORS))
def test_authorization_matrix(app, planted, actor, owner):
    """Signed out: sent to sign in. Another team: 404 and nothing of theirs in the page,
    nothing changed. A member: what the role allows, and nothing of another team shown."""
    calls = plan(app, actor, owner, planted)
    client = client_of(app, actor)
    # What the actor may never see: the records of every team they do not belong to.
    hidden = [
        m for team, ids in planted.items() if team != ACTORS[actor][1] for m in ids["markers"]
    ]
    before = snapshot(app)
    wrong = []
    for call in calls:
        if call.expect == "ignored" and before is not None:
            wrong += changed(before, snapshot(app), "refused requests")
            before = None  # what follows may change the actor's own records
        if call.expect == "403":
            unchanged = snapshot(app)
        try:
            response = send(app, client, call)
        except Exception as error:  # noqa: BLE001 - every route is reported, not the first
            wrong.append(f"{call}: raised {error!r}")
            continue
        status, body = response.status_code, response.get_data().decode(errors="replace")
        location = response.headers.get("Location", "") or response.headers.get("HX-Redirect", "")
        if call.expect == "sign-in":
            ok = "/login" in location and status == (401 if call.hx else 302)
        elif call.expect == "ok":
            ok = status < 400 and (
                "/login" not in location or call.name.startswith("POST auth.logout")
            )
        elif call.expect == "ignored":
            ok = status < 500
        else:
            ok = status == int(call.expect)
            if call.expect == "403":
                wrong += changed(unchanged, snapshot(app), str(call))
        if not ok:
            wrong.append(f"{call}: expected {call.expect}, got {status} {location}")
        if leaked := [m for m in hidden if m in body]:
            wrong.append(f"{call}: shows {leaked}")
    if all(c.expect in ("sign-in", "404") for c in calls):
        wrong += changed(before, snapshot(app), "refused requests")
    assert wrong == [], f"{actor} on {owner}'s records:\n" + "\n".join(wrong)
    assert cross_team_links(app) == []


def test_figures(app, planted, capsys):
    """How much the matrix checks (printed); every route is in every actor's requests."""
    found = routes(app)
    lines = [
        f"URL map: {len(list(app.url_map.iter_rules()))} rules,"
        f" {len(found)} routes (method x rule),"
        f" {sum(1 for n in ROUTES if ROUTES[n].public)} public, {len(ACTORS)} roles"
        f" x {len(OBJECTS)} teams' records"
    ]
    total = 0
    for actor in ACTORS:
        for owner in OBJECTS:
            calls = plan(app, actor, owner, planted)
            total += len(calls)
            kinds = dict(Counter(c.expect for c in calls))
            lines.append(f"  {actor:<11} on {owner}: {len(calls):>4} requests {kinds}")
            if ACTORS[actor][1] in (owner, None):
                private = {n for n, _ in found if not ROUTES[n].public}
                assert {c.name for c in calls} == private, (actor, owner)
    unsafe = sum(1 for n, _ in found if n.split()[0] in UNSAFE)
    exempt = {n: s.audit for n, s in ROUTES.items() if isinstance(s.audit, str)}
    restricted = [
        f"{n} ({'/'.join(sorted(s.allowed))})"
        for n, s in ROUTES.items()
        if s.allowed != MEMBERS and not s.public
    ]
    lines += [
        f"authorization requests: {total}",
        "not for every member: " + ", ".join(restricted),
        f"CSRF: {unsafe} state-changing routes x 3 ways without a valid token",
        f"audit: {len(ROUTES) - len(exempt)} routes write a row, {len(exempt)} declared exempt:",
        *(f"  {n}: {why}" for n, why in exempt.items()),
    ]
    with capsys.disabled():
        print("\n" + "\n".join(lines))


# --- 2. CSRF: every state-changing route refuses a request without a valid token ----------


def test_every_state_changing_route_needs_the_csrf_token(app, planted):
    """A form post or an htmx post without a token, or with another session's, is refused
    (400, the "form expired" page) and changes nothing; signing out too."""
    admin, other = client_of(app, "admin"), client_of(app, "clinician")
    ids = planted["north"]
    unsafe = [(n, r) for n, r in routes(app) if n.split()[0] in UNSAFE]
    assert len(unsafe) >= 50
    before = snapshot(app)
    wrong = []
    for name, rule in unsafe:
        spec = ROUTES[name]
        target = url(rule, spec, ids)
        with app.test_request_context():
            form = form_of(spec, ids)
        for how, hx, headers in (
            ("form post", False, {}),
            ("htmx post", True, {}),
            ("another session's token", True, {"X-CSRFToken": other.token}),
        ):
            if callable(spec.form.get("file")):
                form["file"] = bib_file(ids)
            response = admin.post(target, form, hx=hx, csrf=False, headers=headers)
            body = response.get_data(as_text=True)
            if response.status_code != 400 or "The form expired" not in body:
                wrong.append(f"{name} {target} ({how}): {response.status_code}")
    assert wrong + changed(before, snapshot(app), "requests without a valid token") == []


# --- 3. audit: every read and change of patient data leaves a row -------------------------


def test_every_route_that_reads_or_changes_patient_data_writes_an_audit_row(app, planted):
    """Each route once, as a member allowed to use it: the row it must write, with the
    right case and action; rows written before are never changed by any route."""
    ids = planted["north"]
    clients = {role: client_of(app, role) for role in ("admin", "clinician")}
    calls = plan(app, "admin", "north", planted)
    with app.app_context():
        cases = set(db.session.scalars(select(Case.id)))
    missing = []
    for call in calls:
        spec = ROUTES[call.name]
        client = clients["clinician" if "clinician" in spec.allowed else "admin"]
        before = audit_rows(app)
        response = send(app, client, call)
        assert response.status_code < 400, (str(call), response.status_code)
        after = audit_rows(app)
        assert after[: len(before)] == before, f"{call} changed an audit row"
        if isinstance(spec.audit, str):
            continue
        action, whose = spec.audit
        new = [(row.action, row.case_id, row.team_id) for row in after[len(before) :]]
        wanted = {
            "case": lambda c: c == ids["case_id"],
            "case2": lambda c: c == ids["case2_id"],
            "new": lambda c: c is not None and c not in cases,
            "team": lambda c: c is None,
            "account": lambda c: c is None,
        }[whose]
        team = None if whose == "account" else ids["team_id"]
        if not any(a == action and wanted(c) and t == team for a, c, t in new):
            missing.append(f"{call}: no {action!r} row for the {whose}; wrote {new}")
    assert missing == []


def test_another_teams_intake_token_opens_a_case_of_ones_own(app, planted):
    """The token that makes a double post open one case is a secret of the form; one that
    belongs to another team's case neither reaches that case nor fails (it used to: 500)."""
    south = planted["south"]["case_id"]
    with app.app_context():
        db.session.get(Case, south).intake_token = "their-form"
        db.session.commit()
    north = client_of(app, "clinician")
    with app.test_request_context():
        form = form_of(ROUTES["POST cases.create"], planted["north"]) | {"token": "their-form"}
    response = north.post("/cases/new", form)
    assert response.status_code == 302 and f"/cases/{south}" not in response.location
    with app.app_context():
        made = db.session.scalar(select(Case).where(Case.patient_name == "Harold Brandt"))
        assert made.team.slug == "north" and made.intake_token is None


def test_the_packet_export_page_is_audited(app, planted, signed_in):
    case_id = planted["north"]["case_id"]
    assert signed_in.get(f"/cases/{case_id}/export/packet").status_code == 200
    with app.app_context():
        last = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert (last.action, last.case_id) == ("view", case_id)


def test_no_route_can_change_or_remove_audit_rows(app):
    """The only route about the audit log reads it; the guard below stops the rest."""
    about = [(n, r.rule) for n, r in routes(app) if "audit" in (n + r.rule).lower()]
    assert about == [("GET cases.audit", "/cases/<int:case_id>/audit")]


def test_audit_rows_are_written_once_and_never_edited(app, world):
    from sqlalchemy import delete, update

    from app.audit import AuditLogIsAppendOnly, record

    with app.app_context():
        record("view", db.session.get(Case, world["north"]), "workspace")
        db.session.commit()
        row = db.session.scalar(select(AuditEvent))
        row.what = "nothing to see"
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.commit()
        db.session.rollback()
        db.session.delete(row)
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.commit()
        db.session.rollback()
        for statement in (update(AuditEvent).values(what="x"), delete(AuditEvent)):
            with pytest.raises(AuditLogIsAppendOnly):
                db.session.execute(statement)
            db.session.rollback()
        assert [(e.action, e.what) for e in db.session.scalars(select(AuditEvent))] == [
            ("view", "workspace")
        ]
