"""A case and what hangs off it, read for one page: one query per table, tied together here.

SQLAlchemy's eager loaders (`selectinload`) cost about twice as much per row as a plain query
whose rows are then put in place with `set_committed_value`, and a letter reads some 300 rows:
this is most of what the workspace and the brief wait for (`python bench/bench_workspace.py`).
Rows already in the session keep their identity; the collections set here hold what the
database holds now, the same as a fresh read would.
"""

from sqlalchemy import select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from app.extensions import db
from app.models.brief import Criterion, CriterionCitation, ParagraphEdit, criterion_fact
from app.models.core import Case, Fact, SourceDocument, User
from app.models.library import CaseCitation, Citation
from app.models.team_work import Signature


def preload(case: Case, brief: bool = True) -> Case:
    """Fill `case` with its facts (each with the note it quotes), documents, linked citations
    and ordering clinician; with `brief`, also its criteria with the facts and citations that
    support each, the clinician's rewrites and the co-signatures: everything the letter reads.
    """
    facts = _rows(Fact, Fact.case_id == case.id, order=(Fact.position, Fact.id))
    documents = _rows(
        SourceDocument,
        SourceDocument.case_id == case.id,
        order=(SourceDocument.document_date, SourceDocument.id),
    )
    notes = {d.id: d for d in documents}
    for fact in facts:
        set_committed_value(fact, "source", notes.get(fact.source_id))
    links = _rows(CaseCitation, CaseCitation.case_id == case.id, order=(CaseCitation.position,))
    evidence = (
        _rows(
            CriterionCitation,
            CriterionCitation.criterion_id.in_(
                select(Criterion.id).where(Criterion.case_id == case.id)
            ),
            order=(CriterionCitation.id,),
        )
        if brief
        else []
    )
    cited = {row.citation_id for row in links} | {row.citation_id for row in evidence}
    citations = {c.id: c for c in _rows(Citation, Citation.id.in_(cited))} if cited else {}
    for row in (*links, *evidence):
        set_committed_value(row, "citation", citations[row.citation_id])
    clinician = db.session.get(User, case.clinician_id) if case.clinician_id else None

    _put(case, facts=facts, documents=documents, citations=links, clinician=clinician)
    if brief:
        _brief(case, facts, evidence)
    return case


def _brief(case: Case, facts: list[Fact], evidence: list[CriterionCitation]) -> None:
    criteria = _rows(Criterion, Criterion.case_id == case.id, order=(Criterion.position,))
    by_id = {f.id: f for f in facts}
    meeting: dict[int, list[Fact]] = {}
    for criterion_id, fact_id in db.session.execute(
        select(criterion_fact.c.criterion_id, criterion_fact.c.fact_id).where(
            criterion_fact.c.criterion_id.in_(
                select(Criterion.id).where(Criterion.case_id == case.id)
            )
        )
    ):
        meeting.setdefault(criterion_id, []).append(by_id[fact_id])
    supporting: dict[int, list[CriterionCitation]] = {}
    for row in evidence:
        supporting.setdefault(row.criterion_id, []).append(row)
    for criterion in criteria:
        met_by = sorted(meeting.get(criterion.id, []), key=lambda f: (f.position, f.id))
        _put(criterion, facts=met_by, evidence=supporting.get(criterion.id, []))
    signatures = db.session.scalars(
        select(Signature)
        .where(Signature.case_id == case.id)
        .order_by(Signature.id)
        .options(joinedload(Signature.user))
    ).all()
    edits = _rows(ParagraphEdit, ParagraphEdit.case_id == case.id, order=(ParagraphEdit.id,))
    _put(case, criteria=criteria, edits=edits, signatures=signatures)


def _rows(model, *where, order=()) -> list:
    return db.session.scalars(select(model).where(*where).order_by(*order)).all()


def _put(row, **values) -> None:
    for name, value in values.items():
        set_committed_value(row, name, value)
