"""The data pages: catalogue filters without JavaScript, dataset page contents, chart, the
overdue flag, downloads, and the sitemap."""

from __future__ import annotations

from urllib.parse import urlsplit

from lxml import etree, html


def page(client, url: str) -> html.HtmlElement:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.fromstring(response.data)


def titles(tree: html.HtmlElement) -> list[str]:
    return [a.text_content().strip() for a in tree.xpath("//ul[@class='doc-list']/li/a")]


def test_catalogue_lists_every_dataset_with_a_filter_form(client) -> None:
    tree = page(client, "/opendata/")
    assert len(tree.xpath("//h1")) == 1
    assert len(titles(tree)) >= 8
    form = tree.xpath("//form[@class='od-filters']")[0]
    for name in ("category", "format", "frequency", "q", "overdue"):
        control = form.xpath(f".//*[@name='{name}']")[0]
        assert form.xpath(f".//label[@for='{control.get('id')}']"), f"{name} has no label"
    assert form.xpath(".//button[@type='submit']")


def test_catalogue_filters_work_as_plain_links(client) -> None:
    assert titles(page(client, "/opendata/?category=E00")) == ["度量衡器檢定及檢測數量（111年按種類及辦公處）", "意見信箱案件處理統計（每月）"]
    assert titles(page(client, "/opendata/?frequency=每月")) == ["線上申辦暨免臨櫃繳費件數（111年按月）", "意見信箱案件處理統計（每月）"]
    assert titles(page(client, "/opendata/?q=新聞")) == ["新聞稿清單"]
    assert len(titles(page(client, "/opendata/?format=ODS"))) >= 8
    assert titles(page(client, "/opendata/?format=XLS")) == []
    overdue = page(client, "/opendata/?overdue=1")
    assert all(li.xpath(".//strong[contains(@class, 'od-flag')]") for li in overdue.xpath("//ul[@class='doc-list']/li"))
    assert titles(page(client, "/en/opendata/?q=forms")) == ["Forms catalogue"]


def test_dataset_page_has_metadata_fields_preview_downloads_and_api(client) -> None:
    tree = page(client, "/opendata/procedures/")
    assert len(tree.xpath("//h1")) == 1
    captions = [c.text_content() for c in tree.xpath("//table/caption")]
    assert any(c.startswith("檔案下載") for c in captions) and any(c.startswith("資料預覽") for c in captions)
    assert any(c.startswith("主要欄位說明") for c in captions)
    for table in tree.xpath("//table"):
        assert table.xpath(".//caption") and all(th.get("scope") in ("col", "row") for th in table.xpath(".//th"))
    downloads = tree.xpath("//table[caption[starts-with(., '檔案下載')]]//tbody/tr")
    assert len(downloads) == 4
    for row in downloads:
        href = row.xpath(".//a/@href")[0]
        assert client.get(href).status_code == 200
        assert row.xpath("./td")[1].text_content().strip().endswith(("B", "KB", "MB"))
    assert "A15010100H-000006" in tree.text_content()
    api_links = tree.xpath("//dl[@class='od-api']//a/@href")
    for link in api_links:
        assert client.get(urlsplit(link).path + ("?" + urlsplit(link).query if urlsplit(link).query else "")).status_code == 200


def test_statistics_page_has_an_accessible_chart_and_its_table(client) -> None:
    tree = page(client, "/opendata/instrument-verifications/")
    image = tree.xpath("//figure[@class='od-chart']/img")[0]
    assert "最高" in image.get("alt")
    assert tree.xpath("//table[caption[starts-with(., '統計圖數值')]]//tbody/tr")
    svg = client.get(image.get("src"))
    assert svg.mimetype == "image/svg+xml"
    root = etree.fromstring(svg.data)
    assert root.find("{http://www.w3.org/2000/svg}title") is not None and root.find("{http://www.w3.org/2000/svg}desc") is not None
    assert b"style=" not in svg.data and b"<style" not in svg.data  # the CSP forbids inline styles
    assert b"style=" not in client.get("/opendata/instrument-verifications/").data
    assert client.get("/opendata/forms/chart.svg").status_code == 404


def test_overdue_dataset_is_flagged_to_visitors(client) -> None:
    tree = page(client, "/opendata/online-applications-monthly/")
    assert tree.xpath("//p[contains(@class, 'od-overdue')]")
    assert not page(client, "/opendata/news/").xpath("//p[contains(@class, 'od-overdue')]")


def test_english_pages_and_unknown_dataset(client) -> None:
    tree = page(client, "/en/opendata/complaints-petitions/")
    assert tree.xpath("//h1")[0].text_content() == "Opinion mailbox cases handled, monthly"
    assert client.get("/opendata/no-such-dataset/").status_code == 404
    assert client.get("/opendata/files/../datapackage.json").status_code == 404
    assert client.get("/opendata/files/forms.xlsx").status_code == 404


def test_sitemap_lists_the_data_pages(client) -> None:
    body = client.get("/sitemap.xml").data
    paths = {urlsplit(loc.text).path for loc in etree.fromstring(body).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert {"/opendata/", "/en/opendata/", "/opendata/forms/", "/en/opendata/news/"} <= paths
