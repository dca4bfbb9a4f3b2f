"""The search pages, the JSON API, OpenSearch and `gongkai index`, through the real app."""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner
from lxml import html

from gongkai.search_index.cli import index_command
from gongkai.search_index.index import current_build


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return html.fromstring(response.data)


def test_results_page_with_highlights_facets_and_one_h1(client):
    doc = page(client, "/search/?q=水量計檢定")
    assert len(doc.xpath("//h1")) == 1
    titles = doc.xpath("//ol[contains(@class,'search-results')]//h3/a")
    assert titles and titles[0].get("href").startswith("/")
    assert doc.xpath("//ol[contains(@class,'search-results')]//mark")
    facet_headings = [h.text_content() for h in doc.xpath("//nav[contains(@class,'search-facets')]//h3")]
    assert {"主題分類", "施政分類", "服務分類", "資料類型", "單位", "更新年度"} <= set(facet_headings)


def test_homophone_is_highlighted_on_the_matched_characters(client):
    doc = page(client, "/search/?q=減定")
    assert "檢定" in [m.text_content() for m in doc.xpath("//mark")]
    assert "同音" in doc.xpath("string(//p[@class='also-searched'])")


def test_synonyms_are_shown(client):
    doc = page(client, "/search/?q=計量")
    assert "度量衡" in doc.xpath("string(//p[@class='also-searched'])")


def test_few_results_offer_a_suggestion(client):
    doc = page(client, "/search/?q=電子稱")
    assert "您是不是要找" in doc.xpath("string(//p[@class='suggestion'])")
    assert "電子秤" in doc.xpath("string(//p[@class='suggestion']/a)")


def test_zero_result_page_links(client):
    doc = page(client, "/search/?q=qqqzzzxxx")
    links = doc.xpath("//ul[@class='zero-tips']//a/@href")
    site_guide = doc.xpath("//nav[@class='tools']//a/@href")[0]
    assert sum("/browse/" in h for h in links) == 3 and site_guide in links


def test_section_search_and_facet_filter(client):
    doc = page(client, "/search/?section=form")
    hrefs = doc.xpath("//ol[contains(@class,'search-results')]//h3/a/@href")
    assert hrefs and all(h.startswith("/forms/") for h in hrefs)
    doc = page(client, "/search/?q=檢定&kind=faq")
    assert all(h.startswith("/faq/") for h in doc.xpath("//ol[contains(@class,'search-results')]//h3/a/@href"))


def test_advanced_form_has_labels_for_every_control(client):
    doc = page(client, "/search/")
    controls = doc.xpath("//form[contains(@class,'search-advanced')]//input[not(@type='hidden')] | //form[contains(@class,'search-advanced')]//select")
    labelled = set(doc.xpath("//label/@for"))
    assert controls and all(c.get("id") in labelled for c in controls)


def test_advanced_fields_combine_without_syntax(client):
    doc = page(client, "/search/?all=檢定&none=計程車&any=水量計 量桶")
    hrefs = doc.xpath("//ol[contains(@class,'search-results')]//h3/a/@href")
    assert hrefs and not any("taxi" in h for h in hrefs)


def test_sort_by_date_and_paging(client):
    doc = page(client, "/search/?q=檢定&sort=date")
    dates = doc.xpath("//ol[contains(@class,'search-results')]//time/@datetime")
    assert dates == sorted(dates, reverse=True)
    page(client, "/search/?q=檢定&page=2")


def test_bad_parameters_give_a_400_page_naming_the_parameter(client):
    doc = page(client, "/search/?page=abc", 400)
    assert "page" in doc.xpath("string(//div[@role='alert'])")
    page(client, "/search/?q=" + "字" * 201, 400)


def test_everything_is_escaped(client):
    response = client.get('/search/?q=<script>alert(1)</script>"')
    assert response.status_code == 200
    assert b"<script>alert" not in response.data


def test_english_search(client):
    doc = page(client, "/en/search/?q=taxi meter")
    assert doc.xpath("//ol[contains(@class,'search-results')]//h3/a/@href")[0].startswith("/en/")


def test_api_same_parameters_and_one_error_shape(client):
    data = client.get("/api/search?q=ㄐㄧㄢˇ ㄉㄧㄥˋ&section=procedure&per_page=5").get_json()
    assert data["ok"] and data["total"] > 0 and len(data["results"]) <= 5
    first = data["results"][0]
    assert {"id", "kind", "url", "title", "snippet", "snippet_highlights", "match"} <= set(first)
    for start, end in first["snippet_highlights"]:
        assert first["snippet"][start:end]
    for url, parameter in (("/api/search?page=-1", "page"), ("/api/search?lang=fr", "lang"), ("/api/search?theme=nope", "theme")):
        error = client.get(url)
        body = error.get_json()
        assert error.status_code == 400 and set(body) == {"ok", "status", "error", "message", "detail"}
        assert body["detail"]["parameter"] == parameter
    missing = client.get("/api/search/nothing")
    assert missing.status_code == 404 and missing.get_json()["ok"] is False
    assert client.post("/api/search").get_json()["status"] == 405


def test_opensearch_document_and_header_form(client):
    response = client.get("/search/opensearch.xml")
    assert response.mimetype == "application/opensearchdescription+xml"
    assert b"{searchTerms}" in response.data
    home = page(client, "/")
    assert home.xpath("//form[@role='search']/@action") == ["/search/"]
    assert home.xpath("//link[@rel='search']/@href")


def test_index_command_swaps_atomically(tmp_path, monkeypatch):
    monkeypatch.setenv("GONGKAI_VAR_DIR", str(tmp_path))
    runner = CliRunner()
    first = runner.invoke(index_command, [])
    assert first.exit_code == 0, first.output
    built = current_build(tmp_path / "index")
    second = runner.invoke(index_command, ["--backend", "whoosh"])
    assert second.exit_code == 0, second.output
    now = current_build(tmp_path / "index")
    assert now != built and now.name.endswith("whoosh")
    assert os.path.islink(tmp_path / "index" / "current")
    assert "Indexed" in second.output
    assert not any(Path(tmp_path / "index").glob("current.tmp*"))
