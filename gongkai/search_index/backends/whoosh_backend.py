"""Whoosh (pure Python; ``whoosh-reloaded`` or ``whoosh``): the second backend, which the
design card names. Both distributions are unmaintained; it is fine for a site of a few
thousand pages and too slow beyond ~10k (see README / benchmarks/search.py).

Documents arrive analysed, so the index uses Whoosh's own space tokenizer (picklable, no
jieba inside the index: SEARCH-NOTES pitfalls 1–3 do not arise) and the query tree is
built directly, never through Whoosh's parser.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from whoosh import fields, index, sorting
from whoosh import query as wq
from whoosh.analysis import SpaceSeparatedTokenizer

from gongkai.search_index.backends.base import FACET_FIELDS, Backend, IndexReader, IndexWriter
from gongkai.search_index.query import CHARS, FILTER_FIELDS, TITLE, WORDS, AllOf, AnyOf, Filters, Hit, Node, Phrase, Term


def _schema() -> fields.Schema:
    spec: dict[str, Any] = {name: fields.TEXT(analyzer=SpaceSeparatedTokenizer(), phrase=True, stored=False)
                            for name in (TITLE, WORDS, CHARS)}
    spec.update({name: fields.KEYWORD(stored=False, lowercase=False, commas=False, scorable=False) for name in FILTER_FIELDS})
    spec["key"] = fields.ID(stored=True, unique=True)
    spec["date"] = fields.NUMERIC(int, stored=True, sortable=True)
    spec["payload"] = fields.STORED()
    return fields.Schema(**spec)


class WhooshWriter(IndexWriter):
    def __init__(self, path: Path) -> None:
        self.index = index.create_in(str(path), _schema())
        self.writer = self.index.writer(limitmb=256)

    def add(self, doc: dict[str, Any]) -> None:
        values: dict[str, Any] = {name: " ".join(doc["terms"][name]) for name in (TITLE, WORDS, CHARS)}
        values.update({name: " ".join(doc["filters"][name]) for name in FILTER_FIELDS})
        self.writer.add_document(key=doc["key"], date=doc["date"], payload=doc["stored"], **values)

    def commit(self) -> None:
        self.writer.commit()


def _query(node: Node) -> wq.Query:
    if isinstance(node, Term):
        return wq.Term(node.field, node.text, boost=node.boost)
    if isinstance(node, Phrase):
        if len(node.texts) == 1:
            return wq.Term(node.field, node.texts[0], boost=node.boost)
        return wq.Phrase(node.field, list(node.texts), boost=node.boost)
    if isinstance(node, AnyOf):
        return wq.Or([_query(p) for p in node.parts], boost=node.boost)
    if isinstance(node, AllOf):
        positive = wq.And([_query(p) for p in node.must]) if node.must else wq.Every()
        if node.must_not:
            return wq.AndNot(positive, wq.Or([_query(p) for p in node.must_not]))
        return positive
    raise TypeError(f"not a query node: {node!r}")


def _filter(filters: Filters) -> wq.Query | None:
    if not filters.values:
        return None
    return wq.And([wq.Or([wq.Term(name, v) for v in values]) for name, values in filters.values])


class WhooshReader(IndexReader):
    def __init__(self, path: Path) -> None:
        self.index = index.open_dir(str(path))
        self.searcher = self.index.searcher()
        self._lock = threading.Lock()  # one searcher, shared: Whoosh searchers are not thread-safe

    def search(self, query: Node, filters: Filters, offset: int, limit: int, by_date: bool = False,
               exclude: Node | None = None) -> tuple[int, list[Hit]]:
        mask = _query(exclude) if exclude is not None else None
        with self._lock:
            results = self.searcher.search(_query(query), limit=max(offset + limit, 1), filter=_filter(filters), mask=mask,
                                           sortedby="date" if by_date else None, reverse=by_date)
            total = len(results)
            hits = [Hit(r["key"], 0.0 if by_date else float(r.score), r["payload"]) for r in results[offset:offset + limit]]
        return total, hits

    def facets(self, query: Node, filters: Filters, fields: Sequence[str] = FACET_FIELDS) -> dict[str, dict[str, int]]:
        groups = {name: sorting.FieldFacet(name, allow_overlap=True, maptype=sorting.Count) for name in fields}
        with self._lock:
            results = self.searcher.search(_query(query), limit=1, filter=_filter(filters), groupedby=groups)
            return {name: {_text(k): v for k, v in results.groups(name).items() if k is not None} for name in fields}

    def doc_count(self) -> int:
        return self.searcher.doc_count()

    def close(self) -> None:
        self.searcher.close()


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


class WhooshBackend(Backend):
    name = "whoosh"

    def writer(self, path: Path) -> IndexWriter:
        return WhooshWriter(path)

    def reader(self, path: Path) -> IndexReader:
        return WhooshReader(path)
