"""The back office's tables, as typed declarative models. Every change to them is an Alembic
migration in migrations/versions (tests compare the two)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gongkai.admin.db import Base, UTCDateTime, utcnow

# Length limits, shared by the tables, the forms and the command line.
NAME_MAX = 64
EMAIL_MAX = 254
UNIT_MAX = 32
ADDRESS_MAX = 64
ACTION_MAX = 64
TARGET_MAX = 200
DETAIL_MAX = 2000
SUBJECT_MAX = 200
BODY_MAX = 20000


class Account(Base):
    """A person who signs in to the back office. Never deleted (the audit log names them): disabled."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX), unique=True)
    email: Mapped[str | None] = mapped_column(String(EMAIL_MAX))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    totp_last_step: Mapped[int] = mapped_column(Integer, default=0)  # the last time step used: a code is good once
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    memberships: Mapped[list[Membership]] = relationship(back_populates="account", cascade="all, delete-orphan",
                                                         order_by="Membership.unit", lazy="selectin")

    @property
    def units(self) -> frozenset[str]:
        return frozenset(m.unit for m in self.memberships)


class Membership(Base):
    """An account belongs to one or more units (codes of content/codes/units.yaml)."""

    __tablename__ = "memberships"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    unit: Mapped[str] = mapped_column(String(UNIT_MAX), primary_key=True)

    account: Mapped[Account] = relationship(back_populates="memberships")


class SignInSession(Base):
    """A signed-in browser. The cookie holds a random token; only its SHA-256 is stored here, so
    sign-out, disabling an account and the idle timeout end a session on the server."""

    __tablename__ = "sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(16))  # "password": the second factor is still to come; "full"
    address: Mapped[str] = mapped_column(String(ADDRESS_MAX))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    account: Mapped[Account] = relationship(lazy="joined")


class SignInFailure(Base):
    """A failed sign-in, kept for the throttling window only."""

    __tablename__ = "sign_in_failures"
    __table_args__ = (Index("ix_sign_in_failures_name_at", "name", "at"), Index("ix_sign_in_failures_address_at", "address", "at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    address: Mapped[str] = mapped_column(String(ADDRESS_MAX))


class AuditEntry(Base):
    """One line of the append-only audit log (the database refuses UPDATE and DELETE on it)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at", "at"), Index("ix_audit_log_action", "action"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(Integer)  # no foreign key: the log outlives anything it names
    actor_name: Mapped[str] = mapped_column(String(NAME_MAX))  # as the actor was called then
    action: Mapped[str] = mapped_column(String(ACTION_MAX))
    target: Mapped[str] = mapped_column(String(TARGET_MAX), default="")
    address: Mapped[str] = mapped_column(String(ADDRESS_MAX), default="")
    detail: Mapped[str] = mapped_column(Text, default="")


class OutboxMessage(Base):
    """An e-mail waiting to be sent, queued in the transaction of the change that causes it."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_state_next", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    recipient: Mapped[str] = mapped_column(String(EMAIL_MAX))
    subject: Mapped[str] = mapped_column(String(SUBJECT_MAX))
    body: Mapped[str] = mapped_column(Text)
    # queued → sending → sent; or back to queued (a refusal worth retrying), failed (refused for
    # good, or too many tries) or uncertain (the connection broke while the server had the message)
    state: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
