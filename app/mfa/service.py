"""Two-factor sign-in, without the request: setting up an authenticator app, checking a code
(throttled, and never the same one twice), recovery codes, an admin's reset and a team's
requirement. The rules are in app/domain/totp.py; this keeps their state in the database.

Every event writes an audit row that names users by id; no secret or code reaches the log.
"""

import base64
import time
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from sqlalchemy import delete, func, or_, select, update

from app.audit import record
from app.domain import totp
from app.extensions import db
from app.models import RecoveryCode, Team, TwoFactor, User, now

ACTION = "two_factor"

# --- the secret, sealed ----------------------------------------------------------------------

_FERNETS: dict[str, Fernet] = {}


def _fernet() -> Fernet:
    """Fernet (AES-128-CBC and HMAC-SHA256) under a key derived from TWO_FACTOR_KEY, or from
    SECRET_KEY when that is not set: a copy of the database alone gives no one the codes."""
    key = current_app.config.get("TWO_FACTOR_KEY") or current_app.config["SECRET_KEY"]
    if key not in _FERNETS:
        derived = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"peerbrief two-factor secret"
        ).derive(key.encode())
        _FERNETS[key] = Fernet(base64.urlsafe_b64encode(derived))
    return _FERNETS[key]


def seal(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def unseal(sealed: str) -> str | None:
    """The secret, or None when it was sealed under another key (the key was changed)."""
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except InvalidToken:
        return None


# --- who has it, who must ----------------------------------------------------------------------


def of(user_id: int) -> TwoFactor | None:
    """The user's authenticator row as stored now (another request may have changed it)."""
    return db.session.get(TwoFactor, user_id, populate_existing=True)


def enrolled(user_id: int) -> bool:
    return bool(
        db.session.scalar(
            select(func.count())
            .select_from(TwoFactor)
            .where(TwoFactor.user_id == user_id, TwoFactor.confirmed_at.is_not(None))
        )
    )


def enrolled_among(user_ids: list[int]) -> set[int]:
    return set(
        db.session.scalars(
            select(TwoFactor.user_id).where(
                TwoFactor.user_id.in_(user_ids), TwoFactor.confirmed_at.is_not(None)
            )
        )
    )


def required_for(user: User) -> bool:
    """Whether a team of the user's requires a second factor (their teams come with them)."""
    return any(m.team.two_factor_required for m in user.memberships)


def recovery_left(user_id: int) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))
    )


