"""Sign-in throttling: failed attempts counted per account name and per network address over a
time window, in the database (so every gunicorn worker sees the same count). The table holds
the window only: older rows are deleted as new ones come in, so it stays bounded."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from gongkai.admin.db import utcnow
from gongkai.admin.models import ADDRESS_MAX, NAME_MAX, SignInFailure


@dataclass(frozen=True)
class Limits:
    window: dt.timedelta
    per_name: int
    per_address: int

    @classmethod
    def from_config(cls, config) -> Limits:
        return cls(dt.timedelta(minutes=int(config["SIGN_IN_WINDOW_MINUTES"])), int(config["SIGN_IN_MAX_PER_ACCOUNT"]),
                   int(config["SIGN_IN_MAX_PER_ADDRESS"]))


def blocked_until(db: Session, limits: Limits, name: str, address: str, now: dt.datetime | None = None) -> dt.datetime | None:
    """When this name or address may try again, or None if it may now.

    A name is counted whether or not an account has it, so being throttled tells nothing about
    which accounts exist."""
    now = now or utcnow()
    since = now - limits.window
    for column, value, limit in ((SignInFailure.name, name[:NAME_MAX], limits.per_name),
                                 (SignInFailure.address, address[:ADDRESS_MAX], limits.per_address)):
        recent = select(SignInFailure.at).where(column == value, SignInFailure.at > since)
        if db.scalar(select(func.count()).select_from(recent.subquery())) >= limit:
            # free again when enough of the failures have aged out of the window
            times = list(db.scalars(recent.order_by(SignInFailure.at.desc()).limit(limit)))
            return times[-1] + limits.window
    return None


def count_failure(db: Session, limits: Limits, name: str, address: str, now: dt.datetime | None = None) -> None:
    now = now or utcnow()
    db.execute(delete(SignInFailure).where(SignInFailure.at <= now - limits.window))
    db.add(SignInFailure(at=now, name=name[:NAME_MAX], address=address[:ADDRESS_MAX]))


def forget_failures(db: Session, name: str) -> None:
    """A successful sign-in clears its name's count (not its address's: one address may be many people)."""
    db.execute(delete(SignInFailure).where(SignInFailure.name == name[:NAME_MAX]))
