"""Synthetic demo data: a team, its clinicians and logins, and cases from the product's
scenarios, each read from the case JSON the tests use too (app/scenarios), so there is one
way to build case data.

Four cases are finished as a clinician would leave them (brief mapped, claims cited, letter
ready), one per kind of denial; the chronic migraine case is left at its facts to show the
workflow from there. Every patient is invented; the team is flagged synthetic and every page
of it says so.
"""

import json
from pathlib import Path

from sqlalchemy import select

from app.extensions import db
from app.library import importer
from app.models import Case, DeadlineRule, Membership, Team, User
from citations.starter import starter_bibtex

SLUG = "demo-clinic"
EMAIL = "demo@peerbrief.test"
ADMIN_EMAIL = "admin@peerbrief.test"
PASSWORD = "peerbrief-demo"
CASES_DIR = Path(__file__).parent / "scenarios"

# The team's clinicians: (email, name, credentials, specialty, NPI). The first is the demo
# login; each case's signer is one of them, by email.
CLINICIANS = (
    (EMAIL, "Avery Demo", "MD", "Rheumatology", "1234567893"),
    ("n.ferreira@peerbrief.test", "Nadia Ferreira", "MD", "Pain medicine", "1987654328"),
    (
        "t.lindqvist@peerbrief.test",
        "Tomas Lindqvist",
        "DO",
        "Physical medicine and rehabilitation",
        "1456789019",
    ),  # fmt: skip
    ("h.achebe@peerbrief.test", "Helen Achebe", "MD", "Neurology", "1678901236"),
)
# The demo's cases, in the order the case list shows them: finished, then the unfinished one.
FINISHED = (
    "ra-adalimumab-step-therapy",
    "lumbar-mri-not-medically-necessary",
    "lumbar-rfa-insufficient-documentation",
    "scs-pdn-experimental",
)
UNFINISHED = "migraine-erenumab-step-therapy"
# What the unfinished case has not been given yet: the brief after the facts.
NOT_YET = ("criteria", "claims", "rewrites")
NOT_YET_CASE = ("thesis", "framing", "risks", "fallback_asks")

SPECIALTY = (
    "Many states and NCQA accreditation standards require that an appeal be reviewed by a "
    "physician of the same or a similar specialty (for example, Tex. Ins. Code 4201.356)."
)
# A payer's window to request the P2P, as a team would enter it from a provider manual.
P2P_WINDOW = dict(
    key="p2p.request",
    plan_type="*",
    step="Request the peer-to-peer review",
    length=5,
    unit="business_days",
    starts="p2p_offered",
    urgency="any",
    source="Payer provider manuals (synthetic): 5 business days from the offer",
    note="Plans set their own window; edit for each payer.",
)


def fixture(name: str) -> dict:
    """One case file of app/scenarios, as exported data."""
    return json.loads((CASES_DIR / f"{name}.json").read_text(encoding="utf-8"))


def unfinished(data: dict) -> dict:
    """A case file cut back to its intake, facts and documents: where a clinician starts the
    brief."""
    data = {k: v for k, v in data.items() if k not in NOT_YET}
    data["case"] = {**data["case"], **dict.fromkeys(NOT_YET_CASE, "")}
    return data


def load() -> tuple[Team, list[Case]]:
    """Create the demo team, its clinicians and cases; returns what exists if already loaded."""
    from app.transfer import import_case

    team = db.session.scalar(select(Team).where(Team.slug == SLUG))
    if team is not None:
        cases = db.session.scalars(
            select(Case).where(Case.team_id == team.id).order_by(Case.id)
        ).all()
        return team, list(cases)
    team = Team(
        slug=SLUG, name="Demo Clinic (synthetic data)", synthetic=True, specialty_note=SPECIALTY
    )
    members = [Membership(user=_user(*c), team=team, role="clinician") for c in CLINICIANS]
    admin = _user(ADMIN_EMAIL, "Jordan Demo-Admin", "", "")
    db.session.add_all([team, *members, Membership(user=admin, team=team, role="admin")])
    db.session.flush()
    db.session.add(DeadlineRule(team_id=team.id, **P2P_WINDOW))
    importer.run(team.id, starter_bibtex())  # the cases cite it; it commits
    files = [fixture(name) for name in FINISHED] + [unfinished(fixture(UNFINISHED))]
    cases = [import_case(data, team.id).case for data in files]
    db.session.commit()
    return team, cases


def _user(email: str, name: str, credentials: str, specialty: str, npi: str = "") -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, name=name, credentials=credentials, specialty=specialty, npi=npi)
        user.set_password(PASSWORD)
    return user


def fixture_names() -> list[str]:
    """Every case file's name (without .json), sorted."""
    return sorted(p.stem for p in Path(CASES_DIR).glob("*.json"))
