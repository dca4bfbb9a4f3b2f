"""The request's database session and its signed-in person.

Flask's signed cookie holds only a random token (and Flask-WTF's CSRF token); the session it
names lives in the database, so sign-out, disabling an account and the idle timeout take effect
on the server, and signing in always starts a new session (no fixation)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from flask import current_app, flash, g, request, session
from sqlalchemy import delete
from sqlalchemy.orm import Session

from gongkai.admin.db import utcnow
from gongkai.admin.models import ADDRESS_MAX, Account, SignInSession

COOKIE_KEY = "sid"


def db() -> Session:
    """The request's database session (closed, and rolled back unless committed, at its end)."""
    if "admin_db" not in g:
        g.admin_db = current_app.extensions["gongkai.admin"].sessions()
    return g.admin_db


def close_db(_error: BaseException | None = None) -> None:
    database = g.pop("admin_db", None)
    if database is not None:
        database.close()


def client_address() -> str:
    return (request.remote_addr or "")[:ADDRESS_MAX]


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def start(account: Account, stage: str) -> None:
    """A new session for ``account`` (the old cookie's contents are dropped: new CSRF token too)."""
    end()
    idle = dt.timedelta(minutes=int(current_app.config["ADMIN_IDLE_MINUTES"]))
    db().execute(delete(SignInSession).where(SignInSession.last_seen_at < utcnow() - idle))  # abandoned ones, so the table stays small
    token = secrets.token_urlsafe(32)
    db().add(SignInSession(token_hash=_hash(token), account_id=account.id, stage=stage, address=client_address()))
    session.clear()
    session[COOKIE_KEY] = token


def end() -> None:
    token = session.get(COOKIE_KEY)
    if isinstance(token, str):
        db().execute(delete(SignInSession).where(SignInSession.token_hash == _hash(token)))
    session.clear()


def load() -> SignInSession | None:
    """before_request: the signed-in session, or None. An idle one is ended, with a message for the sign-in page."""
    token = session.get(COOKIE_KEY)
    if not isinstance(token, str):
        return None
    found = db().get(SignInSession, _hash(token))
    if found is None or found.account.disabled:
        session.clear()
        return None
    idle = dt.timedelta(minutes=int(current_app.config["ADMIN_IDLE_MINUTES"]))
    now = utcnow()
    if now - found.last_seen_at > idle:
        db().delete(found)
        db().commit()
        session.clear()
        from gongkai.web.labels import label

        flash(label("admin.idle_ended", "zh-Hant-TW", minutes=current_app.config["ADMIN_IDLE_MINUTES"]))  # shown on the sign-in page
        return None
    if now - found.last_seen_at > dt.timedelta(seconds=30):  # not a write on every request
        found.last_seen_at = now
        db().commit()
    return found


def current() -> SignInSession | None:
    return g.get("admin_session")


def current_account() -> Account | None:
    """The signed-in account once both factors are done; None otherwise."""
    signed = current()
    return signed.account if signed is not None and signed.stage == "full" else None
