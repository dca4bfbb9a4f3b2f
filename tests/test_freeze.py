"""`gongkai freeze` writes the whole site as static files that match the served pages."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from gongkai.cli import main


def test_freeze_writes_every_page_and_file(tmp_path: Path) -> None:
    build = tmp_path / "build"
    result = CliRunner().invoke(main, ["freeze", str(build), "--base-url", "https://www.example.gov.tw"])
    assert result.exit_code == 0, result.output
    for path in ("index.html", "en/index.html", "procedures/index.html", "forms/index.html", "news/index.html", "favicon.ico",
                 "news/rss.xml", "disclosure/D05/index.html", "sitemap.xml", "metadata.json", "robots.txt",
                 "404.html", "en/404.html", "static/site.css"):
        assert (build / path).is_file(), path
    assert len(list((build / "files" / "forms").glob("*.od[ts]"))) >= 30
    sitemap = (build / "sitemap.xml").read_text(encoding="utf-8")
    assert "https://www.example.gov.tw/procedures/" in sitemap
    pages = sitemap.count("<loc>")
    written = sum(1 for p in build.rglob("index.html"))
    assert written >= pages, "every sitemap page is frozen"
    home = (build / "index.html").read_text(encoding="utf-8")
    assert 'name="DC.Title"' in home and "跳到主要內容" in home
    assert "找不到網頁" in (build / "404.html").read_text(encoding="utf-8")
