"""Synthetic demo data: a team, a clinician login and three cases from the product's scenarios.

Every patient is invented; the team is flagged synthetic and every page of it says so.
"""

from datetime import date, datetime

from sqlalchemy import select

from app.extensions import db
from app.library import importer
from app.models import (
    Case,
    DeadlineRule,
    Fact,
    Membership,
    PeerCall,
    SourceDocument,
    Team,
    User,
)
from citations.starter import starter_bibtex

SLUG = "demo-clinic"
EMAIL = "demo@peerbrief.test"
ADMIN_EMAIL = "admin@peerbrief.test"
PASSWORD = "peerbrief-demo"

CASES = [
    {
        "case": dict(
            patient_name="Marisol Quintero (synthetic)",
            patient_dob=date(1980, 3, 14),
            mrn="SYN-100231",
            member_id="SYNW48812077",
            group_number="GRP-40117",
            payer="Keystone Benefit Administrators",
            plan_type="erisa",
            service_description="Adalimumab 40 mg subcutaneous every 2 weeks",
            procedure_codes="J0135",
            drug_name="Adalimumab",
            drug_strength="40 mg/0.4 mL",
            drug_quantity="2 pens per 28 days",
            diagnosis_codes="M05.79",
            site_of_care="Home (pharmacy benefit)",
            urgency="standard",
            denial_received=date(2026, 10, 2),
            denial_reference="PA-2026-118734",
            denial_category="step_therapy",
            denial_reason="Step therapy requirement not met: member must try and fail two "
            "conventional DMARDs.",
            criteria_set="policy",
            criteria_detail="Pharmacy policy RX-417",
        ),
        "status": "appeal",
        "calls": [
            dict(
                offered_on=date(2026, 10, 5),
                scheduled_at=datetime(2026, 10, 8, 12, 30),
                held_at=datetime(2026, 10, 8, 12, 40),
                callback_number="(800) 555-0142",
                reviewer_name="Dr. Glen Harlow (synthetic)",
                reviewer_credentials="MD",
                reviewer_specialty="Internal medicine",
                same_specialty=False,
                criteria_named="Pharmacy policy RX-417",
                criteria_version="2026-07",
                discussion="Reviewer counted methotrexate only; said leflunomide was not on "
                "the claims record.",
                outcome="upheld",
                reference_number="P2P-26-55190",
                would_change="Pharmacy fill history or clinic notes for the leflunomide trial.",
                next_step="File the internal appeal with the leflunomide records.",
            )
        ],
        "documents": [
            dict(
                kind="Progress note",
                title="Rheumatology follow-up",
                document_date=date(2026, 9, 12),
                text="Seropositive RA (RF+, anti-CCP+) since 2023. Today 9 tender and 7 swollen "
                "joints, CDAI 31. Cannot grip the pallet jack at work; missed 11 work days this "
                "quarter. Sleep broken by pain most nights. Plan: request adalimumab.",
            ),
        ],
        "facts": [
            dict(
                kind="diagnosis",
                text="Seropositive rheumatoid arthritis (RF+, anti-CCP+)",
                severity="high disease activity, erosive",
                fact_date="2023",
            ),
            dict(
                kind="finding",
                finding_type="imaging",
                text="Erosions on hand X-ray",
                fact_date="2025-08",
            ),
            dict(
                kind="prior_treatment",
                therapy="Methotrexate",
                dose="15 → 25 mg weekly",
                start_date="2024-01",
                stop_date="2024-09",
                outcome="intolerant",
                reason_stopped="ALT 3.4× ULN despite folic acid",
            ),
            dict(
                kind="prior_treatment",
                therapy="Hydroxychloroquine + sulfasalazine",
                dose="400 mg daily + 2 g daily",
                start_date="2024-10",
                stop_date="2025-07",
                outcome="ineffective",
                reason_stopped="CDAI stayed above 22",
            ),
            dict(
                kind="prior_treatment",
                therapy="Leflunomide",
                dose="20 mg daily",
                start_date="2025-08",
                stop_date="2026-06",
                outcome="intolerant",
                reason_stopped="Diarrhoea and weight loss",
            ),
            dict(
                kind="pro",
                instrument="cdai",
                score=31,
                fact_date="2026-09-12",
                source=(0, "CDAI 31"),
            ),
            dict(kind="pro", instrument="haqdi", score=1.6, fact_date="2026-09-12"),
            dict(kind="pro", instrument="pain_nrs", score=7, fact_date="2026-09-12"),
            dict(
                kind="functional_impact",
                source=(0, "missed 11 work days this quarter"),
                text="Missed 11 work days in the last quarter; cannot grip the pallet jack.",
            ),
            dict(
                kind="goal", text="Keep working as a warehouse supervisor; sleep through the night."
            ),
        ],
    },
    {
        "case": dict(
            patient_name="Harold Brandt (synthetic)",
            patient_dob=date(1955, 6, 2),
            mrn="SYN-100874",
            member_id="SYNMA5530912",
            group_number="",
            payer="Evergreen Medicare Advantage",
            plan_type="medicare_advantage",
            service_description="MRI lumbar spine without contrast",
            procedure_codes="72148",
            diagnosis_codes="M54.17 M21.372",
            site_of_care="Outpatient imaging center",
            service_start=date(2026, 10, 27),
            urgency="expedited",
            denial_received=date(2026, 10, 23),
            denial_reference="MA-IMG-77120",
            denial_category="not_medically_necessary",
            denial_reason="Not medically necessary: conservative care of at least 6 weeks not "
            "documented.",
            criteria_set="policy",
            criteria_detail="Vendor imaging guideline, spine section",
        ),
        "status": "p2p_scheduled",
        "calls": [
            dict(
                offered_on=date(2026, 10, 23),
                request_by=date(2026, 10, 30),
                windows="Mon-Fri 10:00-12:00 Eastern",
                scheduled_at=datetime(2026, 11, 25, 10, 0),
                callback_number="(888) 555-0199",
            )
        ],
        "documents": [],
        "facts": [
            dict(kind="history", text="7 weeks of left L5 radicular pain.", fact_date="2026-10"),
            dict(
                kind="finding",
                finding_type="exam",
                text="Left ankle dorsiflexion 4/5, down from 5/5 two weeks earlier: progressive "
                "foot-drop weakness.",
                fact_date="2026-10-20",
            ),
            dict(
                kind="prior_treatment",
                therapy="Physical therapy",
                dose="6 sessions",
                start_date="2026-09-08",
                stop_date="2026-10-10",
                outcome="ineffective",
            ),
            dict(
                kind="prior_treatment",
                therapy="Naproxen",
                dose="500 mg twice daily, 4 weeks",
                outcome="intolerant",
                reason_stopped="Dyspepsia",
            ),
            dict(
                kind="prior_treatment",
                therapy="Gabapentin",
                dose="300 mg three times daily",
                outcome="partial",
            ),
            dict(kind="pro", instrument="odi", score=52, fact_date="2026-10-20"),
            dict(kind="pro", instrument="pain_nrs", score=8, fact_date="2026-10-20"),
        ],
    },
    {
        "case": dict(
            patient_name="Dwayne Okafor (synthetic)",
            patient_dob=date(1968, 1, 21),
            mrn="SYN-101455",
            member_id="SYNC7719304",
            group_number="GRP-88210",
            payer="Summit Health Insurance",
            plan_type="commercial",
            service_description="Lumbar medial branch radiofrequency ablation L3-L5, left",
            procedure_codes="64635 64636",
            diagnosis_codes="M47.816",
            site_of_care="Ambulatory surgery center",
            urgency="standard",
            denial_received=date(2026, 10, 15),
            denial_reference="SHI-26-440918",
            denial_category="insufficient_documentation",
            denial_reason="Insufficient documentation: two diagnostic medial branch blocks with "
            "≥80% relief not submitted.",
            criteria_set="policy",
            criteria_detail="Medical policy PAIN-112",
        ),
        "documents": [],
        "facts": [
            dict(
                kind="diagnosis",
                text="Chronic axial low back pain from facet arthropathy",
                severity="2 years",
                fact_date="2024",
            ),
            dict(
                kind="finding",
                finding_type="exam",
                text="Medial branch block: 85% relief for "
                "the duration of the anaesthetic (pain diary)",
                fact_date="2026-07-14",
            ),
            dict(
                kind="finding",
                finding_type="exam",
                text="Medial branch block: 90% relief for "
                "the duration of the anaesthetic (pain diary)",
                fact_date="2026-08-11",
            ),
            dict(
                kind="prior_treatment",
                therapy="Physical therapy",
                dose="12 weeks",
                start_date="2025",
                stop_date="2025",
                outcome="ineffective",
            ),
            dict(kind="contraindication", text="NSAIDs limited by CKD stage 3a (eGFR 52)."),
            dict(
                kind="prior_treatment",
                therapy="CBT for pain",
                dose="8 sessions",
                start_date="2026",
                outcome="partial",
            ),
            dict(kind="pro", instrument="pain_nrs", score=7, fact_date="2026-10-01"),
            dict(kind="pro", instrument="odi", score=44, fact_date="2026-10-01"),
            dict(
                kind="pro",
                instrument="phq9",
                score=11,
                fact_date="2026-10-01",
                text="Secondary to pain.",
            ),
            dict(kind="goal", text="Avoid long-term opioids and keep working as an electrician."),
        ],
    },
]


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


