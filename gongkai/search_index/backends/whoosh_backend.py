"""Whoosh (pure Python; ``whoosh-reloaded`` or ``whoosh``): the second backend, which the
design card names. Both distributions are unmaintained; it is fine for a site of a few
thousand pages and still answers in tens of milliseconds at 10k (see README /
benchmarks/search.py).

Documents arrive analysed, so the index uses Whoosh's own space tokenizer (picklable, no
jieba inside the index: the pitfalls of docs/search-design.md §8 do not arise).

Whoosh stores and reads the index; the query tree is evaluated here, not by Whoosh's matcher
tree, whose per-document method calls (and per-search facet tables) made a query cost hundreds
of milliseconds at 10k documents:

* each term's postings are read once, whole blocks at a time, into document numbers, BM25F
  scores (Whoosh's formula and statistics, inlined: the same floats) and a bitset (a Python
  int), kept in a cache bounded in bytes;
* matching is bitset algebra (AnyOf = |, AllOf = &, must_not = & ~); filters and facets use
  one bitset per (field, value), so a facet count is ``(matches & value).bit_count()``;
* a phrase is checked on positions only in the documents holding all its characters, rarest
  character first; a character's positions are decoded for those documents only, or, when
  they are a good share of its documents, all at once into arrays kept in a cache bounded in
  bytes;
* the matches of the last few trees and phrases are kept, for the three calls of one request
  (facets, exact tier, forgiving tier) — too few to answer a repeated query from memory;
* scores are summed like Whoosh's matchers sum them (Or and And add their parts' scores,
  boosts multiply) and hits come in Whoosh's order: score, then document number; by date,
  newest first, then the higher document number.

Two defects of Whoosh 2.7.5 that the matcher-based code inherited are gone: AndNotMatcher
kept its first document when the excluded postings started before it (a -word could leave one
document in), and the top-N collector's block-quality skipping could drop a high-scoring
phrase match from the first page (tests/search/test_whoosh_evaluator.py compares with Whoosh,
its AndNot fixed and every match collected).

One reader is shared by threads: Whoosh's file reads are not thread-safe and the caches are
mutated while searching, so search, facets and close hold the reader's lock.
"""

from __future__ import annotations

import heapq
import threading
from array import array
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from whoosh import fields, index
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.scoring import BM25FScorer, WeightLengthScorer

from gongkai.search_index.backends.base import FACET_FIELDS, Backend, IndexReader, IndexUpdater, IndexWriter
from gongkai.search_index.backends.whoosh_postings import (
    NO_POSTINGS,
    Postings,
    bits_of,
    held_bytes,
    members,
    open_private_index,
    position_decoder,
    read_postings,
    values_for,
)
from gongkai.search_index.query import CHARS, FILTER_FIELDS, TITLE, WORDS, AllOf, AnyOf, Filters, Hit, Node, Phrase, Term

CACHED_POSTINGS_BYTES = 48_000_000  # decoded postings kept (12 bytes a posting, a bitset a term)
CACHED_POSITIONS_BYTES = 32_000_000  # decoded positions kept for phrases (4 bytes a position, 8 a posting)
POSITION_INDEX_SHARE = 8  # a term's positions are all decoded (and kept) when a phrase needs an eighth of them
CACHED_NODES = 32  # matches of recent query trees and phrases: one request evaluates the same trees up to three times


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

    @staticmethod
    def prepare(doc: dict[str, Any]) -> dict[str, Any]:
        values: dict[str, Any] = {name: " ".join(doc["terms"][name]) for name in (TITLE, WORDS, CHARS)}
        values.update({name: " ".join(doc["filters"][name]) for name in FILTER_FIELDS})
        return {"key": doc["key"], "date": doc["date"], "payload": doc["stored"], **values}

    def add_prepared(self, prepared: dict[str, Any]) -> None:
        self.writer.add_document(**prepared)

    def commit(self) -> None:
        self.writer.commit()


