"""The search service: keeps the current index open, rebuilds it when the content changes,
and answers SearchParams with ranked, highlighted, faceted results.

Ranking (above the backends, once): every hit of the exact tier (the words as typed, and
synonyms) comes before every hit found only through a homophone or a correction; within a
tier, the engine's BM25 score (title words ×3) is nudged by recency."""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gongkai import clock
from gongkai.search_index import highlight
from gongkai.search_index.backends.base import FACET_FIELDS
from gongkai.search_index.dictionary import read_term_list
from gongkai.search_index.expand import Expander, Expansion
from gongkai.search_index.index import (
    OpenIndex,
    build_from_corpus,
    build_lock,
    build_stamp,
    current_build,
    open_build,
    search_files,
    search_files_version,
)
from gongkai.search_index.params import SECTIONS, SearchParams
from gongkai.search_index.parse import Item, parse
from gongkai.search_index.query import Filters, Hit, Node
from gongkai.search_index.stored_words import DOCUMENTS
from gongkai.search_index.synonyms import Synonyms
from gongkai.search_index.update import apply, mark_current, plan

log = logging.getLogger("gongkai.search")
RECENCY_WEIGHT = 0.3  # a document updated today scores up to 30 % more than an old one
FEW_RESULTS = 3


@dataclass
class Result:
    hit: Hit
    title: list[highlight.Piece]
    snippet: list[highlight.Piece]
    tier: str  # exact | forgiving


