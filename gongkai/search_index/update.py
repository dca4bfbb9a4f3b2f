"""A publication reaches search without a rebuild: the documents whose source changed are
deleted from and added to the current build in place — the engine (each backend's
IndexUpdater), the lexicon's frequencies, homophone, typo and spelling maps, the segmenter's
user words and documents.sqlite — then meta.json is rewritten, which tells every serving process
to reopen the build.

Which documents changed is found by comparing each published document's digest (Corpus.digest)
with the one the build holds, so the update is right whichever process makes it and however many
commits it covers. A change too large for an update (or to the word lists, or of another index
format) is left to a full build (``gongkai index``).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gongkai.search_index.analysis import Analyzer
from gongkai.search_index.backends import get_backend
from gongkai.search_index.dictionary import user_words
from gongkai.search_index.documents import doc_key
from gongkai.search_index.lexicon import update_saved
from gongkai.search_index.segment import Segmenter
from gongkai.search_index.stored_words import DOCUMENTS, DocumentTable

log = logging.getLogger("gongkai.search")
MAX_UPDATE_SHARE = 0.25  # above a quarter of the documents, a full build is about as fast and leaves no deletions behind
MAX_UPDATE_ALWAYS = 200  # a change of this many documents is always an update (a small site's share is large)


@dataclass
class Plan:
    """What a change asks of the index: keys to delete, documents to (re-)add."""

    remove: list[str] = field(default_factory=list)
    add: list[Any] = field(default_factory=list)
    indexed: int = 0

    @property
    def empty(self) -> bool:
        return not self.remove and not self.add

    @property
    def too_large(self) -> bool:
        changed = len(self.remove) + len(self.add)
        return changed > MAX_UPDATE_ALWAYS and changed > MAX_UPDATE_SHARE * max(self.indexed, 1)


def plan(folder: Path, documents: list[Any], digest: Callable[[Any], str]) -> Plan:
    """Compare the published ``documents`` with the build in ``folder``."""
    with DocumentTable.open(folder / DOCUMENTS) as table:
        indexed = table.digests()
    result = Plan(indexed=len(indexed))
    served = set()
    for doc in documents:
        key = doc_key(doc)
        served.add(key)
        if indexed.get(key) != digest(doc) or not indexed.get(key):
            if key in indexed:
                result.remove.append(key)
            result.add.append(doc)
    result.remove += [key for key in indexed if key not in served]
    return result


def apply(folder: Path, base_dictionary: Path, changes: Plan, analyse: Callable[[Analyzer, Any], dict],
          digest: Callable[[Any], str], content_version: str) -> dict[str, Any]:
    """Apply ``changes`` to the build in ``folder`` (the caller holds the build lock). Returns
    what was done, which is also written to meta.json."""
    started = time.perf_counter()
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    words = _add_user_words(folder, user_words(changes.add, ()))
    analyzer = Analyzer(Segmenter(base_dictionary, words))
    analysed = [analyse(analyzer, doc) for doc in changes.add]
    backend = get_backend(meta["backend"])
    with DocumentTable.open(folder / DOCUMENTS) as table:
        removed_words = [table.words(key) for key in changes.remove]
        updater = backend.updater(folder / "engine")
        for key in changes.remove:
            updater.delete(key)
        for document in analysed:
            updater.add_prepared(backend.writer_class.prepare(document))
        updater.commit()
        for key in changes.remove:
            table.remove(key)
        for doc, document in zip(changes.add, analysed, strict=True):
            table.put(document["key"], digest(doc), document["distinct"])
    lexicon = update_saved(folder / "lexicon.sqlite", removed_words, analysed, analyzer.segmenter.in_dictionary)
    done = {"removed": len(changes.remove), "added": len(changes.add), **lexicon,
            "seconds": round(time.perf_counter() - started, 3)}
    meta.update(content_version=content_version, documents=meta.get("documents", 0) + len(changes.add) - len(changes.remove),
                updates=meta.get("updates", 0) + 1, last_update=done,
                updated_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    _write_meta(folder, meta)
    log.info("search: updated %s in place for content %s: %s", folder.name, content_version, done)
    return done


def mark_current(folder: Path, content_version: str) -> None:
    """The build already holds this content (nothing a search sees changed): record the version."""
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    if meta.get("content_version") != content_version:
        meta["content_version"] = content_version
        _write_meta(folder, meta)


def _add_user_words(folder: Path, new: dict[str, int]) -> dict[str, int]:
    """The build's user words with ``new`` ones added to its file (which the serving processes
    read when they reopen the build); all of them, for the segmenter of this update."""
    path = folder / "user-words.txt"
    words = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        word, _, freq = line.rpartition(" ")
        if word:
            words[word] = int(freq)
    added = {w: f for w, f in new.items() if w not in words and " " not in w}
    if added:
        with path.open("a", encoding="utf-8") as out:
            out.write("".join(f"{w} {f}\n" for w, f in added.items()))
    return {**words, **added}


def _write_meta(folder: Path, meta: dict[str, Any]) -> None:
    temporary = folder / f"meta.json.tmp{os.getpid()}"
    temporary.write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(temporary, folder / "meta.json")  # readers see the old meta or the new, and reopen on the change
