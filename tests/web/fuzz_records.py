"""The records the fuzzing works on, planted fresh on a case, and a form each route would
accept, made from them: the fuzzing changes some of its fields."""

import itertools

from sqlalchemy import select

from app.extensions import db
from app.library import store
from app.models import (
    Case,
    CaseCitation,
    Conference,
    ConferenceCase,
    Criterion,
    DeadlineRule,
    Export,
    Fact,
    ImportJob,
    Invitation,
    Membership,
    PeerCall,
    Rebuttal,
    SourceDocument,
    Task,
    User,
)
from citations import parse_bibtex
from tests.support import PASSWORD

# --- the world the fuzzing works on ------------------------------------------------------------

SERIAL = itertools.count()


def plant(case: Case) -> dict:
    """Fresh records of every kind a route reaches, on `case`; their ids by argument name."""
    n = next(SERIAL)
    doc = SourceDocument(
        case=case, kind="Consult", title="Note", text="Knee pain for a year.", document_date=None
    )
    doc.document_date = case.patient_dob
    fact = Fact(case=case, kind="history", text=f"History {n}", position=n)
    criterion = Criterion(case=case, text=f"Criterion {n}", position=n)
    db.session.add_all([doc, fact, criterion])
    entry = parse_bibtex(f"@article{{fuzz{n}, title={{Trial {n}}}, year={{2020}}}}").entries[0]
    citation = store.save(case.team_id, entry)
    link = CaseCitation(case=case, citation=citation, claim=f"Claim {n}")
    job = ImportJob(team_id=case.team_id, text="@misc{x, title={y}}", state="done", report={})
    export = Export(case=case, kind="letter", filename="x.docx", sha256="0" * 64, content=b"x")
    call = PeerCall(case=case, reviewer_name="Dr Who", reference_number="R-1")
    task = Task(case=case, title=f"Task {n}")
    conference = Conference(team_id=case.team_id, title=f"Meeting {n}", held_on=case.patient_dob)
    item = ConferenceCase(conference=conference, case=case, position=1, question="Appeal?")
    rebuttal = Rebuttal(
        team_id=case.team_id,
        category=case.denial_category,
        objection="Not proven",
        rebuttal="It is",
        position=n,
    )
    user = User(email=f"member{n}@north.test", name=f"Member {n}", password_hash="x")
    membership = Membership(user=user, team_id=case.team_id, role="coordinator")
    outsider = User(email=f"invitee{n}@example.test", name=f"Invitee {n}", password_hash="x")
    invitation = Invitation(team_id=case.team_id, user=outsider, role="coordinator")
    rule = DeadlineRule(
        team_id=case.team_id,
        key=f"fuzz.rule{n}",
        plan_type="*",
        step="Step",
        length=5,
        unit="calendar_days",
        starts="denial_received",
        source="Plan",
    )
    db.session.add_all([link, job, export, call, task, conference, item, rebuttal, membership])
    db.session.add(invitation)
    spare = Case(
        team_id=case.team_id,
        patient_name=f"Spare {n}",
        patient_dob=case.patient_dob,
        payer="Acme Health",
        plan_type="commercial",
        service_description="MRI",
        denial_category="not_medically_necessary",
    )
    db.session.add_all([rule, spare])
    db.session.commit()
    admin = db.session.scalar(select(User).where(User.email == "admin@north.test"))
    return {
        "n_": n,
        "admin_id": admin.id,
        "spare_case_id": spare.id,
        "case_id": case.id,
        "fact_id": fact.id,
        "document_id": doc.id,
        "citation_id": citation.id,
        "link_id": link.id,
        "job_id": job.id,
        "criterion_id": criterion.id,
        "export_id": export.id,
        "call_id": call.id,
        "conference_id": conference.id,
        "item_id": item.id,
        "task_id": task.id,
        "rebuttal_id": rebuttal.id,
        "membership_id": membership.id,
        "invitation_id": invitation.id,
        "n": 1,
    }


def versions(case_id: int, ids: dict) -> dict:
    """The versions the planted records are at now: a form made from them saves."""
    with db.session.no_autoflush:
        case = db.session.get(Case, case_id)
        fact, criterion = (
            db.session.get(Fact, ids["fact_id"]),
            db.session.get(Criterion, ids["criterion_id"]),
        )
        edit = next((e for e in case.edits if e.key == "request"), None)
        return {
            "case": case.version,
            "framing": case.framing_version,
            "fact": fact.version if fact else 0,
            "criterion": criterion.version if criterion else 0,
            "request": edit.version if edit else 0,
            "own_profile": db.session.get(User, ids["admin_id"]).profile_version,
            "member_profile": _member_profile(ids["membership_id"]),
        }


