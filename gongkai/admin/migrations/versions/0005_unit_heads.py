"""A unit's head (主管) on its membership: who is told when a 意見信箱 case of the unit is overdue.

Revision ID: 0005_unit_heads
Revises: 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_unit_heads"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # batch mode: SQLite adds the column in place, but drops one only by copying the table (downgrade)
    with op.batch_alter_table("memberships") as batch:
        # server_default: the rows already there (every existing membership) are not heads
        batch.add_column(sa.Column("head", sa.Boolean, nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("memberships") as batch:
        batch.drop_column("head")
