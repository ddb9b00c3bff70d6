"""Whatever a form or an upload sends, Peerbrief answers without a server error.

Every POST route of the URL map (and every GET route that reads a query string) is posted
random forms: the route's own field names (read from its view and template) and unknown ones,
holding valid choices, planted ids, dates in odd formats, numbers as text, NUL and control
characters, very long text and repeated fields, with and without htmx's headers. The answer
is never a 5xx nor a traceback, and the case and the pages that read what was saved still
open. Then each field of each form taken to extremes, one at a time, and a regression test
for each server error the fuzzing found. The inputs are in fuzz_inputs.py, the records and
the forms each route accepts in fuzz_records.py; the caps and type checks of uploads are
tested in test_library.py and render/test_letterhead.py.
"""

import io
import time
from functools import partial

import pytest
import responses
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select, update
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app.extensions import db
from app.library import views as library_views
from app.models import (
    ROLES,
    Case,
    ImportJob,
    SigninFailure,
    Team,
    TwoFactor,
    User,
)
from app.models.loading import preload
from citations import MetadataClient
from tests.support import PASSWORD, Client, add_case, add_member, app_on
from tests.web.fuzz_inputs import (
    EXAMPLES,
    FILENAMES,
    FILES,
    FORMS,
    HTMX_HEADERS,
    QUERIES,
    SLOW,
    SLOW_EXAMPLES,
    UNKNOWN,
    docx_bytes,
    field_value,
    first_url,
    path_value,
    rules,
    upload_body,
)
from tests.web.fuzz_records import baselines, plant, versions

pytestmark = pytest.mark.persistence

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
    "invitations.withdraw",
    "teams.change_member",
    "teams.member_access",
}
# Routes after whose examples the admin signs in anew (signed_in_again says why).
RESIGNS = ("auth.", "mfa.", "teams.two_factor")
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
    throttle counts, and with signing out; the two-factor routes with wrong codes, which
    end in a wait, and a team's requirement, which leads the admin to set it up first."""
    with app.app_context():  # the password page may have changed it
        db.session.execute(delete(SigninFailure))
        user = db.session.scalar(select(User).where(User.email == "admin@north.test"))
        user.set_password(PASSWORD)
        db.session.execute(delete(TwoFactor))
        db.session.execute(update(Team).values(two_factor_required=False))
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
        if endpoint.startswith(RESIGNS):
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
            if endpoint.startswith(RESIGNS):
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
