"""A withdrawal is published as the document's own file with review.status: withdrawn and a
withdrawal notice: its page answers 410 Gone with the notice, and it leaves every list."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.app import create_app
from gongkai.model import load_content

WITHDRAWAL = "  status: withdrawn\nwithdrawal:\n  date: 2022-07-01\n  reason: 本項業務已移撥至本局總局辦理\n"


def withdraw(content: Path, name: str = "water-meter.md", notice: str = WITHDRAWAL) -> None:
    path = content / "docs" / "zh" / name
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  status: published\n", notice), encoding="utf-8")


def test_a_withdrawn_page_answers_410_with_its_notice(content_tree: Path) -> None:
    withdraw(content_tree)
    client = create_app({"CONTENT_DIR": str(content_tree), "TESTING": True}).test_client()
    response = client.get("/procedures/water-meter/")
    assert response.status_code == 410
    body = response.get_data(as_text=True)
    assert "此資料已下架" in body and "本項業務已移撥至本局總局辦理" in body
    assert '<time datetime="2022-07-01">' in body and 'lang="zh-Hant-TW"' in body
    assert 'href="/procedures/"' in body  # a way on: the section's list
    assert client.get("/procedures/no-such-thing/").status_code == 404


def test_a_withdrawn_document_leaves_the_lists_sitemap_and_metadata(content_tree: Path) -> None:
    client = create_app({"CONTENT_DIR": str(content_tree), "TESTING": True}).test_client()
    assert "/procedures/water-meter/" in client.get("/sitemap.xml").get_data(as_text=True)
    withdraw(content_tree)
    client = create_app({"CONTENT_DIR": str(content_tree), "TESTING": True}).test_client()
    assert "/procedures/water-meter/" not in client.get("/sitemap.xml").get_data(as_text=True)
    assert "/procedures/water-meter/" not in client.get("/metadata.json").get_data(as_text=True)
    assert "水量計檢定" not in client.get("/procedures/").get_data(as_text=True)


@pytest.mark.parametrize(("notice", "code"), [
    ("  status: withdrawn\n", "content.withdrawal-missing"),
    ("  status: withdrawn\nwithdrawal:\n  date: 2022-07-01\n  reason: ''\n", "content.empty-field"),
    ("  status: withdrawn\nwithdrawal:\n  date: 2022-07-01\n", "content.missing-field"),
    ("  status: published\nwithdrawal:\n  date: 2022-07-01\n  reason: 移撥\n", "content.withdrawal-not-withdrawn"),
])
def test_a_withdrawal_needs_a_date_and_a_reason(content_tree: Path, notice: str, code: str) -> None:
    withdraw(content_tree, notice=notice)
    _, report = load_content(content_tree)
    assert code in {p.code for p in report.problems}, report.lines()
    assert any(p.file == "docs/zh/water-meter.md" for p in report.problems)
