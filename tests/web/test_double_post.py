"""The new-case form sent twice: one case, the second post led to it, and no PHI in any log."""

import logging
import re
import threading

import pytest
import requests
from sqlalchemy import event, select
from werkzeug.serving import make_server

from app.extensions import db
from app.models import Case
from tests.support import PASSWORD
from tests.web.test_cases import INTAKE

pytestmark = pytest.mark.persistence

# What the form carries that must never reach a log line.
PHI = ("Harold Brandt", "1955-06-02", "1955, 6, 2", "SYN-100874", "conservative care")
ALREADY = "This form was already sent"


@pytest.fixture
def live(app):
    # requests keeps a Secure cookie for https only (a browser keeps it on 127.0.0.1 too).
    app.config.update(SESSION_COOKIE_SECURE=False, SESSION_COOKIE_NAME="session")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    # The server logs a failed request after answering it: closing the server waits for
    # every request's thread, so whatever it logs is in the log when the test reads it.
    server.daemon_threads = False
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    stopped = []

    def stop():
        if not stopped:
            stopped.append(True)
            server.shutdown()
            thread.join()
            server.server_close()

    server.url = f"http://127.0.0.1:{server.server_port}"
    server.stop = stop
    yield server
    stop()


def _signed_in(base: str, email: str) -> tuple[requests.Session, str]:
    """A browser-like session on the live server, and the CSRF token of its pages."""
    http = requests.Session()
    page = http.get(f"{base}/login").text
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    http.post(f"{base}/login", {"email": email, "password": PASSWORD, "csrf_token": token})
    page = http.get(f"{base}/cases/new").text
    return http, re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


def _cases(app) -> list[int]:
    with app.app_context():
        return db.session.scalars(select(Case.id).where(Case.patient_name == "Harold Brandt")).all()


def test_the_same_form_posted_twice_at_once_makes_one_case_and_logs_no_phi(
    app, world, live, caplog
):
    caplog.set_level(logging.DEBUG)
    base = live.url
    http, token = _signed_in(base, "clinician@north.test")
    # Both posts pass the "was this form already sent?" check before either writes its case:
    # the moment two clicks (or a proxy's retry) race each other.
    both_checked = threading.Barrier(2, timeout=60)
    with app.app_context():
        engine = db.engine

    def hold(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith('INSERT INTO "case"') or statement.startswith("INSERT INTO case"):
            both_checked.wait()

    event.listen(engine, "before_cursor_execute", hold)
    answers = []

    def post():
        form = {**INTAKE, "csrf_token": token}
        answers.append(http.post(f"{base}/cases/new", form, allow_redirects=False))

    try:
        threads = [threading.Thread(target=post) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        event.remove(engine, "before_cursor_execute", hold)

    made = _cases(app)
    shown = http.get(f"{base}/cases/{made[0]}").text
    live.stop()
    for phi in PHI:
        assert phi not in caplog.text
    assert len(made) == 1
    assert sorted(a.status_code for a in answers) == [302, 302]
    assert {a.headers["Location"].rsplit("/", 1)[-1] for a in answers} == {str(made[0])}
    assert "Harold Brandt" in shown and ALREADY in shown
    for phi in PHI:
        assert phi not in caplog.text


def test_a_form_sent_again_after_it_opened_its_case_leads_to_it_with_a_message(
    signed_in, app, caplog
):
    caplog.set_level(logging.DEBUG)
    first = signed_in.post("/cases/new", INTAKE)
    assert ALREADY not in signed_in.get(first.location).get_data(as_text=True)
    again = signed_in.post("/cases/new", INTAKE)
    assert again.status_code == 302 and again.location == first.location
    page = signed_in.get(again.location).get_data(as_text=True)
    assert ALREADY in page and "Harold Brandt" in page
    assert len(_cases(app)) == 1
    for phi in PHI:
        assert phi not in caplog.text
