"""A running site keeps serving its last good build when content breaks; content is escaped."""

from __future__ import annotations

from pathlib import Path

from gongkai.app import create_app


def test_broken_edit_keeps_last_good_build(content_tree: Path) -> None:
    app = create_app({"CONTENT_DIR": str(content_tree), "CONTENT_RELOAD_SECONDS": 0, "TESTING": True})
    client = app.test_client()
    assert client.get("/procedures/water-meter/").status_code == 200
    store = app.extensions["gongkai.content"]
    good = store.corpus.version

    path = content_tree / "docs" / "zh" / "water-meter.md"
    path.write_text(path.read_text(encoding="utf-8").replace("unit: sec4", "unit: nowhere"), encoding="utf-8")
    report = store.reload()
    assert not report.valid
    assert store.corpus.version == good
    assert client.get("/procedures/water-meter/").status_code == 200

    path.write_text(path.read_text(encoding="utf-8").replace("unit: nowhere", "unit: sec5").replace("title: 水量計檢定", "title: 水量計檢定（新）"), encoding="utf-8")
    assert store.reload().valid
    assert "水量計檢定（新）" in client.get("/procedures/water-meter/").get_data(as_text=True)


def test_content_is_escaped(content_tree: Path) -> None:
    path = content_tree / "docs" / "zh" / "water-meter.md"
    text = path.read_text(encoding="utf-8").replace("title: 水量計檢定", 'title: "<script>alert(1)</script>"')
    text = text.replace("本文。", "本文<img src=x onerror=alert(1)> [連結](javascript:alert(1))")
    path.write_text(text, encoding="utf-8")
    app = create_app({"CONTENT_DIR": str(content_tree), "TESTING": True})
    body = app.test_client().get("/procedures/water-meter/").get_data(as_text=True)
    assert "<script>alert(1)" not in body and "&lt;script&gt;alert(1)" in body
    assert "onerror" not in body.replace("&lt;img src=x onerror=alert(1)&gt;", "")
    assert 'href="javascript:' not in body


def test_draft_attachments_are_not_downloadable(content_tree: Path) -> None:
    form = content_tree / "docs" / "zh" / "water-meter-form.md"
    form.write_text(form.read_text(encoding="utf-8").replace("status: published", "status: draft"), encoding="utf-8")
    client = create_app({"CONTENT_DIR": str(content_tree), "TESTING": True}).test_client()
    assert client.get("/files/forms/water.odt").status_code == 404
    assert client.get("/forms/water-meter-form/").status_code == 404


def test_a_site_with_no_datasets_starts_on_an_empty_var_folder(content_tree: Path, tmp_path: Path) -> None:
    """Nothing to publish means no export folder yet: the site starts all the same."""
    app = create_app({"CONTENT_DIR": str(content_tree), "VAR_DIR": str(tmp_path / "var"), "TESTING": True})
    assert app.test_client().get("/opendata/").status_code == 200
