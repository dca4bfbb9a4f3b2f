"""Mailbox fixtures: the public site with the mailbox on a real database (SQLite and PostgreSQL,
from tests/admin/conftest.py), a small content tree with the real mailbox data, and a real SMTP
server on loopback (aiosmtpd) whose received mail the tests read."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest

from tests.admin.conftest import DOCUMENT, cheap_hashes, database_url, free_port, postgres_server  # noqa: F401 - shared fixtures
from tests.demo_content import DEMO_CONTENT

START = re.compile(r'name="start" value="([^"]+)"')
LINK = re.compile(r"https?://[^/\s]+(/(?:en/)?mailbox/confirm/[^/\s]+/)")


@pytest.fixture(scope="session")
def mailbox_content(tmp_path_factory) -> Path:
    """site.yaml, the code lists, one document and the repository's content/mailbox (calendar and categories)."""
    root = tmp_path_factory.mktemp("content")
    shutil.copy(DEMO_CONTENT / "site.yaml", root / "site.yaml")
    shutil.copytree(DEMO_CONTENT / "codes", root / "codes")
    shutil.copytree(DEMO_CONTENT / "mailbox", root / "mailbox")
    (root / "docs").mkdir()
    (root / "docs" / "meter-news.md").write_text(DOCUMENT, encoding="utf-8")
    (root / "files").mkdir()
    return root


@pytest.fixture
def settings(database_url, mailbox_content, tmp_path, smtp) -> dict:  # noqa: F811 - database_url is the shared fixture
    _inbox, controller = smtp
    return {"DATABASE_URL": database_url, "CONTENT_DIR": str(mailbox_content), "VAR_DIR": str(tmp_path / "var"),
            "CONTENT_RELOAD_SECONDS": 0, "TESTING": True, "MAILBOX_MIN_FILL_SECONDS": 3, "MAIL_HOST": "127.0.0.1",
            "MAIL_PORT": controller.port, "MAIL_TLS": "none", "MAIL_FROM": "noreply@example.gov.tw"}


@pytest.fixture
def app(settings):
    from gongkai.app import create_app

    application = create_app(settings)
    yield application
    application.extensions["gongkai.mailbox"].engine.dispose()


@pytest.fixture
def box(app):
    return app.extensions["gongkai.mailbox"]


@pytest.fixture
def inbox(smtp):
    return smtp[0]


def aged_start(box, seconds: float = 10) -> str:
    """A start token as if the form had been served ``seconds`` ago (the minimum fill time is 3 s)."""
    return box.signer.dumps(time.time() - seconds)


def filled(box, **changes) -> dict:
    data = {"start": aged_start(box), "category": "question", "subject": "水量計檢定的費用", "message": "請問家用水量計檢定一次多少錢？\n謝謝。",
            "name": "王小明", "email": "wang@example.com", "phone": "06-2345678", "consent": "yes"}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def wait_for(predicate, timeout: float = 10.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out waiting")
