"""The committed relevance set (relevance.tsv): each query must find its document in the top 3,
on the demo content, with every backend."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl

import pytest

from gongkai.search_index.params import parse_params

CASES = [line.split("\t") for line in (Path(__file__).parent / "relevance.tsv").read_text(encoding="utf-8").splitlines()
         if line.strip() and not line.startswith("#")]


def test_the_set_is_large_and_covers_every_kind_of_query():
    assert len(CASES) >= 60
    assert {c[0] for c in CASES} >= {"exact", "homophone", "zhuyin", "typo", "synonym", "simplified", "section", "facet"}


@pytest.mark.parametrize(("category", "query", "extra", "expected"), CASES, ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_expected_document_in_top_three(demo_search, demo_corpus, category, query, extra, expected):
    service, index = demo_search
    args = dict(parse_qsl(extra)) if extra != "-" else {}
    language = args.pop("lang", "zh-Hant-TW")
    params = parse_params({"q": query, **args}, language, demo_corpus.codes)
    found = service.search(params, index)
    top = [f"{r.hit.stored['kind']}/{r.hit.stored['id']}" for r in found.results[:3]]
    assert expected.strip() in top, f"{category} {query!r} ({extra}): top 3 = {top}, also searched {found.also_searched}"


def test_corrections_are_shown_as_the_documents_spell_them(demo_search, demo_corpus):
    """s2twp folds the text's 驗證登錄 to the term 驗證登入; the user is offered 驗證登錄."""
    service, index = demo_search
    found = service.search(parse_params({"q": "驗證登路"}, "zh-Hant-TW", demo_corpus.codes), index)
    assert found.also_searched.get("typo") == ["驗證登錄"]
    assert found.results and found.results[0].hit.stored["id"] == "registration-of-product-certification"
