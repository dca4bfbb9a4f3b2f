"""The public site on the demo content: every page, its metadata, headers and safety."""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import urlsplit

import pytest
from lxml import etree, html

from gongkai.app import create_app
from gongkai.site.urls import page_paths

DC_TAGS = ["DC.Title", "DC.Creator", "DC.Subject", "DC.Description", "DC.Contributor", "DC.Type", "DC.Format",
           "DC.Source", "DC.Language", "DC.coverage.t.min", "DC.coverage.t.max", "DC.Publisher", "DC.Date",
           "DC.Identifier", "DC.Relation", "DC.Rights"]
CATEGORY_TAGS = ["Category.Theme", "Category.Cake", "Category.Service", "Keywords"]


@pytest.fixture(scope="module")
def client():
    return create_app({"TESTING": True}).test_client()


@cache
def _page_paths() -> tuple[str, ...]:
    """The canonical page list (not the sitemap, which is checked against it in test_page_list)."""
    app = create_app({"TESTING": True})
    with app.test_request_context():
        return tuple(page_paths(app.extensions["gongkai.content"].corpus))


def meta_of(page: html.HtmlElement) -> dict[str, str]:
    return {m.get("name"): m.get("content") for m in page.iter("meta") if m.get("name")}


def test_the_page_list_has_both_languages_and_every_kind() -> None:
    paths = _page_paths()
    assert len(paths) >= 150
    assert "/" in paths and "/en/" in paths
    for prefix in ("/procedures/", "/forms/", "/news/", "/faq/", "/disclosure/", "/units/", "/browse/theme/", "/statistics/"):
        assert any(p.startswith(prefix) and p != prefix for p in paths), prefix


@pytest.mark.parametrize("path", _page_paths())
def test_every_page_has_complete_per_page_metadata(client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200, path
    page = html.fromstring(response.data)
    meta = meta_of(page)
    for name in DC_TAGS + CATEGORY_TAGS:
        assert meta.get(name, "").strip(), f"{path}: {name} missing or empty"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta["DC.Date"]), path
    assert meta["DC.Language"] == ("英文" if path.startswith("/en/") else "中文")
    assert meta["DC.Title"] in page.findtext(".//title"), path
    assert len(page.findall(".//h1")) == 1, path


def test_dates_are_each_pages_own(client) -> None:
    dates = {meta_of(html.fromstring(client.get(path).data))["DC.Date"] for path in _page_paths()}
    assert len(dates) > 10, "DC.Date must be each page's own date, not one date site-wide"


def test_metadata_listing_carries_every_tag(client) -> None:
    listed = client.get("/metadata.json").get_json()
    paths = {urlsplit(p["url"]).path for p in listed["pages"]}
    first = listed["pages"][0]["meta"]
    assert set(DC_TAGS + CATEGORY_TAGS) <= set(first)
    xml = etree.fromstring(client.get("/metadata.xml").data)
    assert len(xml.findall("page")) == len(paths)


def test_security_headers(client) -> None:
    headers = client.get("/").headers
    csp = headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] and headers["Permissions-Policy"]


@pytest.mark.parametrize("path", [
    "/files/../site.yaml", "/files/%2e%2e/site.yaml", "/files/forms/../../site.yaml",
    "/files/..%2fsite.yaml", "/files//etc/passwd", "/files/forms/%2e%2e%2f%2e%2e%2fsite.yaml",
])
def test_no_path_traversal(client, path: str) -> None:
    response = client.get(path, follow_redirects=True)
    assert response.status_code == 404
    assert b"oid:" not in response.data


def test_form_downloads_are_open_format_files(client) -> None:
    page = html.fromstring(client.get("/forms/").data)
    form_links = [a.get("href") for a in page.iter("a") if re.fullmatch(r"/forms/[a-z0-9-]+/", a.get("href") or "")]
    assert len(form_links) >= 15
    detail = html.fromstring(client.get(form_links[0]).data)
    downloads = [a.get("href") for a in detail.iter("a") if (a.get("href") or "").startswith("/files/")]
    assert len(downloads) >= 2, "a form offers its file and its filling example"
    for href in downloads:
        response = client.get(href)
        assert response.status_code == 200
        assert response.mimetype.startswith("application/vnd.oasis.opendocument")
        assert response.data[:2] == b"PK"