def load() -> tuple[Team, list[Case]]:
    """Create the demo team, its clinician and cases; returns what exists if already loaded."""
    team = db.session.scalar(select(Team).where(Team.slug == SLUG))
    if team is not None:
        cases = db.session.scalars(select(Case).where(Case.team_id == team.id)).all()
        return team, list(cases)
    team = Team(
        slug=SLUG, name="Demo Clinic (synthetic data)", synthetic=True, specialty_note=SPECIALTY
    )
    user = _user(EMAIL, "Avery Demo", "MD", "Rheumatology", npi="1234567893")
    admin = _user(ADMIN_EMAIL, "Jordan Demo-Admin", "", "")
    db.session.add_all(
        [
            team,
            Membership(user=user, team=team, role="clinician"),
            Membership(user=admin, team=team, role="admin"),
        ]
    )
    cases = [_case(spec, team, user) for spec in CASES]
    db.session.add_all(cases)
    db.session.flush()
    db.session.add(DeadlineRule(team_id=team.id, **P2P_WINDOW))
    importer.run(team.id, starter_bibtex())  # published guidelines, so the library is not empty
    db.session.commit()
    return team, cases


def _user(email: str, name: str, credentials: str, specialty: str, npi: str = "") -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, name=name, credentials=credentials, specialty=specialty, npi=npi)
        user.set_password(PASSWORD)
    return user


def _case(spec: dict, team: Team, user: User) -> Case:
    case = Case(team=team, clinician=user, status=spec.get("status", "draft"), **spec["case"])
    case.calls = [PeerCall(user=user, **call) for call in spec.get("calls", [])]
    case.documents = [SourceDocument(**d) for d in spec["documents"]]
    for position, fact_spec in enumerate(spec["facts"], start=1):
        fact_spec = dict(fact_spec)
        source = fact_spec.pop("source", None)
        fact = Fact(kind=fact_spec.pop("kind"), position=position, **fact_spec)
        if source:
            document = case.documents[source[0]]
            fact.source = document
            fact.source_start = document.text.index(source[1])
            fact.source_end = fact.source_start + len(source[1])
        case.facts.append(fact)
    return case
