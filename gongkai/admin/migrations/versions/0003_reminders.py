"""Reminders of overdue documents already sent (gongkai remind): one per person, document and
update cycle.

Revision ID: 0003
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gongkai.admin.db import UTCDateTime

revision = "0003"
down_revision = "0002_documents"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reminders_sent",
        sa.Column("account_id", sa.Integer, nullable=False),
        sa.Column("document", sa.String(200), nullable=False),
        sa.Column("due", sa.Date, nullable=False),
        sa.Column("outbox_id", sa.Integer, nullable=True),
        sa.Column("sent_at", UTCDateTime, nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name="fk_reminders_sent_account_id_accounts", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["outbox_id"], ["outbox.id"], name="fk_reminders_sent_outbox_id_outbox", ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("account_id", "document", "due", name="pk_reminders_sent"),
    )


def downgrade() -> None:
    op.drop_table("reminders_sent")
