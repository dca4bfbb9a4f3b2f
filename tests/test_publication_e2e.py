"""End to end: gunicorn (two workers, as `gongkai serve` runs it) serves a content repository;
``ContentRepository.publish`` commits a changed document; within 10 s the public page shows the
new text and /search finds the new wording — in every worker, without a restart."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from gongkai.content_repo import ContentRepository, Person
from tests.admin.conftest import free_port
from tests.demo_content import FIXTURE_CONTENT

REPO = Path(__file__).resolve().parents[1]
DEADLINE = 10.0
PAGE = "/procedures/water-meter/"


def get(base: str, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(base + path, timeout=5) as response:  # noqa: S310 - our own loopback server
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


@pytest.fixture
def served(tmp_path: Path):
    repo = ContentRepository.create(tmp_path / "content", FIXTURE_CONTENT)
    port = free_port()
    env = {**os.environ, "GONGKAI_CONTENT_REPO": str(repo.path), "GONGKAI_VAR_DIR": str(tmp_path / "var"),
           "GONGKAI_CONTENT_RELOAD_SECONDS": "5"}
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "2",
                               "--threads", "4", "--worker-class", "gthread", "--preload", "gongkai.wsgi:app"],
                              cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        started = time.monotonic()
        while True:
            try:  # the page is served and the first index is built (a publication during that build would be in it)
                if get(base, PAGE)[0] == 200 and f'href="{PAGE}"' in search(base, "水量計"):
                    break
            except OSError:
                pass
            assert server.poll() is None and time.monotonic() - started < 180, (tmp_path / "gunicorn.log").read_text()
            time.sleep(0.3)
        yield repo, base, tmp_path / "var" / "index"
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def search(base: str, q: str) -> str:
    return get(base, "/search/?" + urllib.parse.urlencode({"q": q}))[1]


def test_a_published_change_is_on_its_page_and_found_by_search_within_10_seconds(served) -> None:
    repo, base, index = served
    assert "電冰箱" not in get(base, PAGE)[1] and "water-meter" not in search(base, "電冰箱")
    path = repo.path / "docs" / "zh" / "water-meter.md"
    text = path.read_text(encoding="utf-8").replace("本文。", "本文說明電冰箱能源效率的檢驗方式。")
    repo.publish({"docs/zh/water-meter.md": text.encode()}, subject="發布 water-meter", author=Person("林上稿"),
                 trailers={"Author": "林上稿", "Reviewed-by": "陳審稿", "Unit": "sec4"})
    published = time.monotonic()
    on_page = found = None
    while time.monotonic() - published < DEADLINE and (on_page is None or found is None):
        if on_page is None and "電冰箱能源效率" in get(base, PAGE)[1]:
            on_page = time.monotonic() - published
        if found is None and 'href="/procedures/water-meter/"' in search(base, "電冰箱"):
            found = time.monotonic() - published
        time.sleep(0.1)
    assert on_page is not None, "the public page did not show the new text within 10 s"
    assert found is not None, "search did not find the new wording within 10 s"
    # the index's record is written just after the update it describes is searchable: give it a moment
    while "updates" not in (meta := json.loads((index / "current" / "meta.json").read_text(encoding="utf-8"))) and \
            time.monotonic() - published < DEADLINE + 5:
        time.sleep(0.1)
    assert meta.get("updates") == 1 and meta["content_version"] == repo.head()[:12]  # updated in place, not rebuilt
    # every worker: a few more requests land on both of them
    for _ in range(6):
        assert "電冰箱能源效率" in get(base, PAGE)[1]
        assert 'href="/procedures/water-meter/"' in search(base, "電冰箱")
