"""Content for the dashboard and reminder tests: documents of sec4 and sec1 with update cycles,
their dates counted back from Taiwan's today so that which are overdue never depends on when the
tests run; and an audit history with findings on their public pages."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from gongkai import clock
from gongkai.audits.results import Finding
from gongkai.audits.store import AuditStore, now_iso

REPO = Path(__file__).resolve().parents[2]
SITE = "http://127.0.0.1:5000"
NEWS = """\
---
kind: news
id: {id}
lang: zh-Hant-TW
title: {title}
summary: 測試用的新聞。
unit: {unit}
theme: ["220"]
policy: [P20]
service: [E00]
keywords: [測試]
published: {published}
updated: {updated}
update_cycle: {cycle}
review: {{author: 林上稿, reviewer: 陳審稿, date: {updated}, status: published}}
---
本文。
"""
# id → (title, unit, update cycle, days since its last update)
DOCUMENTS = {
    "meter-monthly": ("水量計檢定月報", "sec4", "monthly", 100),   # 31-day cycle: 69 days overdue
    "taxi-yearly": ("計程車計費表年報", "sec4", "yearly", 380),    # 366 days: 14 days overdue
    "scale-quarterly": ("磅秤檢定季報", "sec4", "quarterly", 30),  # 92 days: not due yet
    "old-as-needed": ("不定期更新的說明", "sec4", "as-needed", 2000),  # never due
    "sec1-monthly": ("第一課月報", "sec1", "monthly", 40),          # another unit's: 9 days overdue
}


def write_content(root: Path, documents: dict[str, tuple[str, str, str, int]] = DOCUMENTS) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "content" / "site.yaml", root / "site.yaml")
    shutil.copytree(REPO / "content" / "codes", root / "codes", dirs_exist_ok=True)
    (root / "files").mkdir(exist_ok=True)
    docs = root / "docs"
    shutil.rmtree(docs, ignore_errors=True)
    docs.mkdir()
    today = clock.today()
    for doc_id, (title, unit, cycle, age) in documents.items():
        updated = today - dt.timedelta(days=age)
        (docs / f"{doc_id}.md").write_text(NEWS.format(id=doc_id, title=title, unit=unit, cycle=cycle, updated=updated,
                                                       published=updated - dt.timedelta(days=1)), encoding="utf-8")
    return root


def page(doc_id: str) -> str:
    return f"{SITE}/news/{doc_id}/"


def record_audits(history: Path) -> None:
    """A links run and an a11y run; an older links run before them whose findings must not show."""
    store = AuditStore(history)
    try:
        old = Finding("links", "http", "broken https://old.example/", "https://old.example/", True, "Old problem.", "Gone now.")
        old.add_page(page("meter-monthly"))
        store.record_run("links", SITE, [old], 10, now_iso())
        broken = Finding("links", "http", "broken https://gone.example/x", "https://gone.example/x", True,
                         "The server answered 404 Not Found.", "Link to the page's new address.", code="links.http-error", status=404)
        for doc_id in ("meter-monthly", "sec1-monthly"):
            broken.add_page(page(doc_id))
        redirect = Finding("links", "permanent-redirect", "permanent-redirect http://moved.example/", "http://moved.example/", False,
                           "Permanently redirected.", "Link to where it went.", tag="permanent-redirect")
        redirect.add_page(page("taxi-yearly"))
        on_list = Finding("links", "http", "broken https://list.example/", "https://list.example/", True, "404.", "Fix it.")
        on_list.add_page(f"{SITE}/news/")  # a list page: no unit's
        store.record_run("links", SITE, [broken, redirect, on_list], 50, now_iso())
        contrast = Finding("a11y", "axe", f"axe:color-contrast {page('taxi-yearly')} p.note", page("taxi-yearly"), True,
                           "Elements must meet minimum color contrast ratio thresholds.", "Darken the text.",
                           selector="p.note", criterion="1.4.3")
        contrast.add_page(page("taxi-yearly"))
        store.record_run("a11y", SITE, [contrast], 5, now_iso())
    finally:
        store.close()
