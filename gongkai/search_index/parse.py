"""The user's query syntax, which is small and can never fail: words (AND), "phrases",
+must and -must-not. Unbalanced quotes close at the end; stray operators are ignored."""

from __future__ import annotations

import re
from dataclasses import dataclass

from gongkai.search_index.normalize import clean

QUOTES = {'"': '"', "「": "」", "『": "』", "“": "”", "＂": "＂"}
MAX_ITEMS = 12  # longer queries are cut here: each item costs a clause


@dataclass(frozen=True)
class Item:
    text: str  # as typed (cleaned)
    phrase: bool = False
    negated: bool = False


def parse(query: str) -> list[Item]:
    text = clean(query)
    items: list[Item] = []
    i, n = 0, len(text)
    while i < n and len(items) < MAX_ITEMS:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        negated = False
        if ch in "+-＋－" and i + 1 < n and not text[i + 1].isspace():
            negated = ch in "-－"
            i += 1
            ch = text[i]
        if ch in QUOTES:
            close = text.find(QUOTES[ch], i + 1)
            end = n if close == -1 else close
            body = text[i + 1:end].strip()
            if body:
                items.append(Item(body, phrase=True, negated=negated))
            i = end + 1
            continue
        match = re.compile(r"[^\s\"「『“＂]+").match(text, i)
        word = match.group() if match else ch
        i += len(word)
        word = word.strip("+-＋－")
        if word:
            items.append(Item(word, negated=negated))
    return items
