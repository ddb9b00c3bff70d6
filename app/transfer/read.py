"""Reading a case export into unsaved rows, checking every part on the way: the first
problem raises FormatError naming its path (`facts[3].score: …`). Nothing here touches the
database; `app.transfer.load` resolves what the file names (citations, the signer, the
rebuttals) and saves."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from app.domain import dates, intake
from app.domain import facts as fact_domain
from app.domain.vocabulary import DENIAL_CATEGORIES, values
from app.models import CallAttempt, Case, Criterion, Fact, ParagraphEdit, PeerCall, SourceDocument
from app.transfer import FORMAT, READABLE, FormatError
from app.transfer import fields as F

_CATEGORIES = values(DENIAL_CATEGORIES)


def fail(path: str, message: str):
    raise FormatError(f"{path}: {message}")


def obj(value: Any, path: str) -> dict:
    if not isinstance(value, dict):
        fail(path, "expected an object ({…}).")
    return value


def listed(data: dict, name: str, path: str = "") -> list:
    value = data.get(name)
    if value is None:
        return []
    if not isinstance(value, list):
        fail(f"{path}{name}", "expected a list ([…]).")
    return value


def text(d: dict, name: str, path: str, limit: int | None = None, required: bool = False) -> str:
    value = d.get(name)
    if value is None:
        value = ""
    if not isinstance(value, str):
        fail(f"{path}.{name}", "expected text.")
    if required and not value.strip():
        fail(f"{path}.{name}", "must not be empty.")
    if limit is not None and len(value) > limit:
        fail(f"{path}.{name}", f"at most {limit} characters (this has {len(value)}).")
    return value


def moment(d: dict, name: str, path: str, kind: type = date) -> Any:
    value = d.get(name)
    if value in (None, ""):
        return None
    try:
        if not isinstance(value, str):
            raise TypeError
        moment_ = kind.fromisoformat(value)
    except (TypeError, ValueError):
        shape = "YYYY-MM-DD" if kind is date else "YYYY-MM-DDTHH:MM"
        fail(
            f"{path}.{name}", f"{value!r} is not a {'date' if kind is date else 'time'} ({shape})."
        )
    day = moment_ if kind is date else moment_.date()
    if not dates.in_range(day):
        fail(f"{path}.{name}", dates.outside(value))
    return moment_


def one_of(d: dict, name: str, path: str, allowed, default: str) -> str:
    """A value from a fixed list, `default` when absent."""
    value = text(d, name, path) or default
    if value not in allowed:
        fail(f"{path}.{name}", f"{value!r} is not one of {', '.join(sorted(allowed))}.")
    return value


def whole(d: dict, name: str, path: str, default: int) -> int:
    """A whole number, `default` when absent."""
    value = d.get(name, default)
    if not isinstance(value, int) or isinstance(value, bool):
        fail(f"{path}.{name}", "expected a whole number.")
    return value


def flag(d: dict, name: str, path: str, default: bool | None) -> bool | None:
    value = d.get(name, default)
    if value is not None and not isinstance(value, bool):
        fail(f"{path}.{name}", "expected true or false.")
    return value


def index(value: Any, count: int, path: str, what: str, optional: bool = False) -> int | None:
    if value is None and optional:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        fail(path, f"expected the number of a {what} in this file.")
    if not 0 <= value < count:
        fail(path, f"no {what} {value} in this file.")
    return value


@dataclass
class Link:
    """A row that cites a library entry by key, resolved once the library is known."""

    row: Any
    key: str
    path: str
    criterion: int | None = None


@dataclass
class Read:
    """Everything a file holds, as unsaved rows and the references still to resolve."""

    case: Case
    version: int
    signer: dict | None = None
    claims: list[Link] = field(default_factory=list)
    evidence: list[Link] = field(default_factory=list)
    answers: list[tuple[SourceDocument, int]] = field(default_factory=list)
    logged_by: list[tuple[PeerCall, str, str]] = field(default_factory=list)
    rebuttals: list[tuple[PeerCall, dict, str]] = field(default_factory=list)
    bibtex: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (text, path)


def read(data: Any, team_id: int) -> Read:
    """The file's case as unsaved rows; raises FormatError naming the first problem."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise FormatError('This is not a Peerbrief case export (no "format": "peerbrief-case").')
    version = data.get("version")
    if version not in READABLE:
        raise FormatError(
            f"Unsupported export version {version!r}; this Peerbrief reads versions "
            f"{', '.join(map(str, READABLE))}."
        )
    found = Read(_case(obj(data.get("case") or {}, "case"), team_id, version), version)
    case = found.case
    calls = listed(data, "calls") if version >= 2 else []
    case.documents = [
        _document(obj(d, f"documents[{i}]"), f"documents[{i}]", len(calls), found)
        for i, d in enumerate(listed(data, "documents"))
    ]
    for i, f in enumerate(listed(data, "facts")):
        case.facts.append(_fact(obj(f, f"facts[{i}]"), f"facts[{i}]", i, case.documents))
    if version >= 2:
        _brief(data, found)
        case.calls = [
            _call(obj(c, f"calls[{i}]"), f"calls[{i}]", found) for i, c in enumerate(calls)
        ]
        for i, e in enumerate(listed(data, "rewrites")):
            path = f"rewrites[{i}]"
            e = obj(e, path)
            key = text(e, "key", path, F.REWRITE_KEY, required=True)
            if any(edit.key == key for edit in case.edits):
                fail(f"{path}.key", f"paragraph {key!r} is rewritten twice.")
            case.edits.append(ParagraphEdit(key=key, text=text(e, "text", path, required=True)))
        if data.get("signer") is not None:
            signer = obj(data["signer"], "signer")
            found.signer = {n: text(signer, n, "signer") for n in F.SIGNER_FIELDS}
        for i, c in enumerate(listed(data, "citations")):
            path = f"citations[{i}]"
            c = obj(c, path)
            key = text(c, "key", path, required=True)
            if key in found.bibtex:
                fail(f"{path}.key", f"citation {key!r} is listed twice.")
            found.bibtex[key] = (text(c, "bibtex", path, F.BIBTEX, required=True), path)
    return found


