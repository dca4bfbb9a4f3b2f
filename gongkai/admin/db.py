"""The back office's database: one engine per process, SQLite in VAR_DIR by default, PostgreSQL in
a real deployment (the same models and migrations on both)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Engine, MetaData, create_engine, event, make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

# Fixed constraint names, so migrations name the same things on both engines.
NAMING = {"ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s", "ck": "ck_%(table_name)s_%(constraint_name)s",
          "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s", "pk": "pk_%(table_name)s"}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator):
    """A moment, always in UTC: stored without a zone (SQLite keeps none), read back as aware UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("a naive datetime reached the database: use gongkai.admin.db.utcnow()")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        return None if value is None else value.replace(tzinfo=dt.UTC)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def database_url(settings: Mapping[str, Any]) -> str:
    """DATABASE_URL, or SQLite at VAR_DIR/backoffice.sqlite (its folder created)."""
    if settings.get("DATABASE_URL"):
        return str(settings["DATABASE_URL"])
    var = Path(settings["VAR_DIR"])
    var.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{var / 'backoffice.sqlite'}"


# Connections a process keeps open: a worker's request threads (8 by default) and the mailbox's
# sending threads (4) each hold one at once under load. With SQLAlchemy's default of 5 the rest
# were "overflow" connections, closed as soon as they were returned and opened again for the next
# request — on PostgreSQL a new server process each time. Idle ones cost only memory; the pool
# opens them lazily, so a command that needs one opens one.
POOL_SIZE = 16
POOL_OVERFLOW = 8


def make_engine(url: str) -> Engine:
    # hide_parameters: an error logged with its statement never shows the values (hashes, TOTP secrets, typed text)
    in_memory = make_url(url).get_backend_name() == "sqlite" and make_url(url).database in (None, "", ":memory:")
    pool = {} if in_memory else {"pool_size": POOL_SIZE, "max_overflow": POOL_OVERFLOW}  # in memory: one connection per thread
    engine = create_engine(url, pool_pre_ping=True, hide_parameters=True, **pool)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    # WAL: gunicorn's workers read while one writes; the timeout makes a writer wait its turn
    # instead of failing at once; foreign keys are off in SQLite unless asked for.
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
