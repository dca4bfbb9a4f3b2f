"""Migrations over data: 0005_unit_heads adds the head flag to existing memberships (none is a
head), and goes back down, on SQLite (batch mode) and PostgreSQL."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from gongkai.admin import migrate
from gongkai.admin.db import make_engine


def test_unit_heads_keeps_the_memberships_there_and_makes_no_one_a_head(database_url):
    engine = make_engine(database_url)
    config = migrate.alembic_config(engine)
    command.upgrade(config, "0004")
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO accounts (id, name, password_hash, role, disabled, totp_enabled, totp_last_step, demo, "
                                "created_at, changed_at) VALUES (1, 'lin', 'x', 'author', false, false, 0, false, "
                                "'2026-12-01 00:00:00', '2026-12-01 00:00:00')"))
        connection.execute(text("INSERT INTO memberships (account_id, unit) VALUES (1, 'sec4'), (1, 'secretariat')"))
    command.upgrade(config, "0005_unit_heads")
    with engine.begin() as connection:
        assert connection.execute(text("SELECT unit, head FROM memberships ORDER BY unit")).all() == [("sec4", False),
                                                                                                     ("secretariat", False)]
        connection.execute(text("UPDATE memberships SET head = true WHERE unit = 'secretariat'"))
    command.downgrade(config, "0004")
    assert "head" not in {column["name"] for column in inspect(engine).get_columns("memberships")}
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM memberships")).scalar() == 2
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
    engine.dispose()
