"""The route matrix by method: every rule of the URL map, asked with GET and with HEAD by every
role (and signed out), each carrying the form its POST takes and a valid CSRF token, changes
nothing. Only POST changes state (ASVS 4.0.3 V4.2.2, V13.1.3; TECH.md "HEAD runs the POST
branch"). A HEAD answers as its GET does: a view that branches on "GET" shows up here.
"""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent
from tests.web.records import snapshot
from tests.web.routes import ROUTES, routes
from tests.web.test_matrix import ACTORS, client_of, form_of, planted, url  # noqa: F401

pytestmark = pytest.mark.persistence

# What a read may write: its own audit row (who looked at what) and the "seen up to" marker
# of a case's discussion (and the session's last-seen time, which `snapshot` leaves out).
READ_ACTIONS = {"view", "list", "export"}
READ_TABLES = {"case_visit"}


def state(app) -> dict:
    """Every row of every table a read must not touch, and the audit rows that are not reads."""
    rows = {t: r for t, r in snapshot(app).items() if t not in READ_TABLES | {"audit_event"}}
    with app.app_context():
        rows["audit_event (changes)"] = db.session.execute(
            select(AuditEvent.id, AuditEvent.action, AuditEvent.what).where(
                AuditEvent.action.not_in(READ_ACTIONS)
            )
        ).all()
    return rows


def requests_of(app, ids) -> list[tuple[str, str, dict]]:
    """(method, URL, form) for GET and HEAD on every rule, with the form its POST would take."""
    forms: dict[str, dict] = {}
    for name, rule in routes(app):
        if name.startswith("POST ") and ROUTES[name].form:
            with app.test_request_context():
                forms.setdefault(rule.rule, form_of(ROUTES[name], ids))
    sent: dict[tuple[str, str], dict] = {}
    for name, rule in routes(app):
        form = {k: v for k, v in forms.get(rule.rule, {}).items() if k != "file"}
        for method in ("GET", "HEAD"):
            sent.setdefault((method, url(rule, ROUTES[name], ids)), form)
    return [(method, target, form) for (method, target), form in sent.items()]


def send(client, method: str, target: str, form) -> int:
    data = {**form, "csrf_token": client.token}
    response = client.http.open(
        target, method=method, data=data, headers={"X-CSRFToken": client.token}
    )
    response.close()
    return response.status_code


@pytest.mark.parametrize("actor", list(ACTORS))
def test_get_and_head_change_nothing_for_any_role(app, planted, actor):  # noqa: F811
    client = client_of(app, actor)
    calls = requests_of(app, planted["north"])
    assert len(calls) > 150  # 2 methods x every URL rule
    before = state(app)
    statuses = {}
    for method, target, form in calls:
        statuses[method, target] = send(client, method, target, form)
    after = state(app)
    wrong = [t for t in before if before[t] != after[t]]
    if wrong:  # name the requests: again, one at a time, on what the first round left
        culprits = []
        for method, target, form in calls:
            was = state(app)
            send(client, method, target, form)
            if state(app) != was:
                culprits.append(f"{method} {target}")
        pytest.fail(f"{actor}: GET/HEAD changed {wrong}, by {culprits or 'the first round'}")
    differ = [
        f"{target}: GET {statuses['GET', target]}, HEAD {statuses['HEAD', target]}"
        for method, target, _ in calls
        if method == "GET" and statuses["GET", target] != statuses["HEAD", target]
    ]
    assert differ == []
