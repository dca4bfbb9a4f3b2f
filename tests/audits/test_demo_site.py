"""The audit of the demo site: no broken internal link; and each link planted broken in a copy of
content/ is found, with its page and owner unit, and nothing else."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from gongkai.audits.links.runner import LinkAuditOptions, run_link_audit
from tests.demo_content import DEMO_CONTENT

from .site_server import serve_site

REPO = Path(__file__).resolve().parents[2]
NEWS_PATH = "/news/planted-links/"
PLANTED = """

## 測試連結

- [不存在的申辦項目](/procedures/no-such-procedure/)
- [不存在的錨點](/page/privacy/#不存在的錨點)
- [不存在的表單](/files/forms/no-such-form.odt)
- [寫錯的信箱](mailto:webmaster@@example.gov.tw)
- [寫錯的電話](tel:打給我們)
- [只有 Word 檔的表單](/files/forms/planted-only-word.doc)
"""
FAQ_PATH = "/faq/planted-overdue/"
PLANTED_TARGETS = {
    "/procedures/no-such-procedure/", "/page/privacy/#不存在的錨點", "/files/forms/no-such-form.odt",
    "mailto:webmaster@@example.gov.tw", "tel:打給我們",
    "/files/forms/planted-only-word.doc",
}
# Broken links the demo site itself has today, reported to the site's owners; remove when fixed.


def audit(base: str, var_dir: Path, content_dir: Path | None = None):
    options = LinkAuditOptions(url=base + "/", db=var_dir / "audits.sqlite", check_external=False, content_dir=content_dir,
                               cache_max_age=0, timeout=30, site_name="demo")
    return run_link_audit(options)


def relative(target: str, base: str) -> str:
    from urllib.parse import unquote

    return unquote(target.replace(base, ""))


def test_demo_site_has_no_broken_internal_link(tmp_path):
    with serve_site(DEMO_CONTENT, tmp_path) as base:
        result = audit(base, tmp_path, DEMO_CONTENT)
    broken = {relative(f.target, base) for f in result.findings if f.broken}
    assert len(result.crawl.pages) > 100, "the crawl reached the whole demo site"
    assert broken == set(), f"broken on the demo site: {sorted(broken)}"


def planted_copy(content: Path, kind: str, doc_id: str, title: str) -> Path:
    """A new published document: the first Chinese one of ``kind``, under another id and title."""
    source = sorted((content / "docs" / "zh").rglob(f"{kind}/*.md"))[0]
    text = source.read_text(encoding="utf-8")
    text = re.sub(r"^id: .*$", f"id: {doc_id}", text, count=1, flags=re.M)
    text = re.sub(r"^title: .*$", f"title: {title}", text, count=1, flags=re.M)
    text = re.sub(r"^translation: .*\n", "", text, count=1, flags=re.M)
    target = source.with_name(f"{doc_id}.md")
    target.write_text(text, encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    root = tmp_path_factory.mktemp("planted")
    content = root / "content"
    shutil.copytree(DEMO_CONTENT, content)
    # two documents of our own, made from the first news item and FAQ of whatever the content holds,
    # so that the agency editing its demo text never breaks these tests
    news = planted_copy(content, "news", "planted-links", "測試用新聞：連結稽核")
    news.write_text(news.read_text(encoding="utf-8") + PLANTED, encoding="utf-8")
    faq = planted_copy(content, "faq", "planted-overdue", "測試用問答：逾期未更新")
    text = re.sub(r"^update_cycle: .*$", "update_cycle: monthly", faq.read_text(encoding="utf-8"), count=1, flags=re.M)
    text = re.sub(r"^(published|updated): .*$", r"\1: 2025-08-12", text, flags=re.M)
    text = re.sub(r"^sources:\n(  .*\n)+", "", text, flags=re.M)
    faq.write_text(text + "\n資料來源：經濟部統計處 114 年統計。\n", encoding="utf-8")
    with serve_site(content, root) as base:
        first = audit(base, root, content)
    return base, first, None


def test_each_planted_broken_link_is_found_with_page_and_unit(planted):
    base, first, _ = planted
    broken = {relative(f.target, base): f for f in first.findings if f.broken}
    assert set(broken) == PLANTED_TARGETS
    for target in PLANTED_TARGETS:
        finding = broken[target]
        assert [relative(p, base) for p in finding.pages] == [NEWS_PATH], target
        assert finding.units, f"{target}: the owner unit of the page is named"
        assert finding.message and finding.fix


def test_content_problems_planted_in_the_copy_are_reported(planted):
    base, first, _ = planted
    warnings = {(f.tag, relative(f.target, base)) for f in first.findings if not f.broken}
    assert ("overdue", FAQ_PATH) in warnings
    assert ("no-source-link", FAQ_PATH) in warnings
    assert ("not-open-format", "/files/forms/planted-only-word.doc") in warnings
    overdue = next(f for f in first.findings if f.tag == "overdue" and f.target.endswith(FAQ_PATH))
    assert "2025-08-12" in overdue.message and overdue.units, overdue
