"""The HTML reports pass the same gate as the site: axe-core (WCAG 2.2 AA) and HTML_CodeSniffer."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.audits.accessibility.audit import A11yOptions, run_a11y_audit
from gongkai.audits.accessibility.browser import missing_browser
from gongkai.audits.reports import write_reports
from gongkai.audits.reports.view import build_view
from gongkai.audits.results import Finding
from gongkai.audits.store import AuditStore

from .static_server import bound_server

REPO = Path(__file__).resolve().parents[2]
@pytest.fixture(autouse=True)
def _browser_installed() -> None:
    """Chromium is part of the test set-up (make test installs it): missing, it fails, never skips."""
    if reason := missing_browser():
        pytest.fail(f"needs headless Chromium: {reason}", pytrace=False)


def sample_findings(audit: str, month: int) -> list[Finding]:
    link = Finding(audit, "http", f"broken https://x/{month}", f"https://x/{month}", True, "404 <Not Found>.", "Remove the link.", status=404)
    link.add_page("https://site/news/a/", "第五課")
    warning = Finding(audit, "permanent-redirect", "permanent-redirect https://y/", "https://y/", False, "Moved.",
                      "Change the link to https://y/new", tag="permanent-redirect")
    warning.add_page("https://site/page/b/", "資訊小組")
    element = Finding(audit, "axe", f"axe:image-alt https://site/ img{month}", "https://site/", True, "Images must have alternate text.",
                      "Add an alt attribute.", selector=f"main > img:nth-child({month})", excerpt='<img src="a.png">',
                      criterion="1.1.1", freego="HM1110100C")
    element.add_page("https://site/", "")
    return [link, warning, element]


def test_html_reports_pass_axe_and_htmlcs(tmp_path):
    store = AuditStore(tmp_path / "audits.sqlite")
    reports = []
    for audit in ("links", "a11y"):
        for month in (9, 10, 11):
            run = store.record_run(audit, "https://site", sample_findings(audit, month), 100, f"2026-{month:02d}-01T02:00:00+00:00")
        reports += write_reports(build_view(store, run), tmp_path / "out", ["html"])
    store.close()
    with bound_server(tmp_path / "out") as (_, base):
        options = A11yOptions(url=base + "/", db=tmp_path / "gate.sqlite", node_modules=REPO / "node_modules",
                              engines=("axe", "htmlcs"), pages=[f"{base}/{report.name}" for report in reports])
        result = run_a11y_audit(options)
    assert len(result.pages) == 2
    problems = [(f.target, f.check, f.selector, f.criterion, f.message) for f in result.findings]
    assert problems == [], f"the reports fail the accessibility gate: {problems}"
