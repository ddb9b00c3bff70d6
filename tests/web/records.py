"""The records every route of the URL map reaches, planted on a team's case: one of each
kind, each named after the patient so that a page showing it to another team gives it away;
and the checks that requests changed nothing and linked nothing across teams."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.library import store
from app.models import (
    Case,
    CaseCitation,
    Citation,
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
    Invitation,
    Membership,
    PeerCall,
    Rebuttal,
    SourceDocument,
    Task,
    User,
    criterion_fact,
    peer_call_rebuttal,
    rebuttal_citation,
)
from citations import parse_bibtex
from tests.support import PASSWORD, add_case, add_member

Ids = dict[str, Any]


def plant(case: Case, name: str) -> Ids:
    """One record of every kind a route reaches, on `case` and its team, each named after
    the patient so that a page showing it to another team gives it away."""
    team = case.team
    slug = team.slug
    admin = db.session.scalar(select(User).where(User.email == f"admin@{slug}.test"))
    helper = add_member(f"helper@{slug}.test", team, "coordinator", name=f"{name} Helper")
    junior = add_case(team, patient_name=f"{name} Junior")
    # An account of no team, invited to this one: it has not answered.
    invitee = User(email=f"invitee@{slug}.test", name=f"{name} Invitee")
    invitee.set_password(PASSWORD)
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
            invitation_id=Invitation(
                team_id=team.id, user=invitee, role="coordinator", invited_by_id=admin.id
            ),
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


# --- what the requests may change, and links that must never cross teams --------------


# The session store: every request a signed-in browser makes moves its session's last-seen
# time, as the signed cookie's expiry moved before; tests/web/test_sessions.py tests it.
BOOKKEEPING = {"user_session"}


def snapshot(app) -> dict:
    """Every row of every table but the session store."""
    with app.app_context():
        return {
            t.name: db.session.execute(select(t).order_by(*t.primary_key.columns)).all()
            for t in db.metadata.sorted_tables
            if t.name not in BOOKKEEPING
        }


def changed(before: dict, after: dict, by: str) -> list[str]:
    """The tables whose rows differ, as a complaint about `by`; none if nothing changed."""
    tables = sorted(t for t in before if before[t] != after[t])
    return [f"{by} changed the database: {', '.join(tables)}"] if tables else []


def cross_team_links(app) -> list[str]:
    """Records of one team that point at another team's: each one a leak in waiting."""
    case, other, cite = aliased(Case), aliased(Case), aliased(Citation)

    def member(user_id, team_id):
        return exists().where(Membership.user_id == user_id, Membership.team_id == team_id)

    checks = {
        "case citation": select(CaseCitation.id)
        .join(case, CaseCitation.case_id == case.id)
        .join(cite, CaseCitation.citation_id == cite.id)
        .where(case.team_id != cite.team_id),
        "criterion citation": select(CriterionCitation.id)
        .join(Criterion, CriterionCitation.criterion_id == Criterion.id)
        .join(case, Criterion.case_id == case.id)
        .join(cite, CriterionCitation.citation_id == cite.id)
        .where(case.team_id != cite.team_id),
        "criterion fact": select(criterion_fact.c.fact_id)
        .join(Criterion, criterion_fact.c.criterion_id == Criterion.id)
        .join(Fact, criterion_fact.c.fact_id == Fact.id)
        .where(Criterion.case_id != Fact.case_id),
        "fact source": select(Fact.id)
        .join(SourceDocument, Fact.source_id == SourceDocument.id)
        .where(Fact.case_id != SourceDocument.case_id),
        "conference case": select(ConferenceCase.id)
        .join(Conference, ConferenceCase.conference_id == Conference.id)
        .join(case, ConferenceCase.case_id == case.id)
        .where(Conference.team_id != case.team_id),
        "call rebuttal": select(peer_call_rebuttal.c.call_id)
        .join(PeerCall, peer_call_rebuttal.c.call_id == PeerCall.id)
        .join(case, PeerCall.case_id == case.id)
        .join(Rebuttal, peer_call_rebuttal.c.rebuttal_id == Rebuttal.id)
        .where(case.team_id != Rebuttal.team_id),
        "rebuttal citation": select(rebuttal_citation.c.rebuttal_id)
        .join(Rebuttal, rebuttal_citation.c.rebuttal_id == Rebuttal.id)
        .join(cite, rebuttal_citation.c.citation_id == cite.id)
        .where(Rebuttal.team_id != cite.team_id),
        "task assignee": select(Task.id)
        .join(case, Task.case_id == case.id)
        .where(Task.assignee_id.is_not(None), ~member(Task.assignee_id, case.team_id)),
        "ordering clinician": select(other.id).where(
            other.clinician_id.is_not(None), ~member(other.clinician_id, other.team_id)
        ),
        "comment author": select(Comment.id)
        .join(case, Comment.case_id == case.id)
        .where(and_(Comment.user_id.is_not(None), ~member(Comment.user_id, case.team_id))),
    }
    with app.app_context():
        return [
            f"{what} {row[0]}" for what, q in checks.items() for row in db.session.execute(q).all()
        ]
