"""Word segmentation with rjieba (Rust jieba) and the Taiwan dictionary.

Measured (benchmarks/search.py --segmenters): with the same Taiwan dictionary rjieba segments
300 of 300 generated documents identically to jieba, default and search mode, and is ≈18× faster
(default) and ≈200× faster (search mode) on this machine, so it is the segmenter. Indexing uses search mode, so
words inside longer words are found (農業 inside 中國農業發展銀行); queries use the default
mode, which keeps the longest words.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

import rjieba

from gongkai.search_index.normalize import WORDISH, fold, normal_text

# rjieba loads its own Simplified dictionary at import; we never use it: free it (≈17 MB RSS)
rjieba._DEFAULT_JIEBA.clear()
_LOCK = threading.Lock()
LATIN = re.compile(r"[0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+")
_LOADED: dict[str, rjieba.Jieba] = {}  # dictionary file name → loaded engine


class _WordishTokens(dict):
    """token → has a word character; each distinct token is tested once (the vocabulary repeats)."""

    def __missing__(self, token: str) -> bool:
        keep = self[token] = bool(WORDISH.search(token))
        return keep


class Segmenter:
    """A loaded dictionary. Loading the base dictionary costs ≈2 s, so it is shared per process."""

    def __init__(self, base_dict: Path, user: dict[str, int] | None = None) -> None:
        key = base_dict.name  # names carry the content hash: one load per process, wherever the copy is
        with _LOCK:
            if key not in _LOADED:
                engine = rjieba.Jieba.empty()
                with base_dict.open(encoding="utf-8") as lines:
                    for line in lines:
                        word, freq, tag = line.rstrip("\n").split(" ")
                        engine.add_word(word, int(freq), tag)
                _LOADED[key] = engine
            self.engine = _LOADED[key]
            self._wordish = _WordishTokens()
            for word, freq in (user or {}).items():
                if not self.engine.has_word(word):
                    self.engine.add_word(word, freq, "nz")

    def _pieces(self, text: str, mode: str) -> list[tuple[str, int, int]]:
        """Latin/digit runs are words as they stand (the dictionary's few English entries would
        cut "Thermometers" into "Thermo"…); everything between them goes to jieba."""
        out: list[tuple[str, int, int]] = []
        last = 0
        for match in LATIN.finditer(text):
            if match.start() > last:
                out += [(w, last + a, last + b) for w, a, b in self.engine.tokenize(text[last:match.start()], mode=mode)]
            out.append((match.group(), match.start(), match.end()))
            last = match.end()
        if last == 0:
            return self.engine.tokenize(text, mode=mode)
        if last < len(text):
            out += [(w, last + a, last + b) for w, a, b in self.engine.tokenize(text[last:], mode=mode)]
        return out

    def index_words(self, text: str) -> list[str]:
        """The search-mode words of a text that folding leaves as it is (apart from punctuation
        widths): each word is its own term, so no offsets or slices are needed."""
        wordish = self._wordish
        if LATIN.search(text) is None:
            return [word for word in self.engine.cut_for_search(text) if wordish[word]]
        return [word for word, _, _ in self._pieces(text, "search") if wordish[word]]

    def index_tokens(self, text: str, normal: str | None = None) -> list[tuple[str, int, int]]:
        """(folded term, start, end) in search mode; punctuation and spaces dropped.
        ``normal`` = normal_text(text) when the caller has it already."""
        normal = normal_text(text) if normal is None else normal
        wordish = self._wordish
        pieces = self._pieces(text, "search")
        if len(normal) == len(text):  # the usual case: a word's folded form is the same slice
            return [(normal[start:end], start, end) for word, start, end in pieces if wordish[word]]
        tokens = [(fold(word.strip()), start, end) for word, start, end in pieces if wordish[word]]
        return [token for token in tokens if token[0]]

    def in_dictionary(self, word: str) -> bool:
        """The word is in the dictionary (base or user words), not only found by jieba's HMM."""
        return self.engine.has_word(word)

    def query_words(self, folded_text: str) -> list[str]:
        """The words of an already folded query, longest words kept (default mode)."""
        return [w.strip() for w, _, _ in self._pieces(folded_text, "default") if WORDISH.search(w)]
