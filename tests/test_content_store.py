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


# -- a content repository: followed by its HEAD, read file by file ------------------------------------

def _repository_app(tmp_path: Path):
    from gongkai.content_repo import ContentRepository
    from tests.demo_content import FIXTURE_CONTENT

    repo = ContentRepository.create(tmp_path / "repo", FIXTURE_CONTENT)
    app = create_app({"CONTENT_REPO": str(repo.path), "VAR_DIR": str(tmp_path / "var"), "CONTENT_RELOAD_SECONDS": 0.01,
                      "TESTING": True})
    return repo, app


def _edited(repo, path: str, old: str, new: str) -> bytes:
    return (repo.path / path).read_text(encoding="utf-8").replace(old, new).encode()


def test_a_publication_is_served_by_reading_only_the_changed_file(tmp_path: Path) -> None:
    import time

    from gongkai.content_repo import Person

    repo, app = _repository_app(tmp_path)
    store = app.extensions["gongkai.content"]
    client = app.test_client()
    assert app.config["CONTENT_DIR"] == str(repo.path) and store.is_repository
    before = store.corpus
    assert before.commit == repo.head() and before.version == repo.head()[:12]
    form = before.get("zh-Hant-TW", "water-meter-form")
    sha = repo.publish({"docs/zh/water-meter.md": _edited(repo, "docs/zh/water-meter.md", "title: 水量計檢定", "title: 水量計檢定（修正）")},
                       subject="發布 water-meter", author=Person("林上稿"))
    time.sleep(0.02)
    assert "水量計檢定（修正）" in client.get("/procedures/water-meter/").get_data(as_text=True)
    after = store.corpus
    assert after.commit == sha and after.version == sha[:12]
    assert after.get("zh-Hant-TW", "water-meter-form") is form  # untouched documents are not read again
    assert after.get("zh-Hant-TW", "water-meter") is not before.get("zh-Hant-TW", "water-meter")


def test_a_commit_with_problems_keeps_the_last_good_build_and_is_read_once(tmp_path: Path) -> None:
    import time

    from gongkai.content_repo import Person

    repo, app = _repository_app(tmp_path)
    store = app.extensions["gongkai.content"]
    good = store.corpus.version
    repo.publish({"docs/zh/water-meter.md": _edited(repo, "docs/zh/water-meter.md", "unit: sec4", "unit: nowhere")},
                 subject="壞的修改", author=Person("林上稿"))
    time.sleep(0.02)
    assert store.corpus.version == good
    assert not store.report.valid and "content.unknown-code" in {p.code for p in store.report.problems}
    assert app.test_client().get("/procedures/water-meter/").status_code == 200
    repo.publish({"docs/zh/water-meter.md": _edited(repo, "docs/zh/water-meter.md", "unit: nowhere", "unit: sec5")},
                 subject="修正", author=Person("林上稿"))
    time.sleep(0.02)
    assert store.corpus.version == repo.head()[:12] and store.corpus.get("zh-Hant-TW", "water-meter").unit == "sec5"


def test_removing_a_form_invalidates_the_procedure_that_lists_it(tmp_path: Path) -> None:
    """The checks between documents run again over the whole set: a removal that breaks a
    reference in an unchanged file is not swapped in."""
    import time

    from gongkai.content_repo import Person

    repo, app = _repository_app(tmp_path)
    store = app.extensions["gongkai.content"]
    good = store.corpus.version
    repo.publish({"docs/zh/water-meter-form.md": None}, subject="刪除書表", author=Person("林上稿"))
    time.sleep(0.02)
    assert store.corpus.version == good
    assert any(p.code == "content.unknown-form" and p.file == "docs/zh/water-meter.md" and p.line > 0 for p in store.report.problems)


def test_head_is_read_from_git_files_without_a_process(tmp_path: Path, monkeypatch) -> None:
    import subprocess

    from gongkai.content_repo import ContentRepository, read_head
    from tests.demo_content import FIXTURE_CONTENT

    repo = ContentRepository.create(tmp_path / "repo", FIXTURE_CONTENT)
    expected = repo.head()
    subprocess.run(["git", "-C", str(repo.path), "pack-refs", "--all"], check=True)  # the ref now only in packed-refs

    def no_process(*args, **kwargs):
        raise AssertionError("read_head ran a process")

    monkeypatch.setattr(subprocess, "run", no_process)
    assert read_head(repo.path) == expected
    assert read_head(tmp_path) is None


def test_a_new_version_of_an_attachment_re_reads_the_documents_offering_it(tmp_path: Path) -> None:
    """Only the attachment changes in the commit: the form offering it is read again, and its
    digest moves, so the search index takes in the attachment's new text."""
    import time

    from gongkai.content_repo import Person

    repo, app = _repository_app(tmp_path)
    store = app.extensions["gongkai.content"]
    before = store.corpus
    form, procedure = before.get("zh-Hant-TW", "water-meter-form"), before.get("zh-Hant-TW", "water-meter")
    repo.publish({"files/forms/water.odt": (repo.path / "files/forms/water.odt").read_bytes() + b" "},
                 subject="更新書表檔案", author=Person("林上稿"))
    time.sleep(0.02)
    after = store.corpus
    assert after.commit == repo.head()
    assert after.get("zh-Hant-TW", "water-meter-form") is not form and after.digest(form) != before.digest(form)
    assert after.get("zh-Hant-TW", "water-meter") is procedure and after.digest(procedure) == before.digest(procedure)
