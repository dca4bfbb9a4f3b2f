"""Highlights from the stored text, with our own code (tantivy's SnippetGenerator returns nothing
for pre-tokenized fields, Whoosh's re-segments the text at ≈40 ms a page — docs/search-design.md §2).
A highlight sits on the characters that matched, also for same-sound and synonym matches,
because the matched alternatives (and the spellings the index saw) are what is searched for."""

from __future__ import annotations

import re
from collections.abc import Iterable

Piece = tuple[str, bool]  # (text, highlighted)
SNIPPET_CHARS = 110


def pattern(terms: Iterable[str], surfaces: dict[str, list[str]]) -> re.Pattern | None:
    spellings = set()
    for term in terms:
        if term:
            spellings.add(term)
            spellings.update(surfaces.get(term, ()))
    if not spellings:
        return None
    alternation = "|".join(re.escape(s) for s in sorted(spellings, key=len, reverse=True)[:200])
    return re.compile(alternation, re.IGNORECASE)


def mark(text: str, regex: re.Pattern | None) -> list[Piece]:
    """``text`` split into plain and highlighted pieces."""
    if regex is None or not text:
        return [(text, False)] if text else []
    pieces: list[Piece] = []
    last = 0
    for match in regex.finditer(text):
        if match.start() > last:
            pieces.append((text[last:match.start()], False))
        pieces.append((match.group(), True))
        last = match.end()
    if last < len(text):
        pieces.append((text[last:], False))
    return pieces


def snippet(text: str, regex: re.Pattern | None, fallback: str, size: int = SNIPPET_CHARS) -> list[Piece]:
    """The window of ``text`` with the most matches (a cheap density scan), highlighted;
    ``fallback`` (the summary) when nothing in the text matches."""
    spans = [m.span() for m in regex.finditer(text)] if regex is not None else []
    if not spans:
        return mark(fallback[:size] + ("…" if len(fallback) > size else ""), regex)
    best_start, best_count = spans[0][0], 0
    j = 0
    for i, (start, _) in enumerate(spans):
        while j < len(spans) and spans[j][1] <= start + size:
            j += 1
        if j - i > best_count:
            best_start, best_count = start, j - i
    begin = max(0, best_start - size // 4)
    line_start = text.rfind("\n", 0, best_start) + 1
    if best_start - line_start < size // 2:
        begin = max(begin, line_start)
    end = min(len(text), begin + size)
    window = " ".join(text[begin:end].split())
    return mark(("…" if begin > 0 else "") + window + ("…" if end < len(text) else ""), regex)
