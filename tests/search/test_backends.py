"""The suite every backend must pass (Wagtail's pattern): same documents, same query trees,
same answers. A new backend is added to BACKENDS and must pass this file unchanged."""

from __future__ import annotations

import pytest

from gongkai.search_index.analysis import Analyzer
from gongkai.search_index.backends import BACKENDS, get_backend
from gongkai.search_index.dictionary import base_dictionary
from gongkai.search_index.query import CHARS, TITLE, WORDS, AllOf, AnyOf, Filters, Phrase, Term
from gongkai.search_index.segment import Segmenter

DOCS = [
    ("a", "水量計檢定", "水量計製造業者申請檢定，送至檢定室。", "form", ["220", "110"], 20240105),
    ("b", "計程車計費表檢定", "計程車計費表應定期檢定；偏遠地區下鄉行走檢定。", "procedure", ["220"], 20230310),
    ("c", "電子秤檢查", "市場使用之電子秤應接受檢查。秤", "news", ["310"], 20250101),
    ("d", "Metrology news", "Water meter verification in Tainan. CNS mark.", "news", ["110"], 20220101),
]


@pytest.fixture(scope="module", params=BACKENDS)
def reader(request, tmp_path_factory):
    root = tmp_path_factory.mktemp("suite")
    analyzer = Analyzer(Segmenter(base_dictionary(root), {"水量計": 3000, "計費表": 3000, "電子秤": 3000}))
    backend = get_backend(request.param)
    (root / request.param).mkdir()
    writer = backend.writer(root / request.param)
    for key, title, body, kind, themes, date in DOCS:
        filters = {"lang": ["zh-Hant-TW"], "kind": [kind], "unit": ["sec4"], "theme": themes, "policy": ["P20"],
                   "service": ["E00"], "year": [str(date // 10000)]}
        writer.add(analyzer.analyse_plain(key, title, body, filters, date, {"key": key, "title": title, "date": date}))
    writer.commit()
    opened = backend.reader(root / request.param)
    yield opened
    opened.close()


def keys(result):
    return [h.key for h in result[1]]


def test_counts_every_document(reader):
    assert reader.doc_count() == len(DOCS)


def test_term_in_words_and_title(reader):
    total, hits = reader.search(Term(WORDS, "檢定"), Filters(), 0, 10)
    assert total == 2 and set(keys((total, hits))) == {"a", "b"}
    assert keys(reader.search(Term(TITLE, "電子秤"), Filters(), 0, 10)) == ["c"]


def test_stored_fields_come_back(reader):
    _, hits = reader.search(Term(WORDS, "電子秤"), Filters(), 0, 10)
    assert hits[0].stored == {"key": "c", "title": "電子秤檢查", "date": 20250101}


def test_phrase_on_characters_respects_order(reader):
    assert keys(reader.search(Phrase(CHARS, ("計", "費", "表")), Filters(), 0, 10)) == ["b"]
    assert keys(reader.search(Phrase(CHARS, ("表", "費", "計")), Filters(), 0, 10)) == []


def test_single_character(reader):
    assert keys(reader.search(Phrase(CHARS, ("秤",)), Filters(), 0, 10)) == ["c"]


def test_latin_is_lower_cased_whole_words(reader):
    assert keys(reader.search(Term(WORDS, "metrology"), Filters(), 0, 10)) == ["d"]
    assert keys(reader.search(Term(CHARS, "cns"), Filters(), 0, 10)) == ["d"]


def test_boolean_trees(reader):
    both = AllOf((Term(WORDS, "檢定"), Term(WORDS, "計程車")))
    assert keys(reader.search(both, Filters(), 0, 10)) == ["b"]
    either = AnyOf((Term(WORDS, "電子秤"), Term(WORDS, "計程車")))
    assert set(keys(reader.search(either, Filters(), 0, 10))) == {"b", "c"}
    without = AllOf((Term(WORDS, "檢定"),), (Term(WORDS, "計程車"),))
    assert keys(reader.search(without, Filters(), 0, 10)) == ["a"]
    assert reader.search(AllOf((), (Term(WORDS, "檢定"),)), Filters(), 0, 10)[0] == 2  # everything but


def test_boost_orders_results(reader):
    tree = AnyOf((Term(WORDS, "水量計", 5.0), Term(WORDS, "計程車", 0.1)))
    assert keys(reader.search(tree, Filters(), 0, 10))[0] == "a"
    tree = AnyOf((Term(WORDS, "水量計", 0.1), Term(WORDS, "計程車", 5.0)))
    assert keys(reader.search(tree, Filters(), 0, 10))[0] == "b"


def test_filters_any_value_within_and_across_fields(reader):
    everything = AllOf(())
    assert set(keys(reader.search(everything, Filters.of(theme=["110"]), 0, 10))) == {"a", "d"}
    assert set(keys(reader.search(everything, Filters.of(kind=["news", "form"]), 0, 10))) == {"a", "c", "d"}
    assert keys(reader.search(everything, Filters.of(kind=["news"], theme=["310"]), 0, 10)) == ["c"]
    assert reader.search(everything, Filters.of(kind=["faq"]), 0, 10) == (0, [])


def test_exclude(reader):
    assert keys(reader.search(Term(WORDS, "檢定"), Filters(), 0, 10, exclude=Term(WORDS, "水量計"))) == ["b"]


def test_date_order_and_paging(reader):
    everything = AllOf(())
    total, hits = reader.search(everything, Filters(), 0, 2, by_date=True)
    assert total == 4 and [h.key for h in hits] == ["c", "a"]
    assert keys(reader.search(everything, Filters(), 2, 2, by_date=True)) == ["b", "d"]
    assert reader.search(everything, Filters(), 10, 5)[1] == []


def test_facets_count_matching_documents(reader):
    facets = reader.facets(AllOf(()), Filters.of(lang=["zh-Hant-TW"]))
    assert facets["kind"] == {"form": 1, "procedure": 1, "news": 2}
    assert facets["theme"] == {"220": 2, "110": 2, "310": 1}
    assert facets["year"] == {"2024": 1, "2023": 1, "2025": 1, "2022": 1}
    assert reader.facets(Term(WORDS, "電子秤"), Filters())["kind"] == {"news": 1}
