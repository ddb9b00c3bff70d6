"""Sign-in bookkeeping: the counters that refuse a guesser for a while, and the record of
sign-ins, failures, lockouts and sign-outs (audit log and application log).

Failed sign-ins are counted where every worker sees them: the database by default, or the
store PEERBRIEF_RATELIMIT_STORAGE_URI names (redis://). Three counters, each a moving window:

- per address and account, short (5 per 15 minutes): the guesser's own lock. The owner of the
  account, signing in from elsewhere, is not locked by it;
- per account, longer and higher (30 per hour): many addresses guessing one account. One
  address alone cannot reach it (its own lock lets it try 20 times an hour);
- per address (10 per minute): one address trying many accounts.

Only wrong passwords count, so a clinic behind one address signs in freely; a refused attempt
checks no password and counts nothing. Counters hold hashes of the address and the account,
never an email address. Audit rows name the account by its user id, and only where it exists.
"""

import hashlib
import logging
import math
import time
from datetime import timedelta

from flask import current_app, request
from limits import RateLimitItem, parse
from sqlalchemy import delete, insert, select

from app.audit import record
from app.extensions import db
from app.models import AuditEvent, SigninFailure, User, now

log = logging.getLogger("peerbrief.signin")

# The audit log's actions for sign-in events (the team admin's page lists them).
ACTIONS = ("signin", "signin-failed", "lockout", "signout")

SCOPES = (  # (counter, its setting)
    ("pair", "LOGIN_LIMIT_PER_PAIR"),
    ("account", "LOGIN_LIMIT_PER_ACCOUNT"),
    ("address", "LOGIN_LIMIT_PER_ADDRESS"),
)


def address() -> str:
    return request.remote_addr or "unknown"


def _keys(email: str) -> dict[str, str]:
    """Each counter's key for this request: hashed, so the store holds no email address."""
    account = email.strip().lower()
    parts = {"pair": f"{address()}|{account}", "account": account, "address": address()}
    return {
        scope: hashlib.sha256(f"{scope}:{value}".encode()).hexdigest()
        for scope, value in parts.items()
    }


def _limits() -> list[tuple[str, RateLimitItem]]:
    return [(scope, parse(current_app.config[setting])) for scope, setting in SCOPES]


def refused(email: str) -> int | None:
    """Seconds to wait, when a counter for this address or account is full; else None."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return None
    keys = _keys(email)
    waits = [_store().wait(keys[scope], limit) for scope, limit in _limits()]
    waits = [w for w in waits if w is not None]
    return max(waits) if waits else None


def failed(user: User | None, email: str, why: str) -> None:
    """A wrong password (or a refused account): count it, audit and log it; and when it fills
    a counter, audit and log the lockout. Commits."""
    who = user.id if user is not None else None
    what = f"{why}, from {address()}" if user else f"no such account, from {address()}"
    record("signin-failed", what=what, user_id=who)
    log.warning("failed sign-in: %s (user %s)", what, who if who is not None else "unknown")
    if current_app.config["RATELIMIT_ENABLED"]:
        keys = _keys(email)
        store = _store()
        store.add([(keys[scope], limit) for scope, limit in _limits()])
        for scope, limit in _limits():
            if store.wait(keys[scope], limit) is not None:
                minutes = math.ceil(limit.get_expiry() / 60)
                lock = f"sign-in locked ({scope}) for up to {minutes} min, from {address()}"
                record("lockout", what=lock, user_id=who)
                log.warning("%s (user %s)", lock, who if who is not None else "unknown")
                break
    db.session.commit()


def signed_in(user: User) -> None:
    """Audit and log a sign-in (in the caller's transaction)."""
    record("signin", what=f"signed in from {address()}", user_id=user.id)
    log.info("sign-in: user %s from %s", user.id, address())


def signed_out(user: User, why: str) -> None:
    """Audit and log the end of a session (in the caller's transaction)."""
    record("signout", what=f"{why}, from {address()}", user_id=user.id)
    log.info("sign-out: user %s, %s", user.id, why)


def recent(user_ids: list[int], limit: int = 50) -> list[AuditEvent]:
    """The latest sign-in events of these accounts, newest first."""
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.user_id.in_(user_ids), AuditEvent.action.in_(ACTIONS))
            .order_by(AuditEvent.id.desc())
            .limit(limit)
        )
    )


# --- where the counts are kept ---------------------------------------------------------------


class DatabaseCounts:
    """Failures as rows of `signin_failure`: every worker on the database shares them."""

    def wait(self, key: str, limit: RateLimitItem) -> int | None:
        window = timedelta(seconds=limit.get_expiry())
        # The failure that, once it leaves the window, lets the next attempt through.
        blocking = db.session.scalar(
            select(SigninFailure.at)
            .where(SigninFailure.key == key, SigninFailure.at > now() - window)
            .order_by(SigninFailure.at.desc())
            .limit(1)
            .offset(limit.amount - 1)
        )
        if blocking is None:
            return None
        return max(1, math.ceil((blocking + window - now()).total_seconds()))

    def add(self, counted: list[tuple[str, RateLimitItem]]) -> None:
        at = now()
        db.session.execute(insert(SigninFailure), [{"key": k, "at": at} for k, _ in counted])
        longest = max(limit.get_expiry() for _, limit in counted)
        db.session.execute(
            delete(SigninFailure).where(SigninFailure.at < at - timedelta(seconds=longest))
        )


class StorageCounts:
    """Failures in the store the URI names (redis://host:6379), through `limits`; should the
    store fail, the database counts meanwhile, so a lost store never stops sign-in."""

    def __init__(self, uri: str):
        from limits.storage import storage_from_string
        from limits.strategies import MovingWindowRateLimiter

        self.limiter = MovingWindowRateLimiter(storage_from_string(uri))
        self.fallback = DatabaseCounts()

    def wait(self, key: str, limit: RateLimitItem) -> int | None:
        try:
            if self.limiter.test(limit, "peerbrief-signin", key):
                return None
            reset = self.limiter.get_window_stats(limit, "peerbrief-signin", key).reset_time
        except Exception:  # noqa: BLE001 - any failure of the store: count in the database
            log.warning("sign-in counter store unreachable: counting in the database")
            return self.fallback.wait(key, limit)
        return max(1, math.ceil(reset - time.time()))

    def add(self, counted: list[tuple[str, RateLimitItem]]) -> None:
        try:
            for key, limit in counted:
                self.limiter.hit(limit, "peerbrief-signin", key)
        except Exception:  # noqa: BLE001
            log.warning("sign-in counter store unreachable: counting in the database")
            self.fallback.add(counted)


def _store():
    app = current_app
    if "signin_counts" not in app.extensions:
        uri = app.config["RATELIMIT_STORAGE_URI"]
        app.extensions["signin_counts"] = StorageCounts(uri) if uri else DatabaseCounts()
    return app.extensions["signin_counts"]
