"""One page list: the canonical list, the sitemap, the metadata listing, the frozen site and the
accessibility gate's pages are the same set, each read on its own path — and a page that stops
rendering stays on every list, named as a failure, instead of dropping out of every check."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import etree

from gongkai.app import create_app
from gongkai.freeze import freeze_site
from gongkai.site.urls import page_paths

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"


@pytest.fixture(scope="module")
def app():
    return create_app({"TESTING": True})


def canonical(app) -> set[str]:
    with app.test_request_context():
        return set(page_paths(app.extensions["gongkai.content"].corpus))


def sitemap(client) -> set[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    return {urlsplit(loc.text).path for loc in etree.fromstring(response.data).iter(SITEMAP)}


def metadata(client) -> tuple[set[str], list[dict]]:
    listing = client.get("/metadata.json").get_json()
    return {urlsplit(page["url"]).path for page in listing["pages"]}, listing["failed"]


def frozen(build: Path) -> set[str]:
    """The HTML pages Frozen-Flask wrote, as paths (x/index.html is /x/; the 404 pages are not pages)."""
    paths = set()
    for file in build.rglob("*.html"):
        relative = file.relative_to(build).as_posix()
        if relative in ("404.html", "en/404.html"):
            continue
        assert relative.endswith("index.html"), f"{relative}: a page written outside a folder of its own"
        paths.add("/" + relative.removesuffix("index.html"))
    return paths


def test_every_list_of_pages_is_the_canonical_list(app, tmp_path: Path) -> None:
    from a11y_tests.support import sitemap_paths  # the gate's own list, read in its own process

    pages = canonical(app)
    assert len(pages) > 100 and "/" in pages and "/en/" in pages
    listed, failed = metadata(app.test_client())
    assert failed == []
    freeze_site(tmp_path / "build")
    for name, other in (("sitemap.xml", sitemap(app.test_client())), ("metadata.json", listed),
                        ("frozen site", frozen(tmp_path / "build")), ("accessibility gate", set(sitemap_paths()))):
        assert other == pages, f"{name}: missing {sorted(pages - other)[:10]}, extra {sorted(other - pages)[:10]}"


def test_a_page_that_fails_to_render_stays_listed_and_is_named(app, monkeypatch) -> None:
    """Break one page (its body cannot be rendered): the sitemap still lists it, and the metadata
    listing names it as failed, so every check built on those lists reports it."""
    corpus = app.extensions["gongkai.content"].corpus
    victim = next(d for d in corpus.documents if d.kind == "faq" and d.body)
    original = app.jinja_env.globals["markdown"]

    def markdown(text: str):
        if text == victim.body:
            raise RuntimeError("this page cannot be rendered")
        return original(text)

    broken = create_app({"TESTING": True, "PAGE_CACHE_SIZE": 0})
    monkeypatch.setitem(broken.jinja_env.globals, "markdown", markdown)
    client = broken.test_client()
    with broken.test_request_context():
        from gongkai.web import doc_url

        path = doc_url(victim)
    assert client.get(path).status_code == 500
    assert path in sitemap(client)
    listed, failed = metadata(client)
    assert path not in listed
    named = {urlsplit(f["url"]).path: f["status"] for f in failed}
    assert named[path] == 500  # (the FAQ list page, which shows the answers too, fails with it)
    assert set(named) | listed == sitemap(client), "every page is either listed or named as failed"


def test_a_withdrawn_document_is_on_no_list_and_answers_410(fixture_content: Path, tmp_path: Path, monkeypatch) -> None:
    """Withdrawn (review.status: withdrawn, with its notice): off the canonical list and so off the
    sitemap, the metadata listing and the frozen site, while its own address answers 410."""
    form = fixture_content / "docs" / "zh" / "water-meter-form.md"
    text = form.read_text(encoding="utf-8")
    form.write_text(text.replace("  status: published\n", "  status: withdrawn\nwithdrawal:\n  date: 2022-07-01\n  reason: 已改用線上申請\n"),
                    encoding="utf-8")
    monkeypatch.setenv("GONGKAI_CONTENT_DIR", str(fixture_content))
    monkeypatch.setenv("GONGKAI_VAR_DIR", str(tmp_path / "var"))
    withdrawn_app = create_app({"TESTING": True})
    client = withdrawn_app.test_client()
    pages = canonical(withdrawn_app)
    assert "/forms/water-meter-form/" not in pages and "/procedures/water-meter/" in pages
    assert sitemap(client) == pages
    listed, failed = metadata(client)
    assert listed == pages and failed == []
    freeze_site(tmp_path / "build")
    assert frozen(tmp_path / "build") == pages
    assert client.get("/forms/water-meter-form/").status_code == 410
    assert client.get("/files/forms/water.odt").status_code == 404  # its attachments go with it
    assert "water-meter-form" not in client.get("/procedures/water-meter/").get_data(as_text=True)
