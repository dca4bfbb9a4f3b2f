"""Documents being edited: drafts (the workflow's state), their revisions (every explicit save,
kept forever) and their uploaded attachments.

Revision ID: 0002_documents
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gongkai.admin.db import UTCDateTime

revision = "0002_documents"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "drafts",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("lang", sa.String(16), nullable=False),
        sa.Column("doc_id", sa.String(100), nullable=False),
        sa.Column("unit", sa.String(32), nullable=False),
        sa.Column("path", sa.String(300), nullable=False),
        sa.Column("open_path", sa.String(300), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("author_id", sa.Integer, nullable=False),
        sa.Column("reviewer_id", sa.Integer, nullable=True),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("publish_at", UTCDateTime, nullable=True),
        sa.Column("commit", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("changed_at", UTCDateTime, nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["accounts.id"], name="fk_drafts_author_id_accounts"),
        sa.ForeignKeyConstraint(["reviewer_id"], ["accounts.id"], name="fk_drafts_reviewer_id_accounts"),
        sa.PrimaryKeyConstraint("id", name="pk_drafts"),
        sa.UniqueConstraint("open_path", name="uq_drafts_open_path"),
    )
    op.create_index("ix_drafts_state", "drafts", ["state"])
    op.create_index("ix_drafts_path", "drafts", ["path"])
    op.create_table(
        "revisions",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("draft_id", sa.Integer, nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("author_id", sa.Integer, nullable=True),
        sa.Column("note", sa.String(200), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.ForeignKeyConstraint(["draft_id"], ["drafts.id"], name="fk_revisions_draft_id_drafts", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["author_id"], ["accounts.id"], name="fk_revisions_author_id_accounts"),
        sa.PrimaryKeyConstraint("id", name="pk_revisions"),
        sa.UniqueConstraint("draft_id", "number", name="uq_revisions_draft_id_number"),
    )
    op.create_table(
        "draft_files",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("draft_id", sa.Integer, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("uploaded_by", sa.Integer, nullable=False),
        sa.Column("uploaded_at", UTCDateTime, nullable=False),
        sa.ForeignKeyConstraint(["draft_id"], ["drafts.id"], name="fk_draft_files_draft_id_drafts", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["uploaded_by"], ["accounts.id"], name="fk_draft_files_uploaded_by_accounts"),
        sa.PrimaryKeyConstraint("id", name="pk_draft_files"),
        sa.UniqueConstraint("draft_id", "name", name="uq_draft_files_draft_id_name"),
    )


def downgrade() -> None:
    for table in ("draft_files", "revisions", "drafts"):
        op.drop_table(table)
