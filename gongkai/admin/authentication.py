"""Checking a sign-in: throttling first, then the password, then the account's state. Every
attempt is audited, and every answer for a wrong name or password is the same one."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from sqlalchemy.orm import Session

from gongkai.admin import accounts, audit, second_factor, throttle
from gongkai.admin.models import NAME_MAX, Account
from gongkai.admin.passwords import verify_password


@dataclass(frozen=True)
class Outcome:
    account: Account | None
    refusal: str = ""  # a label key: why not
    until: dt.datetime | None = None  # for "throttled": when to try again


def check_password(db: Session, limits: throttle.Limits, name: str, password: str, address: str, *, demo_allowed: bool,
                   now: dt.datetime | None = None) -> Outcome:
    """The account whose name and password these are, or why there is none (the caller commits)."""
    # the name as accounts are looked up, so ａｕｔｈｏｒ and author share one count
    name = unicodedata.normalize("NFKC", name).strip()[:NAME_MAX]
    target = f"account:{name}"
    until = throttle.blocked_until(db, limits, name, address, now)
    if until is not None:
        return Outcome(None, "admin.throttled", until)  # audited once, when it began: the log cannot be flooded
    account = accounts.find(db, name)
    matches, new_hash = verify_password(account.password_hash if account else None, password)
    if not matches:
        _count_failure(db, limits, name, address, now, None, "sign_in_failed", "wrong name or password")
        return Outcome(None, "admin.sign_in_failed")
    if account.disabled or (account.demo and not demo_allowed):
        # only someone who knows the password learns this
        audit.record(db, None, "sign_in_failed", target, address, "account disabled" if account.disabled else "demo account refused")
        return Outcome(None, "admin.disabled_account" if account.disabled else "admin.demo_refused")
    if new_hash:
        account.password_hash = new_hash  # argon2's parameters changed since this hash was made
    throttle.forget_failures(db, name)
    return Outcome(account)


def check_code(db: Session, limits: throttle.Limits, account: Account, code: str, address: str,
               now: dt.datetime | None = None) -> Outcome:
    """The second factor of an account that passed its password (the caller commits)."""
    until = throttle.blocked_until(db, limits, account.name, address, now)
    if until is not None:
        return Outcome(None, "admin.throttled", until)
    if not second_factor.verify(account, code, now.timestamp() if now else None):
        _count_failure(db, limits, account.name, address, now, account, "second_factor_failed", "")
        return Outcome(None, "admin.code_wrong")
    return Outcome(account)


def _count_failure(db: Session, limits: throttle.Limits, name: str, address: str, now: dt.datetime | None,
                   actor: Account | None, action: str, detail: str) -> None:
    """Count and audit a failure; audit the start of throttling too, once."""
    throttle.count_failure(db, limits, name, address, now)
    audit.record(db, actor, action, f"account:{name}", address, detail)
    db.flush()
    if throttle.blocked_until(db, limits, name, address, now) is not None:
        audit.record(db, actor, "sign_in_throttled", f"account:{name}", address, "sign-ins refused for the rest of the window")
