"""Passwords: argon2id hashes (argon2-cffi), rehashed when the parameters change; a strength rule
that says what is wrong."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

PASSWORD_MIN = 12
PASSWORD_MAX = 128  # argon2 takes any length; a limit keeps a megabyte "password" from costing CPU

# RFC 9106's low-memory profile (argon2-cffi's default). Tests swap in cheaper parameters.
HASHER = PasswordHasher()

COMMON = frozenset({"123456789012", "1234567890123", "password1234", "passwordpassword", "qwertyuiopas", "aaaaaaaaaaaa",
                    "000000000000", "111111111111", "abcdefghijkl", "iloveyou1234", "administrator", "admin1234567"})
# Hashes to verify against when no account has the name, made with the current parameters, so
# a wrong name costs the same time as a wrong password and timing does not tell which accounts exist.
_DUMMIES: dict[int, str] = {}


def _dummy() -> str:
    if id(HASHER) not in _DUMMIES:
        _DUMMIES[id(HASHER)] = HASHER.hash("not a password of anyone")
    return _DUMMIES[id(HASHER)]


def password_problem(password: str, name: str = "") -> str:
    """What is wrong with a new password, or '' when it will do."""
    if len(password) < PASSWORD_MIN:
        return f"密碼至少要 {PASSWORD_MIN} 個字元（the password needs at least {PASSWORD_MIN} characters）"
    if len(password) > PASSWORD_MAX:
        return f"密碼最多 {PASSWORD_MAX} 個字元（at most {PASSWORD_MAX} characters）"
    if len(set(password)) < 5:
        return "密碼用的字元太少，請混用不同的字（the password repeats too few characters）"
    if password.lower() in COMMON or (name and name.lower() in password.lower()):
        return "密碼太容易猜到（常見密碼或含帳號名稱），請換一個（too easy to guess: common, or contains the account name）"
    return ""


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> tuple[bool, str | None]:
    """(matches, new hash when the stored one used other parameters, else None)."""
    if len(password) > PASSWORD_MAX:
        return False, None
    try:
        HASHER.verify(stored_hash or _dummy(), password)
    except (VerificationError, InvalidHashError):
        return False, None
    if stored_hash is None:
        return False, None
    return True, HASHER.hash(password) if HASHER.check_needs_rehash(stored_hash) else None
