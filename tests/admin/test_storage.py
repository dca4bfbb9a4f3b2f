"""The schema on both engines: the migration makes exactly the models' tables, runs again
harmlessly, and the database itself keeps the audit log append-only."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from gongkai.admin import audit, migrate
from gongkai.admin.db import Base, make_engine
from gongkai.mailbox import models as mailbox_models  # noqa: F401 - the mailbox's tables are in the comparison too


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


def test_the_migration_makes_what_the_models_describe(engine):
    """A model changed without a migration (or the reverse) shows up here as a difference."""
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata)
    assert differences == []
    assert {"accounts", "memberships", "sessions", "sign_in_failures", "audit_log", "outbox", "reminders_sent"} <= set(inspect(engine).get_table_names())
    assert {"mailbox_submissions", "mailbox_cases", "mailbox_attempts"} <= set(inspect(engine).get_table_names())


def test_migrating_again_changes_nothing(engine):
    assert migrate.current_revision(engine) == migrate.head_revision()
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET action = 'sign_out'", "DELETE FROM audit_log"])
def test_the_database_refuses_to_change_the_audit_log(engine, statement):
    from sqlalchemy.orm import Session

    with Session(engine) as db:
        audit.record(db, "test", "sign_in", "account:x", "127.0.0.1", "first")
        db.commit()
    with engine.connect() as connection, pytest.raises(DBAPIError, match="append-only"):
        connection.execute(text(statement))
        connection.commit()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT action, detail FROM audit_log")).all() == [("sign_in", "first")]


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)  # SQLite has no TRUNCATE
def test_postgresql_refuses_truncate_too(database_url):
    engine = make_engine(database_url)
    migrate.upgrade(engine)
    with engine.connect() as connection, pytest.raises(DBAPIError, match="append-only"):
        connection.execute(text("TRUNCATE audit_log"))
    engine.dispose()


def test_a_database_error_never_shows_the_values(engine):
    from sqlalchemy.exc import IntegrityError
    from sqlalchemy.orm import Session

    from gongkai.admin.models import Account

    with Session(engine) as db:
        for _ in range(2):
            db.add(Account(name="same", role="author", password_hash="$argon2id$secret-hash", disabled=False, totp_enabled=False,
                           totp_last_step=0, demo=False))
        with pytest.raises(IntegrityError) as raised:
            db.commit()
    assert "secret-hash" not in str(raised.value)
