"""A clinician's own profile, a team admin editing a member's, and the command that sets one."""

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Membership, Team, User
from tests.support import Client, add_member

PAIN = {
    "name": "Priya Natarajan",
    "credentials": "MD, FACP",
    "specialty": "Pain medicine",
    "board_certification": "Board certified, American Board of Anesthesiology",
    "npi": "1234567893",
    "phone": "(555) 010-2030",
    "fax": "(555) 010-2031",
}


def _user(app, email):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        db.session.expunge(user)
        return user


def _profile_rows(app):
    with app.app_context():
        rows = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "profile"))
        return [(r.user_id, r.team_id, r.case_id, r.what) for r in rows]


def test_a_clinician_sets_their_own_profile(app, signed_in):
    page = signed_in.get("/account/profile")
    assert page.status_code == 200
    assert 'href="/account/profile"' in signed_in.get("/cases/").get_data(as_text=True)
    response = signed_in.post("/account/profile", {**PAIN, "version": "1"})
    assert response.status_code == 302
    user = _user(app, "clinician@north.test")
    assert (user.name, user.credentials, user.specialty) == (
        "Priya Natarajan",
        "MD, FACP",
        "Pain medicine",
    )
    assert (user.npi, user.phone, user.fax) == ("1234567893", "(555) 010-2030", "(555) 010-2031")
    assert user.board_certification.startswith("Board certified")
    assert user.profile_version == 2
    # Ids only in the audit row: no name, specialty or NPI.
    assert _profile_rows(app) == [(user.id, None, None, f"user {user.id} profile saved")]
    shown = signed_in.get("/account/profile").get_data(as_text=True)
    assert 'value="Pain medicine"' in shown and 'value="1234567893"' in shown


def test_a_wrong_npi_is_refused_and_the_form_keeps_what_was_typed(app, signed_in):
    response = signed_in.post("/account/profile", {**PAIN, "npi": "1234567890", "version": "1"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "not a valid NPI" in html
    assert 'value="1234567890"' in html and 'value="Pain medicine"' in html
    assert 'value="(555) 010-2031"' in html
    user = _user(app, "clinician@north.test")
    assert user.npi == "" and user.specialty == ""
    assert _profile_rows(app) == []


def test_a_save_from_an_old_version_is_refused_and_shows_both(app, signed_in):
    assert signed_in.post("/account/profile", {**PAIN, "version": "1"}).status_code == 302
    stale = signed_in.post(
        "/account/profile", {**PAIN, "specialty": "Anesthesiology", "version": "1"}
    )
    assert stale.status_code == 422
    html = stale.get_data(as_text=True)
    assert "You saved another version of this" in html
    assert "Pain medicine" in html and 'value="Anesthesiology"' in html
    assert 'name="version" value="2"' in html
    assert _user(app, "clinician@north.test").specialty == "Pain medicine"
    # Saving again from the version now shown keeps it.
    again = signed_in.post(
        "/account/profile", {**PAIN, "specialty": "Anesthesiology", "version": "2"}
    )
    assert again.status_code == 302
    assert _user(app, "clinician@north.test").specialty == "Anesthesiology"


def test_an_admin_edits_a_members_profile_from_the_members_page(app, world):
    admin = Client(app)
    admin.login("admin@north.test")
    with app.app_context():
        clinician = _user(app, "clinician@north.test")
        membership = db.session.scalar(select(Membership).where(Membership.user_id == clinician.id))
        membership_id = membership.id
    members = admin.get("/teams/north/members").get_data(as_text=True)
    link = f"/teams/north/members/{membership_id}/profile"
    assert f'href="{link}"' in members
    assert admin.get(link).status_code == 200
    refused = admin.post(link, {**PAIN, "npi": "12345", "version": "1"})
    assert (
        refused.status_code == 422
        and "An NPI has 10 digits; this one has 5." in refused.get_data(as_text=True)
    )
    assert admin.post(link, {**PAIN, "version": "1"}).status_code == 302
    assert _user(app, "clinician@north.test").specialty == "Pain medicine"
    with app.app_context():
        team_id = db.session.scalar(select(Team.id).where(Team.slug == "north"))
    admin_id = _user(app, "admin@north.test").id
    assert _profile_rows(app) == [(admin_id, team_id, None, f"user {clinician.id} profile saved")]


def test_a_member_who_is_not_admin_cannot_edit_anothers_profile(app, world, signed_in):
    with app.app_context():
        coordinator = _user(app, "coordinator@north.test")
        membership_id = db.session.scalar(
            select(Membership.id).where(Membership.user_id == coordinator.id)
        )
    link = f"/teams/north/members/{membership_id}/profile"
    assert signed_in.get(link).status_code == 403
    assert signed_in.post(link, {**PAIN, "version": "1"}).status_code == 403
    assert _user(app, "coordinator@north.test").specialty == ""


def test_a_member_of_another_team_too_is_edited_only_by_all_their_admins(app, world):
    with app.app_context():
        south = db.session.scalar(select(Team).where(Team.slug == "south"))
        user = add_member("clinician@north.test", south, "clinician")
        membership_id = db.session.scalar(
            select(Membership.id).where(
                Membership.user_id == user.id, Membership.team_id != south.id
            )
        )
    admin = Client(app)
    admin.login("admin@north.test")
    link = f"/teams/north/members/{membership_id}/profile"
    assert f'href="{link}"' not in admin.get("/teams/north/members").get_data(as_text=True)
    assert admin.post(link, {**PAIN, "version": "1"}).status_code == 403
    assert _user(app, "clinician@north.test").specialty == ""


def test_set_profile_from_the_command_line(app, world):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "set-profile",
            "clinician@north.test",
            "--specialty",
            "Pain medicine",
            "--npi",
            "1234567893",
            "--phone",
            "555 010 2030",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Profile of clinician@north.test saved" in result.output
    user = _user(app, "clinician@north.test")
    assert (user.specialty, user.npi, user.phone, user.credentials) == (
        "Pain medicine",
        "1234567893",
        "555 010 2030",
        "MD",
    )
    wrong = runner.invoke(args=["set-profile", "clinician@north.test", "--npi", "1234567890"])
    assert wrong.exit_code != 0
    assert "not a valid NPI" in wrong.output
    assert _user(app, "clinician@north.test").npi == "1234567893"
    nobody = runner.invoke(args=["set-profile", "nobody@north.test", "--specialty", "X"])
    assert nobody.exit_code != 0 and "No user" in nobody.output
    with app.app_context():
        rows = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "profile")).all()
        assert [(r.user_id, r.what) for r in rows] == [(None, f"user {user.id} profile saved")]
