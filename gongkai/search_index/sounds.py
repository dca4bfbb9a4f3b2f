"""The query-time half of sound matching, without pypinyin: reading a query word from the
lexicon's tables, and Zhuyin input parsed with the lexicon's Zhuyin table."""

from __future__ import annotations

import re

TONE_MARKS = {"ˊ": "2", "ˇ": "3", "ˋ": "4", "˙": "5"}
ZHUYIN_TOKEN = re.compile(r"˙?[\u3105-\u312f\u31a0-\u31bf]+[ˊˇˋ˙]?")
ZHUYIN_INPUT = re.compile(r"^[\u3105-\u312f\u31a0-\u31bfˊˇˋ˙ˉ\s]+$")


def key_of(term: str, phrase_keys: dict[str, str], readings: dict[str, str]) -> str:
    """The toned key of a word: the index's phrase reading when it has one that differs from
    reading character by character (會計 kuai4 ji4), else character by character."""
    return phrase_keys.get(term) or " ".join(readings.get(ch, ch) for ch in term)


def is_zhuyin(text: str) -> bool:
    return bool(ZHUYIN_INPUT.match(text)) and bool(re.search(r"[\u3105-\u312f]", text))


def zhuyin_to_key(text: str, table: dict[str, str]) -> str | None:
    """ㄐㄧㄢˇ ㄉㄧㄥˋ → 'jian3 ding4'; None when a syllable is not valid Zhuyin.
    ``table``: Zhuyin syllable (tone mark last) → toned pinyin, made by pinyin.zhuyin_table."""
    out: list[str] = []
    for token in ZHUYIN_TOKEN.findall(text.replace("ˉ", "")):
        tone = "5" if token.startswith("˙") or token.endswith("˙") else TONE_MARKS.get(token[-1], "1")
        letters = token.strip("˙ˊˇˋ")
        parts = _split_syllables(letters, table)
        if parts is None:
            return None
        for i, part in enumerate(parts):
            mark = {"1": "", "2": "ˊ", "3": "ˇ", "4": "ˋ", "5": "˙"}[tone if i == len(parts) - 1 else "1"]
            pinyin = table.get(part + mark)
            if pinyin is None:
                return None
            out.append(pinyin)
    return " ".join(out) or None


def _split_syllables(letters: str, table: dict[str, str]) -> list[str] | None:
    """Greedy longest-first split of untoned letters into valid syllables (ㄓㄥㄕ → ㄓㄥ ㄕ)."""
    parts, i = [], 0
    while i < len(letters):
        for j in range(min(len(letters), i + 4), i, -1):
            piece = letters[i:j]
            if any(piece + m in table for m in ("", "ˊ", "ˇ", "ˋ", "˙")):
                parts.append(piece)
                i = j
                break
        else:
            return None
    return parts
