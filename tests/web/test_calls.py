"""The P2P call sheet, the path after it, the team's deadline rules, and the CLI."""

import json
from datetime import date, datetime, timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Case, PeerCall, Rebuttal, User


def _case(app, case_id, **fields):
    with app.app_context():
        case = db.session.get(Case, case_id)
        for name, value in fields.items():
            setattr(case, name, value)
        db.session.commit()


def _arrange(client, case_id, **fields):
    data = {"offered_on": "", "request_by": "", "scheduled_at": "", "windows": "",
            "callback_number": ""} | fields  # fmt: skip
    return client.post(f"/cases/{case_id}/p2p/calls", data)


def _call_id(app, case_id):
    with app.app_context():
        return db.session.scalars(select(PeerCall.id).where(PeerCall.case_id == case_id)).first()


def _statuses(app, case_id):
    with app.app_context():
        return [
            e.what
            for e in db.session.scalars(
                select(AuditEvent)
                .where(AuditEvent.case_id == case_id, AuditEvent.action == "status")
                .order_by(AuditEvent.id)
            )
        ]


def test_arranging_a_call_schedules_it_and_the_status_follows(signed_in, world, app):
    case_id = world["north"]
    response = _arrange(
        signed_in, case_id, offered_on="2026-11-20", scheduled_at="2026-11-24T14:30",
        windows="Tue 2-4 pm\nWed 9-11 am", callback_number="(800) 555-0142",
    )  # fmt: skip
    assert response.status_code == 302 and "#call-" in response.location
    page = signed_in.get(f"/cases/{case_id}/p2p").get_data(as_text=True)
    assert "scheduled 24 Nov 2026, 14:30" in page and "(800) 555-0142" in page
    with app.app_context():
        assert db.session.get(Case, case_id).status == "p2p_scheduled"
    assert _statuses(app, case_id) == ["status draft -> p2p_scheduled (P2P scheduled)"]


def test_a_bad_time_is_refused_and_what_was_typed_stays(signed_in, world, app):
    case_id = world["north"]
    response = _arrange(signed_in, case_id, scheduled_at="next tuesday", callback_number="555")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The agreed time should be a date and time, like 2026-11-24 14:30." in html
    assert 'value="next tuesday"' in html and 'value="555"' in html
    assert _call_id(app, case_id) is None


def test_the_call_sheet_logs_an_upheld_call_and_opens_the_appeal(signed_in, world, app):
    case_id = world["north"]
    _case(app, case_id, plan_type="erisa", denial_received=date.today() - timedelta(days=10))
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "clinician@north.test"))
        user.specialty = "Rheumatology"
        db.session.get(Case, case_id).clinician = user
        rebuttal = Rebuttal(
            team_id=user.memberships[0].team_id,
            category="not_medically_necessary",
            objection="Not enough conservative care",
            rebuttal="Six weeks of PT",
        )
        db.session.add(rebuttal)
        db.session.commit()
        rebuttal_id = rebuttal.id
    _arrange(signed_in, case_id, scheduled_at="2026-11-24T14:30")
    call_id = _call_id(app, case_id)
    sheet = {
        "reviewer_name": "Dr. Lee Park", "reviewer_credentials": "MD",
        "reviewer_specialty": "Internal medicine", "criteria_named": "InterQual",
        "criteria_version": "2026", "discussion": "Asked for the PT notes.",
        "outcome": "upheld", "reference_number": "P2P-7741", "held_at": "2026-11-24T14:40",
        "would_change": "Physical therapy notes from 2025", "next_step": "File the appeal",
        "rebuttal": str(rebuttal_id),
    }  # fmt: skip
    assert signed_in.post(f"/cases/{case_id}/p2p/calls/{call_id}", sheet).status_code == 302
    with app.app_context():
        case = db.session.get(Case, case_id)
        call = case.calls[0]
        assert case.status == "appeal"
        assert (call.outcome, call.reference_number, call.same_specialty) == (
            "upheld", "P2P-7741", False
        )  # fmt: skip
        assert [r.id for r in call.rebuttals] == [rebuttal_id]
        assert call.held_at == datetime(2026, 11, 24, 14, 40)
    assert _statuses(app, case_id)[-1] == "status p2p_scheduled -> appeal (P2P: denial upheld)"
    page = signed_in.get(f"/cases/{case_id}/p2p").get_data(as_text=True)
    assert "Not Rheumatology" in page and "same or a similar specialty" in page
    assert "File internal appeal" in page


