"""The second factor's rules: RFC 6238's own test vectors, the window, replay, recovery codes
and the wait after wrong codes."""

import ast
import base64
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from app.domain import totp

# RFC 6238 Appendix B: the seeds are ASCII digits, 20, 32 and 64 bytes long for each hash.
SEEDS = {
    "sha1": b"12345678901234567890",
    "sha256": b"12345678901234567890123456789012",
    "sha512": b"1234567890123456789012345678901234567890123456789012345678901234",
}
VECTORS = [
    (59, "94287082", "sha1"),
    (59, "46119246", "sha256"),
    (59, "90693936", "sha512"),
    (1111111109, "07081804", "sha1"),
    (1111111109, "68084774", "sha256"),
    (1111111109, "25091201", "sha512"),
    (1111111111, "14050471", "sha1"),
    (1111111111, "67062674", "sha256"),
    (1111111111, "99943326", "sha512"),
    (1234567890, "89005924", "sha1"),
    (1234567890, "91819424", "sha256"),
    (1234567890, "93441116", "sha512"),
    (2000000000, "69279037", "sha1"),
    (2000000000, "90698825", "sha256"),
    (2000000000, "38618901", "sha512"),
    (20000000000, "65353130", "sha1"),
    (20000000000, "77737706", "sha256"),
    (20000000000, "47863826", "sha512"),
]
SHA1 = base64.b32encode(SEEDS["sha1"]).decode()


@pytest.mark.parametrize(("seconds", "expected", "digest"), VECTORS)
def test_rfc_6238_test_vectors(seconds, expected, digest):
    secret = base64.b32encode(SEEDS[digest]).decode()
    assert totp.code_at(secret, totp.step_at(seconds), digits=8, digest=digest) == expected


@pytest.mark.parametrize(("seconds", "expected"), [(s, c) for s, c, d in VECTORS if d == "sha1"])
def test_the_six_digit_codes_apps_show_are_the_vectors_last_six_digits(seconds, expected):
    assert totp.code_at(SHA1, totp.step_at(seconds)) == expected[-6:]
    assert totp.check(SHA1, expected[-6:], seconds, None).step == totp.step_at(seconds)


def test_the_time_steps_of_the_vectors():
    # RFC 6238 Appendix B lists T for each time: 30-second steps from the Unix epoch.
    assert [totp.step_at(s) for s in (59, 1111111109, 1234567890, 20000000000)] == [
        0x1,
        0x23523EC,
        0x273EF07,
        0x27BC86AA,
    ]


def test_a_code_one_step_early_or_late_is_accepted_two_steps_is_not():
    at = 1234567890
    now = totp.step_at(at)
    for offset, accepted in ((-2, False), (-1, True), (0, True), (1, True), (2, False)):
        code = totp.code_at(SHA1, now + offset)
        result = totp.check(SHA1, code, at, None)
        assert result.accepted is accepted, offset
        assert result.step == (now + offset if accepted else None)
        assert not result.replayed


def test_a_code_once_accepted_is_refused_as_replayed_within_its_window():
    at = 1234567890
    now = totp.step_at(at)
    code = totp.code_at(SHA1, now)
    assert totp.check(SHA1, code, at, None).step == now
    again = totp.check(SHA1, code, at + 5, last_step=now)
    assert not again.accepted and again.replayed
    # An earlier step's code is refused once a later one was used, too.
    earlier = totp.check(SHA1, totp.code_at(SHA1, now - 1), at, last_step=now)
    assert earlier.replayed
    # The next step's code is fresh.
    assert totp.check(SHA1, totp.code_at(SHA1, now + 1), at, last_step=now).step == now + 1


def test_a_wrong_code_is_neither_accepted_nor_called_a_replay():
    at = 1234567890
    window = {totp.code_at(SHA1, totp.step_at(at) + d) for d in (-1, 0, 1)}
    wrong = next(f"{n:06d}" for n in range(10**6) if f"{n:06d}" not in window)
    result = totp.check(SHA1, wrong, at, None)
    assert not result.accepted and not result.replayed


def test_spaces_in_a_typed_code_are_ignored():
    code = totp.code_at(SHA1, totp.step_at(59))
    assert totp.check(SHA1, f" {code[:3]} {code[3:]} ", 59, None).accepted


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("287082", "code"),
        ("287 082", "code"),
        ("28708", None),
        ("2870821", None),
        ("٢٨٧٠٨٢", None),  # digits, but not ASCII ones: no app shows these
        ("abcd-efgh-jkmn-pqrs", "recovery"),
        ("ABCD EFGH JKMN PQRS", "recovery"),
        ("abcdefghjkmnpqrs", "recovery"),
        ("abcd-efgh-jkmn-pqr1", None),  # 1 looks like l: not in the alphabet
        ("", None),
        ("x" * 1000, None),
    ],
)
def test_the_shape_of_what_was_typed(typed, kind):
    assert totp.kind_of(typed) == kind


def test_a_new_secret_is_160_bits_of_base32_and_its_uri_names_the_issuer():
    secret = totp.new_secret()
    assert len(base64.b32decode(secret)) == 20
    assert secret != totp.new_secret()
    uri = totp.provisioning_uri(secret, "jane@clinic.example")
    assert uri.startswith("otpauth://totp/Peerbrief:jane%40clinic.example?")
    assert f"secret={secret}" in uri and "issuer=Peerbrief" in uri
    assert totp.grouped("ABCDEFGHIJ") == "ABCD EFGH IJ"


def test_recovery_codes_are_distinct_readable_and_stored_only_as_salted_hashes():
    codes = totp.new_recovery_codes()
    assert len(codes) == totp.RECOVERY_COUNT == 10
    assert len(set(codes)) == 10
    assert all(totp.kind_of(c) == "recovery" and len(c) == 19 for c in codes)
    salt, other_salt = totp.new_salt(), totp.new_salt()
    stored = totp.recovery_hash(codes[0], salt)
    assert codes[0] not in stored and len(stored) == 64
    assert stored != totp.recovery_hash(codes[0], other_salt)
    assert totp.recovery_matches(codes[0].upper().replace("-", " "), salt, stored)
    assert not totp.recovery_matches(codes[1], salt, stored)


def test_five_wrong_codes_then_a_quarter_hour_wait():
    assert [totp.locks(n) for n in range(1, 7)] == [False] * 4 + [True, True]
    assert [totp.over_limit(n) for n in range(1, 7)] == [False] * 5 + [True]
    now = datetime(2026, 12, 1, 9, 0)
    assert totp.minutes_left(now + totp.LOCKOUT, now) == 15
    assert totp.minutes_left(now + timedelta(seconds=61), now) == 2
    assert totp.minutes_left(now + timedelta(seconds=1), now) == 1


def test_the_rules_import_no_web_framework_or_database():
    tree = ast.parse(Path(totp.__file__).read_text())
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert imported <= {"hashlib", "hmac", "re", "secrets", "dataclasses", "datetime", "pyotp"}
