"""A synthetic case with a patient identifier planted in every field that can hold one, and
the clinical content around them that de-identification must leave alone.

Plain data, so the domain tests build it from SimpleNamespace and the web tests from the
models. The patient is invented.
"""

from dataclasses import fields, is_dataclass
from datetime import date, datetime
from types import SimpleNamespace

NAME = "Marisol Quintero"
DOB = date(1980, 3, 14)
MRN = "SYN-100231"
MEMBER = "SYNW48812077"
GROUP = "GRP-40117"
REFERENCE = "PA-2026-118734"
PHONE = "(555) 201-4477"
FAX = "555-201-4478"
EMAIL = "marisol.q@example.com"
URL = "https://portal.example.org/chart/100231"
STREET = "41 Harbor View Lane"
CITY = "Springfield, OH 45501"
SSN = "123-45-6789"
DATES = ("2026-10-02", "10/02/2026", "10/2/26", "Oct 2, 2026", "2 October 2026", "October 2026")
RELATIVE = "Ana"

# Typed into the case: each must be replaced, and be listed in the report.
PLANTED = (
    NAME, "Marisol", "Quintero", "M. Quintero", MRN, "100231", MEMBER, GROUP, REFERENCE,
    PHONE, FAX, EMAIL, URL, STREET, "Springfield", "45501", SSN, "03/14/1980", RELATIVE,
    *DATES,
)  # fmt: skip
# Nowhere in a de-identified packet, however it is spelled (the last ones are how the
# packet itself would show the structured dates).
ABSENT = (*PLANTED, "marisol", "QUINTERO", "1980-03-14", "14 Mar 1980", "2 Oct 2026")
# Clinical content that must come through unchanged.
CLINICAL = (
    "40 mg", "CDAI 31", "M05.79", "J0135", "15 → 25 mg weekly", "ALT 3.4× ULN", "every 2 weeks",
    "RF+, anti-CCP+", "85% relief", "90% relief", "20 mg daily", "Pharmacy policy RX-417",
    "11 work days", "9 tender and 7 swollen joints", "4/5", "PHQ-9 11", "72148",
)  # fmt: skip

CASE = dict(
    patient_name=f"{NAME} (synthetic)",
    patient_dob=DOB,
    mrn=MRN,
    member_id=MEMBER,
    group_number=GROUP,
    payer="Keystone Benefit Administrators",
    plan_type="erisa",
    service_description="Adalimumab 40 mg subcutaneous every 2 weeks",
    procedure_codes="J0135",
    drug_name="Adalimumab",
    drug_strength="40 mg/0.4 mL",
    drug_quantity="2 pens per 28 days",
    diagnosis_codes="M05.79",
    site_of_care="Home (pharmacy benefit)",
    service_start=date(2026, 10, 20),
    service_end=None,
    urgency="standard",
    denial_received=date(2026, 10, 2),
    denial_reference=REFERENCE,
    denial_category="step_therapy",
    denial_reason=f"Step therapy requirement not met for member {MEMBER} (group {GROUP}): "
    "member must try and fail two conventional DMARDs. Letter dated 10/02/2026, "
    f"ref {REFERENCE}.",
    denial_reason_missing=False,
    criteria_set="policy",
    criteria_detail="Pharmacy policy RX-417",
    framing=f"Keeps Ms. Quintero at work; she lives at {STREET}, {CITY} and drives to the "
    "warehouse.",
    risks=f"Without it Marisol's CDAI 31 stays high; call her at {PHONE}.",
    ask="Approve adalimumab 40 mg every 2 weeks from Oct 2, 2026.",
    fallback_asks=f"6-month trial with a CDAI re-check\nFax the approval to {FAX}",
)
FACTS = [
    dict(
        kind="diagnosis",
        text="Seropositive rheumatoid arthritis (RF+, anti-CCP+), ICD M05.79",
        severity="high disease activity",
        fact_date="2023",
    ),
    dict(
        kind="prior_treatment",
        therapy="Methotrexate",
        dose="15 → 25 mg weekly",
        start_date="2024-01",
        stop_date="2024-09",
        outcome="intolerant",
        reason_stopped="ALT 3.4× ULN",
        text=f"Fill history from M. Quintero's pharmacy, sent from {EMAIL}.",
    ),
    dict(
        kind="prior_treatment",
        therapy="Leflunomide",
        dose="20 mg daily",
        start_date="2025-08",
        stop_date="2026-06",
        outcome="intolerant",
        reason_stopped="Diarrhoea; see the 2 October 2026 note",
    ),
    dict(
        kind="finding",
        finding_type="exam",
        text="Medial branch block on 2026-07-14: 85% relief; grip 4/5",
        fact_date="2026-07-14",
    ),
    dict(
        kind="finding", finding_type="exam", text="Second block: 90% relief", fact_date="2026-08-11"
    ),
    dict(kind="pro", instrument="cdai", score=31, fact_date="2026-09-12", text=f"Sent via {URL}"),
    dict(kind="pro", instrument="phq9", score=11, fact_date="2026-09-12", text="PHQ-9 11"),
    dict(
        kind="history",
        text=f"Born 03/14/1980; MRN: {MRN}; SSN {SSN}; seen October 2026 with her daughter "
        f"{RELATIVE}.",
    ),
    dict(
        kind="functional_impact",
        text="Missed 11 work days; 9 tender and 7 swollen joints; cannot grip the pallet jack.",
    ),
]
CRITERIA = [
    dict(
        text="Trial and failure of two conventional DMARDs",
        status="met",
        note=f"Methotrexate documented 10/2/26; confirmed with {NAME} at {PHONE}.",
        facts=(1, 2),
    ),
    dict(text="Prescribed by a rheumatologist", status="needs_doc", note="", facts=()),
]
COMMENTS = [
    "Spoke with Quintero, Marisol on Oct 2, 2026 about the fills; MRN 100231. CPT 72148 is "
    "the other case.",
]
DOCUMENTS = [
    dict(
        kind="Progress note",
        title="Rheumatology follow-up for M. Quintero",
        document_date=date(2026, 9, 12),
        text=f"Patient: {NAME}\nDOB: 03/14/1980\nAddress: {STREET}, {CITY}\n\n"
        "Today 9 tender and 7 swollen joints, CDAI 31. Plan: request adalimumab 40 mg SC "
        "every 2 weeks (J0135).",
    )
]
CLINICIAN = "Avery Demo"


