"""The team dashboard: what is due, counts by status, overturn rates; rebuttal usage."""

import re
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.domain.overturns import overturns
from app.extensions import db
from app.models import AuditEvent, Case, PeerCall, Rebuttal, Team
from app.render.overturns import overturn_chart
from tests.support import Client, add_case

pytestmark = pytest.mark.persistence

NMN, STEP = "not_medically_necessary", "step_therapy"
TODAY = date.today()

# North's logged calls, as the figures below are computed from them:
#   Acme Health (NMN):   approved, upheld, partly approved -> 2 of 3 decided = 67%
#   Birch Mutual (step): upheld, pending, one not logged    -> 0 of 1 decided = 0%
NORTH_CALLS = [
    ("Acme Health", NMN, "approved"),
    ("Acme Health", NMN, "upheld"),
    ("Acme Health", NMN, "partly_approved"),
    ("Birch Mutual", STEP, "upheld"),
    ("Birch Mutual", STEP, "pending"),
]


def team(slug: str) -> Team:
    return db.session.scalar(select(Team).where(Team.slug == slug))


def rebuttal(owner: Team, objection: str, position: int) -> Rebuttal:
    return Rebuttal(
        team_id=owner.id,
        category=NMN,
        objection=objection,
        rebuttal="Our answer.",
        position=position,
    )


def call(case: Case, outcome: str, rebuttals=()) -> PeerCall:
    row = PeerCall(case=case, outcome=outcome, held_at=datetime(2026, 11, 2, 10, 0))
    row.rebuttals = list(rebuttals)
    db.session.add(row)
    return row


@pytest.fixture
def calls(app, world):
    """North's calls above, with two rebuttals; south's calls, which north must never see."""
    with app.app_context():
        north, south = team("north"), team("south")
        used = rebuttal(north, "Conservative care not tried.", 0)
        unused = rebuttal(north, "Imaging not indicated.", 1)
        db.session.add_all([used, unused])
        acme = add_case(north, patient_name="Ada Acme", payer="Acme Health", status="p2p_done")
        birch = add_case(north, patient_name="Bo Birch", payer="Birch Mutual", denial_category=STEP)
        call(acme, "approved", [used])
        call(acme, "upheld", [used])
        call(acme, "partly_approved", [used])
        call(birch, "upheld")
        call(birch, "pending", [used])
        call(birch, "", [used])  # arranged, not logged yet: counts nowhere
        # South: the same payer with every call upheld, a payer north never had, and a south
        # call that (wrongly) names north's rebuttal.
        sacme = add_case(south, patient_name="Sal Acme", payer="Acme Health")
        for _ in range(3):
            call(sacme, "upheld", [used])
        call(add_case(south, patient_name="Sue Cross", payer="Southern Cross"), "approved")
        db.session.commit()
        return {"used": used.id, "unused": unused.id}


def cells(html: str, name: str) -> list[list[str]]:
    """The words of each further cell of the overturn table row that starts with `name`."""
    found = re.search(rf"<tr><td>{re.escape(name)}</td>(.*?)</tr>", html, re.S)
    assert found, f"no row for {name}"
    return [
        re.sub(r"<[^>]+>|\s+", " ", c).split()
        for c in re.findall(r"<td>(.*?)</td>", found[1], re.S)
    ]


def test_overturn_rates_match_the_hand_computed_figures(signed_in, calls):
    page = signed_in.get("/dashboard/").get_data(as_text=True)

    # calls, overturned, upheld, other, rate
    assert cells(page, "Acme Health") == [["3"], ["2"], ["1"], ["0"], ["67%", "n", "=", "3"]]
    assert cells(page, "Birch Mutual") == [["2"], ["0"], ["1"], ["1"], ["0%", "n", "=", "1"]]
    assert cells(page, "Not medically necessary")[-1] == ["67%", "n", "=", "3"]
    assert cells(page, "Step therapy / fail-first not met")[-1] == ["0%", "n", "=", "1"]
    assert '<img src="/dashboard/overturns.png"' in page


def test_south_calls_and_patients_never_reach_norths_dashboard(signed_in, calls):
    page = signed_in.get("/dashboard/").get_data(as_text=True)

    assert "Southern Cross" not in page
    assert "Sal Acme" not in page and "Sue Cross" not in page and "Sam South" not in page
    # South's three upheld Acme calls would make Acme 2 of 6.
    assert "33%" not in page


def test_the_chart_is_a_png_of_norths_calls_only(signed_in, calls):
    response = signed_in.get("/dashboard/overturns.png")

    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert response.headers["Cache-Control"] == "no-store"
    expected = overturns(NORTH_CALLS)
    assert response.data == overturn_chart(expected.by_payer, expected.by_category)


