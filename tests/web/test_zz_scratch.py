import re

import pytest

from app.extensions import db
from app.models import Case
from tests.web.test_brief import case_id, paste_policy, version_in  # noqa

pytestmark = pytest.mark.persistence


def strip(html):
    html = re.sub(r'<span class="src">.*?</span>', "", html)
    return re.sub(r"<[^>]+>", " ", html)


def test_dump(signed_in, app, case_id):
    with app.app_context():
        c = db.session.get(Case, case_id)
        c.requested_service = "MRI lumbar spine"
        c.procedure_codes = "72148"
        c.patient_sex = "female"
        db.session.commit()
    step, firsts, fraenkel = paste_policy(signed_in, app, case_id)
    base = f"/cases/{case_id}/criteria/{step}"
    row = signed_in.post(f"{base}/facts", {"fact_id": [firsts["prior_treatment"]]}, hx=True)
    signed_in.post(f"{base}/citations", {"citation_id": fraenkel, "pinpoint": "p 930"}, hx=True)
    row = signed_in.post(base, {"status": "met", "version": version_in(row)}, hx=True)
    letter = signed_in.get(f"/cases/{case_id}/letter", headers={"HX-Request": "true"})
    html = letter.get_data(as_text=True)
    open("/tmp/letter.html", "w").write(html)
    print(" ".join(strip(html).split()))
    page = signed_in.get(f"/cases/{case_id}/points").get_data(as_text=True)
    print(" ".join(strip(page).split()))
    assert 0
