"""Personal names in free text, for the personal-data gate.

A run of Chinese characters is taken for a person's name only where the context marks it: a
role word before it (承辦人 王小明, 聯絡：陳大文), a title after it (陳大文先生, 請洽林小姐) or a
column that holds people (姓名, 承辦人 …). It must begin with a known surname (single or
compound), so 「承辦人 第一課」 and 「聯絡 本分局」 never fire. jieba's dictionary then tells
ordinary words from names (聯絡方式, 林業組, 周邊商品), and a character that ends the name of a
unit or a place (課, 局, 市, 區 …) marks a unit or a place. The word lists are data
(person_names.toml), so an agency can extend them. A name written masked (王○明) passes.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

MASKS = frozenset("○◯〇●＊*Ｘ")
DATA = "person_names.toml"
SEPARATORS = " \t\u3000:：,，-－–—()（）「」『』[]［］〔〕"
LIST_JOINERS = "、及"  # 「承辦人 王小明、陳大文」: the role word covers both names
TOKEN_SPLIT = re.compile(r"[\s\u3000、,，;；/／()（）]+")
# parts of speech of a word that may also begin a three-character name: 林家豪 (林家 n),
# 黃國華 (黃國 ns); a verb or an adverb (包括, 任何) may not
NOMINAL = frozenset({"n", "ns", "nz", "nt", "s", "b", "ng"})
NAME_WORD_FREQUENCY = 300  # a two-character dictionary word this frequent is an ordinary word, whatever its tag
COMMON_LINE = re.compile(r"^(\S\S) \d{3,} ", re.M)  # "word freq tag" lines of two-character words of frequency ≥ 100


def is_han(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" or "\U00020000" <= char <= "\U0003ffff"


@functools.cache
def _t2s():
    import opencc  # imported on first use: loading it costs ≈ 0.15 s, and most cells never need it

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """The Simplified form of ``text``, character by character aligned with it (jieba's
    dictionary is Simplified Chinese)."""
    converted = _t2s().convert(text)
    return converted if len(converted) == len(text) else "".join(_t2s().convert(c) for c in text)


@dataclass(frozen=True)
class Words:
    """The word lists of person_names.toml."""

    single: frozenset[str]
    compound: frozenset[str]
    roles: frozenset[str]
    links: tuple[str, ...]
    titles: frozenset[str]
    column_titles: tuple[str, ...]
    column_names: frozenset[str]
    unit_suffixes: frozenset[str]
    not_in_names: frozenset[str]
    not_names: frozenset[str]
    anchors: re.Pattern[str]  # every role word and title, the longer first

    @classmethod
    def parse(cls, data: dict) -> Words:
        surnames, context, columns = data["surnames"], data["context"], data["columns"]
        single = {c for c in surnames["single"] + surnames.get("single_simplified", "") if is_han(c)}
        compound = {*surnames["compound"], *surnames.get("compound_simplified", [])}
        roles, titles = set(context["roles"]), set(context["titles"])
        anchors = re.compile("|".join(re.escape(w) for w in sorted(roles | titles, key=len, reverse=True)))
        return cls(frozenset(single), frozenset(compound), frozenset(roles), tuple(context.get("links", ())), frozenset(titles),
                   tuple(columns["titles"]), frozenset(n.lower() for n in columns["names"]),
                   frozenset(data["words"]["unit_suffixes"]), frozenset(data["words"]["not_in_names"]),
                   frozenset(data["words"]["not_names"]), anchors)

    def surname_at(self, text: str, i: int) -> int:
        """The length of the surname that begins at ``i`` (0 if none); compound ones first."""
        if text[i:i + 2] in self.compound:
            return 2
        return 1 if i < len(text) and text[i] in self.single else 0

    def title_at(self, text: str, i: int, min_length: int = 1) -> str:
        for n in (2, 1):
            if n >= min_length and len(word := text[i:i + n]) == n and word in self.titles:
                return word
        return ""


@functools.cache
def words() -> Words:
    return Words.parse(tomllib.loads(Path(__file__).with_name(DATA).read_text(encoding="utf-8")))


class Lexicon:
    """What jieba's dictionary (Simplified Chinese) knows of the words around a candidate name.

    Each word of two to four characters that begins with a surname is kept as one of
    ``name`` (tagged a person's name: 王小明, 李四), ``noun`` (a noun or a place, which may also
    begin a name: 林家 in 林家豪) or ``word`` (a verb, an adverb …: 包括, 任何). jieba tags most
    two-character words that begin with a surname nr, ordinary ones too (陳述, 謝謝, 張貼: each
    seen several hundred times in its counts), so a frequent one counts as a noun, not a name.
    """

    def __init__(self, first_chars: frozenset[str], not_names: frozenset[str]) -> None:
        spec = importlib.util.find_spec("jieba")  # its dictionary file only: importing jieba costs ≈ 1 s
        if spec is None or spec.origin is None:
            raise RuntimeError("jieba is not installed (a dependency of gongkai)")
        text = (Path(spec.origin).parent / "dict.txt").read_text(encoding="utf-8")
        self.not_names = not_names | {simplified(word) for word in not_names}
        # frequent two-character words (≈ 24,000): where a word begins or ends
        self.common = set(COMMON_LINE.findall(text))
        firsts = re.escape("".join(sorted(first_chars)))
        self.kinds: dict[str, str] = {}
        for word, freq, tag in re.findall(rf"^([{firsts}]\S{{1,3}}) (\d+) (\S+)$", text, re.M):
            if tag.startswith("nr"):
                kind = "name" if len(word) > 2 or int(freq) < NAME_WORD_FREQUENCY else "noun"
            else:
                kind = "noun" if tag in NOMINAL else "word"
            self.kinds[word] = kind


@functools.cache
def lexicon() -> Lexicon:
    w = words()
    return Lexicon(w.single | {s[0] for s in w.compound}, w.not_names)


@dataclass(frozen=True)
class Name:
    """A person's name found in a cell, and what marked it."""

    start: int
    end: int
    text: str
    role: str = ""
    title: str = ""
    column: str = ""

    def masked(self) -> str:
        """王○明, 李○, 歐○○娜; a surname alone (林小姐) as 林○."""
        if len(self.text) <= 2:
            return self.text[0] + "○"
        return self.text[0] + "○" * (len(self.text) - 2) + self.text[-1]

    def message(self) -> str:
        marks = []
        if self.role:
            marks.append(f"after the role word {self.role}")
        if self.title:
            marks.append(f"before the title {self.title}")
        if self.column:
            marks.append(f"in a column of people ({self.column})")
        return f"personal name {self.masked()} ({' and '.join(marks)})"

    def fix(self) -> str:
        if self.column and not (self.role or self.title):
            return 'mask the names like 王○明 or drop the column, and mark the field "personal": true in the schema'
        return "mask the name like 王○明, or name the unit and its office number instead of the person"


