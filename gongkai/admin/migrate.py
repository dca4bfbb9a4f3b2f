"""Alembic migrations, applied from inside the package (`gongkai admin migrate`, and at start)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine  # env.py runs on this engine, not on a URL in an ini file
    return config


def upgrade(engine: Engine) -> str:
    """Bring the database to the newest revision; returns it. Safe to run at every start."""
    command.upgrade(alembic_config(engine), "head")
    return head_revision()


def head_revision() -> str:
    return ScriptDirectory(str(MIGRATIONS)).get_current_head() or ""


def current_revision(engine: Engine) -> str:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision() or ""
