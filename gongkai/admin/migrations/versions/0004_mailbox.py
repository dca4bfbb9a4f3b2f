"""The 意見信箱's tables (gongkai.mailbox.models): unconfirmed messages, cases, and the attempts
counted by its rate limits.

Revision ID: 0004_mailbox
Revises: 0001 (the integrator re-chains it after the back office's 0002/0003)
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gongkai.admin.db import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _message_columns() -> list[sa.Column]:
    """What the citizen typed: the same columns on a submission and on its case."""
    return [
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("subject", sa.String(100), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("phone", sa.String(30), nullable=False),
        sa.Column("attachment_name", sa.String(120), nullable=False),
        sa.Column("attachment_type", sa.String(100), nullable=False),
        sa.Column("attachment", sa.LargeBinary, nullable=True),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "mailbox_submissions",
        sa.Column("id", sa.Integer, nullable=False),
        *_message_columns(),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("expires_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_mailbox_submissions"),
        sa.UniqueConstraint("token_hash", name="uq_mailbox_submissions_token_hash"),
    )
    op.create_index("ix_mailbox_submissions_expires_at", "mailbox_submissions", ["expires_at"])
    op.create_table(
        "mailbox_cases",
        sa.Column("id", sa.Integer, nullable=False),
        *_message_columns(),
        sa.Column("number", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("confirmation_hash", sa.String(64), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("tier", sa.String(32), nullable=False),
        sa.Column("unit", sa.String(32), nullable=False),
        sa.Column("submitted_at", UTCDateTime, nullable=False),
        sa.Column("received_at", UTCDateTime, nullable=False),
        sa.Column("received_on", sa.Date, nullable=False),
        sa.Column("deadline", sa.Date, nullable=False),
        sa.Column("assigned_at", UTCDateTime, nullable=True),
        sa.Column("draft_reply", sa.Text, nullable=False),
        sa.Column("drafted_by", sa.Integer, nullable=True),
        sa.Column("approved_by", sa.Integer, nullable=True),
        sa.Column("reminded_at", UTCDateTime, nullable=True),
        sa.Column("escalated_at", UTCDateTime, nullable=True),
        sa.Column("reply", sa.Text, nullable=False),
        sa.Column("answered_at", UTCDateTime, nullable=True),
        sa.Column("answered_on", sa.Date, nullable=True),
        sa.Column("merged_into", sa.Integer, nullable=True),
        sa.Column("closure_reason", sa.String(32), nullable=True),
        sa.Column("closed_at", UTCDateTime, nullable=True),
        sa.Column("satisfaction", sa.Integer, nullable=True),
        sa.Column("satisfaction_comment", sa.Text, nullable=False),
        sa.Column("rated_at", UTCDateTime, nullable=True),
        sa.Column("reopened_at", UTCDateTime, nullable=True),
        sa.Column("reopen_reason", sa.Text, nullable=False),
        sa.Column("reopen_count", sa.Integer, nullable=False),
        sa.Column("purged_at", UTCDateTime, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_mailbox_cases"),
        sa.UniqueConstraint("number", name="uq_mailbox_cases_number"),
        sa.UniqueConstraint("confirmation_hash", name="uq_mailbox_cases_confirmation_hash"),
        sa.ForeignKeyConstraint(["drafted_by"], ["accounts.id"], name="fk_mailbox_cases_drafted_by_accounts"),
        sa.ForeignKeyConstraint(["approved_by"], ["accounts.id"], name="fk_mailbox_cases_approved_by_accounts"),
        sa.ForeignKeyConstraint(["merged_into"], ["mailbox_cases.id"], name="fk_mailbox_cases_merged_into_mailbox_cases"),
    )
    op.create_index("ix_mailbox_cases_unit_state", "mailbox_cases", ["unit", "state"])
    op.create_index("ix_mailbox_cases_deadline", "mailbox_cases", ["deadline"])
    op.create_table(
        "mailbox_attempts",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_mailbox_attempts"),
    )
    op.create_index("ix_mailbox_attempts_kind_key_at", "mailbox_attempts", ["kind", "key", "at"])


def downgrade() -> None:
    for table in ("mailbox_attempts", "mailbox_cases", "mailbox_submissions"):
        op.drop_table(table)
