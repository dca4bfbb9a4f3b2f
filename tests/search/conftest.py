"""Indexes of the demo content, one per backend, built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.model import load_content
from gongkai.search_index.backends import BACKENDS
from gongkai.search_index.service import SearchService
from tests.demo_content import DEMO_CONTENT

REPO = Path(__file__).resolve().parents[2]
CONTENT = DEMO_CONTENT


@pytest.fixture(scope="session")
def demo_corpus():
    corpus, report = load_content(CONTENT)
    assert corpus is not None, report.lines()
    return corpus


@pytest.fixture(scope="session", params=BACKENDS)
def demo_search(request, demo_corpus, tmp_path_factory):
    """(service, open index) over the demo content, for each backend."""
    service = SearchService(tmp_path_factory.mktemp(f"index-{request.param}"), request.param, CONTENT)
    return service, service.index(demo_corpus)


@pytest.fixture(scope="session")
def search_app(tmp_path_factory):
    """The real app over the demo content, with its own index folder (built on the first search)."""
    from gongkai.app import create_app

    var = tmp_path_factory.mktemp("var")
    app = create_app({"TESTING": True, "VAR_DIR": str(var), "CONTENT_RELOAD_SECONDS": 0})
    app.test_client().get("/search/?q=檢定")
    return app


@pytest.fixture()
def client(search_app):
    return search_app.test_client()