def test_the_specialty_flag_answers_as_it_is_typed(signed_in, world, app):
    case_id = world["north"]
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "clinician@north.test"))
        user.specialty = "Rheumatology"
        case = db.session.get(Case, case_id)
        case.clinician = user
        case.team.specialty_note = "Texas: Tex. Ins. Code 4201.356 gives a same-specialty review."
        db.session.commit()
    _arrange(signed_in, case_id)
    url = f"/cases/{case_id}/p2p/calls/{_call_id(app, case_id)}/specialty"
    same = signed_in.get(f"{url}?reviewer_specialty=rheumatology").get_data(as_text=True)
    assert "Same specialty as Rheumatology" in same
    other = signed_in.get(f"{url}?reviewer_specialty=Family+medicine").get_data(as_text=True)
    assert "Not Rheumatology" in other and "4201.356" in other


def test_two_missed_windows_are_flagged(signed_in, world, app):
    case_id = world["north"]
    _arrange(signed_in, case_id, scheduled_at="2026-11-24T14:30")
    url = f"/cases/{case_id}/p2p/calls/{_call_id(app, case_id)}/attempts"
    signed_in.post(url, {"at": "2026-11-24T14:30", "result": "reviewer_missed", "note": ""})
    page = signed_in.get(f"/cases/{case_id}/p2p").get_data(as_text=True)
    assert "windows missed" not in page
    signed_in.post(
        url, {"at": "2026-11-25T09:00", "result": "we_missed", "note": "clinic ran late"}
    )
    page = signed_in.get(f"/cases/{case_id}/p2p").get_data(as_text=True)
    assert "2 windows missed: some plans now count the peer-to-peer as completed" in page
    refused = signed_in.post(url, {"at": "", "result": "nonsense"})
    assert refused.status_code == 422


def test_the_appeal_and_external_review_move_the_case_and_its_clocks(signed_in, world, app):
    case_id = world["north"]
    denial = date.today() - timedelta(days=30)
    _case(app, case_id, plan_type="aca", denial_received=denial, status="appeal")
    path = {"request_received": "", "appeal_filed": (denial + timedelta(days=5)).isoformat(),
            "appeal_decided": "", "appeal_outcome": "", "external_review_requested": "",
            "external_decided": "", "external_outcome": ""}  # fmt: skip
    signed_in.post(f"/cases/{case_id}/p2p/path", path)
    decided = denial + timedelta(days=20)
    path |= {"appeal_decided": decided.isoformat(), "appeal_outcome": "upheld"}
    signed_in.post(f"/cases/{case_id}/p2p/path", path)
    page = signed_in.get(f"/cases/{case_id}/p2p").get_data(as_text=True)
    assert "Request external review" in page  # four months from the final internal denial
    with app.app_context():
        assert db.session.get(Case, case_id).status == "appeal"
    path["external_review_requested"] = date.today().isoformat()
    signed_in.post(f"/cases/{case_id}/p2p/path", path)
    path |= {"external_decided": date.today().isoformat(), "external_outcome": "approved"}
    signed_in.post(f"/cases/{case_id}/p2p/path", path)
    with app.app_context():
        assert db.session.get(Case, case_id).status == "approved"
    assert _statuses(app, case_id)[-2:] == [
        "status appeal -> external_review (appeal and external review)",
        "status external_review -> approved (appeal and external review)",
    ]
    missing_date = signed_in.post(f"/cases/{case_id}/p2p/path", path | {"appeal_decided": ""})
    assert missing_date.status_code == 422
    assert "Give the date of the decision." in missing_date.get_data(as_text=True)


