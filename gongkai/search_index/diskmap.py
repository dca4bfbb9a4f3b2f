"""Maps kept in SQLite tables and looked up on disk (µs per lookup) instead of held
in a serving process's memory: the lexicon's large maps, and the tantivy backend's stored
documents. SQLite reads with pread into a small cache of its own, so what a process has read
does not stay in its resident memory the way pages of a memory-mapped file do."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any


def write_table(db: sqlite3.Connection, table: str, rows: Iterable[tuple[str, Any]]) -> None:
    """A (k, v) table the DiskMap reads; ``table`` is one of the caller's fixed names."""
    db.execute(f"CREATE TABLE {table} (k TEXT PRIMARY KEY, v) WITHOUT ROWID")  # noqa: S608 - fixed names
    db.executemany(f"INSERT INTO {table} VALUES (?, ?)", rows)  # noqa: S608


def bulk_connection(path: Path) -> sqlite3.Connection:
    """A connection for writing a new file in one go (nothing to recover if it fails: the
    caller writes to a temporary name and renames)."""
    db = sqlite3.connect(path)
    db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;")
    return db


class DiskMap(Mapping):
    """A map read from a (k, v) table: one connection per thread and process (a connection
    must not cross a fork or be shared between threads). ``decode`` turns a stored value into
    the value returned."""

    def __init__(self, path: Path, table: str, decode: Callable[[Any], Any] | None = None) -> None:
        self.path, self.table, self.decode = path, table, decode
        self._local = threading.local()
        self._select = f"SELECT v FROM {table} WHERE k = ?"  # noqa: S608 - a fixed table name

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None or self._local.pid != os.getpid():
            # read-only, not immutable: a publication updates the file in place (one writer, under the
            # build lock, in SQLite's rollback-journal mode), and every lookup sees the last commit
            db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False, timeout=30)
            self._local.db, self._local.pid = db, os.getpid()
        return db

    def _value(self, key: str) -> Any:
        row = self._db().execute(self._select, (key,)).fetchone()
        if row is None:
            return None
        return row[0] if self.decode is None else self.decode(row[0])

    def __getitem__(self, key: str) -> Any:
        value = self._value(key)
        if value is None:
            raise KeyError(key)
        return value

    def get(self, key: str, default: Any = None) -> Any:
        value = self._value(key)
        return default if value is None else value

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._value(key) is not None

    def __iter__(self) -> Iterator[str]:
        return (k for (k,) in self._db().execute(f"SELECT k FROM {self.table}"))  # noqa: S608

    def __len__(self) -> int:
        return self._db().execute(f"SELECT count(*) FROM {self.table}").fetchone()[0]  # noqa: S608
