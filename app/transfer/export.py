"""Writing a case, its brief and its calls as plain JSON-ready data (format in the package)."""

from datetime import date, datetime
from typing import Any

from app.domain import facts as fact_domain
from app.library.store import entry_of
from app.models import Case, Citation
from app.transfer import FORMAT, VERSION
from app.transfer import fields as F
from citations import to_bibtex


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat() if isinstance(value, date) else value


def export_case(case: Case) -> dict:
    """The whole case as plain JSON-ready data: intake, brief, calls, documents and the
    BibTeX of every citation it cites."""
    documents = sorted(case.documents, key=lambda d: (d.document_date, d.id))
    doc_index = {d.id: i for i, d in enumerate(documents)}
    facts = list(case.facts)
    fact_index = {f.id: i for i, f in enumerate(facts)}
    criteria = sorted(case.criteria, key=lambda c: (c.position, c.id))
    criterion_index = {c.id: i for i, c in enumerate(criteria)}
    calls = sorted(case.calls, key=lambda c: c.id)
    call_index = {c.id: i for i, c in enumerate(calls)}
    claims = sorted(case.citations, key=lambda link: (link.position, link.id))
    cited: dict[str, Citation] = {}
    for row in [*claims, *(e for c in criteria for e in c.evidence)]:
        cited.setdefault(row.citation.key, row.citation)
    return {
        "format": FORMAT,
        "version": VERSION,
        "case": {name: _plain(getattr(case, name)) for name in F.CASE_FIELDS},
        "signer": _person(case.clinician),
        "documents": [
            {
                "kind": d.kind,
                "title": d.title,
                "document_date": d.document_date.isoformat(),
                "text": d.text,
                "answers_denial": bool(d.answers_denial),
                "answers_call": call_index.get(d.answers_call_id),
            }
            for d in documents
        ],
        "facts": [_fact(f, doc_index) for f in facts],
        "criteria": [
            {
                "text": c.text,
                "status": c.status,
                "note": c.note,
                "position": c.position,
                "facts": sorted(fact_index[f.id] for f in c.facts if f.id in fact_index),
                "evidence": [
                    {"citation": e.citation.key, "pinpoint": e.pinpoint}
                    for e in sorted(c.evidence, key=lambda e: e.id)
                ],
            }
            for c in criteria
        ],
        "claims": [
            {
                "claim": link.claim,
                "citation": link.citation.key,
                "pinpoint": link.pinpoint,
                "kind": link.kind,
                "position": link.position,
                "criterion": criterion_index.get(link.criterion_id),
            }
            for link in claims
        ],
        "calls": [_call(c) for c in calls],
        "rewrites": [
            {"key": e.key, "text": e.text} for e in sorted(case.edits, key=lambda e: e.key)
        ],
        "citations": [
            {"key": key, "bibtex": to_bibtex([entry_of(c)]).strip()}
            for key, c in sorted(cited.items())
        ],
    }


def _person(user: Any) -> dict | None:
    if user is None:
        return None
    return {name: getattr(user, name) or "" for name in F.SIGNER_FIELDS}


def _fact(f: Any, doc_index: dict[int, int]) -> dict:
    return {
        "kind": f.kind,
        "in_letter": f.in_letter,
        **{name: getattr(f, name) for name in fact_domain.FACT_COLUMNS},
        "source": {"document": doc_index[f.source_id], "start": f.source_start, "end": f.source_end}
        if f.source_id in doc_index
        else None,
    }


def _call(call: Any) -> dict:
    names = (*F.CALL_DATES, *F.CALL_TIMES, *F.CALL_TEXT, "same_specialty", "outcome")
    return {
        **{name: _plain(getattr(call, name)) for name in names},
        "logged_by": call.user.email if call.user is not None else None,
        "attempts": [
            {"at": _plain(a.at), "result": a.result, "note": a.note}
            for a in sorted(call.attempts, key=lambda a: (a.at, a.id))
        ],
        "rebuttals": [
            {"category": r.category, "objection": r.objection, "rebuttal": r.rebuttal}
            for r in sorted(call.rebuttals, key=lambda r: (r.category, r.objection))
        ],
    }
