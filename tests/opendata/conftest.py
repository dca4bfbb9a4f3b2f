"""Fixtures of the open-data tests: the demo app with its own store, and a copy of the
content to plant personal data in."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from opendata_support import CONTENT
from opendata_support import demo_app as shared_demo_app

from gongkai.model import load_content


@pytest.fixture(scope="session")
def demo_app():
    return shared_demo_app()


@pytest.fixture
def client(demo_app):
    return demo_app.test_client()


@pytest.fixture(scope="session")
def corpus():
    loaded, _ = load_content(CONTENT)
    assert loaded is not None
    return loaded


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """The demo content (site.yaml, codes, docs, files, datasets) in a temporary folder."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target