class WhooshUpdater(IndexUpdater):
    """Whoosh's own writer on the existing index: deletions by the unique ``key`` field and a new
    segment for the added documents (merged with the small ones by Whoosh's merge policy)."""

    def __init__(self, path: Path) -> None:
        self.index = index.open_dir(str(path))
        self.writer = self.index.writer(timeout=30)

    def delete(self, key: str) -> None:
        self.writer.delete_by_term("key", key)

    def add_prepared(self, prepared: dict[str, Any]) -> None:
        self.writer.add_document(**prepared)

    def commit(self) -> None:
        self.writer.commit()


# -- bitsets: a set of document numbers as the bits of a Python int ---------------------------------
class WhooshReader(IndexReader):
    def __init__(self, path: Path) -> None:
        self.index = open_private_index(path)
        self.searcher = self.index.searcher()
        self._lock = threading.Lock()  # one searcher and one set of caches, shared by threads
        self._leaves = [(s, offset, s.reader()) for s, offset in self.searcher.leaf_searchers()]
        self._size = self.searcher.doc_count_all()
        self._every: int | None = None
        self._postings: OrderedDict[tuple[str, str], Postings] = OrderedDict()
        self._held = 0  # bytes in self._postings
        self._positions: OrderedDict[tuple[str, str], tuple[array, array, array]] = OrderedDict()
        self._held_positions = 0  # bytes in self._positions
        self._nodes: OrderedDict[Any, Any] = OrderedDict()
        self._values: dict[str, dict[str, int]] = {}  # filter field → value → bitset
        self._lengths: dict[tuple[str, int], list[int]] = {}  # (field, leaf) → field length of each document
        self._norm_lists: dict[tuple[str, int, float, float, float], list[float]] = {}
        self._dates: list[int] | None = None

    # -- the interface ------------------------------------------------------------------------------
    def search(self, query: Node, filters: Filters, offset: int, limit: int, by_date: bool = False,
               exclude: Node | None = None) -> tuple[int, list[Hit]]:
        with self._lock:
            allowed = self._filter_bits(filters)
            if exclude is not None and allowed:
                allowed &= ~self._docs(exclude)
            matches = self._docs(query) & allowed if allowed else 0
            total = matches.bit_count()
            wanted = offset + limit
            if total == 0 or limit <= 0 or offset >= total:
                return total, []
            if by_date:
                dates = self._date_list()
                top = heapq.nlargest(wanted, members(matches), key=lambda d: (dates[d], d))
                ranked = [(d, 0.0) for d in top[offset:]]
            else:
                scores = self._scores(query)
                if matches != self._docs(query):
                    keep = bin(matches)[:1:-1]
                    scores = {d: s for d, s in scores.items() if d < len(keep) and keep[d] == "1"}
                if len(scores) > wanted:  # the wanted-th best score, then every document scoring as much
                    floor = heapq.nlargest(wanted, scores.values())[-1]
                    best = [(d, s) for d, s in scores.items() if s >= floor]
                else:
                    best = list(scores.items())
                best.sort(key=lambda item: (-item[1], item[0]))
                ranked = best[offset:wanted]
            hits = []
            for docnum, score in ranked:
                stored = self.searcher.stored_fields(docnum)
                hits.append(Hit(stored["key"], score, stored["payload"]))
        return total, hits

    def facets(self, query: Node, filters: Filters, fields: Sequence[str] = FACET_FIELDS) -> dict[str, dict[str, int]]:
        with self._lock:
            allowed = self._filter_bits(filters)
            matches = self._docs(query) & allowed if allowed else 0
            out: dict[str, dict[str, int]] = {}
            for name in fields:
                counts = {value: (matches & bits).bit_count() for value, bits in self._field_values(name).items()} if matches else {}
                out[name] = dict(sorted(((v, c) for v, c in counts.items() if c), key=lambda vc: (-vc[1], vc[0])))
            return out

    def doc_count(self) -> int:
        return self.searcher.doc_count()

    def close(self) -> None:
        with self._lock:
            self._postings.clear()
            self._positions.clear()
            self._nodes.clear()
            self.searcher.close()

    # -- document sets ------------------------------------------------------------------------------
    def _docs(self, node: Node) -> int:
        """The bitset of the documents matching ``node``."""
        if isinstance(node, Term):
            return self._term(node.field, node.text).bits
        if isinstance(node, Phrase):
            if len(node.texts) == 1:
                return self._term(node.field, node.texts[0]).bits
            return self._phrase(node.field, node.texts)[0]
        key = ("docs", node)
        cached = self._recall(key)
        if cached is not None:
            return cached
        if isinstance(node, AnyOf):
            bits = 0
            for part in node.parts:
                bits |= self._docs(part)
        elif isinstance(node, AllOf):
            bits = self._all_docs()
            for part in node.must:
                if not bits:
                    break
                bits &= self._docs(part)
            for part in node.must_not:
                if not bits:
                    break
                bits &= ~self._docs(part)
        else:
            raise TypeError(f"not a query node: {node!r}")
        return self._remember(key, bits)

    def _all_docs(self) -> int:
        if self._every is None:
            self._every = bits_of([offset + d for _, offset, reader in self._leaves for d in reader.all_doc_ids()], self._size)
        return self._every

    def _filter_bits(self, filters: Filters) -> int:
        """Documents allowed by ``filters`` (any of the values within a field, every field)."""
        bits = self._all_docs()
        for name, values in filters.values:
            table = self._field_values(name)
            either = 0
            for value in values:
                either |= table.get(value, 0)
            bits &= either
        return bits

    def _field_values(self, name: str) -> dict[str, int]:
        """value → bitset of the documents holding it, for a filter/facet field (built once)."""
        table = self._values.get(name)
        if table is None:
            found: dict[str, list[int]] = {}
            if name in self.searcher.schema:
                for _, offset, reader in self._leaves:
                    for text in reader.lexicon(name):
                        ids, _, _ = read_postings(reader.postings(name, text))
                        found.setdefault(_text(text), []).extend(offset + d for d in ids)
            table = self._values[name] = {value: bits_of(ids, self._size) for value, ids in found.items()}
        return table

    # -- terms ----------------------------------------------------------------------------------------
    def _term(self, field: str, text: str) -> Postings:
        key = (field, text)
        postings = self._postings.get(key)
        if postings is not None:
            self._postings.move_to_end(key)
            return postings
        postings = self._load(field, text)
        self._postings[key] = postings
        self._held += postings.size()
        while self._held > CACHED_POSTINGS_BYTES and len(self._postings) > 1:
            _, old = self._postings.popitem(last=False)
            self._held -= old.size()
        return postings

    def _load(self, field: str, text: str) -> Postings:
        schema = self.searcher.schema
        if field not in schema:
            return NO_POSTINGS
        try:
            btext = schema[field].to_bytes(text)
        except ValueError:
            return NO_POSTINGS
        ids: list[int] = []
        scores: list[float] = []
        weighting = self.searcher.weighting
        for leaf, (searcher, offset, reader) in enumerate(self._leaves):
            if (field, btext) not in reader:
                continue
            local, weights, _ = read_postings(reader.postings(field, btext))
            scorer = weighting.scorer(searcher, field, btext)
            if type(scorer) is BM25FScorer:  # whoosh.scoring.bm25, inlined: the same operations, so the same floats
                idf, k1 = scorer.idf, scorer.K1
                norms = self._norms(field, leaf, k1, scorer.B, scorer.avgfl)
                scores.extend([idf * ((w * (k1 + 1)) / (w + norms[d])) for d, w in zip(local, weights, strict=True)])
            elif isinstance(scorer, WeightLengthScorer):  # another weight-and-length model
                lengths, score = self._field_lengths(field, leaf), scorer._score
                scores.extend(score(w, lengths[d]) for d, w in zip(local, weights, strict=True))
            else:  # not scorable: Whoosh scores the weight
                scores.extend(weights)
            ids.extend(offset + d for d in local)
        return Postings(ids, scores, bits_of(ids, self._size)) if ids else NO_POSTINGS

    def _field_lengths(self, field: str, leaf: int) -> list[int]:
        """The length of ``field`` in each document of a segment, as Whoosh's scorers read it."""
        lengths = self._lengths.get((field, leaf))
        if lengths is None:
            searcher, _, reader = self._leaves[leaf]
            lengths = self._lengths[(field, leaf)] = [searcher.doc_field_length(d, field, 1) for d in range(reader.doc_count_all())]
        return lengths

    def _norms(self, field: str, leaf: int, k1: float, b: float, average: float) -> list[float]:
        """BM25's length normalisation, K1 * ((1 - B) + B * length / average length), of each document."""
        key = (field, leaf, k1, b, average)
        norms = self._norm_lists.get(key)
        if norms is None:
            norms = self._norm_lists[key] = [k1 * ((1 - b) + b * fl / average) for fl in self._field_lengths(field, leaf)]
        return norms

    def _date_list(self) -> list[int]:
        if self._dates is None:
            dates: list[int] = []
            for _, _, reader in self._leaves:
                column = reader.column_reader("date")
                dates.extend(column.sort_key(d) for d in range(reader.doc_count_all()))
            self._dates = dates
        return self._dates

    # -- phrases --------------------------------------------------------------------------------------
    def _phrase(self, field: str, texts: tuple[str, ...]) -> tuple[int, list[int]]:
        """(bitset, ascending docnums) of the documents holding ``texts`` at consecutive positions."""
        key = ("phrase", field, texts)
        cached = self._recall(key)
        if cached is not None:
            return cached
        postings = {text: self._term(field, text) for text in texts}
        bits = self._all_docs()
        for p in postings.values():
            bits &= p.bits
        docs = members(bits) if bits else []
        places: dict[str, list[int]] = {}  # text → its places in the phrase
        for i, text in enumerate(texts):
            places.setdefault(text, []).append(i)
        starts: dict[int, set[int]] = {}  # document → possible positions of the phrase's first unit
        for n, text in enumerate(sorted(places, key=lambda t: len(postings[t].ids))):
            if not docs:
                break
            found = self._positions_in(field, text, docs, len(postings[text].ids))
            kept: dict[int, set[int]] = {}
            first, *others = places[text]
            for d, positions in zip(docs, found, strict=True):
                possible = {p - first for p in positions}
                for i in others:
                    possible.intersection_update(p - i for p in positions)
                if n:
                    possible &= starts[d]
                if possible:
                    kept[d] = possible
            starts, docs = kept, list(kept)
        result = (bits_of(docs, self._size) if docs else 0, docs)
        return self._remember(key, result)

    def _positions_in(self, field: str, text: str, docs: list[int], df: int) -> list[Sequence[int]]:
        """The positions of ``text`` in each of ``docs`` (ascending global docnums, all holding
        it): from the decoded index of the term when it is cached or worth caching (the documents
        are 1/POSITION_INDEX_SHARE of the term's or more), else decoded for these documents only
        (a rare first character leaves few documents to check for a common one)."""
        indexed = self._positions.get((field, text))
        if indexed is None and len(docs) * POSITION_INDEX_SHARE >= df:
            indexed = self._position_index(field, text)
        if indexed is not None:
            self._positions.move_to_end((field, text))
            ids, bounds, flat = indexed
            out, k = [], 0
            for d in docs:
                k = bisect_left(ids, d, k)
                out.append(flat[bounds[k]:bounds[k + 1]])
            return out
        decode = position_decoder(self.searcher.schema[field])
        btext = self.searcher.schema[field].to_bytes(text)
        found: dict[int, list[int]] = {}
        for _, offset, reader in self._leaves:
            end = offset + reader.doc_count_all()
            local = [d - offset for d in docs if offset <= d < end]
            if local and (field, btext) in reader:
                for d, value in values_for(reader.postings(field, btext), local).items():
                    found[offset + d] = decode(value)
        return [found[d] for d in docs]

    def _position_index(self, field: str, text: str) -> tuple[array, array, array]:
        """(ascending global docnums, bounds, positions) of a term: the positions in document
        ids[k] are positions[bounds[k]:bounds[k + 1]]. Decoded once (Whoosh pickles each posting's
        positions), kept while CACHED_POSITIONS_BYTES allows."""
        decode = position_decoder(self.searcher.schema[field])
        btext = self.searcher.schema[field].to_bytes(text)
        ids, bounds, flat = array("i"), array("i", [0]), array("i")
        for _, offset, reader in self._leaves:
            if (field, btext) in reader:
                local, _, values = read_postings(reader.postings(field, btext), with_values=True)
                ids.extend(offset + d for d in local)
                for value in values:
                    flat.extend(decode(value))
                    bounds.append(len(flat))
        found = self._positions[(field, text)] = (ids, bounds, flat)
        self._held_positions += held_bytes(found)
        while self._held_positions > CACHED_POSITIONS_BYTES and len(self._positions) > 1:
            _, old = self._positions.popitem(last=False)
            self._held_positions -= held_bytes(old)
        return found

    # -- scores ---------------------------------------------------------------------------------------
    def _scores(self, node: Node) -> dict[int, float]:
        """docnum → score of every document matching ``node``, summed as Whoosh's matchers sum
        (a new dict each time: callers may change it)."""
        if isinstance(node, Term) or (isinstance(node, Phrase) and len(node.texts) == 1):
            p = self._term(node.field, node.text if isinstance(node, Term) else node.texts[0])
            if node.boost == 1.0:
                return dict(zip(p.ids, p.scores, strict=True))
            return {d: s * node.boost for d, s in zip(p.ids, p.scores, strict=True)}
        if isinstance(node, Phrase):  # the scores of its units, added pairwise as Whoosh's binary tree adds them
            units = [self._term(node.field, t) for t in node.texts]
            return {d: _tree_sum([u.score_of(d) for u in units]) * node.boost for d in self._phrase(node.field, node.texts)[1]}
        if isinstance(node, AnyOf):
            scores: dict[int, float] = {}
            for part in node.parts:
                if not scores:
                    scores = self._scores(part)
                    continue
                get = scores.get
                for d, s in self._scores(part).items():
                    scores[d] = get(d, 0.0) + s
            if node.boost != 1.0:
                scores = {d: s * node.boost for d, s in scores.items()}
            return scores
        if isinstance(node, AllOf):
            docs = members(self._docs(node))
            if not node.must:  # Whoosh's Every(): 1.0 for every document
                return dict.fromkeys(docs, 1.0)
            parts = [self._scores(part) for part in node.must]
            if len(parts) == 1:
                if not node.must_not and len(parts[0]) == len(docs):
                    return parts[0]
                only = parts[0]
                return {d: only[d] for d in docs}
            return {d: sum(part[d] for part in parts) for d in docs}
        raise TypeError(f"not a query node: {node!r}")

    # -- a small cache of recent nodes (the facets, exact and full searches of one request share them) --
    def _recall(self, key: Any) -> Any:
        value = self._nodes.get(key)
        if value is not None:
            self._nodes.move_to_end(key)
        return value

    def _remember(self, key: Any, value: Any) -> Any:
        self._nodes[key] = value
        while len(self._nodes) > CACHED_NODES:
            self._nodes.popitem(last=False)
        return value


def _tree_sum(values: list[float]) -> float:
    """Sum as whoosh.matching.make_binary_tree nests its IntersectionMatchers: (left half) + (right half)."""
    if len(values) == 1:
        return values[0]
    half = len(values) // 2
    return _tree_sum(values[:half]) + _tree_sum(values[half:])


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


class WhooshBackend(Backend):
    name = "whoosh"
    writer_class = WhooshWriter

    def reader(self, path: Path) -> IndexReader:
        return WhooshReader(path)

    def updater(self, path: Path) -> IndexUpdater:
        return WhooshUpdater(path)