def _case(raw: dict, team_id: int, version: int) -> Case:
    for name, value in raw.items():
        if isinstance(value, (list, dict)):
            fail(f"case.{name}", "expected text, a number or true/false.")
    form = {k: "" if v is None else str(v) for k, v in raw.items() if k in intake.FIELDS}
    form["denial_reason_missing"] = "on" if raw.get("denial_reason_missing") else ""
    values_, errors = intake.clean(form)
    if errors:
        name, message = next(iter(errors.items()))
        fail(f"case.{name}", message)
    extra: dict[str, Any] = {}
    if version >= 2:
        for name, allowed in F.CASE_CHOICES.items():
            value = text(raw, name, "case")
            if value and value not in allowed:
                fail(f"case.{name}", f"{value!r} is not one of {', '.join(sorted(allowed))}.")
            extra[name] = value
        for name, limit in F.CASE_TEXT.items():
            extra[name] = text(raw, name, "case", limit)
        for name in F.CASE_DATES:
            extra[name] = moment(raw, name, "case")
    return Case(team_id=team_id, status=values_.pop("status") or "draft", **values_, **extra)


def _document(d: dict, path: str, calls: int, found: Read) -> SourceDocument:
    document = SourceDocument(
        kind=text(d, "kind", path, 40, required=True),
        title=text(d, "title", path, 200, required=True),
        text=text(d, "text", path, required=True),
        document_date=moment(d, "document_date", path),
        answers_denial=bool(flag(d, "answers_denial", path, False)),
    )
    if document.document_date is None:
        fail(f"{path}.document_date", "the document's date is required.")
    answers = index(d.get("answers_call"), calls, f"{path}.answers_call", "call", optional=True)
    if answers is not None:
        found.answers.append((document, answers))
    return document


def _fact(f: dict, path: str, i: int, documents: list[SourceDocument]) -> Fact:
    kind = fact_domain.kind(f.get("kind") if isinstance(f.get("kind"), str) else None)
    if kind is None:
        fail(path, f"unknown kind {f.get('kind')!r}.")
    for name, value in f.items():
        if name != "source" and isinstance(value, (list, dict)):
            fail(f"{path}.{name}", "expected text or a number.")
    form = {k: "" if v is None else str(v) for k, v in f.items() if k != "source"}
    values_, errors = fact_domain.clean(kind, form)
    if errors:
        name, message = next(iter(errors.items()))
        fail(f"{path}.{name}", message)
    in_letter = flag(f, "in_letter", path, True)
    fact = Fact(kind=kind.value, position=i + 1, in_letter=in_letter is not False, **values_)
    source = f.get("source")
    if source:
        source = obj(source, f"{path}.source")
        n = index(source.get("document"), len(documents), f"{path}.source.document", "document")
        start, end = source.get("start"), source.get("end")
        note = documents[n].text
        if not all(isinstance(x, int) and not isinstance(x, bool) for x in (start, end)) or not (
            0 <= start < end <= len(note)
        ):
            fail(f"{path}.source", f"not a passage of document {n} (start and end characters).")
        fact.source, fact.source_start, fact.source_end = documents[n], start, end
    return fact


