"""Indexes of the demo content, one per backend, built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.model import load_content
from gongkai.search_index.backends import BACKENDS
from gongkai.search_index.service import SearchService

REPO = Path(__file__).resolve().parents[2]
CONTENT = REPO / "content"


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