def test_error_pages_are_localised_and_complete(client) -> None:
    for path, lang, title in (("/no-such-page/", "zh-Hant-TW", "找不到網頁"), ("/en/no-such-page/", "en", "Page not found")):
        response = client.get(path)
        assert response.status_code == 404
        page = html.fromstring(response.data)
        assert page.get("lang") == lang
        assert page.findtext(".//h1") == title
        assert meta_of(page)["DC.Title"] == title


def test_english_pages_link_their_chinese_twins(client) -> None:
    page = html.fromstring(client.get("/en/page/about/").data)
    alternates = {link.get("hreflang"): link.get("href") for link in page.iter("link") if link.get("rel") == "alternate" and link.get("hreflang")}
    assert urlsplit(alternates["zh-Hant-TW"]).path == "/page/about/"
    assert urlsplit(alternates["en"]).path == "/en/page/about/"
    switch = page.xpath("//a[@hreflang='zh-Hant-TW']")[0]
    assert urlsplit(switch.get("href")).path == "/page/about/"


def test_every_content_page_shows_updated_date_and_owner_unit(client) -> None:
    for path in _page_paths():
        page = html.fromstring(client.get(path).data)
        shown = {dt.text_content(): dt.getnext().text_content() for dt in page.xpath("//dl[@class='doc-meta']/dt")}
        updated = shown.get("更新日期") or shown.get("Updated")
        assert updated == meta_of(page)["DC.Date"], f"{path}: 更新日期 shown must be the page's DC.Date"
        assert shown.get("維護單位") or shown.get("Maintained by"), path


def test_feeds_parse(client) -> None:
    rss = etree.fromstring(client.get("/news/rss.xml").data)
    assert len(rss.findall("./channel/item")) >= 10
    atom = etree.fromstring(client.get("/en/news/atom.xml").data)
    assert atom.tag == "{http://www.w3.org/2005/Atom}feed"


def test_faq_and_breadcrumb_json_ld(client) -> None:
    import json

    page = html.fromstring(client.get("/faq/").data)
    data = json.loads(page.xpath("//script[@type='application/ld+json']")[0].text)
    types = {node["@type"] for node in data["@graph"]}
    assert {"GovernmentOrganization", "BreadcrumbList", "FAQPage"} <= types


def test_browse_pages_show_counts(client) -> None:
    text = client.get("/browse/service/").get_data(as_text=True)
    counts = [int(n) for n in re.findall(r"<td>(\d+)</td>\s*</tr>", text)]
    corpus = client.application.extensions["gongkai.content"].corpus
    assert len(counts) == len(corpus.codes["services"]), "a row, with its count, for every 服務分類 code"
    assert sum(counts) > 0


def test_news_paging(client) -> None:
    assert client.get("/news/page/2/").status_code == 200
    assert client.get("/news/page/999/").status_code == 404
    assert client.get("/news/page/0/").status_code == 404


def test_english_procedure_offers_chinese_forms_marked_as_chinese(client) -> None:
    page = html.fromstring(client.get("/en/procedures/taxi-meter-verification/").data)
    links = page.xpath("//main//a[@lang='zh-Hant-TW' and starts-with(@href, '/forms/')]")
    assert links, "the Chinese forms of the twin procedure are offered, with lang on the Chinese link text"


def test_form_page_lists_every_procedure_that_uses_it(client) -> None:
    text = client.get("/forms/form-inspection-application/").get_data(as_text=True)
    assert "/procedures/commodity-inspection/" in text


def test_language_switch_on_news_pages_points_to_a_page_that_exists(client) -> None:
    for path in [p for p in _page_paths() if "/news/page/" in p]:
        page = html.fromstring(client.get(path).data)
        for link in page.xpath("//link[@rel='alternate'][@hreflang] | //a[@hreflang]"):
            assert client.get(urlsplit(link.get("href")).path).status_code == 200, (path, link.get("href"))


def test_favicon_is_served(client) -> None:
    """Every browser asks for /favicon.ico: it is an icon, not a 404 on every page view."""
    import importlib.util
    from pathlib import Path

    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.mimetype == "image/vnd.microsoft.icon"
    assert response.data[:4] == b"\x00\x00\x01\x00" and response.data[4] in (1, 2)  # ICO header, one or two images
    script = Path(__file__).resolve().parent.parent / "scripts" / "make_favicon.py"
    spec = importlib.util.spec_from_file_location("make_favicon", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.ico() == response.data, "favicon.ico is what scripts/make_favicon.py writes"
