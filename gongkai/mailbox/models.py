"""The mailbox's tables, on the back office's database (gongkai.admin.db.Base) and its migrations
(0004_mailbox). A message is a Submission until the citizen follows the e-mailed link; only then
is it a Case, with a number, a query password and a deadline."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Date, Enum, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gongkai.admin.db import Base, UTCDateTime, utcnow
from gongkai.mailbox.states import CaseState, ClosureReason

# Limits, shared by the tables and the form.
SUBJECT_MAX = 100
MESSAGE_MAX = 5000
NAME_MAX = 64
EMAIL_MAX = 254
PHONE_MAX = 30
CODE_MAX = 32
FILENAME_MAX = 120
MEDIA_TYPE_MAX = 100
ADDRESS_MAX = 64
NUMBER_MAX = 20
REPLY_MAX = 20000
COMMENT_MAX = 2000
ATTACHMENT_MAX = 5 * 1024 * 1024  # bytes


def _values(enum_type: type[enum.Enum]) -> list[str]:
    """Store an enum's values (received), not its member names (RECEIVED)."""
    return [member.value for member in enum_type]


class _Message:
    """What the citizen typed, the same on an unconfirmed message and on its case."""

    category: Mapped[str] = mapped_column(String(CODE_MAX))
    subject: Mapped[str] = mapped_column(String(SUBJECT_MAX))
    message: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    email: Mapped[str] = mapped_column(String(EMAIL_MAX))
    phone: Mapped[str] = mapped_column(String(PHONE_MAX), default="")
    attachment_name: Mapped[str] = mapped_column(String(FILENAME_MAX), default="")
    attachment_type: Mapped[str] = mapped_column(String(MEDIA_TYPE_MAX), default="")
    attachment: Mapped[bytes | None] = mapped_column(LargeBinary)
    language: Mapped[str] = mapped_column(String(16))  # the citizen's language: the mail is written in it
    address: Mapped[str] = mapped_column(String(ADDRESS_MAX))


class Submission(_Message, Base):
    """A message waiting for its e-mailed link to be followed (7 days), then deleted."""

    __tablename__ = "mailbox_submissions"
    __table_args__ = (Index("ix_mailbox_submissions_expires_at", "expires_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the link's token: the table holds no usable link
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class Case(_Message, Base):
    """A confirmed message: a 案件編號, a query password (argon2), a unit, a deadline and a state."""

    __tablename__ = "mailbox_cases"
    __table_args__ = (Index("ix_mailbox_cases_unit_state", "unit", "state"), Index("ix_mailbox_cases_deadline", "deadline"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(NUMBER_MAX), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    # the submission's token hash: following the link twice finds this case instead of making another
    confirmation_hash: Mapped[str] = mapped_column(String(64), unique=True)
    state: Mapped[CaseState] = mapped_column(Enum(CaseState, native_enum=False, length=16, values_callable=_values,
                                                  validate_strings=True, name="case_state"), default=CaseState.RECEIVED)
    tier: Mapped[str] = mapped_column(String(CODE_MAX))
    unit: Mapped[str] = mapped_column(String(CODE_MAX))
    submitted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)  # confirmed: the deadline counts from here
    received_on: Mapped[dt.date] = mapped_column(Date)  # Taiwan's date of received_at
    deadline: Mapped[dt.date] = mapped_column(Date)
    # the staff side (next part): triage, the reply drafted by one person and approved by another
    assigned_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    draft_reply: Mapped[str] = mapped_column(Text, default="")
    drafted_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    reminded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    escalated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # the outcome, shown on 案件查詢
    reply: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    answered_on: Mapped[dt.date | None] = mapped_column(Date)
    merged_into: Mapped[int | None] = mapped_column(ForeignKey("mailbox_cases.id"))
    closure_reason: Mapped[ClosureReason | None] = mapped_column(Enum(ClosureReason, native_enum=False, length=32, values_callable=_values,
                                                                      validate_strings=True, name="closure_reason"))
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # the citizen after the reply
    satisfaction: Mapped[int | None] = mapped_column(Integer)  # 1 (very dissatisfied) … 5 (very satisfied)
    satisfaction_comment: Mapped[str] = mapped_column(Text, default="")
    rated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    reopened_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    reopen_reason: Mapped[str] = mapped_column(Text, default="")
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    # retention: closed cases lose their personal fields (gongkai cases purge)
    purged_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class Attempt(Base):
    """A submission or a 案件查詢 guess, counted per address and per e-mail over a window (rate
    limits shared by every gunicorn worker). Keys are hashed: the table keeps no e-mail address."""

    __tablename__ = "mailbox_attempts"
    __table_args__ = (Index("ix_mailbox_attempts_kind_key_at", "kind", "key", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(64))
