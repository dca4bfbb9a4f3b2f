"""A publication updates the search index in place, in each backend: the changed document is
found by its new wording and no longer by the old, a removed one disappears, the typo and
homophone forms of a new word lead to it — and no full build is made (the build folder stays)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gongkai.model import load_content
from gongkai.model.loader import load_changes
from gongkai.search_index.backends import BACKENDS
from gongkai.search_index.params import SearchParams
from gongkai.search_index.service import SearchService
from tests.demo_content import FIXTURE_CONTENT

PROCEDURE = "docs/zh/water-meter.md"
NEWS = "docs/zh/news-fridge.md"
NEWS_TEXT = """---
kind: news
id: news-fridge
lang: zh-Hant-TW
title: 家電抽驗結果公告
summary: 本年度家電抽驗結果。
unit: sec4
theme: ["220"]
policy: [P20]
service: [E00]
keywords: [抽驗]
published: 2022-06-01
updated: 2022-06-01
update_cycle: as-needed
review:
  author: 林上稿
  reviewer: 陳審稿
  date: 2022-06-02
  status: published
---
本次抽驗的洗衣機全部合格。
"""


@pytest.fixture(params=BACKENDS)
def site(request, tmp_path: Path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content, ignore=shutil.ignore_patterns("datasets", "README.md"))
    corpus, report = load_content(content)
    assert report.valid, report.lines()
    service = SearchService(tmp_path / "index", request.param, content)
    service.index(corpus)
    return content, service, corpus


def publish(content: Path, corpus, changes: dict[str, str | None], version: str):
    """What the content store does for a commit: write, then read only the changed files."""
    for relative, text in changes.items():
        if text is None:
            (content / relative).unlink()
        else:
            (content / relative).write_text(text, encoding="utf-8")
    new, report = load_changes(corpus, changes, version)
    assert report.valid, report.lines()
    return new


def keys(service: SearchService, corpus, q: str) -> list[str]:
    index = service.index(corpus)
    return [r.hit.key for r in service.search(SearchParams(q=q), index).results]


def test_a_changed_document_is_found_by_its_new_wording_only(site) -> None:
    content, service, corpus = site
    folder = service.index(corpus).path
    assert keys(service, corpus, "水量計") and keys(service, corpus, "電冰箱") == []
    text = (content / PROCEDURE).read_text(encoding="utf-8")
    new = publish(content, corpus, {PROCEDURE: text.replace("水量計檢定", "電冰箱能源效率檢驗").replace("水量計", "電冰箱")}, "v2")
    assert service.refresh(new) == "updated"
    index = service.index(new)
    assert index.path == folder and index.meta["updates"] == 1 and index.meta["content_version"] == "v2"
    assert "zh-Hant-TW/procedure/water-meter" in keys(service, new, "電冰箱")
    assert "zh-Hant-TW/procedure/water-meter" in keys(service, new, "能源效率")
    assert "zh-Hant-TW/procedure/water-meter" not in keys(service, new, "水量計")
    assert index.reader.doc_count() == 2


def test_the_typo_and_homophone_forms_of_a_new_word_find_it(site) -> None:
    content, service, corpus = site
    lexicon = service.index(corpus).lexicon
    assert "電冰箱" not in lexicon.corrections("電兵箱") and lexicon.homophones("店冰箱") == []
    assert keys(service, corpus, "電兵箱") == []
    new = publish(content, corpus, {NEWS: NEWS_TEXT.replace("洗衣機", "電冰箱")}, "v2")
    assert service.refresh(new) == "updated"
    lexicon = service.index(new).lexicon
    assert "電冰箱" in lexicon.corrections("電兵箱")  # one wrong character (容錯)
    assert lexicon.homophones("店冰箱") == ["電冰箱"]  # same sound (同音)
    assert lexicon.by_sound(lexicon.zhuyin_key("ㄉㄧㄢˋ ㄅㄧㄥ ㄒㄧㄤ")) == ["電冰箱"]  # typed in Zhuyin
    for query in ("電兵箱", "店冰箱", "ㄉㄧㄢˋ ㄅㄧㄥ ㄒㄧㄤ"):
        assert keys(service, new, query) == ["zh-Hant-TW/news/news-fridge"], query


def test_a_removed_document_disappears_with_its_words(site) -> None:
    content, service, corpus = site
    added = publish(content, corpus, {NEWS: NEWS_TEXT}, "v2")
    assert service.refresh(added) == "updated"
    assert keys(service, added, "洗衣機") == ["zh-Hant-TW/news/news-fridge"]
    assert service.index(added).lexicon.df.get("洗衣機") == 1
    removed = publish(content, added, {NEWS: None}, "v3")
    assert service.refresh(removed) == "updated"
    index = service.index(removed)
    assert keys(service, removed, "洗衣機") == [] and index.reader.doc_count() == 2
    assert index.lexicon.df.get("洗衣機") is None and "洗衣機" not in index.lexicon.homophones("洗衣基")
    assert index.meta["documents"] == 2


def test_another_process_sees_the_update_and_does_not_repeat_it(site) -> None:
    content, service, corpus = site
    other = SearchService(service.root, service.backend, content)  # a second gunicorn worker: its own reader
    assert keys(other, corpus, "洗衣機") == []
    new = publish(content, corpus, {NEWS: NEWS_TEXT}, "v2")
    assert service.refresh(new) == "updated"
    assert other.refresh(new) == "current"  # the index already holds v2: nothing to do twice
    assert keys(other, new, "洗衣機") == ["zh-Hant-TW/news/news-fridge"]


def test_a_process_behind_the_content_never_takes_a_publication_back_out(site) -> None:
    content, service, corpus = site
    new = publish(content, corpus, {NEWS: NEWS_TEXT}, "v2")
    assert service.refresh(new) == "updated"
    service.is_current = lambda seen: seen.version == "v2"
    assert service.refresh(corpus) == "stale"  # the old build, still held by a process that has not reloaded
    assert keys(service, new, "洗衣機") == ["zh-Hant-TW/news/news-fridge"]


def test_a_change_to_the_word_lists_is_a_full_build(site) -> None:
    content, service, corpus = site
    folder = service.index(corpus).path
    (content / "search").mkdir(exist_ok=True)
    (content / "search" / "terms.txt").write_text("電冰箱\n", encoding="utf-8")
    new = publish(content, corpus, {NEWS: NEWS_TEXT}, "v2")
    assert service.refresh(new) == "rebuilt"
    assert service.index(new).path != folder


def test_a_withdrawal_takes_the_document_out_of_search(site) -> None:
    content, service, corpus = site
    added = publish(content, corpus, {NEWS: NEWS_TEXT}, "v2")
    assert service.refresh(added) == "updated" and keys(service, added, "洗衣機") == ["zh-Hant-TW/news/news-fridge"]
    withdrawn = NEWS_TEXT.replace("  status: published\n", "  status: withdrawn\nwithdrawal:\n  date: 2022-07-01\n  reason: 抽驗結果已更正\n")
    gone = publish(content, added, {NEWS: withdrawn}, "v3")
    assert gone.withdrawn("zh-Hant-TW", "news-fridge") is not None
    assert service.refresh(gone) == "updated"
    assert keys(service, gone, "洗衣機") == [] and service.index(gone).reader.doc_count() == 2
