"""Rate limits of the public mailbox, counted in the database so every gunicorn worker sees the
same count: submissions per network address and per e-mail, and wrong 案件查詢 guesses per
address. Only the window is kept (older rows go as new ones come), and keys are sha256 digests:
the table holds no e-mail address."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from gongkai.mailbox.models import Attempt

SUBMIT_ADDRESS, SUBMIT_EMAIL, LOOKUP_ADDRESS = "submit-address", "submit-email", "lookup-address"


@dataclass(frozen=True)
class Limits:
    window: dt.timedelta
    per_address: int
    per_email: int
    lookup_failures: int

    @classmethod
    def from_config(cls, config: Any) -> Limits:
        return cls(dt.timedelta(minutes=int(config["MAILBOX_RATE_WINDOW_MINUTES"])), int(config["MAILBOX_MAX_PER_ADDRESS"]),
                   int(config["MAILBOX_MAX_PER_EMAIL"]), int(config["MAILBOX_LOOKUP_FAILURES"]))


def key_of(value: str) -> str:
    return hashlib.sha256(value.strip().lower().encode("utf-8")).hexdigest()


def blocked_until(db: Session, kind: str, value: str, limit: int, window: dt.timedelta, now: dt.datetime) -> dt.datetime | None:
    """When ``value`` may try ``kind`` again, or None if it may now."""
    recent = select(Attempt.at).where(Attempt.kind == kind, Attempt.key == key_of(value), Attempt.at > now - window)
    times = list(db.scalars(recent.order_by(Attempt.at.desc()).limit(limit)))
    return times[-1] + window if len(times) >= limit else None


def count(db: Session, kind: str, value: str, window: dt.timedelta, now: dt.datetime) -> None:
    db.execute(delete(Attempt).where(Attempt.kind == kind, Attempt.at <= now - window))
    db.add(Attempt(at=now, kind=kind, key=key_of(value)))


def total(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(Attempt)) or 0
