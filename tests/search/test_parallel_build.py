"""A build analysed in worker processes gives the same index and lexicon as one analysed in
this process, and a worker that fails stops the build with its own error, leaving the index
being served as it was."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from gongkai.search_index.dictionary import read_term_list, user_words
from gongkai.search_index.index import INDEX_FORMAT, LEXICON, build, current_build, open_build, search_files
from gongkai.search_index.parallel import CHUNK, AnalysisFailed
from gongkai.search_index.params import parse_params
from gongkai.search_index.service import SearchService
from gongkai.search_index.synonyms import Synonyms

CONTENT = Path(__file__).resolve().parents[2] / "content"
QUERIES = ["檢定", "計程車計費表", "減定", "ㄐㄧㄢˇ ㄉㄧㄥˋ", "检定", "身份證", "秤", "驗證登路"]


def _build(root: Path, corpus, workers: int, analyse=None) -> Path:
    synonyms_file, terms_file, _ = search_files(CONTENT)
    words = user_words(corpus.documents, read_term_list(terms_file), Synonyms.load(synonyms_file).terms())
    analyse = analyse or (lambda analyzer, doc: analyzer.analyse(doc, corpus.files_root))
    return build(root, "tantivy", list(corpus.documents), analyse, words, workers=workers, parallel_from=1)


def _tables(folder: Path) -> dict[str, list]:
    with sqlite3.connect(folder / LEXICON) as db:
        names = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {name: sorted(db.execute(f"SELECT * FROM {name}").fetchall()) for name in names}  # noqa: S608


def test_workers_build_the_same_index_and_lexicon(demo_corpus, tmp_path: Path) -> None:
    assert len(demo_corpus.documents) > 3 * CHUNK, "the demo content must span several chunks per worker"
    one = _build(tmp_path / "one", demo_corpus, workers=1)
    two = _build(tmp_path / "two", demo_corpus, workers=2)
    assert _tables(one) == _tables(two)
    for root, folder in ((tmp_path / "one", one), (tmp_path / "two", two)):
        assert current_build(root) == folder
    service = SearchService(tmp_path / "unused", "tantivy", CONTENT)
    indexes = [open_build(tmp_path / "one", one), open_build(tmp_path / "two", two)]
    for query in QUERIES:
        params = parse_params({"q": query}, "zh-Hant-TW", demo_corpus.codes)
        found = [service.search(params, index) for index in indexes]
        ranked = [[(r.hit.key, round(r.hit.score, 4)) for r in f.results] for f in found]
        assert ranked[0] == ranked[1], query
        assert found[0].total == found[1].total > 0, query


def test_a_failing_worker_stops_the_build_with_its_error(demo_corpus, tmp_path: Path) -> None:
    failing_id = demo_corpus.documents[CHUNK + 3].id

    def analyse(analyzer, doc):
        if doc.id == failing_id:
            raise ValueError(f"cannot analyse {doc.id}")
        return analyzer.analyse(doc, demo_corpus.files_root)

    served = _build(tmp_path, demo_corpus, workers=1)
    with pytest.raises(AnalysisFailed, match="analysis worker") as failure:
        _build(tmp_path, demo_corpus, workers=2, analyse=analyse)
    assert f"ValueError: cannot analyse {failing_id}" in str(failure.value)
    assert current_build(tmp_path) == served


def test_a_build_of_an_older_format_counts_as_none(demo_corpus, tmp_path: Path) -> None:
    """A site upgraded in place rebuilds instead of reading files it no longer understands."""
    folder = _build(tmp_path, demo_corpus, workers=1)
    assert current_build(tmp_path) == folder
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    (folder / "meta.json").write_text(json.dumps({**meta, "format": INDEX_FORMAT - 1}), encoding="utf-8")
    assert current_build(tmp_path) is None
    (folder / "meta.json").write_text("{not json", encoding="utf-8")
    assert current_build(tmp_path) is None