def _member_profile(membership_id: int) -> int:
    membership = db.session.get(Membership, membership_id)
    return membership.user.profile_version if membership else 0


def baselines(ids: dict, v: dict) -> tuple[dict, dict]:
    """For each route, a form (and a query string) it would accept: the fuzzing changes some
    of its fields, so a value reaches the code behind the checks instead of stopping at the
    first one. A file field holds the file's text, or "docx" for a Word document."""
    n, unique = ids["n_"], next(SERIAL)
    intake_form = {
        "patient_name": "Ann Example",
        "patient_dob": "1970-05-01",
        "mrn": "M-1",
        "payer": "Acme Health",
        "plan_type": "commercial",
        "service_description": "MRI lumbar spine",
        "procedure_codes": "72148",
        "diagnosis_codes": "M54.5",
        "denial_category": "not_medically_necessary",
        "criteria_set": "interqual",
        "criteria_detail": "LCD L123",
        "urgency": "standard",
        "denial_received": "2026-11-01",
        "denial_reason": "Not medically necessary.",
        "clinician_id": str(ids["admin_id"]),
    }
    fact = {
        "kind": "prior_treatment",
        "text": "Stopped for nausea.",
        "fact_date": "2024-01",
        "severity": "high",
        "therapy": "Methotrexate",
        "dose": "15 mg weekly",
        "start_date": "2023-01",
        "stop_date": "2023-06",
        "outcome": "intolerant",
        "reason_stopped": "nausea",
        "instrument": "phq9",
        "score": "12",
        "finding_type": "exam",
    }
    sheet = {
        "held_at": "2026-11-24T14:30",
        "reviewer_name": "Dr Reviewer",
        "reviewer_credentials": "MD",
        "reviewer_specialty": "Rheumatology",
        "criteria_named": "InterQual",
        "criteria_version": "2025",
        "discussion": "Discussed the failed treatments.",
        "reference_number": "R-9",
        "would_change": "Imaging.",
        "next_step": "Appeal.",
        "outcome": "upheld",
        "rebuttal": str(ids["rebuttal_id"]),
    }
    arrangement = {
        "offered_on": "2026-11-20",
        "request_by": "2026-11-27",
        "scheduled_at": "2026-11-24T14:30",
        "windows": "Mon 9-11",
        "callback_number": "555-0100",
    }
    forms = {
        "auth.login": {"email": "admin@north.test", "password": "not the password"},
        "auth.password": {
            "current": PASSWORD,
            "password": "a new pass phrase 42",
            "confirm": "a new pass phrase 42",
        },
        "brief.add_criteria": {"text": "1. Tried two drugs\n2. Active disease", "save_set": "on"},
        "brief.framing": {
            "framing": "She can work again.",
            "risks": "Joint damage.",
            "ask": "Approve 12 months.",
            "fallback_asks": "Approve 6 months.",
            "version": str(v["framing"]),
        },
        "brief.link_citation": {"citation_id": str(ids["citation_id"]), "pinpoint": "p. 4"},
        "brief.link_fact": {"fact_id": str(ids["fact_id"])},
        "brief.rewrite": {"text": "Our own words.", "version": str(v["request"])},
        "brief.update_criterion": {
            "text": "Tried two drugs",
            "status": "met",
            "note": "See the notes.",
            "version": str(v["criterion"]),
        },
        "calls.arrange": arrangement,
        "calls.attempt": {"at": "2026-11-24T14:30", "result": "reviewer_missed", "note": "No call"},
        "calls.log": sheet,
        "calls.path": {
            "request_received": "2026-11-01",
            "appeal_filed": "2026-11-10",
            "appeal_decided": "2026-12-01",
            "external_review_requested": "2026-12-05",
            "external_decided": "2027-01-05",
            "appeal_outcome": "upheld",
            "external_outcome": "approved",
        },
        "calls.rearrange": arrangement,
        "cases.add_document": {
            "kind": "Consult",
            "title": "Rheumatology follow-up",
            "document_date": "2026-10-02",
            "text": "Knee pain for a year.",
        },
        "cases.create": {**intake_form, "token": f"fuzz-token-{unique}"},
        "cases.set_status": {"status": "p2p_done"},
        "cases.update": {**intake_form, "version": str(v["case"])},
        "conferences.add_case": {"case_id": str(ids["spare_case_id"]), "question": "Appeal?"},
        "conferences.create": {"title": "Case conference", "held_on": "2026-12-01"},
        "conferences.move": {"direction": "up"},
        "conferences.set_question": {"question": "External review?"},
        "deadlines.save": {
            "key": f"team.rule{unique}",
            "plan_type": "*",
            "step": "File the appeal",
            "length": "30",
            "unit": "calendar_days",
            "starts": "denial_received",
            "ends": "",
            "urgency": "any",
            "source": "Plan document, p. 12",
            "note": "",
        },
        "deadlines.specialty_note": {"specialty_note": "The plan promises a rheumatologist."},
        "discussion.add_task": {
            "title": "Get the PHQ-9",
            "assignee_id": str(ids["admin_id"]),
            "due": "2026-12-01",
        },
        "discussion.comment": {"body": "Looks ready, @Admin"},
        "discussion.finish_task": {"from": "mine"},
        "documents.export": {"ack": ["missing_citation", "no_signer"], "deidentify": "1"},
        "evidence.link": {
            "citation_id": str(ids["citation_id"]),
            "claim": "Two drugs first",
            "pinpoint": "p. 4",
        },
        "facts.create": fact,
        "facts.form": fact,
        "facts.move": {"direction": "up"},
        "facts.toggle_letter": {"in_letter": "on"},
        "facts.update": {**fact, "version": str(v["fact"])},
        "library.evidence": {
            "issuer": "ACR",
            "recommendation": "Use methotrexate first.",
            "system": "GRADE",
            "grade": "strong",
            "page": "4",
            "section": "2.1",
            "number": "3",
            "tags": "ra, methotrexate",
        },
        "library.lookup": {"ids": "10.1000/xyz123\nPMID: 12345678"},
        "library.upload": {"file": "@article{k, title={T}, year={2020}}"},
        "mfa.code": {"code": "123456"},
        "mfa.confirm": {"code": "123456"},
        "mfa.regenerate": {"code": "123456"},
        "rebuttals.add": {
            "category": "not_medically_necessary",
            "objection": "Not proven",
            "rebuttal": "It is, see {guideline}.",
        },
        "rebuttals.update": {
            "action": "cite",
            "key": f"fuzz{n}",
            "objection": "Not proven",
            "rebuttal": "It is.",
        },
        "teams.add_member": {
            "email": f"new{unique}@north.test",
            "role": "coordinator",
            "name": "New Member",
            "password": "a long pass phrase 42",
            "credentials": "RN",
        },
        "profile.edit": {
            "name": "Admin North",
            "credentials": "MD",
            "specialty": "Pain medicine",
            "npi": "1234567893",
            "version": str(v["own_profile"]),
        },
        "profile.member": {
            "name": "Member Profile",
            "specialty": "Rheumatology",
            "npi": "1987654328",
            "phone": "555-0100",
            "version": str(v["member_profile"]),
        },
        "teams.change_member": {"role": "clinician"},
        "invitations.answer": {"invitation_id": str(ids["invitation_id"]), "answer": "accept"},
        "invitations.withdraw": {},
        "teams.letterhead": {"file": "docx"},
        "teams.member_access": {"action": "deactivate"},
        "teams.two_factor": {"required": "on"},
    }
    queries = {
        "auth.login": {"next": "/cases/"},
        "brief.pick_citation": {"q": "Trial"},
        "calls.specialty": {"reviewer_specialty": "Rheumatology"},
        "cases.index": {"status": "draft", "q": "Fuzz"},
        "conferences.packet": {"deidentify": "0"},
        "deadlines.index": {"key": f"fuzz.rule{n}"},
        "discussion.activity": {"after": "0", "seen": "0"},
        "documents.export": {"call": str(ids["call_id"])},
        "evidence.pick": {"q": "Trial"},
        "facts.form": {
            "kind": "history",
            "source_id": str(ids["document_id"]),
            "source_start": "0",
            "source_end": "4",
        },
        "library.export": {"key": f"fuzz{n}"},
        "library.index": {"q": "Trial", "tag": "ra", "grade": "GRADE"},
        "rebuttals.index": {"category": "not_medically_necessary"},
    }
    return forms, queries