def test_without_a_decided_call_there_is_no_chart(signed_in, app, world):
    with app.app_context():
        call(db.session.get(Case, world["north"]), "pending")
        db.session.commit()

    page = signed_in.get("/dashboard/").get_data(as_text=True)

    assert "overturns.png" not in page
    assert "No logged call has been decided yet" in page
    assert cells(page, "Acme Health")[-1] == ["—", "none", "decided"]
    assert signed_in.get("/dashboard/overturns.png").status_code == 404


def test_without_logged_calls_the_page_says_so(signed_in):
    page = signed_in.get("/dashboard/").get_data(as_text=True)

    assert "No P2P call has been logged yet" in page
    assert "overturns.png" not in page
    assert signed_in.get("/dashboard/overturns.png").status_code == 404


def test_overdue_and_due_soon_deadlines_stand_out_overdue_first(signed_in, app, world):
    with app.app_context():
        north, south = team("north"), team("south")
        # ERISA: 180 days to file the internal appeal, counted from the denial.
        add_case(
            north,
            patient_name="Soon Sato",
            plan_type="commercial",
            denial_received=TODAY - timedelta(days=178),
        )
        add_case(
            north,
            patient_name="Late Lind",
            plan_type="erisa",
            denial_received=TODAY - timedelta(days=200),
        )
        add_case(
            north,
            patient_name="Calm Cole",
            plan_type="erisa",
            denial_received=TODAY - timedelta(days=10),
        )
        add_case(
            north,
            patient_name="Done Dahl",
            plan_type="erisa",
            status="closed",
            denial_received=TODAY - timedelta(days=300),
        )
        add_case(south, patient_name="Far Fox", plan_type="erisa",
                 denial_received=TODAY - timedelta(days=200))  # fmt: skip

    page = signed_in.get("/dashboard/").get_data(as_text=True)
    pressing = re.search(r'<table class="cases" id="pressing">(.*?)</table>', page, re.S)[1]
    others = re.search(r'<table class="cases" id="others">(.*?)</table>', page, re.S)[1]

    late = re.search(r'<tr class="overdue">(.*?)</tr>', pressing, re.S)[1]
    assert "Late Lind" in late and "File internal appeal" in late
    assert '<span class="tag urgent">Overdue</span> 20 days overdue' in late
    assert "29 CFR 2560.503-1" in late
    soon = re.search(r'<tr class="due_soon">(.*?)</tr>', pressing, re.S)[1]
    assert "Soon Sato" in soon and '<td class="due-cell due_soon">2 days left' in soon
    assert pressing.index("Late Lind") < pressing.index("Soon Sato")
    # The others show their next deadline, or that no clock runs; closed and south's are gone.
    assert "Calm Cole" in others and "170 days left" in others
    assert "Nora North" in others and "No clock running" in others
    assert "Calm Cole" not in pressing and "Done Dahl" not in page and "Far Fox" not in page


def test_counts_by_status_are_the_teams(signed_in, app, world):
    with app.app_context():
        north, south = team("north"), team("south")
        add_case(north, status="appeal")
        add_case(north, status="appeal")
        add_case(north, status="approved")
        add_case(south, status="appeal")

    page = signed_in.get("/dashboard/").get_data(as_text=True)
    counts = dict(
        re.findall(r'href="/cases/\?status=(\w+)" aria-label="\d+ [^"]+">(\d+)</a>', page)
    )

    assert counts == {"draft": "1", "appeal": "2", "approved": "1"}


def test_the_dashboard_writes_one_audit_row_without_patient_names(signed_in, app, calls):
    with app.app_context():
        before = db.session.scalar(select(func.count(AuditEvent.id)))

    signed_in.get("/dashboard/")

    with app.app_context():
        rows = db.session.scalars(select(AuditEvent).where(AuditEvent.id > before)).all()
        assert [(r.action, r.what, r.team_id) for r in rows] == [
            ("list", "dashboard (3 cases)", team("north").id)
        ]
        assert rows[0].user.email == "clinician@north.test"


def test_each_rebuttal_shows_how_its_calls_ended_from_the_teams_calls_only(signed_in, calls):
    page = signed_in.get(f"/teams/north/rebuttals/?category={NMN}").get_data(as_text=True)

    # Used in: Acme approved, upheld, partly approved; Birch pending. Not: the unlogged call,
    # south's three.
    used = page.index("Conservative care not tried.")
    unused = page.index("Imaging not indicated.")
    assert "Used in 4 calls · 2 approved · 1 upheld" in page[used:unused]
    assert "Not used in a logged call yet" in page[unused:]


def test_another_teams_member_sees_their_own_dashboard(app, calls):
    south = Client(app)
    south.login("clinician@south.test")

    page = south.get("/dashboard/").get_data(as_text=True)

    assert cells(page, "Acme Health")[-1] == ["0%", "n", "=", "3"]
    assert cells(page, "Southern Cross")[-1] == ["100%", "n", "=", "1"]
    assert "Birch Mutual" not in page and "Ada Acme" not in page
