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


# --- the profile in the letters ------------------------------------------------------------


def _clinician_orders(app, case_id):
    with app.app_context():
        from app.models import Case

        user = db.session.scalar(select(User).where(User.email == "clinician@north.test"))
        db.session.get(Case, case_id).clinician = user
        db.session.commit()


def test_the_letter_is_signed_with_the_profile_in_preview_and_docx(app, world, signed_in):
    import io

    from docx import Document

    case_id = world["north"]
    _clinician_orders(app, case_id)
    export = f"/cases/{case_id}/export/letter"
    before = signed_in.get(export).get_data(as_text=True)
    assert "profile has no specialty: the letter cannot ask" in before
    assert "profile has no NPI: payers match" in before
    assert '<a href="/account/profile">Fix it on your profile</a>' in before
    assert signed_in.post("/account/profile", {**PAIN, "version": "1"}).status_code == 302

    preview = signed_in.get(f"/cases/{case_id}/brief").get_data(as_text=True)
    assert '<p class="signer"><span class="sign-line" aria-hidden="true"></span>' in preview
    assert "<strong>Priya Natarajan, MD, FACP</strong>" in preview
    assert "<br>Pain medicine · Board certified, American Board of Anesthesiology" in preview
    assert "<br>NPI: 1234567893<br>Phone (555) 010-2030 · Fax (555) 010-2031</p>" in preview

    page = signed_in.get(export).get_data(as_text=True)
    assert "profile has no" not in page
    codes = [
        line.split('value="')[1].split('"')[0] for line in page.splitlines() if 'name="ack"' in line
    ]
    sent = signed_in.post(export, {"ack": codes})
    assert sent.status_code == 200
    doc = Document(io.BytesIO(sent.data))
    texts = [p.text for p in doc.paragraphs]
    block = texts[texts.index("Sincerely,") + 2].splitlines()
    assert block == [
        "Priya Natarajan, MD, FACP",
        "Pain medicine · Board certified, American Board of Anesthesiology",
        "NPI: 1234567893",
        "Phone (555) 010-2030 · Fax (555) 010-2031",
    ]
    later = [p.text for p in doc.sections[0].header.paragraphs]
    assert later == ["Patient: Nora North · DOB 1 May 1970"]


def test_the_call_sheet_compares_the_reviewer_with_the_profile_as_it_is_now(app, world, signed_in):
    from app.models import PeerCall

    case_id = world["north"]
    _clinician_orders(app, case_id)
    with app.app_context():
        db.session.add(
            PeerCall(
                case_id=case_id,
                reviewer_specialty="Pain medicine",
                same_specialty=False,  # logged when the profile still said rheumatology
            )
        )
        db.session.commit()
    blank = signed_in.get(f"/cases/{case_id}/p2p").get_data(as_text=True)
    assert '<a href="/account/profile">Set your specialty on your profile</a>' in blank
    signed_in.post("/account/profile", {**PAIN, "version": "1"})
    page = signed_in.get(f"/cases/{case_id}/p2p").get_data(as_text=True)
    assert "Same specialty as Pain medicine" in page and "Not Pain medicine" not in page