class _Cell:
    """One cell's text and, made when first needed, its Simplified form for the dictionary."""

    def __init__(self, text: str, w: Words) -> None:
        self.text, self.w = text, w
        self._simple: str | None = None

    @property
    def simple(self) -> str:
        if self._simple is None:
            self._simple = simplified(self.text)
        return self._simple

    def common(self, i: int) -> bool:
        """Whether an ordinary two-character word begins at ``i``."""
        return i + 2 <= len(self.text) and all(is_han(c) for c in self.text[i:i + 2]) and self.simple[i:i + 2] in lexicon().common

    def alone(self, end: int) -> bool:
        """Whether nothing of the same phrase follows ``end``: the end, a separator, a title."""
        text = self.text
        return end >= len(text) or not is_han(text[end]) or text[end] in LIST_JOINERS or bool(self.w.title_at(text, end))

    def plausible(self, start: int, surname: int, end: int) -> bool:
        """Whether text[start:end] (a surname and 0–2 characters) is a name, not a word, unit or place."""
        text, w = self.text, self.w
        if text[end - 1] in w.unit_suffixes:
            return False  # 林業組, 高雄市, 王田里
        if end < len(text) and text[end] in w.unit_suffixes and not w.title_at(text, end) and not self.common(end):
            return False  # 江翠 followed by 里; but 王小明處理 (處理 is a word) stays a name
        if end - start == surname:
            return True  # a surname alone before a title: 林小姐
        simple, lex = self.simple[start:end], lexicon()
        if simple in lex.not_names:
            return False
        kind = lex.kinds.get(simple)
        if kind is not None:  # the dictionary knows the whole: 王小明 name; 陳列室, 方式 noun
            # a two-character name-word is a name only standing alone: 「承辦人：李四」, not 「陳述意見」
            return kind == "name" and (end - start > 2 or self.alone(end))
        if end - start - surname == 2:
            prefix = simple[:surname + 1]
            # 林家豪 and 黃國華 begin with a noun and are names; 包括公… begins with a verb, 黃金色
            # with a word listed as never a name
            return prefix not in lex.not_names and lex.kinds.get(prefix) != "word"
        return True

    def name_at(self, i: int) -> tuple[int, int] | None:
        """(end, surname length) of a surname and one or two given-name characters at ``i``."""
        text, w = self.text, self.w
        surname = w.surname_at(text, i)
        if not surname or (i > 0 and text[i - 1] in MASKS):
            return None
        start_given = end = i + surname
        while end < len(text) and end - start_given < 2 and is_han(text[end]) and text[end] not in w.not_in_names \
                and not w.title_at(text, end, 2):
            end += 1
        if end < len(text) and text[end] in MASKS:
            return None  # 王小○: written masked
        if end - start_given == 2 and self.common(end - 1) and not w.title_at(text, end):
            end -= 1  # the second character begins the next word: 李四負責, 黃金價格
        if end == start_given or not self.plausible(i, surname, end):
            return None
        return end, surname

    def after_role(self, role: str, i: int) -> Iterator[Name]:
        text = self.text
        while i < len(text) and text[i] in SEPARATORS:
            i += 1
        for link in self.w.links:
            if text.startswith(link, i) and self.w.surname_at(text, i + len(link)):
                i += len(link)
                break
        while (found := self.name_at(i) if i < len(text) else None) is not None:
            end = found[0]
            yield Name(i, end, text[i:end], role=role, title=self.w.title_at(text, end, 1))
            if end >= len(text) or text[end] not in LIST_JOINERS:
                break
            i = end + 1

    def before_title(self, title: str, p: int) -> Name | None:
        """The name or surname that ends where the title begins: the longest plausible one."""
        text = self.text
        if len(title) == 1 and self.common(p):
            return None  # 君子, not the title 君
        for start in range(max(0, p - 4), p):
            surname = self.w.surname_at(text, start)
            given = text[start + surname:p]
            if not surname or len(given) > 2 or not all(is_han(c) for c in given):
                continue
            if start > 0 and (text[start - 1] in MASKS or (is_han(text[start - 1]) and self.common(start - 1))):
                continue  # masked (王○林先生), or the surname ends a word (許多, 地方, 歷史)
            if self.plausible(start, surname, p):
                return Name(start, p, text[start:p], title=title)
        return None

    def in_column(self, column: str) -> Iterator[Name]:
        """Values of a column of people that are, whole, a surname and one or two characters."""
        pos = 0
        for token in TOKEN_SPLIT.split(self.text):
            start = self.text.index(token, pos) if token else pos
            pos = start + len(token)
            surname = self.w.surname_at(self.text, start) if token else 0
            if surname and surname < len(token) <= surname + 2 and all(is_han(c) for c in token) \
                    and self.plausible(start, surname, pos):
                yield Name(start, pos, token, column=column)


