"""tantivy (Rust, via the ``tantivy`` wheel): the default backend.

Documents arrive analysed (terms joined by spaces) and are indexed with tantivy's built-in
``whitespace`` tokenizer, so nothing has to be registered again on open (tokenizers from
``register_tokenizer`` are not saved in the index — docs/search-design.md §3). Only the character field
keeps positions: phrases are matched on characters, never on words.

Display fields are kept as one JSON payload per document in ``stored.sqlite`` beside the index,
and tantivy stores only the key: reading a hit's payload from tantivy's memory-mapped document
store left its blocks (the whole text of every document shown) in the serving process's
resident memory, about 70 MB after 400 queries at 50k documents. Snippets and highlights are
made above the backend, from that text.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import tantivy

from gongkai.search_index.backends.base import FACET_FIELDS, Backend, IndexReader, IndexUpdater, IndexWriter
from gongkai.search_index.diskmap import DiskMap, bulk_connection, write_table
from gongkai.search_index.query import CHARS, FILTER_FIELDS, TITLE, WORDS, AllOf, AnyOf, Filters, Hit, Node, Phrase, Term

Occur = tantivy.Occur


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for name in (TITLE, WORDS):
        builder.add_text_field(name, stored=False, tokenizer_name="whitespace", index_option="freq")
    builder.add_text_field(CHARS, stored=False, tokenizer_name="whitespace", index_option="position")
    for name in FILTER_FIELDS:
        builder.add_text_field(name, stored=False, fast=True, tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("date", stored=False, indexed=True, fast=True)
    builder.add_text_field("key", stored=True, tokenizer_name="raw", index_option="basic")
    return builder.build()


STORED = "stored.sqlite"  # in the index folder; tantivy leaves files it does not manage alone


class TantivyWriter(IndexWriter):
    def __init__(self, path: Path) -> None:
        self.index = tantivy.Index(_schema(), path=str(path))
        self.writer = self.index.writer(heap_size=128_000_000, num_threads=1)
        self.stored_path = path / STORED
        self.stored = bulk_connection(self.stored_path.with_suffix(".tmp"))
        write_table(self.stored, "docs", ())

    @staticmethod
    def prepare(doc: dict[str, Any]) -> dict[str, Any]:
        fields: dict[str, Any] = {name: " ".join(doc["terms"][name]) for name in (TITLE, WORDS, CHARS)}
        for name in FILTER_FIELDS:
            fields[name] = list(doc["filters"][name])
        fields["date"] = doc["date"]
        fields["key"] = doc["key"]
        return {"fields": fields, "payload": json.dumps(doc["stored"], ensure_ascii=False)}

    def add_prepared(self, prepared: dict[str, Any]) -> None:
        self.writer.add_document(tantivy.Document(**prepared["fields"]))
        self.stored.execute("INSERT OR REPLACE INTO docs VALUES (?, ?)", (prepared["fields"]["key"], prepared["payload"]))

    def commit(self) -> None:
        self.writer.commit()
        self.writer.wait_merging_threads()
        self.stored.commit()
        self.stored.close()
        self.stored_path.with_suffix(".tmp").replace(self.stored_path)


class TantivyUpdater(IndexUpdater):
    """Deletes by the raw ``key`` term and adds, then commits. The payloads are written before
    tantivy's commit and removed after it, so a reader never finds a document without its payload
    (a reader still on the previous commit may find a removed one: it is left out of the hits)."""

    def __init__(self, path: Path) -> None:
        self.index = tantivy.Index.open(str(path))
        self.writer = self.index.writer(heap_size=32_000_000, num_threads=1)
        self.stored = sqlite3.connect(path / STORED, timeout=30)
        self.removed: list[str] = []

    def delete(self, key: str) -> None:
        self.writer.delete_documents_by_term("key", key)
        self.removed.append(key)

    def add_prepared(self, prepared: dict[str, Any]) -> None:
        self.writer.add_document(tantivy.Document(**prepared["fields"]))
        key = prepared["fields"]["key"]
        self.stored.execute("INSERT OR REPLACE INTO docs VALUES (?, ?)", (key, prepared["payload"]))
        if key in self.removed:
            self.removed.remove(key)  # replaced, not removed: its payload stays

    def commit(self) -> None:
        self.stored.commit()
        self.writer.commit()
        self.writer.wait_merging_threads()
        self.stored.executemany("DELETE FROM docs WHERE k = ?", ((key,) for key in self.removed))
        self.stored.commit()
        self.stored.close()


class TantivyReader(IndexReader):
    def __init__(self, path: Path) -> None:
        self.index = tantivy.Index.open(str(path))
        self.schema = self.index.schema
        self.searcher = self.index.searcher()
        self.stored = DiskMap(path / STORED, "docs", json.loads)

    # -- translation of the shared query tree ---------------------------------------------------
    def _query(self, node: Node) -> tantivy.Query:
        if isinstance(node, Term):
            query = tantivy.Query.term_query(self.schema, node.field, node.text)
        elif isinstance(node, Phrase):
            if len(node.texts) == 1:
                query = tantivy.Query.term_query(self.schema, node.field, node.texts[0])
            else:
                query = tantivy.Query.phrase_query(self.schema, node.field, list(node.texts))
        elif isinstance(node, AnyOf):
            query = tantivy.Query.boolean_query([(Occur.Should, self._query(part)) for part in node.parts])
        elif isinstance(node, AllOf):
            clauses = [(Occur.Must, self._query(part)) for part in node.must]
            clauses += [(Occur.MustNot, self._query(part)) for part in node.must_not]
            if not node.must:
                clauses.append((Occur.Must, tantivy.Query.all_query()))
            query = tantivy.Query.boolean_query(clauses)
        else:
            raise TypeError(f"not a query node: {node!r}")
        return query if getattr(node, "boost", 1.0) == 1.0 else tantivy.Query.boost_query(query, node.boost)

    def _filtered(self, node: Node, filters: Filters, exclude: Node | None = None) -> tantivy.Query:
        clauses = [(Occur.Must, self._query(node))]
        for name, values in filters.values:
            allowed = tantivy.Query.term_set_query(self.schema, name, list(values))
            clauses.append((Occur.Must, tantivy.Query.const_score_query(allowed, 0.0)))
        if exclude is not None:
            clauses.append((Occur.MustNot, self._query(exclude)))
        return tantivy.Query.boolean_query(clauses)

    # -- the interface ------------------------------------------------------------------------------
    def search(self, query: Node, filters: Filters, offset: int, limit: int, by_date: bool = False,
               exclude: Node | None = None) -> tuple[int, list[Hit]]:
        compiled = self._filtered(query, filters, exclude)
        if by_date:
            result = self.searcher.search(compiled, limit=max(limit, 1), count=True, order_by_field="date",
                                          offset=offset, order=tantivy.Order.Desc)
        else:
            result = self.searcher.search(compiled, limit=max(limit, 1), count=True, offset=offset)
        hits = []
        for score, address in result.hits[:limit]:
            key = self.searcher.doc(address)["key"][0]
            payload = self.stored.get(key)
            if payload is not None:  # None: removed by an update this reader does not see yet
                hits.append(Hit(key, float(score) if not by_date else 0.0, payload))
        return result.count or 0, hits

    def facets(self, query: Node, filters: Filters, fields: Sequence[str] = FACET_FIELDS) -> dict[str, dict[str, int]]:
        aggregations = {name: {"terms": {"field": name, "size": 500}} for name in fields}
        result = self.searcher.aggregate(self._filtered(query, filters), aggregations)
        return {name: {b["key"]: b["doc_count"] for b in result.get(name, {}).get("buckets", [])} for name in fields}

    def doc_count(self) -> int:
        return self.searcher.num_docs


class TantivyBackend(Backend):
    name = "tantivy"
    writer_class = TantivyWriter

    def reader(self, path: Path) -> IndexReader:
        return TantivyReader(path)

    def updater(self, path: Path) -> IndexUpdater:
        return TantivyUpdater(path)
