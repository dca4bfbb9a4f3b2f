"""Analysis, once for every backend: a document becomes title words, words (search mode) and
character units, all folded. Analysis is pure (it may run in worker processes); the vocabulary
statistics for the lexicon are gathered by ``Vocabulary.add``."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from itertools import islice
from pathlib import Path
from typing import Any

from gongkai.search_index.documents import doc_key, facet_values, searchable_text
from gongkai.search_index.lexicon import SoundEntry, sound_entries
from gongkai.search_index.normalize import WIDE_PUNCTUATION, clean, normal_text, units
from gongkai.search_index.query import CHARS, TITLE, WORDS
from gongkai.search_index.segment import Segmenter


class Vocabulary:
    """What the lexicon is built from: the document frequency of every word, how folded words
    were spelt in the text, and the sound keys of its Chinese dictionary words (computed as
    words first appear, so in a parallel build this runs in the workers, beside the analysis)."""

    def __init__(self) -> None:
        self.df: Counter = Counter()
        self.surfaces: dict[str, set[str]] = defaultdict(set)
        self.sounds: dict[str, SoundEntry] = {}

    def add(self, analysed: list[dict[str, Any]], in_dictionary: Callable[[str], bool]) -> None:
        """Analysed documents (see ``Analyzer.analyse_plain``). Sound keys (for homophones and
        typo corrections) are kept for the words ``in_dictionary`` knows: jieba's HMM also
        "discovers" words in Traditional text it has no statistics for (表應 in 計費表應每年…),
        and a correction to one of those would be noise."""
        known = len(self.df)
        self.df.update([word for doc in analysed for word in doc["distinct"]])  # from a list: counted in C
        new = list(islice(reversed(self.df), len(self.df) - known))  # a dict keeps new keys last
        for doc in analysed:
            for term, surface in doc["spellings"]:
                self.surfaces[term].add(surface)
        self.sounds.update(sound_entries(word for word in new if in_dictionary(word)))

    def merge(self, other: Vocabulary) -> None:
        """Another worker's vocabulary."""
        self.df.update(other.df)
        for term, spellings in other.surfaces.items():
            self.surfaces[term] |= spellings
        for term, entry in other.sounds.items():
            self.sounds.setdefault(term, entry)


class Analyzer:
    def __init__(self, segmenter: Segmenter) -> None:
        self.segmenter = segmenter

    def terms(self, text: str, normal: str | None = None) -> tuple[list[str], set[tuple[str, str]]]:
        """Folded search-mode words of ``text``, and the (term, spelling in the text) pairs where they differ.
        ``normal`` = normal_text(text) when the caller has it already."""
        normal = normal_text(text) if normal is None else normal
        if text.translate(WIDE_PUNCTUATION) == normal:
            return self.segmenter.index_words(text), set()  # nothing in a word was folded
        tokens = self.segmenter.index_tokens(text, normal)
        return [term for term, _, _ in tokens], {(term, text[start:end]) for term, start, end in tokens if term != text[start:end]}

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
        normal_title, normal_body = normal_text(title), normal_text(body)
        title_terms, title_spellings = self.terms(title, normal_title)
        body_terms, body_spellings = self.terms(body, normal_body)
        word_terms = title_terms + body_terms
        chars = units(title, normal_title) + ["¶"] + units(body, normal_body)
        return {"key": key, "terms": {TITLE: title_terms, WORDS: word_terms, CHARS: chars}, "filters": filters,
                "date": date, "stored": stored or {"key": key, "title": title, "text": body},
                "distinct": list(set(word_terms)), "spellings": list(title_spellings | body_spellings)}
