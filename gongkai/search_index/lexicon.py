"""Maps from the index's own vocabulary, precomputed at index time so a query never scans the
term dictionary (a rapidfuzz scan costs ≈60 ms per query at 10k documents; a lookup ≈µs):

- document frequency of every word (which of several corrections is likelier);
- toned pinyin key → words (同音), toneless key → words (a fallback for Zhuyin only);
- deletion neighbourhood → words (容錯, SymSpell-style, edit distance 1);
- folded word → the spellings seen in the text (highlighting 台灣 for a query folded to 臺灣).

The four large maps grow with the vocabulary (≈210k words and ≈100 MB of Python objects at 10k
documents), so a saved lexicon keeps them in SQLite and a serving process looks them up there
(µs per lookup, tens per query) instead of holding them in memory.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.search_index.diskmap import DiskMap, bulk_connection, write_table
from gongkai.search_index.normalize import is_cjk
from gongkai.search_index.sounds import key_of, zhuyin_to_key

MAX_WORD = 8  # longer Chinese "words" are segmentation leftovers, not something people mistype
MAX_LATIN = 24


# a Chinese word's toned keys (its own reading first), and whether that reading differs from
# reading it character by character (會計 kuai4 ji4, not hui4 ji4)
SoundEntry = tuple[tuple[str, ...], bool]


def sound_entries(terms: Iterable[str]) -> dict[str, SoundEntry]:
    """The sound entries of the Chinese words among ``terms`` (with pypinyin: index time only)."""
    chinese = [t for t in terms if len(t) <= MAX_WORD and is_cjk(t)]
    if not chinese:
        return {}
    from gongkai.search_index.pinyin import char_readings, sound_keys, to_simplified

    readings = char_readings()
    entries = {}
    for term, simplified in zip(chinese, to_simplified(chinese), strict=True):
        keys = sound_keys(term, simplified)
        entries[term] = (keys, keys[0] != key_of(term, {}, readings))
    return entries


LARGE = ("df", "sounds", "toneless", "deletes")  # kept in SQLite once saved
SMALL = ("surfaces", "phrase_keys", "readings", "zhuyin")  # kept in memory


@dataclass
class Lexicon:
    df: Mapping[str, int] = field(default_factory=dict)
    sounds: Mapping[str, list[str]] = field(default_factory=dict)
    toneless: Mapping[str, list[str]] = field(default_factory=dict)
    deletes: Mapping[str, list[str]] = field(default_factory=dict)
    surfaces: dict[str, list[str]] = field(default_factory=dict)
    phrase_keys: dict[str, str] = field(default_factory=dict)  # word → key, where not char by char
    readings: dict[str, str] = field(default_factory=dict)  # character → toned syllable
    zhuyin: dict[str, str] = field(default_factory=dict)  # Zhuyin syllable → toned syllable

    # -- building ---------------------------------------------------------------------------
    @classmethod
    def build(cls, df: Counter, surfaces: dict[str, set[str]], sounds: Mapping[str, SoundEntry] | None = None) -> Lexicon:
        """The lexicon of a vocabulary. ``sounds`` (see ``sound_entries``): the words homophones
        and corrections may lead to, with their keys; without it, every Chinese word of ``df``."""
        from gongkai.search_index.pinyin import char_readings, zhuyin_table

        entries = sound_entries(df) if sounds is None else sounds
        phrase_keys: dict[str, str] = {}
        sounds_map: dict[str, set[str]] = defaultdict(set)
        toneless_map: dict[str, set[str]] = defaultdict(set)
        deletes: dict[str, set[str]] = defaultdict(set)
        for term, (keys, own_reading) in entries.items():
            if own_reading:
                phrase_keys[term] = keys[0]
            for key in keys:
                sounds_map[key].add(term)
                toneless_map[key.translate(_NO_DIGITS)].add(term)
            if len(term) >= 3:
                for d in _deletions(term):
                    deletes[d].add(term)
        for term in df:
            if term.isascii() and term.isalpha() and 4 <= len(term) <= MAX_LATIN:
                for d in _deletions(term):
                    deletes[d].add(term)

        def ranked(mapping: dict[str, set[str]]) -> dict[str, list[str]]:
            return {k: list(v) if len(v) == 1 else sorted(v, key=lambda t: (-df[t], t)) for k, v in mapping.items()}

        return cls(df=dict(df), sounds=ranked(sounds_map), toneless=ranked(toneless_map), deletes=ranked(deletes),
                   # sorted: the same file whatever order the words arrived in (one process or several)
                   surfaces={k: sorted(v) for k, v in sorted(surfaces.items()) if v - {k}},
                   phrase_keys=dict(sorted(phrase_keys.items())), readings=char_readings(), zhuyin=dict(zhuyin_table()))

    def save(self, path: Path) -> None:
        """One SQLite file: a table per large map, the small maps as JSON."""
        temp = path.with_suffix(f".tmp{os.getpid()}")
        temp.unlink(missing_ok=True)
        db = bulk_connection(temp)
        try:
            for name in LARGE:
                values = getattr(self, name).items()
                write_table(db, name, values if name == "df" else ((k, "\t".join(v)) for k, v in values))
            db.execute("CREATE TABLE small (name TEXT PRIMARY KEY, json TEXT)")
            db.executemany("INSERT INTO small VALUES (?, ?)",
                           ((name, json.dumps(getattr(self, name), ensure_ascii=False)) for name in SMALL))
            db.commit()
        finally:
            db.close()
        os.replace(temp, path)

    @classmethod
    def load(cls, path: Path) -> Lexicon:
        """The saved lexicon: small maps read now, large maps looked up on disk."""
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            small = {name: json.loads(value) for name, value in db.execute("SELECT name, json FROM small")}
        return cls(**{name: DiskMap(path, name, None if name == "df" else _split) for name in LARGE}, **small)

    # -- looking up ---------------------------------------------------------------------------
    def known(self, term: str) -> bool:
        return term in self.df

    def homophones(self, term: str) -> list[str]:
        """Other indexed words with the same toned reading (Chinese words of 2+ characters)."""
        if len(term) < 2 or not is_cjk(term):
            return []
        key = key_of(term, self.phrase_keys, self.readings)
        return [w for w in self.sounds.get(key, ()) if w != term and len(w) == len(term)][:6]

    def zhuyin_key(self, text: str) -> str | None:
        return zhuyin_to_key(text, self.zhuyin)

    def by_sound(self, key: str) -> list[str]:
        """Words read exactly as ``key`` (Zhuyin input); toneless only when no toned word exists."""
        return (self.sounds.get(key) or self.toneless.get(_toneless(key)) or [])[:8]

    def corrections(self, term: str) -> list[str]:
        """Indexed words one edit away: a missing, extra, wrong or swapped character.
        Two-character Chinese words allow no substitution (it would match almost anything)."""
        cjk = is_cjk(term)
        latin = term.isascii() and term.isalpha()
        if not (cjk and len(term) >= 2) and not (latin and len(term) >= 4):
            return []
        found: set[str] = set()
        for i in range(len(term) - 1):  # swapped neighbours
            swapped = term[:i] + term[i + 1] + term[i] + term[i + 2:]
            if swapped != term and swapped in self.df:
                found.add(swapped)
        found.update(self.deletes.get(term, ()))  # a character missing from the query
        if len(term) >= (3 if cjk else 5):
            for d in _deletions(term):
                if d in self.df and (len(d) >= 2 if cjk else len(d) >= 4):  # an extra character typed
                    found.add(d)
                found.update(w for w in self.deletes.get(d, ()) if len(w) == len(term) and _one_substitution(w, term))
        found.discard(term)
        # same length first (a wrong or swapped character), then the likelier word
        return sorted(found, key=lambda t: (len(t) != len(term), -self.df.get(t, 0), t))[:5]


_NO_DIGITS = str.maketrans("", "", "12345")


def _toneless(key: str) -> str:
    return key.translate(_NO_DIGITS)


def _deletions(term: str) -> set[str]:
    return {term[:i] + term[i + 1:] for i in range(len(term))}


def _split(value: str) -> list[str]:
    return value.split("\t")


def _one_substitution(a: str, b: str) -> bool:
    return sum(x != y for x, y in zip(a, b, strict=True)) == 1


def update_saved(path: Path, removed: Iterable[list[str]], added: list[dict], in_dictionary: Callable[[str], bool]) -> dict[str, int]:
    """Change a saved lexicon in place for a publication: ``removed`` are the distinct words of
    each document taken out (or replaced), ``added`` the analysed documents put in. Document
    frequencies move by one per document; a word that appears for the first time gets its sound
    keys and deletion neighbourhood (what ``build`` gives it), and a word no document holds any
    more leaves every map, so homophones and corrections never lead to a word that finds nothing.
    One transaction: readers in other processes see the lexicon before or after, never between."""
    change: Counter = Counter()
    for words in removed:
        change.subtract(set(words))
    for doc in added:
        change.update(set(doc["distinct"]))
    db = sqlite3.connect(path, timeout=30)
    try:
        with db:
            new, gone = _apply_frequencies(db, change)
            entries = sound_entries(w for w in new if in_dictionary(w))
            old_entries = sound_entries(gone)
            lists: dict[tuple[str, str], set[str]] = defaultdict(set)  # (table, key) → words to add
            dropped: dict[tuple[str, str], set[str]] = defaultdict(set)
            for target, source in ((lists, entries), (dropped, old_entries)):
                for term, (keys, _) in source.items():
                    for key in keys:
                        target[("sounds", key)].add(term)
                        target[("toneless", _toneless(key))].add(term)
                    if len(term) >= 3:
                        for d in _deletions(term):
                            target[("deletes", d)].add(term)
            for target, words in ((lists, new), (dropped, gone)):
                for term in words:
                    if term.isascii() and term.isalpha() and 4 <= len(term) <= MAX_LATIN:
                        for d in _deletions(term):
                            target[("deletes", d)].add(term)
            for (table, key) in set(lists) | set(dropped):
                _rewrite_list(db, table, key, lists.get((table, key), set()), dropped.get((table, key), set()))
            small = {name: json.loads(value) for name, value in db.execute("SELECT name, json FROM small")}
            for term, (keys, own_reading) in entries.items():
                if own_reading:
                    small["phrase_keys"][term] = keys[0]
            for term in gone:
                small["phrase_keys"].pop(term, None)
            for doc in added:
                for term, surface in doc["spellings"]:
                    if surface != term and surface not in small["surfaces"].setdefault(term, []):
                        small["surfaces"][term] = sorted([*small["surfaces"][term], surface])
            db.executemany("UPDATE small SET json = ? WHERE name = ?",
                           ((json.dumps(small[name], ensure_ascii=False), name) for name in ("phrase_keys", "surfaces")))
    finally:
        db.close()
    return {"new_words": len(new), "gone_words": len(gone)}


def _apply_frequencies(db: sqlite3.Connection, change: Counter) -> tuple[list[str], list[str]]:
    """Move each word's document frequency; the words that appear and those that disappear."""
    new, gone = [], []
    for word, delta in sorted(change.items()):
        if not delta:
            continue
        row = db.execute("SELECT v FROM df WHERE k = ?", (word,)).fetchone()
        before = row[0] if row else 0
        after = before + delta
        if after > 0:
            db.execute("INSERT OR REPLACE INTO df VALUES (?, ?)", (word, after))
            if before <= 0:
                new.append(word)
        else:
            db.execute("DELETE FROM df WHERE k = ?", (word,))
            if before > 0:
                gone.append(word)
    return new, gone


def _rewrite_list(db: sqlite3.Connection, table: str, key: str, add: set[str], drop: set[str]) -> None:
    """One row of a word-list map, with words added and dropped, ranked as ``build`` ranks it
    (more documents first, then the word)."""
    row = db.execute(f"SELECT v FROM {table} WHERE k = ?", (key,)).fetchone()  # noqa: S608 - fixed names
    words = (set(row[0].split("\t")) if row else set()) - drop | add
    if not words:
        db.execute(f"DELETE FROM {table} WHERE k = ?", (key,))  # noqa: S608
        return
    df = {w: (r[0] if (r := db.execute("SELECT v FROM df WHERE k = ?", (w,)).fetchone()) else 0) for w in words}
    db.execute(f"INSERT OR REPLACE INTO {table} VALUES (?, ?)",  # noqa: S608
               (key, "\t".join(sorted(words, key=lambda t: (-df[t], t)))))