def case(**changes) -> SimpleNamespace:
    """The planted case as plain objects, the way the domain reads a case."""
    clinician = SimpleNamespace(
        name=CLINICIAN, display=f"{CLINICIAN}, MD", specialty="Rheumatology", credentials="MD"
    )
    facts = [
        SimpleNamespace(
            **{
                "id": n,
                "in_letter": True,
                **dict.fromkeys(
                    ("text", "fact_date", "severity", "finding_type", "therapy", "dose"), None
                ),
                **dict.fromkeys(("start_date", "stop_date", "outcome", "reason_stopped"), None),
                **dict.fromkeys(("instrument", "score"), None),
                **spec,
            }
        )
        for n, spec in enumerate(FACTS, start=1)
    ]
    criteria = [
        SimpleNamespace(
            id=n,
            text=c["text"],
            status=c["status"],
            note=c["note"],
            facts=[facts[i] for i in c["facts"]],
            evidence=[],
        )
        for n, c in enumerate(CRITERIA, start=1)
    ]
    comments = [
        SimpleNamespace(user=clinician, body=body, created_at=datetime(2026, 10, 3, 9, 30))
        for body in COMMENTS
    ]
    team = SimpleNamespace(memberships=[SimpleNamespace(user=clinician)])
    return SimpleNamespace(
        **{
            **CASE,
            "facts": facts,
            "criteria": criteria,
            "comments": comments,
            "documents": [SimpleNamespace(**d) for d in DOCUMENTS],
            "calls": [SimpleNamespace(reference_number="P2P-26-55190")],
            "clinician": clinician,
            "team": team,
            "citations": [],
            "patient_sex": "female",
            "patient_title": "",
            "patient_pronouns": "",
            "requested_service": CASE["service_description"],
            "requested_quantity": "",
            "requested_duration": "",
            "thesis": "",
            **changes,
        }
    )


def deadlines() -> list[SimpleNamespace]:
    return [
        SimpleNamespace(
            step="File internal appeal",
            due=datetime(2027, 3, 31, 23, 59, 59),
            unit="calendar_days",
            days_left=128,
            done=False,
            source="29 CFR 2560.503-1",
        )
    ]


def strings(value) -> list[str]:
    """Every string in a packet (or anything made of dataclasses, lists and tuples)."""
    if isinstance(value, str):
        return [value]
    if is_dataclass(value):
        return [s for f in fields(value) for s in strings(getattr(value, f.name))]
    if isinstance(value, list | tuple):
        return [s for item in value for s in strings(item)]
    return []
