"""Co-signatures of a case's letter: who approved the version that reads now.

Reading never writes: a co-signature of an earlier version simply is not on the letter.
The explicit write happens where the letter changes: a request that changed a case
(`touched`) withdraws, before it ends, the co-signatures of versions that no longer read.
"""

from flask import g

from app.audit import record
from app.extensions import db
from app.models import Case, User
from app.models.core import now


def cosigners(case: Case, fingerprint: str) -> list[User]:
    """The co-signers who approved exactly this version of the letter and still stand by it."""
    return [
        s.user for s in case.signatures if s.withdrawn_at is None and s.letter_hash == fingerprint
    ]


def touched(case: Case) -> None:
    """Note that this request changed `case`: its stale co-signatures are withdrawn at the
    end of the request."""
    g.setdefault("touched_cases", set()).add(case.id)


def withdraw_stale(case: Case, fingerprint: str) -> int:
    """Withdraw, with the reason and an audit row, each co-signature of another version."""
    stale = [s for s in case.signatures if s.withdrawn_at is None and s.letter_hash != fingerprint]
    for signature in stale:
        signature.withdrawn_at = now()
        signature.withdrawn_why = "The letter changed after it was signed."
        record("sign", case, f"co-signature {signature.id} withdrawn: the letter changed")
    return len(stale)


def settle(response):
    """After a request that changed cases: withdraw what the change made stale, and commit."""
    ids = g.pop("touched_cases", None)
    if not ids or response.status_code >= 400:
        return response
    from app.services.documents import letter

    withdrawn = 0
    for case_id in sorted(ids):
        case = db.session.get(Case, case_id)
        if case is not None and any(s.withdrawn_at is None for s in case.signatures):
            withdrawn += withdraw_stale(case, letter(case, "letter").fingerprint())
    if withdrawn:
        db.session.commit()
    return response