def test_deadlines_show_on_the_case_and_stand_out_on_the_case_list(signed_in, world, app):
    case_id = world["north"]
    _case(app, case_id, plan_type="erisa", denial_received=date.today() - timedelta(days=178))
    workspace = signed_in.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "File internal appeal" in workspace and "2 days left" in workspace
    assert "29 CFR 2560.503-1" in workspace
    listing = signed_in.get("/cases/").get_data(as_text=True)
    assert 'class="due-cell due_soon"' in listing and "2 days left" in listing
    _case(app, case_id, denial_received=date.today() - timedelta(days=185))
    listing = signed_in.get("/cases/").get_data(as_text=True)
    assert 'class="due-cell overdue"' in listing and "5 days overdue" in listing


def test_a_team_admin_edits_a_rule_and_the_case_follows(app, world):
    from tests.support import Client

    admin = Client(app)
    admin.login("admin@north.test")
    case_id = world["north"]
    _case(app, case_id, plan_type="erisa", denial_received=date(2026, 11, 2))
    rule = {"key": "erisa.file_appeal", "plan_type": "erisa", "step": "File internal appeal",
            "length": "90", "unit": "calendar_days", "starts": "denial_received", "ends": "",
            "urgency": "any", "source": "Plan document, section 7.2", "note": ""}  # fmt: skip
    assert admin.post("/teams/north/deadlines/", rule).status_code == 302
    page = admin.get("/teams/north/deadlines/").get_data(as_text=True)
    assert "edited by the team" in page and "Plan document, section 7.2" in page
    with app.test_request_context():
        from app.services.deadlines import for_case

        (d,) = for_case(db.session.get(Case, case_id), today=date(2026, 11, 23))
        assert (d.due.date(), d.source) == (date(2027, 1, 31), "Plan document, section 7.2")
    bad = admin.post("/teams/north/deadlines/", rule | {"unit": "fortnights", "length": "2"})
    assert bad.status_code == 422 and "Unknown unit" in bad.get_data(as_text=True)
    assert 'value="Plan document, section 7.2"' in bad.get_data(as_text=True)
    admin.post("/teams/north/deadlines/erisa.file_appeal/delete")
    with app.test_request_context():
        (d,) = for_case(db.session.get(Case, case_id), today=date(2026, 11, 23))
        assert d.due.date() == date(2027, 5, 1)  # 180 days again


def test_only_admins_edit_rules_and_other_teams_see_nothing(app, world):
    from tests.support import Client

    clinician = Client(app)
    clinician.login("clinician@north.test")
    assert clinician.get("/teams/north/deadlines/").status_code == 200
    rule = {"key": "x", "plan_type": "*", "step": "s", "length": "1", "unit": "hours",
            "starts": "denial_received", "urgency": "any", "source": "s"}  # fmt: skip
    assert clinician.post("/teams/north/deadlines/", rule).status_code == 403
    assert clinician.get("/teams/south/deadlines/").status_code == 404


def test_cli_prints_the_deadlines_as_json(app, world):
    case_id = world["north"]
    _case(app, case_id, plan_type="medicare_advantage", denial_received=date(2026, 11, 2))
    result = app.test_cli_runner().invoke(args=["deadlines", str(case_id), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [
        {
            "step": "Request reconsideration",
            "due": "2027-01-01T23:59:59",
            "rule": "ma.request_reconsideration",
            "source": "cms.gov, Medicare Part C reconsideration (42 CFR 422.582, 422.590)",
        }
    ]
    missing = app.test_cli_runner().invoke(args=["deadlines", "999", "--json"])
    assert missing.exit_code != 0 and "No case 999" in missing.output


def test_an_admin_keeps_the_teams_same_specialty_note(app, world):
    from tests.support import Client

    admin = Client(app)
    admin.login("admin@north.test")
    note = "Texas: Tex. Ins. Code 4201.356 gives a same-specialty review on request."
    response = admin.post("/teams/north/deadlines/specialty-note", {"specialty_note": note})
    assert response.status_code == 302
    assert note in admin.get("/teams/north/deadlines/").get_data(as_text=True)
    clinician = Client(app)
    clinician.login("clinician@north.test")
    refused = clinician.post("/teams/north/deadlines/specialty-note", {"specialty_note": "x"})
    assert refused.status_code == 403
    assert note in clinician.get("/teams/north/deadlines/").get_data(as_text=True)
