"""Whatever a .bib upload holds, the import route answers without a server error and keeps the
well-formed entries that sit next to a broken one."""

import io
import itertools
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.extensions import db
from app.models import Citation, ImportJob

pytestmark = pytest.mark.persistence

GOOD = "@article{{good{i}, title = {{Kept {i}}}, author = {{Doe, Jane}}, year = {{2020}}}}\n"
KEYS = itertools.count()
NOISE = st.sampled_from(["{", "}", '"', "@", ",", "=", "#", "\\", "%", "\n", "@string{", "é"])


def wait(app, job_id):
    for _ in range(400):
        with app.app_context():
            job = db.session.get(ImportJob, job_id)
            if job.state in ("done", "failed"):
                return job
        time.sleep(0.02)
    raise AssertionError("import did not finish")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    broken=st.lists(st.one_of(NOISE, st.text(max_size=6)), min_size=1, max_size=30).map("".join),
    raw=st.binary(max_size=200),
)
def test_mutated_uploads_never_give_a_server_error(signed_in, app, broken, raw):
    # Fresh keys each example: the database lives across examples of one test run.
    before, after = next(KEYS), next(KEYS)
    text = GOOD.format(i=before) + "@article{broken, " + broken + "\n\n" + GOOD.format(i=after)
    for body in (text.encode("utf-8"), raw):
        response = signed_in.post(
            "/library/import",
            {"file": (io.BytesIO(body), "x.bib")},
            content_type="multipart/form-data",
        )
        assert response.status_code in (302, 400, 413), response.status_code
        if response.location and "/imports/" in response.location:
            job = wait(app, int(response.location.rsplit("/", 1)[1]))
            assert job.state == "done", job.error
            assert signed_in.get(response.location).status_code == 200
    with app.app_context():
        keys = set(db.session.scalars(select(Citation.key)))
    # The well-formed entry after the broken one survives, whatever the breakage.
    assert {f"good{before}", f"good{after}"} <= keys
