"""The 案件查詢 password: made by us, never chosen by a person, hashed with argon2id (argon2-cffi,
as the back office's passwords) at a lower cost.

Why lower: a person's password may be guessable, so the back office's hash must make every guess
expensive (RFC 9106's 64 MiB profile, ~50 ms). This one is 12 characters drawn at random from 31
(≈ 59 bits): an attacker holding the table would need some 2^58 guesses for one case, about ten
million core-years at the 1 ms a guess these parameters cost — while the default's 50 ms would cap
confirmations at ~40 a second on two cores. Online guessing is throttled besides (cases.lookup)."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o, 1/l/i: read aloud and typed from a letter
LENGTH = 12
TYPED_MAX = 64
HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
# verified against when no case has the number, so a wrong number costs what a wrong password does
_DUMMY = HASHER.hash("no case has this number")


def new() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i:i + 4] for i in range(0, LENGTH, 4))


def normal(typed: str) -> str:
    """As typed from the mail: spaces, hyphens and capitals do not matter."""
    cleaned = "".join(c for c in typed[:TYPED_MAX].lower() if c.isalnum())
    return "-".join(cleaned[i:i + 4] for i in range(0, len(cleaned), 4))


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def matches(stored_hash: str | None, typed: str) -> bool:
    try:
        HASHER.verify(stored_hash or _DUMMY, normal(typed))
    except (VerificationError, InvalidHashError):
        return False
    return stored_hash is not None
