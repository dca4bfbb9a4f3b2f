"""Character folding shared by indexing and querying: NFKC, lower case, Simplified → Taiwan
Traditional (OpenCC s2twp), so 检定 / ＣＮＳ / 台灣 find 檢定 / cns / 臺灣.

Both sides are folded with the same function: s2twp also rewrites Traditional input
(台灣 → 臺灣), which is harmless only when the index went through it too (docs/search-design.md §4).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

_CONVERTER = opencc.OpenCC("s2twp")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
BOPOMOFO = re.compile(r"[\u3105-\u312f\u31a0-\u31bf]")
# one indexing unit of the character field: a CJK character, or a run of Latin letters/digits
WORDISH = re.compile(r"\w")
# full-width punctuation and the ideographic space → what NFKC makes of them: a text that differs
# from its folded form only in these has no word spelt differently from its term
WIDE_PUNCTUATION = {code: narrow for code in [*range(0xFF01, 0xFF5F), 0x3000]
                    if not WORDISH.search(chr(code) + (narrow := unicodedata.normalize("NFKC", chr(code))))}


def clean(text: str) -> str:
    """Remove control and invisible formatting characters; collapse whitespace."""
    return " ".join(CONTROL.sub(" ", text).split())


@lru_cache(maxsize=300_000)
def fold(text: str) -> str:
    """The search form of a word or a whole query."""
    return _CONVERTER.convert(unicodedata.normalize("NFKC", text).lower())


def fold_many(texts: list[str]) -> list[str]:
    """Fold many strings in one OpenCC call (converting a joined text is far faster)."""
    joined = "\n".join(unicodedata.normalize("NFKC", t).lower().replace("\n", " ") for t in texts)
    return _CONVERTER.convert(joined).split("\n") if texts else []


def fold_text(text: str) -> str:
    """A whole text folded in one OpenCC call; the same length as ``text`` nearly always
    (callers that need offsets check)."""
    return _CONVERTER.convert(text.lower())


def normal_text(text: str) -> str:
    """A whole text in the index's form (folded, then NFKC): computed once per text and shared
    by its words and its character units."""
    return unicodedata.normalize("NFKC", fold_text(text))


FOLDED_UNIT = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]|[0-9a-z]+")


def units(text: str, normal: str | None = None) -> list[str]:
    """The character-field units of ``text``: each CJK character and each Latin/digit run, folded.
    ``normal`` = normal_text(text) when the caller has it already."""
    if normal is None:
        normal = unicodedata.normalize("NFKC", fold(text) if len(text) < 64 else fold_text(text))
    return FOLDED_UNIT.findall(normal.lower())


CJK_ONLY = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]+")


def is_cjk(text: str) -> bool:
    """Every character is a CJK ideograph (and there is at least one)."""
    return CJK_ONLY.fullmatch(text) is not None
