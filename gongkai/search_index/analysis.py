"""Analysis, once for every backend: a document becomes title words, words (search mode) and
character units, all folded; the vocabulary statistics for the lexicon are gathered on the way."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from gongkai.search_index.documents import doc_key, facet_values, searchable_text
from gongkai.search_index.normalize import clean, fold_text, units
from gongkai.search_index.query import CHARS, TITLE, WORDS
from gongkai.search_index.segment import Segmenter


class Analyzer:
    def __init__(self, segmenter: Segmenter) -> None:
        self.segmenter = segmenter
        self.df: Counter = Counter()
        self.surfaces: dict[str, set[str]] = defaultdict(set)

    def terms(self, text: str, folded: str | None = None) -> list[str]:
        """Folded search-mode words of ``text``; remembers how each was spelt in the text."""
        out = []
        for term, start, end in self.segmenter.index_tokens(text, folded):
            surface = text[start:end]
            if surface != term:
                self.surfaces[term].add(surface)
            out.append(term)
        return out

    def analyse(self, doc: Any, files_root: Path) -> dict[str, Any]:
        """The analysed document the backends index (see backends.base.IndexWriter.add)."""
        body = clean(searchable_text(doc, files_root))
        title = clean(doc.title)
        return self.analyse_plain(doc_key(doc), title, body, facet_values(doc), int(doc.updated.strftime("%Y%m%d")), {
            "key": doc_key(doc), "lang": doc.lang, "kind": doc.kind, "id": doc.id, "title": doc.title,
            "summary": doc.summary, "text": body, "date": doc.updated.isoformat(), "unit": doc.unit})

    def analyse_plain(self, key: str, title: str, body: str, filters: dict[str, list[str]], date: int,
                      stored: dict[str, Any] | None = None) -> dict[str, Any]:
        """The analysed document from plain fields (content documents and the benchmark's)."""
        folded_body = fold_text(body)
        title_terms = self.terms(title)
        word_terms = title_terms + self.terms(body, folded_body)
        self.df.update(set(word_terms))
        chars = units(title) + ["¶"] + units(body, folded_body)
        return {"key": key, "terms": {TITLE: title_terms, WORDS: word_terms, CHARS: chars}, "filters": filters,
                "date": date, "stored": stored or {"key": key, "title": title, "text": body}}