def _brief(data: dict, found: Read) -> None:
    from app.models import CaseCitation, CriterionCitation

    case = found.case
    for i, c in enumerate(listed(data, "criteria")):
        path = f"criteria[{i}]"
        c = obj(c, path)
        status = one_of(c, "status", path, F.STATUSES, "unset")
        position = whole(c, "position", path, i + 1)
        criterion = Criterion(
            text=text(c, "text", path, required=True),
            status=status,
            note=text(c, "note", path),
            position=position,
        )
        chosen: list[int] = []
        for j, n in enumerate(listed(c, "facts", f"{path}.")):
            n = index(n, len(case.facts), f"{path}.facts[{j}]", "fact")
            if n in chosen:
                fail(f"{path}.facts[{j}]", f"fact {n} is listed twice.")
            chosen.append(n)
        criterion.facts = [case.facts[n] for n in chosen]
        keys: set[str] = set()
        for j, e in enumerate(listed(c, "evidence", f"{path}.")):
            where = f"{path}.evidence[{j}]"
            e = obj(e, where)
            key = text(e, "citation", where, required=True)
            if key in keys:
                fail(f"{where}.citation", f"citation {key!r} is listed twice.")
            keys.add(key)
            row = CriterionCitation(pinpoint=text(e, "pinpoint", where, F.PINPOINT))
            criterion.evidence.append(row)
            found.evidence.append(Link(row, key, f"{where}.citation"))
        case.criteria.append(criterion)
    said: set[tuple[str, str]] = set()
    for i, c in enumerate(listed(data, "claims")):
        path = f"claims[{i}]"
        c = obj(c, path)
        claim = text(c, "claim", path, required=True)
        key = text(c, "citation", path, required=True)
        if (key, claim) in said:
            fail(path, f"the same claim is cited to {key!r} twice.")
        said.add((key, claim))
        kind = one_of(c, "kind", path, F.CLAIM_KINDS, "trial")
        position = whole(c, "position", path, i + 1)
        criterion = index(
            c.get("criterion"), len(case.criteria), f"{path}.criterion", "criterion", True
        )
        row = CaseCitation(
            claim=claim,
            pinpoint=text(c, "pinpoint", path, F.PINPOINT),
            kind=kind,
            position=position,
        )
        case.citations.append(row)
        found.claims.append(Link(row, key, f"{path}.citation", criterion))


def _call(c: dict, path: str, found: Read) -> PeerCall:
    values_: dict[str, Any] = {n: moment(c, n, path) for n in F.CALL_DATES}
    values_ |= {n: moment(c, n, path, datetime) for n in F.CALL_TIMES}
    values_ |= {n: text(c, n, path, limit) for n, limit in F.CALL_TEXT.items()}
    values_["same_specialty"] = flag(c, "same_specialty", path, None)
    outcome = text(c, "outcome", path)
    if outcome and outcome not in F.CALL_OUTCOMES:
        fail(f"{path}.outcome", f"{outcome!r} is not one of {', '.join(sorted(F.CALL_OUTCOMES))}.")
    call = PeerCall(outcome=outcome, **values_)
    for j, a in enumerate(listed(c, "attempts", f"{path}.")):
        where = f"{path}.attempts[{j}]"
        a = obj(a, where)
        at = moment(a, "at", where, datetime)
        if at is None:
            fail(f"{where}.at", "the time of the attempt is required.")
        result = text(a, "result", where)
        if result not in F.ATTEMPT_RESULTS:
            fail(
                f"{where}.result",
                f"{result!r} is not one of {', '.join(sorted(F.ATTEMPT_RESULTS))}.",
            )
        call.attempts.append(
            CallAttempt(at=at, result=result, note=text(a, "note", where, F.ATTEMPT_NOTE))
        )
    if c.get("logged_by") is not None:
        found.logged_by.append((call, text(c, "logged_by", path), f"{path}.logged_by"))
    for j, r in enumerate(listed(c, "rebuttals", f"{path}.")):
        where = f"{path}.rebuttals[{j}]"
        r = obj(r, where)
        category = text(r, "category", where, required=True)
        if category not in _CATEGORIES:
            fail(f"{where}.category", f"{category!r} is not a denial category.")
        spec = {
            "category": category,
            "objection": text(r, "objection", where, required=True),
            "rebuttal": text(r, "rebuttal", where, required=True),
        }
        found.rebuttals.append((call, spec, where))
    return call