@dataclass
class Response:
    params: SearchParams
    total: int = 0
    results: list[Result] = field(default_factory=list)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    also_searched: dict[str, list[str]] = field(default_factory=dict)
    suggestion: str | None = None
    relaxed: bool = False  # no document had every word: showing documents with some of them

    @property
    def pages(self) -> int:
        return max(1, min(100, -(-self.total // self.params.per_page)))


class SearchService:
    """``out_of_process``: build with ``gongkai index`` in a child process, so a serving process
    never holds the build's tables (pypinyin, the vocabulary: ≈100 MB that a Python process does
    not give back) and request threads do not wait on the build for the GIL. Tests build in-process.

    A newer content build is taken in by updating the current index in place (update.py: only the
    documents whose source changed), in a background thread of whichever serving process notices
    first; the others reopen the build when its meta.json changes. ``is_current(corpus)`` (set by
    the web layer) says whether a corpus is still the newest content, so a process that has not yet
    read a publication never takes it back out of the index. The update runs in the serving process
    (a child process would have to load the whole corpus first): the worker that makes it loads
    pypinyin for the sound keys of new words, tens of MB that a full build in a child avoids."""

    def __init__(self, root: Path, backend: str, content_dir: Path, out_of_process: bool = False) -> None:
        self.root, self.backend, self.content_dir = root, backend, content_dir
        self.out_of_process = out_of_process
        self.is_current: Callable[[Any], bool] = lambda corpus: True
        self._open: OpenIndex | None = None
        self._lock = threading.Lock()
        self._refreshing = threading.Event()
        self._refreshed_for: str | None = None  # the content version last refreshed for (once per version)
        self._files: dict[str, tuple[float, Any]] = {}

    # -- index life --------------------------------------------------------------------------------
    def index(self, corpus: Any | None = None, wait: bool = True) -> OpenIndex | None:
        """The current index, reopened after a swap or an update; built now if there is none,
        brought up to ``corpus`` (in the background when serving) when it is older."""
        usable = self._reopen(corpus, wait)
        if usable and corpus is not None and self._open.meta.get("content_version") != corpus.version:
            if self.out_of_process:
                self._refresh_later(corpus)
            elif self._refreshed_for != corpus.version:
                self._refreshed_for = corpus.version
                self.refresh(corpus)
                usable = self._reopen(corpus, wait)
        return self._open if usable else None

    def _reopen(self, corpus: Any | None, wait: bool) -> bool:
        folder = current_build(self.root)
        stamp = build_stamp(folder) if folder is not None else None
        with self._lock:
            if folder is not None and (self._open is None or (self._open.path, self._open.stamp) != (folder, stamp)):
                self._open = open_build(self.root, folder)
            usable = self._open is not None and self._open.meta.get("backend") == self.backend
            if not usable and corpus is not None and wait:
                log.info("search: building the %s index of %d documents in %s", self.backend, len(corpus), self.root)
                self._open = open_build(self.root, self._build(corpus))
                usable = True
        return usable

    def release(self) -> None:
        """Close the open index (before gunicorn forks: each worker opens its own on first use)."""
        with self._lock:
            if self._open is not None:
                self._open.reader.close()
            self._open = None

    def refresh(self, corpus: Any) -> str:
        """Bring the current build up to ``corpus``: an update in place when it can be one, else a
        full build. Returns what was done: current | stale | updated | rebuilt."""
        with build_lock(self.root):
            folder = current_build(self.root)
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8")) if folder is not None else {}
            if meta.get("content_version") == corpus.version:
                return "current"  # another process took it in
            if not self.is_current(corpus):
                return "stale"  # this process has not read the newest content yet: it will
            changes = None
            if folder is not None and meta.get("backend") == self.backend and \
                    meta.get("search_files") == search_files_version(self.content_dir) and (folder / DOCUMENTS).is_file():
                changes = plan(folder, list(corpus.documents), corpus.digest)
            if changes is not None and changes.empty:
                mark_current(folder, corpus.version)
                return "current"
            if changes is not None and not changes.too_large:
                try:
                    apply(folder, self.root / meta["base_dictionary"], changes,
                          lambda analyzer, doc: analyzer.analyse(doc, corpus.files_root), corpus.digest, corpus.version)
                    return "updated"
                except Exception:  # a half-made update could leave the engine and the lexicon apart: build afresh
                    log.exception("search: updating %s in place failed; building a new index instead", folder.name)
        self._build(corpus)  # outside the lock: the build takes it itself
        return "rebuilt"

    def _build(self, corpus: Any) -> Path:
        if not self.out_of_process:
            return build_from_corpus(self.root, self.backend, corpus, self.content_dir)
        command = [sys.executable, "-m", "gongkai", "index", "--backend", self.backend,
                   "--content", str(self.content_dir), "--index-dir", str(self.root)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 - our own command
        for line in done.stderr.splitlines()[-20:]:
            (log.info if done.returncode == 0 else log.error)("search: gongkai index: %s", line)
        folder = current_build(self.root)
        if done.returncode != 0 or folder is None:
            raise RuntimeError(f"`{' '.join(command)}` failed (exit {done.returncode}); its output is in the log above")
        return folder

    def _refresh_later(self, corpus: Any) -> None:
        if self._refreshing.is_set() or self._refreshed_for == corpus.version:
            return
        self._refreshing.set()
        self._refreshed_for = corpus.version

        def run() -> None:
            try:
                self.refresh(corpus)
            except Exception:
                log.exception("search: bringing the index up to content %s failed; still serving the previous one", corpus.version)
                self._refreshed_for = None  # try again on a later request
            finally:
                self._refreshing.clear()

        threading.Thread(target=run, name="search-refresh", daemon=True).start()

    def _content_file(self, path: Path, loader: Any) -> Any:
        """A synonym/stop-word file, re-read when it changes (no re-index needed)."""
        mtime = path.stat().st_mtime if path.is_file() else 0.0
        cached = self._files.get(str(path))
        if cached is None or cached[0] != mtime:
            cached = (mtime, loader(path))
            self._files[str(path)] = cached
        return cached[1]

    def expander(self, index: OpenIndex) -> Expander:
        synonyms_file, _, stopwords_file = search_files(self.content_dir)
        synonyms = self._content_file(synonyms_file, Synonyms.load)
        stopwords = self._content_file(stopwords_file, lambda p: set(read_term_list(p)))
        return Expander(index.segmenter, index.lexicon, synonyms, stopwords)

    # -- searching -------------------------------------------------------------------------------
    def search(self, params: SearchParams, index: OpenIndex) -> Response:
        response = Response(params)
        expansion = self.expand(params, index)
        filters = self.filters(params)
        full = expansion.tree()
        if full is None:
            if not params.has_filters and not expansion.excluded:
                return response
            full = exact = expansion.exclusions_only()
        else:
            exact = expansion.tree(exact_only=True)
        reader = index.reader
        offset, size = (params.page - 1) * params.per_page, params.per_page
        # facets within the current filters (drill-down); the one-valued lang facet is the total,
        # which saves a counting search
        response.facets = reader.facets(full, filters, (*FACET_FIELDS, "lang"))
        response.total = sum(response.facets.pop("lang", {}).values())
        if response.total == 0 and len(expansion.clauses) > 1:
            full, exact = expansion.tree(any_clause=True), expansion.tree(exact_only=True, any_clause=True)
            response.facets = reader.facets(full, filters, (*FACET_FIELDS, "lang"))
            response.total = sum(response.facets.pop("lang", {}).values())
            response.relaxed = response.total > 0
        if params.sort == "date":
            _, hits = reader.search(full, filters, offset, size, by_date=True)
            tiers = ["exact"] * len(hits)
        else:
            hits, tiers = self._ranked(reader, full, exact, filters, offset, size, response.total)
        response.also_searched = expansion.also_searched()
        exact_total = sum(1 for t in tiers if t == "exact")
        if response.total < FEW_RESULTS or (exact_total == 0 and response.total):
            response.suggestion = expansion.suggestion()
        regex = highlight.pattern(expansion.highlight_terms(), index.lexicon.surfaces)
        for hit, tier in zip(hits, tiers, strict=True):
            stored = hit.stored
            response.results.append(Result(hit, highlight.mark(stored.get("title", ""), regex),
                                           highlight.snippet(stored.get("text", ""), regex, stored.get("summary", "")), tier))
        return response

    def expand(self, params: SearchParams, index: OpenIndex) -> Expansion:
        expander = self.expander(index)
        items = parse(params.q) + parse(params.all)
        if params.phrase:
            items.append(Item(params.phrase, phrase=True))
        items += [Item(i.text, phrase=i.phrase, negated=True) for i in parse(params.none)]
        expansion = expander.expand(items, forgiving=not params.exact)
        if params.any:  # one clause: any of these words, with their own alternatives
            any_of = expander.expand(parse(params.any), forgiving=not params.exact).clauses
            if any_of:
                merged = any_of[0]
                merged.label = " / ".join(c.label for c in any_of)
                merged.alternatives = [a for c in any_of for a in c.alternatives]
                expansion.clauses.append(merged)
        return expansion

    @staticmethod
    def filters(params: SearchParams) -> Filters:
        kinds = SECTIONS.get(params.section, ())
        if params.kind:
            kinds = tuple(k for k in kinds if k == params.kind) if kinds else (params.kind,)
            kinds = kinds or ("-",)  # a kind outside the section: nothing
        return Filters.of(lang=params.lang, kind=kinds, unit=params.unit, theme=params.theme, policy=params.policy,
                          service=params.service, year=params.year)

    def _ranked(self, reader: Any, full: Node, exact: Node | None, filters: Filters, offset: int,
                size: int, total: int) -> tuple[list[Hit], list[str]]:
        """The page: exact-tier hits first, then forgiving-only hits; recency reorders within
        a page only, so pages stay consistent and only the shown documents are read."""
        exact_total, exact_hits = reader.search(exact, filters, offset, size) if exact is not None else (0, [])
        page = [(h, "exact") for h in _by_recency(exact_hits)]
        if full != exact and len(page) < size and total > exact_total:
            _, rest = reader.search(full, filters, max(0, offset - exact_total), size - len(page), exclude=exact)
            page += [(h, "forgiving") for h in _by_recency(rest)]
        return [h for h, _ in page], [t for _, t in page]


def _by_recency(hits: list[Hit]) -> list[Hit]:
    today = clock.today()

    def boosted(hit: Hit) -> float:
        try:
            age = (today - dt.date.fromisoformat(str(hit.stored.get("date", ""))[:10])).days
        except ValueError:
            age = 3650
        return hit.score * (1 + RECENCY_WEIGHT * math.exp(-max(age, 0) / 730))

    return sorted(hits, key=boosted, reverse=True)
