"""Shared by the editing, revision, upload and workflow tests: a back office whose CONTENT_DIR is a
content repository made from the frozen fixture content, people of 第四課, and form posts."""

from __future__ import annotations

import re

import pytest

from gongkai.content_repo import ContentRepository
from tests.admin.support import csrf_token, make_account, sign_in
from tests.demo_content import FIXTURE_CONTENT

EDIT = "/admin/documents/zh-Hant-TW/water-meter/edit"
PATH = "docs/zh/water-meter.md"


@pytest.fixture
def repo(tmp_path) -> ContentRepository:
    return ContentRepository.create(tmp_path / "content-repo", FIXTURE_CONTENT)


@pytest.fixture
def editing_app(database_url, repo, tmp_path):
    from gongkai.admin import create_app

    app = create_app({"DATABASE_URL": database_url, "CONTENT_DIR": str(repo.path), "VAR_DIR": str(tmp_path / "var"),
                      "CONTENT_RELOAD_SECONDS": 0, "TESTING": True})
    yield app
    app.extensions["gongkai.admin"].engine.dispose()


@pytest.fixture
def team(editing_app):
    office = editing_app.extensions["gongkai.admin"]
    return {"author": make_account(office, "lin", "author", ("sec4",), email="lin@example.gov.tw"),
            "author2": make_account(office, "wang", "author", ("sec4",), email="wang@example.gov.tw"),
            "reviewer": make_account(office, "chen", "reviewer", ("sec4",), email="chen@example.gov.tw"),
            "other": make_account(office, "other", "author", ("sec1",)),
            "webmaster": make_account(office, "web", "webmaster", ("it",), email="web@example.gov.tw")}


def signed_in(app, account):
    client = app.test_client()
    response = sign_in(client, account)
    assert response.status_code == 302 and "/sign-in" not in response.headers["Location"]
    return client


FORM_INPUT = re.compile(r'<(input|textarea|select)\b([^>]*)>', re.S)


def form_of(client, path: str) -> dict[str, object]:
    """The edit form's values as a browser would send them (text, checked boxes, selected options, text areas)."""
    page = client.get(path).get_data(as_text=True)
    form = page[page.index('<form method="post" novalidate>'):]
    form = form[: form.index("</form>")]
    data: dict[str, object] = {}
    for match in re.finditer(r"<input\b([^>]*)>", form):
        attrs = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', match.group(1)))
        if "name" not in attrs:
            continue
        if attrs.get("type") == "checkbox":
            if " checked" in match.group(1):
                data.setdefault(attrs["name"], []).append(attrs.get("value", "on"))
            continue
        data[attrs["name"]] = _unescape(attrs.get("value", ""))
    for match in re.finditer(r'<textarea\b[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        data[match.group(1)] = _unescape(match.group(2))
    for match in re.finditer(r'<select\b[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', match.group(2))
        data[match.group(1)] = chosen.group(1) if chosen else ""
    return data


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def post_form(client, path: str, data: dict[str, object]):
    return client.post(path, data={**data, "csrf_token": csrf_token(client, "/admin/")})
