"""A case as a JSON document, so it can be moved between installations or kept whole.

Format (version 1):
    {"format": "peerbrief-case", "version": 1,
     "case": {<intake field>: value, ...},            dates as YYYY-MM-DD
     "documents": [{"kind", "title", "document_date", "text"}, ...],
     "facts": [{"kind", "in_letter", <fact column>: value, ...,
                "source": {"document": index into documents, "start", "end"} or null}, ...]}
Facts are listed in their order on the case. Ids, team and users are not carried over.
"""

from datetime import date
from typing import Any

from app.domain import dates, intake
from app.domain import facts as fact_domain
from app.models import Case, Fact, SourceDocument

FORMAT = "peerbrief-case"
VERSION = 1
CASE_FIELDS = intake.FIELDS


class FormatError(ValueError):
    """The JSON is not a Peerbrief case export; the message says what is wrong."""


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def export_case(case: Case) -> dict:
    """The whole case as plain JSON-ready data."""
    documents = list(case.documents)
    index = {d.id: i for i, d in enumerate(documents)}
    return {
        "format": FORMAT,
        "version": VERSION,
        "case": {name: _plain(getattr(case, name)) for name in CASE_FIELDS},
        "documents": [
            {
                "kind": d.kind,
                "title": d.title,
                "document_date": d.document_date.isoformat(),
                "text": d.text,
            }
            for d in documents
        ],
        "facts": [
            {
                "kind": f.kind,
                "in_letter": f.in_letter,
                **{name: getattr(f, name) for name in fact_domain.FACT_COLUMNS},
                "source": {
                    "document": index[f.source_id],
                    "start": f.source_start,
                    "end": f.source_end,
                }
                if f.source_id in index
                else None,
            }
            for f in case.facts
        ],
    }


def import_case(data: dict, team_id: int) -> Case:
    """A new, unsaved Case (with facts and documents) from exported data.

    The intake and each fact pass the same checks as the forms; raises FormatError naming
    the first problem.
    """
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise FormatError('This is not a Peerbrief case export (no "format": "peerbrief-case").')
    if data.get("version") != VERSION:
        raise FormatError(f"Unsupported export version {data.get('version')!r}; expected 1.")
    raw = {k: ("" if v is None else v) for k, v in (data.get("case") or {}).items()}
    raw["denial_reason_missing"] = "on" if raw.get("denial_reason_missing") else ""
    values, errors = intake.clean({k: str(v) for k, v in raw.items()})
    if errors:
        name, message = next(iter(errors.items()))
        raise FormatError(f"case.{name}: {message}")
    case = Case(team_id=team_id, status=values.pop("status") or "draft", **values)
    documents = []
    for i, d in enumerate(data.get("documents") or []):
        try:
            documents.append(
                SourceDocument(
                    kind=d["kind"],
                    title=d["title"],
                    text=d["text"],
                    document_date=dates.full_date(str(d["document_date"])),
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise FormatError(f"documents[{i}]: {exc}") from None
    case.documents = documents
    for i, f in enumerate(data.get("facts") or []):
        kind = fact_domain.kind(f.get("kind"))
        if kind is None:
            raise FormatError(f"facts[{i}]: unknown kind {f.get('kind')!r}.")
        form = {k: "" if v is None else str(v) for k, v in f.items() if k != "source"}
        values, errors = fact_domain.clean(kind, form)
        if errors:
            name, message = next(iter(errors.items()))
            raise FormatError(f"facts[{i}].{name}: {message}")
        fact = Fact(
            kind=kind.value, position=i + 1, in_letter=bool(f.get("in_letter", True)), **values
        )
        source = f.get("source")
        if source:
            try:
                fact.source = documents[source["document"]]
                fact.source_start, fact.source_end = int(source["start"]), int(source["end"])
            except (KeyError, IndexError, TypeError, ValueError):
                raise FormatError(
                    f"facts[{i}].source: not a passage of a listed document."
                ) from None
        case.facts.append(fact)
    return case
