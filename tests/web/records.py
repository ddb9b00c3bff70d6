"""The records every route of the URL map reaches, planted on a team's case: one of each
kind, each named after the patient so that a page showing it to another team gives it away."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.library import store
from app.models import (
    Case,
    CaseCitation,
    Comment,
    Conference,
    ConferenceCase,
    CriteriaSet,
    Criterion,
    CriterionCitation,
    DeadlineRule,
    Export,
    Fact,
    ImportJob,
    Membership,
    PeerCall,
    Rebuttal,
    SourceDocument,
    Task,
    User,
)
from citations import parse_bibtex
from tests.support import add_case, add_member

Ids = dict[str, Any]


def plant(case: Case, name: str) -> Ids:
    """One record of every kind a route reaches, on `case` and its team, each named after
    the patient so that a page showing it to another team gives it away."""
    team = case.team
    slug = team.slug
    admin = db.session.scalar(select(User).where(User.email == f"admin@{slug}.test"))
    helper = add_member(f"helper@{slug}.test", team, "coordinator", name=f"{name} Helper")
    junior = add_case(team, patient_name=f"{name} Junior")
    key = slug + "2020"
    bib = (
        f"@article{{{key}, title={{{name} only}}, year={{2020}}}}"
        f"@article{{{slug}2021, title={{{name} second}}, year={{2021}}}}"
    )
    first, second = (store.save(team.id, e) for e in parse_bibtex(bib).entries)
    with db.session.no_autoflush:  # the records are added all at once, below
        doc = SourceDocument(
            case=case,
            kind="Consult",
            title="Consult",
            text=f"{name} note",
            document_date=date(2025, 1, 2),
        )
        fact = Fact(case=case, kind="history", text=f"{name} history", position=1)
        treatment = Fact(
            case=case,
            kind="prior_treatment",
            therapy=f"{name} therapy",
            start_date="2024-01",
            stop_date="2024-06",
            outcome="ineffective",
            position=2,
        )
        criterion = Criterion(case=case, text=f"{name} criterion", position=1)
        call = PeerCall(
            case=case,
            reviewer_name=f"{name} reviewer",
            outcome="approved",  # a decided call: the dashboard draws its overturn chart
            held_at=datetime(2025, 1, 6, 10, 0),
        )
        conference = Conference(team_id=team.id, title=f"{name} meets", held_on=date(2026, 12, 1))
        records = dict(
            document_id=doc,
            fact_id=fact,
            treatment_id=treatment,
            criterion_id=criterion,
            link_id=CaseCitation(case=case, citation=first, claim=f"{name} claim"),
            criterion_link_id=CriterionCitation(criterion=criterion, citation=second),
            job_id=ImportJob(team_id=team.id, text="@misc{x, title={y}}", state="done", report={}),
            export_id=Export(
                case=case,
                kind="letter",
                filename="x.docx",
                sha256="0" * 64,
                content=f"{name} letter".encode(),
            ),
            call_id=call,
            task_id=Task(case=case, title=f"{name} task"),
            conference_id=conference,
            item_id=ConferenceCase(
                conference=conference, case=case, position=1, question=f"{name}?"
            ),
            set_id=CriteriaSet(
                team_id=team.id, payer=case.payer, policy=f"{name} policy", items=[f"{name} set"]
            ),
            rebuttal_id=Rebuttal(
                team_id=team.id,
                category=case.denial_category,
                objection=f"{name} objection",
                rebuttal="Their answer",
            ),
            comment_id=Comment(case=case, user=helper, body=f"{name} comment"),
            rule_id=DeadlineRule(
                team_id=team.id,
                key="team.review",
                plan_type="*",
                step="Review the denial",
                length=5,
                unit="calendar_days",
                starts="denial_received",
                source="Team policy",
            ),
        )
        db.session.add_all(records.values())
    db.session.commit()
    membership = db.session.scalar(select(Membership).where(Membership.user_id == helper.id))
    return {
        **{k: v.id for k, v in records.items()},
        "case_id": case.id,
        "case2_id": junior.id,
        "citation_id": first.id,
        "citation2_id": second.id,
        "citation_key": key,
        "membership_id": membership.id,
        "admin_id": admin.id,
        "slug": slug,
        "team_id": team.id,
        "rule_key": "team.review",
        "markers": (name, team.name),  # what another team's page must never show
        # Arguments that are values, not records: the same in every team.
        "kind": "points",
        "name": "timeline",
        "key": "request",
        "n": 1,
        "filename": "peerbrief.css",
        "token": "x" * 43,
    }
