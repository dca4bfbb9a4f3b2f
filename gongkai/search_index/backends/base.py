"""The backend interface (Wagtail's pattern): a writer that stores analysed documents, a reader
that runs a query tree with filters, counts facets and returns stored fields. Analysis, query
expansion and ranking rules live above this line, once; tests/search/test_backends.py is the
suite every backend must pass."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gongkai.search_index.query import Filters, Hit, Node

FACET_FIELDS = ("kind", "unit", "theme", "policy", "service", "year")


class IndexWriter(ABC):
    @staticmethod
    @abstractmethod
    def prepare(doc: dict[str, Any]) -> dict[str, Any]:
        """One analysed document in the form ``add_prepared`` takes: {"key": str, "terms":
        {title|words|chars: [term, …]}, "filters": {lang|kind|unit|theme|policy|service|year:
        [value, …]}, "date": int YYYYMMDD, "stored": {display fields, JSON-serialisable, returned
        as Hit.stored}}. Pure and picklable both ways: a build may run it in worker processes."""

    @abstractmethod
    def add_prepared(self, prepared: dict[str, Any]) -> None:
        """Add one document made by ``prepare``."""

    def add(self, doc: dict[str, Any]) -> None:
        """Add one analysed document."""
        self.add_prepared(self.prepare(doc))

    @abstractmethod
    def commit(self) -> None:
        """Make everything added durable; the writer is finished afterwards."""


class IndexUpdater(ABC):
    """Changes an existing index in place, for a publication: delete a document by key, add its
    new version. Nothing is visible to readers before ``commit``; a reader sees the change once it
    is opened again (SearchService reopens when the build's meta.json changes)."""

    @abstractmethod
    def delete(self, key: str) -> None:
        """Remove the document with this key (nothing happens if there is none)."""

    @abstractmethod
    def add_prepared(self, prepared: dict[str, Any]) -> None:
        """Add one document made by the writer class's ``prepare``."""

    @abstractmethod
    def commit(self) -> None:
        """Make the deletions and additions durable; the updater is finished afterwards."""


class IndexReader(ABC):
    @abstractmethod
    def search(self, query: Node, filters: Filters, offset: int, limit: int, by_date: bool = False,
               exclude: Node | None = None) -> tuple[int, list[Hit]]:
        """(number of matches, hits[offset:offset+limit]) by score, or newest first when by_date.
        Hits carry the stored fields. ``exclude`` removes documents matching it."""

    @abstractmethod
    def facets(self, query: Node, filters: Filters, fields: Sequence[str] = FACET_FIELDS) -> dict[str, dict[str, int]]:
        """For each field, value → number of matching documents."""

    @abstractmethod
    def doc_count(self) -> int:
        """Documents in the index."""

    def close(self) -> None:  # noqa: B027 - optional
        """Release files (most readers need nothing)."""


class Backend(ABC):
    name: str
    writer_class: type[IndexWriter]

    def writer(self, path: Path) -> IndexWriter:
        """A writer creating a new index in the empty folder ``path``."""
        return self.writer_class(path)

    @abstractmethod
    def reader(self, path: Path) -> IndexReader:
        """A reader of the finished index in ``path``."""

    @abstractmethod
    def updater(self, path: Path) -> IndexUpdater:
        """An updater of the finished index in ``path`` (one at a time: the caller holds the build lock)."""