# --- checking a code ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    """What came of a typed code: accepted, or the reason it was not and what to tell the user.

    `reason` is "malformed", "wrong", "replayed", "locked" or "missing" (nothing to check
    against: never set up, or reset meanwhile).
    """

    accepted: bool
    reason: str = ""
    problem: str = ""
    wait: int = 0  # seconds until codes are taken again, when locked
    recovery_left: int | None = None  # after a recovery code: how many remain
    codes: tuple[str, ...] = ()  # new recovery codes, to be shown once


MALFORMED = "Enter the 6-digit code your authenticator app shows now."
MALFORMED_OR_RECOVERY = "Enter the 6-digit code your authenticator app shows, or a recovery code."
WRONG = (
    "That code is not right. Check that the app shows Peerbrief and this account, and that "
    "your phone sets its clock automatically."
)
REPLAYED = "That code was just used. Wait for the next one: the app shows a new code every 30 s."
USED_RECOVERY = "That recovery code was used before: each works once. Try another."
MISSING = "Two-factor sign-in is not set up for this account (or was just reset)."


def check(user_id: int, typed: str, recovery: bool = False) -> Result:
    """Check a code from the app (or, with `recovery`, a recovery code) for `user_id`.

    Each attempt is counted before it is checked, in one UPDATE, so requests sent together
    cannot get more than the allowed number of guesses between them; a right code clears the
    count. Past the limit nothing is checked until the wait is over.
    """
    kind = totp.kind_of(typed)
    if kind is None or (kind == "recovery" and not recovery):
        return Result(False, "malformed", MALFORMED_OR_RECOVERY if recovery else MALFORMED)
    moment = now()
    attempt = db.session.scalar(
        update(TwoFactor)
        .where(
            TwoFactor.user_id == user_id,
            or_(TwoFactor.locked_until.is_(None), TwoFactor.locked_until <= moment),
        )
        .values(attempts=TwoFactor.attempts + 1)
        .returning(TwoFactor.attempts)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()  # the attempt counts even if what follows fails
    if attempt is None:
        return _locked(user_id, moment) if of(user_id) else Result(False, "missing", MISSING)
    if totp.over_limit(attempt):  # a burst of requests past the limit: refused unchecked
        return _lock(user_id, moment)
    result = _code(user_id, typed) if kind == "code" else _recovery(user_id, typed)
    if result.accepted:
        _clear_attempts(user_id)
    else:
        # A code used again is logged as such (ASVS 2.8.5): someone else may have seen it.
        wrong = f"reused {kind}" if result.reason == "replayed" else f"wrong {kind}"
        record(ACTION, what=f"{wrong} for user {user_id}", user_id=user_id)
        if totp.locks(attempt):
            return _lock(user_id, moment)
    db.session.commit()
    return result


def _code(user_id: int, typed: str) -> Result:
    row = of(user_id)
    secret = unseal(row.secret)
    if secret is None:
        return Result(False, "wrong", WRONG)
    verdict = totp.check(secret, typed, time.time(), row.last_step)
    if verdict.accepted:
        # Only one request may move the step forward: a code sent twice at once works once.
        won = db.session.execute(
            update(TwoFactor)
            .where(
                TwoFactor.user_id == user_id,
                or_(TwoFactor.last_step.is_(None), TwoFactor.last_step < verdict.step),
            )
            .values(last_step=verdict.step)
            .execution_options(synchronize_session=False)
        )
        if won.rowcount == 1:
            return Result(True)
    if verdict.accepted or verdict.replayed:
        return Result(False, "replayed", REPLAYED)
    return Result(False, "wrong", WRONG)


def _recovery(user_id: int, typed: str) -> Result:
    rows = db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user_id)).all()
    matching = [r for r in rows if totp.recovery_matches(typed, r.salt, r.code_hash)]
    unused = [r for r in rows if r.used_at is None]
    if not matching:
        return Result(False, "wrong", WRONG)
    code = matching[0]
    spent = db.session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.id == code.id, RecoveryCode.used_at.is_(None))
        .values(used_at=now())
        .execution_options(synchronize_session=False)
    )
    if spent.rowcount != 1:
        return Result(False, "replayed", USED_RECOVERY)
    left = len(unused) - 1
    record(
        ACTION, what=f"user {user_id} used recovery code {code.id}; {left} left", user_id=user_id
    )
    return Result(True, recovery_left=left)


def _clear_attempts(user_id: int) -> None:
    db.session.execute(
        update(TwoFactor)
        .where(TwoFactor.user_id == user_id)
        .values(attempts=0)
        .execution_options(synchronize_session=False)
    )


def _lock(user_id: int, moment) -> Result:
    until = moment + totp.LOCKOUT
    db.session.execute(
        update(TwoFactor)
        .where(TwoFactor.user_id == user_id)
        .values(attempts=0, locked_until=until)
        .execution_options(synchronize_session=False)
    )
    minutes = totp.minutes_left(until, moment)
    record(
        ACTION,
        what=f"user {user_id} locked out of two-factor for {minutes} minutes",
        user_id=user_id,
    )
    db.session.commit()
    return _locked(user_id, moment)


def _locked(user_id: int, moment) -> Result:
    until = of(user_id).locked_until or moment
    minutes = totp.minutes_left(until, moment)
    problem = (
        f"Too many wrong codes. Wait {minutes} minute{'s' if minutes > 1 else ''} and try "
        "again, or ask your team's admin to reset your two-factor sign-in."
    )
    return Result(False, "locked", problem, wait=max(1, int((until - moment).total_seconds())))


# --- setting up, new recovery codes, reset, requirement ----------------------------------------


def begin(user: User) -> TwoFactor:
    """A new secret for the user to add to their app, not yet guarding sign-in: it replaces
    one set up earlier and never confirmed. Refused (ValueError) when one is confirmed."""
    row = of(user.id)
    if row is not None and row.confirmed:
        raise ValueError("two-factor sign-in is already set up")
    if row is not None:
        db.session.delete(row)
        db.session.flush()
    row = TwoFactor(user_id=user.id, secret=seal(totp.new_secret()))
    db.session.add(row)
    record(ACTION, what=f"user {user.id} began setting up two-factor")
    db.session.commit()
    return row


def pending_secret(user: User) -> str | None:
    """The secret of a set-up not yet confirmed, to show as a QR code and as text."""
    row = of(user.id)
    return unseal(row.secret) if row is not None and not row.confirmed else None


def confirm(user: User, typed: str) -> Result:
    """The first code from the app: two-factor then guards sign-in, and recovery codes are made."""
    row = of(user.id)
    if row is None or row.confirmed:
        return Result(False, "missing", MISSING)
    result = check(user.id, typed)
    if not result.accepted:
        return result
    of(user.id).confirmed_at = now()
    codes = _new_recovery_codes(user.id)
    record(ACTION, what=f"user {user.id} set up two-factor sign-in")
    db.session.commit()
    return Result(True, codes=codes)


def regenerate(user: User, typed: str) -> Result:
    """New recovery codes for a current code from the app; the old ones stop working."""
    if not enrolled(user.id):
        return Result(False, "missing", MISSING)
    result = check(user.id, typed)
    if not result.accepted:
        return result
    codes = _new_recovery_codes(user.id)
    record(ACTION, what=f"user {user.id} made new recovery codes")
    db.session.commit()
    return Result(True, codes=codes)


def _new_recovery_codes(user_id: int) -> tuple[str, ...]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    codes = totp.new_recovery_codes()
    for code in codes:
        salt = totp.new_salt()
        db.session.add(
            RecoveryCode(user_id=user_id, salt=salt, code_hash=totp.recovery_hash(code, salt))
        )
    return tuple(codes)


def reset(user: User, team: Team | None) -> bool:
    """A team admin (or, with no team, the operator) removes the member's app and recovery
    codes (a lost phone): the member sets it up again. False when there was nothing to reset."""
    row = of(user.id)
    if row is None:
        return False
    db.session.delete(row)
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    record(
        ACTION,
        what=f"reset two-factor sign-in of user {user.id}",
        team_id=team.id if team is not None else None,
    )
    return True


def require(team: Team, required: bool) -> bool:
    """Whether every member of the team must use a second factor. False when unchanged."""
    if team.two_factor_required == required:
        return False
    team.two_factor_required = required
    done = "now required" if required else "no longer required"
    record(ACTION, what=f"two-factor sign-in {done} of every member", team_id=team.id)
    return True
