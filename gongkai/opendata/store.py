"""The embedded row store: one SQLite file holding every publishable dataset's rows (as
Datasette serves SQLite), built from the packages and swapped in atomically.

Each dataset is a table ``rows_<n>`` with typed columns and an index per column, so a
filtered, sorted page of a million-row table is an index lookup, not a scan.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gongkai.opendata.packages import Dataset, Field

SQL_TYPES = {"integer": "INTEGER", "year": "INTEGER", "number": "REAL", "boolean": "INTEGER"}
# named filter operators → SQL; 'in' takes a comma-separated list, 'isnull' takes true/false
OPERATORS = {"exact": "=", "not": "!=", "lt": "<", "lte": "<=", "gt": ">", "gte": ">=",
             "contains": "LIKE", "startswith": "LIKE", "in": "IN", "isnull": "IS NULL"}
BATCH = 2000
COUNT_BUDGET = 0.02  # seconds an exact count of matching rows may take before it is given up


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def to_sql(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


@dataclass(frozen=True)
class Filter:
    field: str
    op: str
    value: Any  # already cast to the field's type (a list for 'in', a bool for 'isnull')


@dataclass(frozen=True)
class Query:
    filters: tuple[Filter, ...] = ()
    sort: str | None = None
    descending: bool = False
    limit: int | None = 100
    offset: int = 0
    columns: tuple[str, ...] = field(default_factory=tuple)

    def where(self) -> tuple[str, list[Any]]:
        clauses, params = [], []
        for f in self.filters:
            column = quote(f.field)
            if f.op == "isnull":
                clauses.append(f"{column} IS {'' if f.value else 'NOT '}NULL")
            elif f.op == "in":
                clauses.append(f"{column} IN ({', '.join('?' * len(f.value))})")
                params += [to_sql(v) for v in f.value]
            elif f.op in ("contains", "startswith"):
                text = str(to_sql(f.value)).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                clauses.append(f"CAST({column} AS TEXT) LIKE ? ESCAPE '\\'")
                params.append(("%" if f.op == "contains" else "") + text + "%")
            else:
                clauses.append(f"{column} {OPERATORS[f.op]} ?")
                params.append(to_sql(f.value))
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def table_name(number: int) -> str:
    return f"rows_{number}"


def build_store(target: Path, datasets: Sequence[Dataset], version: str, extra_meta: dict[str, str] | None = None,
                rows_of: Any = None) -> Path:
    """Write every dataset into a new SQLite file next to ``target`` and rename it into place.

    Readers with the old file open keep reading it; new connections see the new one.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    db = sqlite3.connect(temporary)
    try:
        db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=8192;"
                         "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                         "CREATE TABLE datasets (id TEXT PRIMARY KEY, number INTEGER, rows INTEGER, descriptor TEXT, folder TEXT);")
        for number, dataset in enumerate(datasets, start=1):
            rows = rows_of(dataset) if rows_of else dataset.typed_rows()
            count = _load_table(db, table_name(number), dataset.fields, rows)
            db.execute("INSERT INTO datasets VALUES (?, ?, ?, ?, ?)",
                       (dataset.id, number, count, json.dumps(dataset.descriptor, ensure_ascii=False), str(dataset.folder)))
        db.executemany("INSERT INTO meta VALUES (?, ?)", [("version", version), *(extra_meta or {}).items()])
        db.commit()
        db.execute("ANALYZE")
        db.commit()
    finally:
        db.close()
    os.replace(temporary, target)
    return target


def _load_table(db: sqlite3.Connection, name: str, fields: Sequence[Field], rows: Iterable[Sequence[Any]]) -> int:
    columns = ", ".join(f"{quote(f.name)} {SQL_TYPES.get(f.type, 'TEXT')}" for f in fields)
    db.execute(f"CREATE TABLE {name} ({columns})")
    insert = f"INSERT INTO {name} VALUES ({', '.join('?' * len(fields))})"  # noqa: S608 - names are ours, values are parameters
    count, batch = 0, []
    for row in rows:
        batch.append([to_sql(v) for v in row])
        if len(batch) >= BATCH:
            db.executemany(insert, batch)
            count += len(batch)
            batch = []
    db.executemany(insert, batch)
    count += len(batch)
    for index, f in enumerate(fields):
        db.execute(f"CREATE INDEX {name}_{index} ON {name} ({quote(f.name)})")
    return count


class Store:
    """Read-only access to a built store; one short-lived connection per call or stream."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        db.execute("PRAGMA query_only=1")
        return db

    def meta(self) -> dict[str, str]:
        try:
            with self.connect() as db:
                return dict(db.execute("SELECT key, value FROM meta"))
        except sqlite3.Error:
            return {}

    def tables(self) -> dict[str, tuple[int, int]]:
        """dataset id → (table number, row count)."""
        with self.connect() as db:
            return {i: (n, c) for i, n, c in db.execute("SELECT id, number, rows FROM datasets")}

    def _select(self, number: int, query: Query, fields: Sequence[Field]) -> tuple[str, list[Any]]:
        where, params = query.where()
        names = ", ".join(quote(f.name) for f in fields)
        # ties break in the same direction, so one index on the column gives the whole order
        direction = "DESC" if query.descending else "ASC"
        order = f" ORDER BY {quote(query.sort)} {direction}, rowid {direction}" if query.sort else " ORDER BY rowid"
        page = ""
        if query.limit is not None:
            page = " LIMIT ? OFFSET ?"
            params = [*params, query.limit, query.offset]
        # identifiers are schema field names (quoted) and our table names; every value is a parameter
        return f"SELECT {names} FROM {table_name(number)}{where}{order}{page}", params  # noqa: S608

    def page(self, number: int, query: Query, fields: Sequence[Field]) -> tuple[list[tuple], bool, int | None]:
        """One page of matching rows, whether more follow, and the number of all matching rows —
        or None when counting would take longer than COUNT_BUDGET (as Datasette limits its counts):
        on a million rows an exact count can cost more than the page itself."""
        wider = Query(query.filters, query.sort, query.descending, (query.limit or 0) + 1, query.offset)
        sql, params = self._select(number, wider, fields)
        where, where_params = query.where()
        db = self.connect()
        try:
            rows = db.execute(sql, params).fetchall()
            more = len(rows) > (query.limit or 0)
            rows = rows[: query.limit]
            # a last page tells the total for free; otherwise count, within the budget
            total = query.offset + len(rows) if not more and (rows or query.offset == 0) else None
            if total is None:
                total = _count_within_budget(db, f"SELECT COUNT(*) FROM {table_name(number)}{where}", where_params)  # noqa: S608
        finally:
            db.close()
        return rows, more, total

    def stream(self, number: int, query: Query, fields: Sequence[Field]) -> Iterator[tuple]:
        """Every matching row, fetched in batches: memory stays flat for any table size."""
        sql, params = self._select(number, query, fields)
        db = self.connect()
        try:
            cursor = db.execute(sql, params)
            while batch := cursor.fetchmany(BATCH):
                yield from batch
        finally:
            db.close()


def _count_within_budget(db: sqlite3.Connection, sql: str, params: list[Any]) -> int | None:
    deadline = time.monotonic() + COUNT_BUDGET
    db.set_progress_handler(lambda: int(time.monotonic() > deadline), 2000)
    try:
        return db.execute(sql, params).fetchone()[0]
    except sqlite3.OperationalError:
        return None  # interrupted: too many rows to count quickly
    finally:
        db.set_progress_handler(None, 0)
