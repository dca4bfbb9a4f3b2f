"""Rate limits of the public mailbox, counted in the database so every gunicorn worker sees the
same count: submissions per network address and per e-mail, and wrong 案件查詢 guesses per
address. Only the window is kept: rows older than it are swept at most once a minute per process
as new ones come (a DELETE on every submission was a third of its statements), and by `gongkai
cases purge`. Keys are sha256 digests: the table holds no e-mail address."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, delete, func, or_, select
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


class BlockedCache:
    """Addresses known to be blocked, and until when, in this process: a block only ends with time,
    so remembering it is safe, and a flood of guesses then costs no database query. Bounded."""

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._until: dict[str, dt.datetime] = {}
        self._lock = threading.Lock()

    def get(self, value: str, now: dt.datetime) -> dt.datetime | None:
        with self._lock:
            until = self._until.get(value)
            if until is not None and until <= now:
                del self._until[value]
                return None
            return until

    def put(self, value: str, until: dt.datetime, now: dt.datetime) -> None:
        with self._lock:
            if len(self._until) >= self.size:
                self._until = {k: v for k, v in self._until.items() if v > now}
                while len(self._until) >= self.size:
                    self._until.pop(next(iter(self._until)))
            self._until[value] = until


def key_of(value: str) -> str:
    return hashlib.sha256(value.strip().lower().encode("utf-8")).hexdigest()


def blocked_until(db: Session, kind: str, value: str, limit: int, window: dt.timedelta, now: dt.datetime) -> dt.datetime | None:
    """When ``value`` may try ``kind`` again, or None if it may now. Reads at most ``limit`` rows."""
    return first_blocked(db, [(kind, value, limit)], window, now)


def first_blocked(db: Session, checks: list[tuple[str, str, int]], window: dt.timedelta, now: dt.datetime) -> dt.datetime | None:
    """blocked_until for several (kind, value, limit) at once, in one query while none is over its
    limit: when the first that is over it may try again, or None."""
    keys = {(kind, key_of(value)): limit for kind, value, limit in checks}
    recent = select(Attempt.kind, Attempt.key, func.count()).where(
        or_(*(and_(Attempt.kind == kind, Attempt.key == key) for kind, key in keys)), Attempt.at > now - window,
    ).group_by(Attempt.kind, Attempt.key)
    for kind, key, counted in db.execute(recent):
        limit = keys[(kind, key)]
        if counted >= limit:
            # free again when enough of the attempts have aged out of the window
            times = list(db.scalars(select(Attempt.at).where(Attempt.kind == kind, Attempt.key == key, Attempt.at > now - window)
                                    .order_by(Attempt.at.desc()).limit(limit)))
            return times[-1] + window
    return None


SWEEP_EVERY = 60.0  # seconds between two sweeps of old rows in one process
_sweep = {"next": 0.0}
_sweep_lock = threading.Lock()


def count(db: Session, kind: str, value: str, window: dt.timedelta, now: dt.datetime) -> None:
    """One more attempt; rows older than the window go with it, at most once every SWEEP_EVERY
    seconds in this process (the limits' queries ignore them meanwhile)."""
    with _sweep_lock:
        due = time.monotonic() >= _sweep["next"]
        if due:
            _sweep["next"] = time.monotonic() + SWEEP_EVERY
    if due:
        sweep(db, window, now)
    db.add(Attempt(at=now, kind=kind, key=key_of(value)))


def sweep(db: Session, window: dt.timedelta, now: dt.datetime) -> int:
    """Delete the attempts older than the window (every kind has the same one); how many went."""
    return db.execute(delete(Attempt).where(Attempt.at <= now - window)).rowcount or 0


def total(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(Attempt)) or 0
