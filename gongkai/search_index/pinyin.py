"""Sound keys for homophone (同音) search and Zhuyin (注音) input — the index-time half, with
pypinyin. Its tables go into the lexicon, so a serving process never imports pypinyin
(≈57 MB); the query-time half is sounds.py.

A key is the word's toned pinyin (``jian3 ding4``): toneless keys matched 5–7 % wrong
documents in a test (檢定 → 鑑定/堅定/尖頂), toned keys under 1 % (docs/search-design.md §5).
pypinyin's phrase dictionary is Simplified, so a word is converted to Simplified first:
會計 is then kuai4 ji4, not hui4 ji4. Zhuyin input is mapped syllable by syllable to the
same toned pinyin.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache, lru_cache

import opencc
from pypinyin import Style, lazy_pinyin
from pypinyin.phrases_dict import phrases_dict
from pypinyin.pinyin_dict import pinyin_dict
from pypinyin.style import convert

from gongkai.search_index import sounds

_T2S = opencc.OpenCC("t2s")


@cache
def _syllable(marked: str) -> str:
    """'kuài' → 'kuai4'; neutral tone → 5."""
    tone3 = convert(marked, Style.TONE3, True, neutral_tone_with_five=True)
    return tone3 if tone3[-1:].isdigit() else tone3 + "5"


@cache
def _char_reading(char: str) -> str:
    return lazy_pinyin(char, style=Style.TONE3, neutral_tone_with_five=True)[0]


def _readings(simplified: str) -> list[str]:
    """Toned syllables: the longest phrase-dictionary entries first (会计 → kuai4 ji4), then the
    character's own reading. Same result as pypinyin's phrase segmentation for the words
    that matter here, at dictionary-lookup speed (the vocabulary of 50k documents in seconds)."""
    out: list[str] = []
    i = 0
    while i < len(simplified):
        for j in range(min(len(simplified), i + 5), i + 1, -1):
            entry = phrases_dict.get(simplified[i:j])
            if entry:
                out += [_syllable(r[0]) for r in entry]
                i = j
                break
        else:
            out.append(_char_reading(simplified[i]))
            i += 1
    return out


def sound_keys(term: str, simplified: str | None = None) -> tuple[str, ...]:
    """The toned keys of a Chinese word: its phrase reading, plus each neutral syllable with a
    full tone (Zhuyin users type 電子 as ㄉㄧㄢˋ ㄗˇ where pypinyin says zi5, docs/search-design.md §6).
    ``simplified`` saves the OpenCC call when the caller converted many words at once.
    Not cached: the lexicon asks once per word of the vocabulary."""
    syllables = _readings(simplified or _T2S.convert(term))
    keys = [" ".join(syllables)]
    for i, syllable in enumerate(syllables):
        if syllable.endswith("5"):  # a neutral tone: also the keys with a full tone typed
            keys += [" ".join([*syllables[:i], syllable[:-1] + tone, *syllables[i + 1:]]) for tone in "1234"]
    return tuple(keys)


def to_simplified(terms: list[str]) -> list[str]:
    """Many words to Simplified in one OpenCC call."""
    return _T2S.convert("\n".join(terms)).split("\n") if terms else []


_NO_DIGITS = str.maketrans("", "", "12345")


def toneless(key: str) -> str:
    return key.translate(_NO_DIGITS)


@cache
def char_readings() -> dict[str, str]:
    """Every character pypinyin knows → its first toned reading (the query side's table)."""
    return {chr(code): _syllable(readings.split(",")[0]) for code, readings in pinyin_dict.items()}


def zhuyin_to_key(text: str) -> str | None:
    """ㄐㄧㄢˇ ㄉㄧㄥˋ → 'jian3 ding4' (index-time convenience; the service uses sounds.py)."""
    return sounds.zhuyin_to_key(text, zhuyin_table())


@lru_cache(maxsize=1)
def zhuyin_table() -> dict[str, str]:
    """Zhuyin syllable (tone mark last, none for tone 1) → toned pinyin."""
    syllables: Counter[str] = Counter()
    for readings in pinyin_dict.values():
        syllables.update(readings.split(","))
    table: dict[str, str] = {}
    # A few Zhuyin spellings stand for two pinyin syllables (ㄇㄨˋ: mù and the interjection m̀):
    # the commoner reading wins, the same in every process (a set's order is not)
    for syllable, _ in sorted(syllables.items(), key=lambda item: (-item[1], item[0])):
        tone3 = convert(syllable, Style.TONE3, True, neutral_tone_with_five=True)
        if not re.search(r"[1-5]$", tone3):
            tone3 += "5"
        letters = re.sub("[ˊˇˋ˙]", "", convert(syllable, Style.BOPOMOFO, True))
        mark = {"2": "ˊ", "3": "ˇ", "4": "ˋ", "5": "˙"}.get(tone3[-1], "")
        table.setdefault(letters + mark, tone3)
    return table


