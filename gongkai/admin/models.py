"""The back office's tables, as typed declarative models. Every change to them is an Alembic
migration in migrations/versions (tests compare the two)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
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
DOC_ID_MAX = 100
PATH_MAX = 300
STATE_MAX = 16
COMMENT_MAX = 2000
REVISION_TEXT_MAX = 200_000  # one document's front matter and Markdown: far more than any page needs
FILE_NAME_MAX = 200
MEDIA_TYPE_MAX = 100


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

    @property
    def head_of(self) -> frozenset[str]:
        """The units this account is the head of."""
        return frozenset(m.unit for m in self.memberships if m.head)


class Membership(Base):
    """An account belongs to one or more units (codes of content/codes/units.yaml); ``head``: it is
    that unit's head (主管), who is told of the unit's overdue 意見信箱 cases."""

    __tablename__ = "memberships"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    unit: Mapped[str] = mapped_column(String(UNIT_MAX), primary_key=True)
    head: Mapped[bool] = mapped_column(Boolean, default=False)

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


class Draft(Base):
    """A document being edited, reviewed or just published/withdrawn: the workflow's subject.

    ``open_path`` holds the content path while the draft is open (draft, in review, rejected)
    and is cleared when it closes, so the database itself refuses a second open draft of one file.
    ``author_id`` is the account that last submitted it (or started it): permissions.never_own
    compares it, and the workflow also refuses anyone who wrote one of its revisions.
    """

    __tablename__ = "drafts"
    __table_args__ = (Index("ix_drafts_state", "state"), Index("ix_drafts_path", "path"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(STATE_MAX))
    lang: Mapped[str] = mapped_column(String(STATE_MAX))
    doc_id: Mapped[str] = mapped_column(String(DOC_ID_MAX))
    unit: Mapped[str] = mapped_column(String(UNIT_MAX))
    path: Mapped[str] = mapped_column(String(PATH_MAX))  # content-relative: docs/zh/procedure/x.md
    open_path: Mapped[str | None] = mapped_column(String(PATH_MAX), unique=True)
    state: Mapped[str] = mapped_column(String(STATE_MAX), default="draft")
    author_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    comment: Mapped[str] = mapped_column(Text, default="")  # the last rejection's comment, for the author
    reason: Mapped[str] = mapped_column(Text, default="")  # a force-publish's or withdrawal's reason
    publish_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # approved, to go out at this moment
    commit: Mapped[str] = mapped_column(String(64), default="")  # the content repository's commit that published it
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    author: Mapped[Account] = relationship(foreign_keys=[author_id], lazy="joined")
    reviewer: Mapped[Account | None] = relationship(foreign_keys=[reviewer_id], lazy="joined")
    revisions: Mapped[list[Revision]] = relationship(back_populates="draft", order_by="Revision.number", lazy="selectin")
    files: Mapped[list[DraftFile]] = relationship(back_populates="draft", order_by="DraftFile.name", lazy="selectin",
                                                  cascade="all, delete-orphan")

    @property
    def latest(self) -> Revision:
        return self.revisions[-1]


class Revision(Base):
    """One explicit save: the whole file (front matter and Markdown), kept forever. Numbered per
    draft; the unique (draft, number) pair makes two saves on one base collide in the database too."""

    __tablename__ = "revisions"
    __table_args__ = (UniqueConstraint("draft_id", "number", name="uq_revisions_draft_id_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))  # None: the published file it started from
    note: Mapped[str] = mapped_column(String(SUBJECT_MAX), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    draft: Mapped[Draft] = relationship(back_populates="revisions")
    author: Mapped[Account | None] = relationship(lazy="joined")


class DraftFile(Base):
    """An attachment uploaded to a draft, checked on upload; published with it under content/files/."""

    __tablename__ = "draft_files"
    __table_args__ = (UniqueConstraint("draft_id", "name", name="uq_draft_files_draft_id_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(FILE_NAME_MAX))  # relative to content/files/: forms/x.odt
    data: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(MEDIA_TYPE_MAX))
    uploaded_by: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    uploaded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    draft: Mapped[Draft] = relationship(back_populates="files")
