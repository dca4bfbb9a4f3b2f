"""Alembic's environment: the engine comes from gongkai.admin.migrate, never from an ini file."""

from __future__ import annotations

from alembic import context

from gongkai.admin import models, reminder_models  # noqa: F401 - fill the metadata
from gongkai.admin.db import Base

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    # render_as_batch: SQLite alters a table by copying it, which Alembic does in batch mode
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True, compare_type=True)
    context.run_migrations()
