"""Analysis, once for every backend: a document becomes title words, words (search mode) and
character units, all folded; the vocabulary statistics for the lexicon are gathered on the way."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from gongkai.search_index.documents import doc_key, facet_values, searchable_text
from gongkai.search_index.normalize import char_units, clean
from gongkai.search_index.query import CHARS, TITLE, WORDS
from gongkai.search_index.segment import Segmenter


class Analyzer:
    def __init__(self, segmenter: Segmenter) -> None:
        self.segmenter = segmenter
        self.df: Counter = Counter()
        self.surfaces: dict[str, set[str]] = defaultdict(set)

    def terms(self, text: str) -> list[str]:
        """Folded search-mode words of ``text``; remembers how each was spelt in the text."""
        out = []
        for term, start, end in self.segmenter.index_tokens(text):
            surface = text[start:end]
            if surface != term:
                self.surfaces[term].add(surface)
            out.append(term)
        return out

    def analyse(self, doc: Any, files_root: Path) -> dict[str, Any]:
        """The analysed document the backends index (see backends.base.IndexWriter.add)."""
        body = clean(searchable_text(doc, files_root))
        title = clean(doc.title)
        title_terms = self.terms(title)
        word_terms = title_terms + self.terms(body)
        self.df.update(set(word_terms))
        chars = [unit for unit, _, _ in char_units(title)] + ["\u2029"] + [unit for unit, _, _ in char_units(body)]
        stored = {"key": doc_key(doc), "lang": doc.lang, "kind": doc.kind, "id": doc.id, "title": doc.title,
                  "summary": doc.summary, "text": body, "date": doc.updated.isoformat(), "unit": doc.unit}
        return {"key": stored["key"], "terms": {TITLE: title_terms, WORDS: word_terms, CHARS: chars},
                "filters": facet_values(doc), "date": int(doc.updated.strftime("%Y%m%d")), "stored": stored}

    def analyse_plain(self, key: str, title: str, body: str, filters: dict[str, list[str]], date: int,
                      stored: dict[str, Any] | None = None) -> dict[str, Any]:
        """The same for a document that is not a content model object (benchmarks, tests)."""
        title_terms = self.terms(title)
        word_terms = title_terms + self.terms(body)
        self.df.update(set(word_terms))
        chars = [u for u, _, _ in char_units(title)] + ["\u2029"] + [u for u, _, _ in char_units(body)]
        return {"key": key, "terms": {TITLE: title_terms, WORDS: word_terms, CHARS: chars}, "filters": filters,
                "date": date, "stored": stored or {"key": key, "title": title, "text": body}}