def find_names(text: str, column: str = "", w: Words | None = None) -> tuple[Name, ...]:
    """The personal names in one cell, in order. ``column``: the word that marks the cell's
    column as holding people (姓名, 承辦人 …), or "" for free text anywhere; ``w``: other word
    lists than those of person_names.toml."""
    if text.isascii():
        return ()  # numbers, dates, codes, URLs: most cells of a large dataset, and never a Chinese name
    if w is not None:
        return _find(text, column, w)
    if not column and words().anchors.search(text) is None:
        return ()  # no role word, no title: most free text
    return _find_cached(text, column)


@functools.lru_cache(maxsize=4096)
def _find_cached(text: str, column: str) -> tuple[Name, ...]:
    # the values of a column of people repeat (units, the same staff): each distinct one is looked at once
    return _find(text, column, words())


def _find(text: str, column: str, w: Words) -> tuple[Name, ...]:
    matches = list(w.anchors.finditer(text))
    cell = _Cell(text, w)
    found: list[Name] = []

    def add(name: Name) -> None:
        for n, other in enumerate(found):
            if name.start < other.end and other.start < name.end:  # the same name, marked twice: keep the longer
                kept, extra = (name, other) if len(name.text) > len(other.text) else (other, name)
                found[n] = replace(kept, role=kept.role or extra.role, column=kept.column or extra.column,
                                   title=kept.title or (extra.title if extra.end == kept.end else ""))
                return
        found.append(name)

    for match in matches:
        word = match.group(0)
        if word in w.roles:
            for name in cell.after_role(word, match.end()):
                add(name)
        if word in w.titles and (name := cell.before_title(word, match.start())) is not None:
            add(name)
    if column:
        for name in cell.in_column(column):
            add(name)
    return tuple(sorted(found, key=lambda n: n.start))


def people_column(name: str, title: str) -> str:
    """The word that marks a column as holding people (its title, or its field name), or ""."""
    w = words()
    if any(word in title for word in w.column_titles):
        return title
    parts = {p.lower() for p in re.split(r"[_\-\s]+", name) if p}
    if parts & w.column_names or name.lower().replace("_", "").replace("-", "") in w.column_names:
        return title or name
    return ""
