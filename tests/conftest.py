"""Shared fixtures: the small fixture content tree (tests/fixtures/content), to break on purpose or to
assert exact figures against."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from tests.demo_content import FIXTURE_CONTENT
from tests.smtp_inbox import Inbox


@pytest.fixture
def content_tree(tmp_path: Path) -> Path:
    """A minimal valid content tree to break on purpose: the fixture tree's site.yaml, code lists and
    two documents (a procedure and its form), without its dataset."""
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root, ignore=shutil.ignore_patterns("datasets", "README.md"))
    return root


@pytest.fixture
def fixture_content(tmp_path: Path) -> Path:
    """The whole fixture tree (with its dataset), copied: exact figures are asserted against it."""
    root = tmp_path / "fixture-content"
    shutil.copytree(FIXTURE_CONTENT, root, ignore=shutil.ignore_patterns("README.md"))
    return root


@pytest.fixture
def smtp():
    """A real SMTP server on 127.0.0.1 at a free port: yields (Inbox, controller)."""
    from tests.admin.conftest import free_port

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, controller
    controller.stop()
