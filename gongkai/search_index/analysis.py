"""Analysis, once for every backend: a document becomes title words, words (search mode) and
character units, all folded. Analysis is pure (it may run in worker processes); the vocabulary
statistics for the lexicon are gathered afterwards by ``Vocabulary.record``."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from gongkai.search_index.documents import doc_key, facet_values, searchable_text
from gongkai.search_index.normalize import clean, fold_text, units
from gongkai.search_index.query import CHARS, TITLE, WORDS
from gongkai.search_index.segment import Segmenter


class Vocabulary:
    """Document frequency of every word, and how folded words were spelt in the text."""

    def __init__(self) -> None:
        self.df: Counter = Counter()
        self.surfaces: dict[str, set[str]] = defaultdict(set)

    def record(self, counts: Counter, spellings: list[tuple[str, str]]) -> None:
        """Documents' word counts and (word, spelling) pairs (see ``Analyzer.analyse_plain``)."""
        self.df.update(counts)
        for term, surface in spellings:
            self.surfaces[term].add(surface)


class Analyzer:
    def __init__(self, segmenter: Segmenter) -> None:
        self.segmenter = segmenter

    def terms(self, text: str, folded: str | None = None) -> tuple[list[str], set[tuple[str, str]]]:
        """Folded search-mode words of ``text``, and the (term, spelling in the text) pairs where they differ."""
        tokens = self.segmenter.index_tokens(text, folded)
        spellings = {(term, text[start:end]) for term, start, end in tokens if term != text[start:end]}
        return [term for term, _, _ in tokens], spellings

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
        title_terms, title_spellings = self.terms(title)
        body_terms, body_spellings = self.terms(body, folded_body)
        word_terms = title_terms + body_terms
        chars = units(title) + ["¶"] + units(body, folded_body)
        return {"key": key, "terms": {TITLE: title_terms, WORDS: word_terms, CHARS: chars}, "filters": filters,
                "date": date, "stored": stored or {"key": key, "title": title, "text": body},
                "distinct": list(set(word_terms)), "spellings": list(title_spellings | body_spellings)}
