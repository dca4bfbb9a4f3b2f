"""`gongkai a11y` reports each barrier planted in a frozen copy of the demo site (page, selector,
criterion, fix) and exits 1; on the clean demo site it exits 0."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from gongkai.audits.accessibility.audit import A11yOptions, run_a11y_audit
from gongkai.audits.accessibility.browser import missing_browser
from gongkai.audits.accessibility.engines import htmlcs_findings
from gongkai.audits.cli import COMMANDS
from tests.demo_content import DEMO_CONTENT

from .site_server import serve_site
from .static_server import bound_server

REPO = Path(__file__).resolve().parents[2]
@pytest.fixture(autouse=True)
def _browser_installed() -> None:
    """Chromium is part of the test set-up (make test installs it): missing, it fails, never skips."""
    if reason := missing_browser():
        pytest.fail(f"needs headless Chromium: {reason}", pytrace=False)
PLANTED_PAGE = "/page/accessibility/"
BARRIERS = """
<h2>測試用障礙</h2>
<p><img src="/static/planted-photo.png"></p>
<p style="color:#c8c8c8;background-color:#ffffff">這段文字的對比太低。</p>
<p><input type="text" name="planted-field"></p>
<p><a href="/files/planted-annual-report.doc">年度報告（Word 檔）</a></p>
"""


def a11y_command():
    return next(command for command in COMMANDS if command.name == "a11y")


def run_a11y(tmp_path: Path, *args: str):
    env = {"GONGKAI_LINKS_DB": str(tmp_path / "audits.sqlite"), "GONGKAI_VAR_DIR": str(tmp_path)}
    return CliRunner().invoke(a11y_command(), [*args, "--out", str(tmp_path / "reports"), "--quiet"], env=env, catch_exceptions=False)


@pytest.fixture(scope="module")
def planted_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("frozen")
    with bound_server(folder) as (_, base):
        freeze = ("import sys; from pathlib import Path; from gongkai.freeze import freeze_site; "
                  "freeze_site(Path(sys.argv[1]), sys.argv[2])")
        subprocess.run([sys.executable, "-c", freeze, str(folder), base], check=True, capture_output=True,
                       env=dict(os.environ, GONGKAI_VAR_DIR=str(tmp_path_factory.mktemp("var"))))
        page = folder / PLANTED_PAGE.strip("/") / "index.html"
        html = page.read_text(encoding="utf-8")
        assert 'accesskey="Z"' in html
        html = html.replace('accesskey="Z"', "").replace("</main>", BARRIERS + "</main>")
        page.write_text(html, encoding="utf-8")
        yield base


def test_planted_barriers_are_each_reported_and_exit_is_1(planted_site, tmp_path):
    result = run_a11y(tmp_path, planted_site + "/", "--only", PLANTED_PAGE + "$")
    assert result.exit_code == 1, result.output
    report = json.loads((tmp_path / "reports" / "a11y-report.json").read_text(encoding="utf-8"))
    findings = report["findings"]
    page = planted_site + PLANTED_PAGE

    def one(predicate, what):
        hits = [f for f in findings if predicate(f)]
        assert hits, f"{what} not reported; got {[(f['check'], f['selector'], f['criterion']) for f in findings]}"
        for hit in hits:
            assert hit["pages"] == [page] and hit["fix"] and hit["message"] and hit["broken"]
        return hits[0]

    image = one(lambda f: f["check"] == "axe" and "image-alt" in f["key"], "image without alt")
    assert "img" in image["selector"] and "planted-photo" in image["excerpt"]
    assert image["criterion"] == "1.1.1" and image["freego"] == "HM1110100C"
    contrast = one(lambda f: "color-contrast" in f["key"], "low-contrast text")
    assert contrast["criterion"] == "1.4.3"
    field = one(lambda f: f["check"] == "axe" and f["key"].startswith("axe:label "), "unlabeled input")
    assert "planted-field" in field["excerpt"] and "4.1.2" in field["criterion"]
    key = one(lambda f: f["check"] == "conventions" and "accesskey-Z" in f["key"], "missing access key Z")
    assert 'accesskey="Z"' in key["selector"]
    download = one(lambda f: f["check"] == "conventions" and "open-format-download" in f["key"], ".doc with no ODF twin")
    assert download["freego"] == "ME1320200C" and "planted-annual-report.doc" in download["excerpt"]
    assert any(f["check"] == "htmlcs" for f in findings), "HTML_CodeSniffer ran and found the barriers too"
    assert "planted-photo" in (tmp_path / "reports" / "a11y-report.html").read_text(encoding="utf-8")


def test_clean_demo_site_exits_0(tmp_path):
    with serve_site(DEMO_CONTENT, tmp_path / "var") as base:
        # a sample of the sitemap: both home pages and a content page in each language (a11y_tests/ checks every page)
        result = run_a11y(tmp_path, base + "/", "--only", r"^https?://[^/]+/(en/)?(page/accessibility/)?$")
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "reports" / "a11y-report.json").read_text(encoding="utf-8"))
    assert report["checked"] == 4 and report["findings"] == []


def test_a_page_that_answers_an_http_error_is_reported_not_audited_as_its_error_page(tmp_path):
    # A plain error page passes axe, so without the status check a broken sitemap page counted as clean.
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "ok.html").write_text('<!doctype html><html lang="zh-Hant-TW"><head><meta charset="utf-8">'
                                               "<title>正常頁面</title></head><body><main><h1>正常頁面</h1></main></body></html>",
                                               encoding="utf-8")
    with bound_server(tmp_path / "site") as (_, base):
        options = A11yOptions(url=base + "/", db=tmp_path / "audits.sqlite", node_modules=REPO / "node_modules", engines=("axe",),
                              pages=[f"{base}/ok.html", f"{base}/gone.html"])
        result = run_a11y_audit(options)
    problems = [(f.check, f.target, f.status, f.broken) for f in result.findings]
    assert problems == [("page", f"{base}/gone.html", 404, True)], problems


def test_a_page_the_browser_cannot_load_is_a_finding_not_a_traceback(tmp_path):
    import socket

    with socket.socket() as probe:  # a loopback port with nobody listening: connection refused
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}"
    options = A11yOptions(url=dead + "/", db=tmp_path / "audits.sqlite", node_modules=REPO / "node_modules",
                          engines=("axe",), pages=[f"{dead}/page/"])
    result = run_a11y_audit(options)
    assert [(f.check, f.target, f.broken) for f in result.findings] == [("page", f"{dead}/page/", True)]
    assert "could not load" in result.findings[0].message


def test_pa11y_ci_shares_one_browser_context_as_the_ci_gate_does(tmp_path):
    # pa11y-ci's default (a new browser context per page) loses about a third of the pages at concurrency 2.
    stand_in = tmp_path / "node_modules" / ".bin" / "pa11y-ci"
    stand_in.parent.mkdir(parents=True)
    stand_in.write_text(f"#!{sys.executable}\n"
                        "import json, pathlib, sys\n"
                        "config = json.loads(pathlib.Path(sys.argv[2]).read_text())\n"
                        f"pathlib.Path({str(tmp_path / 'config.json')!r}).write_text(json.dumps(config))\n"
                        "print(json.dumps({'results': {url: [] for url in config['urls']}}))\n", encoding="utf-8")
    stand_in.chmod(0o755)
    pages = ["http://127.0.0.1:9/a/", "http://127.0.0.1:9/b/"]
    assert htmlcs_findings(pages, tmp_path / "node_modules", {}) == []
    config = json.loads((tmp_path / "config.json").read_text(encoding="utf-8"))
    assert config["urls"] == pages
    assert config["defaults"]["useIncognitoBrowserContext"] is False
    launch = config["defaults"]["chromeLaunchConfig"]
    assert launch["executablePath"] == "/usr/bin/chromium" and "--disable-background-networking" in launch["args"]


def test_the_command_puts_the_callers_sigterm_handler_back(tmp_path: Path) -> None:
    """Run in-process, the command once left its SIGTERM handler behind: forked search-build workers
    inherited it and, told to stop, hung the test run on a queue no one read."""
    import signal

    before = signal.getsignal(signal.SIGTERM)
    with serve_site(DEMO_CONTENT, tmp_path / "var") as base:
        run_a11y(tmp_path, f"{base}/sitemap.xml", "--only", "^/$")
    assert signal.getsignal(signal.SIGTERM) is before
