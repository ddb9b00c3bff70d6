"""Small helpers every blueprint shares: is this an htmx request, render page or partial, and
refuse a save made from a version someone else already replaced."""

from dataclasses import dataclass
from datetime import datetime

from flask import Response, render_template, request
from flask_login import current_user
from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value
from werkzeug.routing import IntegerConverter

from app.audit import record
from app.extensions import db
from app.models import AuditEvent
from citations import to_bibtex

# The largest number an INTEGER column holds (PostgreSQL's is 32 bits): an id or a version
# beyond it names nothing, and sent to the database it is an error, not a miss.
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<int:...>` in a URL: a number up to MAX_ID, else the URL matches no page (404)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


@dataclass(frozen=True)
class Htmx:
    """What htmx told us about a request (its HX-* headers)."""

    request: bool
    target: str | None
    trigger: str | None
    boosted: bool

    def __bool__(self) -> bool:
        return self.request


def htmx() -> Htmx:
    h = request.headers
    return Htmx(
        request=h.get("HX-Request") == "true",
        target=h.get("HX-Target"),
        trigger=h.get("HX-Trigger"),
        boosted=h.get("HX-Boosted") == "true",
    )


# What a search box may send: longer text finds nothing more, and SQLite refuses a LIKE
# pattern past 50,000 bytes.
SEARCH_LENGTH = 200


def searched(name: str = "q") -> str:
    """A search field of the query string, trimmed to what a search can use."""
    return request.args.get(name, "").strip()[:SEARCH_LENGTH]


def render(page: str, partial: str, **context):
    """The whole page for a normal request, only the partial it includes for htmx."""
    h = htmx()
    return render_template(partial if h and not h.boosted else page, **context)


def refused(partial: str, target: str, **context):
    """A refused form, sent back (422) in place of `target` with its messages and typed values.

    A save would have replaced something else (a list); the refusal replaces the form itself.
    """
    headers = {"HX-Retarget": target, "HX-Reswap": "outerHTML"}
    return render_template(partial, **context), 422, headers


# --- Two people editing the same part: the later save of an old version is refused ----------
#
# Each form carries the `version` of the part it was made from. A save moves the part to the next
# version only if it is still the one the form was made from (one UPDATE ... WHERE version = ?,
# so two saves at the same moment cannot both pass). Only content edits move a version: moving a
# fact or leaving it out of the letter is never a conflict.


@dataclass(frozen=True)
class Conflict:
    """A save refused because someone saved the same part first, and what the user sees.

    `fields` holds (label, theirs, yours) for each field in which the saved version and the
    refused one differ. `reload` is the form's own URL: it comes back with their version.
    `target` is the element htmx puts it in, None on a full page.
    """

    who: str  # the name of whoever saved the version now current
    mine: bool  # it was the same user, from another tab or window
    at: datetime | None
    fields: list[tuple[str, str, str]]
    reload: str
    target: str | None = None


def posted_version() -> int | None:
    """The version a posted form was made from; None when the form did not say."""
    version = request.form.get("version", type=int)
    return version if version is not None and abs(version) <= MAX_ID else None


def claim(row, posted: int | None, column: str = "version") -> bool:
    """Move `row` on from version `posted`, atomically; False if another save came first.

    Call it before changing the row: the content is written by the same transaction.
    """
    if posted is None:
        return False
    model = type(row)
    version = getattr(model, column)
    moved = db.session.execute(
        update(model)
        .where(model.id == row.id, version == posted)
        .values({version: version + 1})
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:
        return False
    set_committed_value(row, column, posted + 1)
    return True


def save(case, row, wanted: dict, posted: int | None, what: str, column="version") -> bool:
    """Write `wanted` (attribute: value) to `row` if it is still at version `posted`, and log
    it as `what`. False, with `row` read again as now saved, if someone saved a different
    version first. Saving what is already saved passes without writing: the same form sent
    twice is not a conflict with oneself.
    """
    if _holds(row, wanted):
        return True
    if claim(row, posted, column):
        for name, value in wanted.items():
            setattr(row, name, value)
        record("update", case, what)
        db.session.commit()
        return True
    db.session.refresh(row)  # theirs
    return _holds(row, wanted)


def _holds(row, values: dict) -> bool:
    return all(getattr(row, name) == value for name, value in values.items())


def stale(case, what: str, posted, current: int, fields, reload: str, target=None) -> Conflict:
    """The conflict for a refused save of the part whose saves the audit log calls `what`.

    Who saved the version now current, and when, comes from the audit log; the refusal is
    logged too (ids and versions only). Rows of `fields` that are the same in both versions
    are left out, unless none differ.
    """
    last = db.session.scalar(
        select(AuditEvent)
        .where(AuditEvent.case_id == case.id, AuditEvent.action == "update")
        .where(AuditEvent.what == what)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    record("refused", case, f"{what} from version {posted}: version {current} was saved first")
    db.session.commit()
    differ = [row for row in fields if row[1] != row[2]] or list(fields)
    mine = last is not None and last.user_id == current_user.id
    who = last.user.name if last is not None and last.user is not None else "Someone else"
    return Conflict(who, mine, last.at if last else None, differ, reload, target)


def bibtex_download(entries, filename: str) -> Response:
    return Response(
        to_bibtex(entries),
        mimetype="application/x-bibtex",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
