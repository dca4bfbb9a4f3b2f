"""Index life: build into a new folder, then swap a symlink so a search never sees a
half-built index; open the current index with its lexicon and segmenter.

    <root>/taiwan-dict-*.txt        cached base dictionary (jieba + OpenCC forms)
    <root>/builds/<stamp>-<backend> engine/, lexicon.sqlite, user-words.txt, meta.json
    <root>/current                  symlink to the build being served
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import shutil
import time
from collections.abc import Callable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from gongkai.search_index.analysis import Analyzer
from gongkai.search_index.backends import IndexReader, get_backend
from gongkai.search_index.dictionary import base_dictionary, read_term_list, user_words
from gongkai.search_index.documents import doc_key
from gongkai.search_index.lexicon import Lexicon
from gongkai.search_index.parallel import PARALLEL_FROM, Analysis
from gongkai.search_index.segment import Segmenter
from gongkai.search_index.stored_words import DOCUMENTS, DocumentTable
from gongkai.search_index.synonyms import Synonyms


def index_root(settings: Mapping[str, Any]) -> Path:
    """The folder holding the index builds: SEARCH_INDEX_DIR, or VAR_DIR/index."""
    return Path(settings["SEARCH_INDEX_DIR"] or Path(settings["VAR_DIR"]) / "index")

LEXICON = "lexicon.sqlite"
# Raised whenever a build's files change shape; a build of another format counts as none, so
# a site upgraded in place builds a fresh index instead of failing on the old one.
# 3: tantivy payloads in stored.sqlite, word fields without positions
INDEX_FORMAT = 3
KEEP_BUILDS = 2  # the one being served and the one before (a reader may still hold it)


@dataclass
class OpenIndex:
    path: Path
    meta: dict[str, Any]
    reader: IndexReader
    lexicon: Lexicon
    segmenter: Segmenter
    stamp: int = 0  # meta.json's mtime when opened: an update in place rewrites it


def build_stamp(folder: Path) -> int:
    """Changes whenever the build is updated in place (update.py rewrites meta.json last)."""
    try:
        return (folder / "meta.json").stat().st_mtime_ns
    except OSError:
        return 0


def search_files(content_dir: Path) -> tuple[Path, Path, Path]:
    folder = content_dir / "search"
    return folder / "synonyms.txt", folder / "terms.txt", folder / "stopwords.txt"


@contextmanager
def build_lock(root: Path):
    root.mkdir(parents=True, exist_ok=True)
    with (root / ".build.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build(root: Path, backend_name: str, documents: list[Any], analyse: Callable[[Analyzer, Any], dict],
          extra_words: dict[str, int], meta: dict[str, Any] | None = None,
          progress: Callable[[int], None] | None = None, workers: int = 1,
          parallel_from: int = PARALLEL_FROM, digests: Mapping[str, str] | None = None) -> Path:
    """Analyse and index ``documents`` into a new build and make it current. Returns its folder.
    ``workers`` > 1 analyses in that many forked processes when there are at least
    ``parallel_from`` documents (for a command, not inside a threaded server: forking a
    process with other threads running is unsafe)."""
    backend = get_backend(backend_name)
    with build_lock(root):
        base = base_dictionary(root)
        analyzer = Analyzer(Segmenter(base, extra_words))
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
        folder = root / "builds" / f"{stamp}-{os.getpid()}-{backend_name}"
        (folder / "engine").mkdir(parents=True)
        started = time.perf_counter()
        with Analysis(documents, analyse, analyzer, backend.writer_class.prepare, workers, parallel_from) as analysis:
            writer = backend.writer(folder / "engine")  # after the fork: its threads stay in this process
            with DocumentTable.create(folder / DOCUMENTS) as table:
                for prepared in analysis.chunks():
                    for document, key, words in prepared:
                        writer.add_prepared(document)
                        table.put(key, (digests or {}).get(key, ""), words)
                    if progress:
                        progress(len(prepared))
            writer.commit()
        vocabulary = analysis.vocabulary
        Lexicon.build(vocabulary.df, vocabulary.surfaces, vocabulary.sounds).save(folder / LEXICON)
        (folder / "user-words.txt").write_text("".join(f"{w} {f}\n" for w, f in extra_words.items() if " " not in w),
                                               encoding="utf-8")
        info = {"format": INDEX_FORMAT, "backend": backend_name, "documents": len(documents), "base_dictionary": base.name,
                "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "seconds": round(time.perf_counter() - started, 2), **(meta or {})}
        (folder / "meta.json").write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")
        _swap(root, folder)
        _prune(root, folder)
    return folder


def build_from_corpus(root: Path, backend_name: str, corpus: Any, content_dir: Path,
                      progress: Callable[[int], None] | None = None, workers: int = 1) -> Path:
    synonyms_file, terms_file, _ = search_files(content_dir)
    words = user_words(corpus.documents, read_term_list(terms_file), Synonyms.load(synonyms_file).terms())
    return build(root, backend_name, list(corpus.documents), lambda analyzer, doc: analyzer.analyse(doc, corpus.files_root),
                 words, {"content_version": corpus.version, "search_files": search_files_version(content_dir)}, progress, workers,
                 digests={doc_key(d): corpus.digest(d) for d in corpus.documents})


def search_files_version(content_dir: Path) -> str:
    """A fingerprint of the word lists a build reads (terms shape segmentation, synonyms the user
    words): when they change, an incremental update is not enough."""
    parts = []
    for path in search_files(content_dir):
        try:
            info = path.stat()
            parts.append(f"{path.name}:{info.st_size}:{info.st_mtime_ns}")
        except OSError:
            parts.append(f"{path.name}:-")
    return "|".join(parts)


def _swap(root: Path, folder: Path) -> None:
    temp = root / f"current.tmp{os.getpid()}"
    if temp.is_symlink() or temp.exists():
        temp.unlink()
    temp.symlink_to(folder.relative_to(root))
    os.replace(temp, root / "current")  # atomic: readers see the old build or the new one


def _prune(root: Path, keep: Path) -> None:
    builds = sorted((root / "builds").iterdir(), key=lambda p: p.name)
    for old in [b for b in builds if b != keep][:-(KEEP_BUILDS - 1) or None]:
        shutil.rmtree(old, ignore_errors=True)


def current_build(root: Path) -> Path | None:
    link = root / "current"
    try:
        target = (root / os.readlink(link)).resolve()
    except OSError:
        return None
    try:
        changed = (target / "meta.json").stat().st_mtime_ns
    except OSError:
        return None
    # a build from an older gongkai counts as none: the site builds a fresh one
    return target if _build_format(str(target), changed) == INDEX_FORMAT else None


@lru_cache(maxsize=16)
def _build_format(folder: str, changed: int) -> Any:
    """A build's format number, read once per version of its meta.json (the site asks on every search)."""
    try:
        meta = json.loads((Path(folder) / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return meta.get("format") if isinstance(meta, dict) else None


def open_build(root: Path, folder: Path) -> OpenIndex:
    stamp = build_stamp(folder)
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    words = {}
    for line in (folder / "user-words.txt").read_text(encoding="utf-8").splitlines():
        word, _, freq = line.rpartition(" ")
        if word:
            words[word] = int(freq)
    segmenter = Segmenter(root / meta["base_dictionary"], words) if (root / meta["base_dictionary"]).is_file() \
        else Segmenter(base_dictionary(root), words)
    reader = get_backend(meta["backend"]).reader(folder / "engine")
    return OpenIndex(folder, meta, reader, Lexicon.load(folder / LEXICON), segmenter, stamp)


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())

