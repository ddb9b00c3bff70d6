"""Every page a clinician or admin opens: labelled fields, no console errors, screenshots."""

import pytest

from tests.browser.helpers import sign_in, snap, unlabelled_fields

pytestmark = [pytest.mark.browser]


def test_admin_pages_and_exports_have_labelled_fields(page, app):
    from app import demo
    from app.extensions import db

    with app.app_context():
        _, cases = demo.load()
        case_id = cases[0].id
        db.session.remove()
    page.goto("/login")
    assert unlabelled_fields(page) == []
    snap(page, "sign-in")
    sign_in(page, "admin@peerbrief.test", "peerbrief-demo")
    for name, url in [
        ("members", "/teams/demo-clinic/members"),
        ("password", "/password"),
        ("rebuttals", "/teams/demo-clinic/rebuttals/?category=step_therapy"),
        ("export-letter", f"/cases/{case_id}/export/letter"),
        ("audit", f"/cases/{case_id}/audit"),
        ("deadline-rules", "/teams/demo-clinic/deadlines/"),
        ("p2p-demo", f"/cases/{case_id}/p2p"),
        ("export-appeal", f"/cases/{case_id}/export/appeal"),
        ("workspace-deadlines", f"/cases/{case_id}"),
    ]:
        page.goto(url)
        assert unlabelled_fields(page) == [], name
        snap(page, name)
