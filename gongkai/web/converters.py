"""URL converters of every application."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

ROW_ID_MAX = 2**31 - 1  # PostgreSQL's integer; SQLite's is wider, but a row id above this is never ours


class RowId(IntegerConverter):
    """``<int:…>`` in a URL is a database row's id: a number past the column's range is a 404, as
    any id of no row — not the database's out-of-range error (PostgreSQL refused 2147483648, SQLite
    2**63) surfacing as a 500."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", ROW_ID_MAX)
        super().__init__(url_map, *args, **kwargs)


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = RowId
