"""The rules of a second factor: time-based one-time passwords (RFC 6238) and recovery codes.

Pure functions: the caller keeps the state (the secret, the last time step a code was accepted
for, the count of wrong codes) and the clock, and asks these what to decide.
"""

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp

# What every authenticator app assumes when a QR code names nothing else (RFC 6238's defaults).
INTERVAL = 30  # seconds one code lasts
DIGITS = 6
# A code of the step before or after the current one is accepted: a phone's clock drifts and
# typing takes time (RFC 6238 section 5.2 recommends at most one step either way).
DRIFT = 1
ISSUER = "Peerbrief"

# Wrong codes allowed before a wait, and the wait: five guesses in a million per quarter hour.
ATTEMPTS = 5
LOCKOUT = timedelta(minutes=15)

RECOVERY_COUNT = 10
# Recovery codes are read from paper and typed: no letters and digits that look alike.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_LENGTH = 16  # 31**16: about 79 bits, stored salted and hashed (ASVS 2.6.2)


def new_secret() -> str:
    """A random shared secret, base32 as authenticator apps take it: 160 bits (RFC 4226)."""
    return pyotp.random_base32(length=32)


def step_at(seconds: float) -> int:
    """The time step (RFC 6238's T) that a Unix time falls in."""
    return int(seconds // INTERVAL)


def code_at(secret: str, step: int, digits: int = DIGITS, digest: str = "sha1") -> str:
    """The code for time step `step`: HOTP (RFC 4226) of the step's counter."""
    return pyotp.TOTP(secret, digits=digits, digest=digest, interval=INTERVAL).generate_otp(step)


def provisioning_uri(secret: str, account: str) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret, interval=INTERVAL, digits=DIGITS).provisioning_uri(
        name=account, issuer_name=ISSUER
    )


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@dataclass(frozen=True)
class Check:
    """What a typed code turned out to be: the step it is the code of, or why it is refused."""

    step: int | None = None
    replayed: bool = False  # right, but for a step already used: RFC 6238 5.2 refuses it

    @property
    def accepted(self) -> bool:
        return self.step is not None


def check(secret: str, code: str, seconds: float, last_step: int | None) -> Check:
    """Whether `code` is the code of a step within DRIFT of `seconds` and later than
    `last_step`, the step of the last code accepted. Every step of the window is compared, in
    constant time, so the answer takes as long whichever matches."""
    code = bare(code)
    now = step_at(seconds)
    window = range(now - DRIFT, now + DRIFT + 1)
    matches = [s for s in window if hmac.compare_digest(code_at(secret, s), code)]
    # A later step's code may equal an earlier one's (one in a million): the later one counts.
    fresh = [s for s in matches if last_step is None or s > last_step]
    if fresh:
        return Check(step=fresh[0])
    return Check(replayed=bool(matches))


_SEPARATORS = re.compile(r"[\s\-]+")


def bare(typed: str) -> str:
    """The typed code without spaces and hyphens, in lower case."""
    return _SEPARATORS.sub("", typed or "").lower()


def kind_of(typed: str) -> str | None:
    """ "code" for six digits (spaces allowed), "recovery" for a recovery code's shape,
    None for anything else."""
    code = bare(typed)
    if len(code) == DIGITS and code.isascii() and code.isdigit():
        return "code"
    if len(code) == RECOVERY_LENGTH and all(c in RECOVERY_ALPHABET for c in code):
        return "recovery"
    return None


def new_recovery_codes(count: int = RECOVERY_COUNT) -> list[str]:
    """Fresh recovery codes, each shown as four groups of four ("k7pq-x2mn-...")."""
    codes = []
    for _ in range(count):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
        codes.append("-".join(raw[i : i + 4] for i in range(0, RECOVERY_LENGTH, 4)))
    return codes


def new_salt() -> str:
    """A random salt for one recovery code's hash, as hex."""
    return secrets.token_hex(16)


def recovery_hash(code: str, salt: str) -> str:
    """SHA-256 of the salt and the bare code: what is stored instead of the code."""
    return hashlib.sha256(bytes.fromhex(salt) + bare(code).encode()).hexdigest()


def recovery_matches(code: str, salt: str, stored: str) -> bool:
    return hmac.compare_digest(recovery_hash(code, salt), stored)


def over_limit(attempts: int) -> bool:
    """Whether the attempt numbered `attempts` (counted since the last right code or wait)
    comes after the allowed wrong ones: it is refused unchecked."""
    return attempts > ATTEMPTS


def locks(attempts: int) -> bool:
    """Whether a wrong code at attempt `attempts` is the last one allowed: a wait begins."""
    return attempts >= ATTEMPTS


def minutes_left(until: datetime, now: datetime) -> int:
    """Whole minutes until `until`, at least one: what the user is told to wait."""
    seconds = (until - now).total_seconds()
    return max(1, -(-int(seconds) // 60))
