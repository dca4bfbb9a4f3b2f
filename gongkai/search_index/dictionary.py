"""The Taiwan segmentation dictionary, built locally (nothing is downloaded).

jieba's wheel ships only a Simplified ``dict.txt``; Traditional text then splits badly
(電子/秤, 身分/證). The base dictionary is jieba's words in their OpenCC ``s2t`` and
``s2twp`` forms; the content adds a user dictionary (keywords, short title parts) and the
webmaster's domain term list ``content/search/terms.txt``.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path

import opencc

from gongkai.search_index.normalize import fold_many

USER_FREQ = 3000  # high enough that a domain word beats splitting it into common words
TITLE_PART_FREQ = 300
_MADE: dict[str, Path] = {}
TITLE_PARTS = re.compile(r"[（）()、，,／/：:「」『』\s及與和或]+")


def jieba_dict_path() -> Path:
    import jieba

    return Path(jieba.__file__).resolve().parent / "dict.txt"


def base_dictionary(cache_dir: Path) -> Path:
    """jieba's dictionary in its s2t and s2twp Traditional forms, cached under ``cache_dir`` (≈3 s to make)."""
    source = jieba_dict_path()
    stamp = hashlib.sha256(f"{source.stat().st_size}:{source.stat().st_mtime_ns}:traditional-only".encode()).hexdigest()[:10]
    target = cache_dir / f"taiwan-dict-{stamp}.txt"
    if target.is_file():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    made = _MADE.get(stamp)
    if made is not None and made.is_file():  # made in this process for another index folder
        shutil.copyfile(made, target)
        return target
    text = source.read_text(encoding="utf-8")
    merged: dict[str, tuple[int, str]] = {}
    # Traditional forms only: queries are folded to Taiwan Traditional before segmentation and the
    # content is Traditional, so jieba's Simplified spellings would only cost memory (≈40 %).
    for variant in (opencc.OpenCC("s2t").convert(text), opencc.OpenCC("s2twp").convert(text)):
        for line in variant.splitlines():
            parts = line.split(" ")
            if len(parts) != 3 or not parts[1].isdigit():
                continue
            word, freq, tag = parts[0], int(parts[1]), parts[2]
            if word not in merged or merged[word][0] < freq:
                merged[word] = (freq, tag)
    temp = target.with_suffix(f".tmp{os.getpid()}")
    temp.write_text("".join(f"{w} {f} {t}\n" for w, (f, t) in merged.items()), encoding="utf-8")
    os.replace(temp, target)
    _MADE[stamp] = target
    return target


def read_term_list(path: Path) -> list[str]:
    """One term per line; ``#`` starts a comment. A missing file is an empty list."""
    if not path.is_file():
        return []
    terms = []
    for line in path.read_text(encoding="utf-8").splitlines():
        term = line.split("#", 1)[0].strip()
        if term:
            terms.append(term)
    return terms


def user_words(documents: Iterable, domain_terms: Iterable[str], synonym_terms: Iterable[str] = ()) -> dict[str, int]:
    """Word → frequency for the content's own vocabulary, in both original and folded forms."""
    words: dict[str, int] = {}
    for term in [*domain_terms, *synonym_terms]:
        words[term] = USER_FREQ
    for doc in documents:
        for keyword in doc.keywords:
            if 2 <= len(keyword) <= 12 and " " not in keyword.strip():
                words[keyword.strip()] = USER_FREQ
        for part in TITLE_PARTS.split(doc.title):
            if 2 <= len(part) <= 6:
                words.setdefault(part, TITLE_PART_FREQ)
    originals = list(words)
    for original, folded in zip(originals, fold_many(originals), strict=True):
        if folded and folded != original:
            words.setdefault(folded, words[original])
    return words
