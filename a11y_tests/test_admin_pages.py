"""The back office through the same gate as the public site, signed in as each role: axe-core
(WCAG 2.2 A/AA tags, desktop and 320 px reflow) in Chromium, pa11y-ci (axe + HTML_CodeSniffer)
and the Nu HTML checker — on a live back office on 127.0.0.1 (a11y_tests.admin_serve).

Pages: the sign-in page, its error summary, the code page, and each role's pages (dashboard,
unit page, second factor, password change, account list and page, audit log with and without
errors, 403, 404), the 意見信箱 queue, case pages and statistics (and its bad-year page).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyotp
import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from a11y_tests.conftest import LiveServer, served
from a11y_tests.support import (
    DESKTOP,
    NARROW,
    NPM_HINT,
    PA11Y_CI,
    REPO_ROOT,
    nu_checker_errors,
    pa11y_defaults,
    require_file,
    require_program,
    set_viewport,
)
from a11y_tests.test_axe import OVERFLOW, axe_injected, describe, horizontal_scroll, run_axe

SIGN_IN_ERRORS = "/admin/sign-in#errors"  # the sign-in page after sending it empty
CODE_PAGE = "/admin/sign-in/code"
# (who, path, status)
PAGES = [
    ("anonymous", "/admin/sign-in", 200),
    ("anonymous", SIGN_IN_ERRORS, 200),
    ("password-stage", CODE_PAGE, 200),
    ("author", "/admin/", 200),
    ("author", "/admin/units/sec4/", 200),
    ("author", "/admin/second-factor", 200),
    ("author", "/admin/password", 200),
    ("author", "/admin/accounts/", 403),
    ("author", "/admin/documents/", 200),
    ("author", "/admin/documents/zh-Hant-TW/taxi-meter-verification/edit", 200),
    ("author", "/admin/no-such-page", 404),
    ("reviewer", "/admin/", 200),
    ("reviewer", "/admin/units/sec4/", 200),
    ("reviewer", "/admin/documents/zh-Hant-TW/taxi-meter-verification/withdraw", 200),
    ("author", "/admin/units/sec4/new/statistics", 200),  # a new document: repeated groups (figures, sources)
    ("author", "/admin/drafts/1/preview", 200),  # the draft seed_draft saves and submits
    ("author", "/admin/drafts/1/revisions", 200),
    ("reviewer", "/admin/drafts/1/review", 200),
    ("webmaster", "/admin/", 200),
    ("webmaster", "/admin/accounts/", 200),
    ("webmaster", "/admin/accounts/1", 200),
    ("webmaster", "/admin/audit/", 200),
    ("webmaster", "/admin/audit/?since=2026-13-45&person=", 400),
    ("webmaster", "/admin/second-factor", 200),
    # 意見信箱 (gongkai.mailbox.staff): the queue and a case page in each state (demo cases of gongkai.mailbox.staff.demo)
    ("author", "/admin/cases/", 200),
    ("reviewer", "/admin/cases/", 200),  # a reviewer's queue: the masked export form
    ("webmaster", "/admin/cases/?state=all", 200),  # every case, open ones first, with its count
    ("reviewer", "/admin/cases/export.csv?month=2026-13", 422),  # the export's month refused beside its field
    ("webmaster", "/admin/cases/1151201-900001/", 200),  # received: the assign form
    ("webmaster", "/admin/cases/1151201-900002/", 200),  # assigned: reassign (with reason) and draft forms
    ("reviewer", "/admin/cases/1151201-900003/", 200),  # drafted: approve and return forms
    ("author", "/admin/cases/1151201-900004/", 200),  # answered: the reply sent
    ("author", "/admin/cases/1151201-900005/", 200),  # merged: the case it joined
    ("author", "/admin/cases/1151201-900006/", 200),  # not handled: the §173 text
    ("reviewer", "/admin/cases/1151201-900002/", 200),  # the unit's reviewer: draft, merge and §173 closure forms
    ("author", "/admin/cases/statistics/", 200),  # this year's counts: the chart (img + alt), the tables
    ("reviewer", "/admin/cases/statistics/?year=20x6", 422),  # the year's error summary and field error
]
# The dashboard's per-unit tables, filled by dashboard_sample (an overdue document, a links and an
# a11y run with findings on sec4's pages); the author's dashboard and unit page above show them too.
DASHBOARD_PAGES = [
    ("webmaster", "/admin/units/sec4/", 200),
    ("reviewer", "/admin/second-factor", 200),
]
PAGES += DASHBOARD_PAGES


@pytest.fixture(scope="module")
def admin_server(tmp_path_factory):
    """The back office in its own process, with its demo accounts; stopped after the module."""
    folder = tmp_path_factory.mktemp("admin-server")
    accounts_file, log = folder / "accounts.json", folder / "stderr.log"
    command = [sys.executable, "-m", "a11y_tests.admin_serve", str(accounts_file)]
    with served(command, "the back office", log, env=os.environ | dashboard_sample(folder)) as server:
        yield server, json.loads(accounts_file.read_text("utf-8"))


def dashboard_sample(folder: Path) -> dict[str, str]:
    """The demo content with one of sec4's FAQs made a monthly page (so it is overdue), and an audit
    history whose latest runs found problems on sec4's pages: the settings that point the server at them."""
    import re
    import shutil

    from gongkai.audits.results import Finding
    from gongkai.audits.store import AuditStore, now_iso

    content = folder / "content"
    shutil.copytree(REPO_ROOT / "content", content)
    faq = content / "docs" / "zh" / "faq" / "faq-free-thermometer-check.md"
    faq.write_text(re.sub(r"(?m)^update_cycle: .*$", "update_cycle: monthly", faq.read_text("utf-8"), count=1), "utf-8")
    page = "http://127.0.0.1:5000/faq/faq-free-thermometer-check/"
    broken = Finding("links", "http", "broken https://gone.example.gov.tw/old", "https://gone.example.gov.tw/old", True,
                     "The server answered 404 Not Found.", "Link to the page's new address.", status=404)
    broken.add_page(page)
    contrast = Finding("a11y", "axe", f"axe:color-contrast {page} p.note", page, True,
                       "Elements must meet minimum color contrast ratio thresholds.", "Darken the text.", selector="p.note", criterion="1.4.3")
    contrast.add_page(page)
    history = folder / "audits.sqlite"
    store = AuditStore(history)
    try:
        store.record_run("links", "http://127.0.0.1:5000", [broken], 40, now_iso())
        store.record_run("a11y", "http://127.0.0.1:5000", [contrast], 10, now_iso())
    finally:
        store.close()
    return {"GONGKAI_CONTENT_DIR": str(content), "GONGKAI_LINKS_DB": str(history)}


class Codes:
    """TOTP codes for the demo webmaster, each time step once (the back office refuses a replay)."""

    def __init__(self, secret: str) -> None:
        self.totp, self.last = pyotp.TOTP(secret), 0

    def next(self) -> str:
        while True:
            step = max(int(time.time() // 30), self.last + 1)
            if step <= int(time.time() // 30) + 1:  # the back office accepts one step ahead
                self.last = step
                return self.totp.generate_otp(step)
            time.sleep(1)


@pytest.fixture(scope="module")
def codes(admin_server):
    return Codes(admin_server[1]["webmaster"]["totp"])


def http_sign_in(server: LiveServer, account: dict, codes: Codes, full: bool = True) -> requests.Session:
    import re

    session = requests.Session()

    def token(path: str) -> str:
        return re.search(r'name="csrf_token" value="([^"]+)"', session.get(server.url(path), timeout=30).text).group(1)

    response = session.post(server.url("/admin/sign-in"), data={"name": account["name"], "password": account["password"],
                                                                "csrf_token": token("/admin/sign-in")}, timeout=30)
    if account["totp"] and full:
        response = session.post(server.url(CODE_PAGE), data={"code": codes.next(), "csrf_token": token(CODE_PAGE)}, timeout=30)
    assert response.status_code == 200, response.text[:500]
    return session


@pytest.fixture(scope="module")
def http_sessions(admin_server, codes):
    server, accounts = admin_server
    sessions = {"anonymous": requests.Session(), "password-stage": http_sign_in(server, accounts["webmaster"], codes, full=False)}
    for role in ("author", "reviewer", "webmaster"):
        sessions[role] = http_sign_in(server, accounts[role], codes)
    seed_draft(server, sessions["author"])
    return sessions


def seed_draft(server: LiveServer, author: requests.Session) -> None:
    """The demo author edits 計程車計費表檢定 and submits it, so the draft, revision and review pages exist."""
    from lxml import html

    edit = server.url("/admin/documents/zh-Hant-TW/taxi-meter-verification/edit")
    form = next(f for f in html.fromstring(author.get(edit, timeout=30).text).forms if "base_revision" in f.fields)
    values: dict[str, list[str]] = {}
    for name, value in form.form_values():
        values.setdefault(name, []).append(value)
    values["body"] = [values["body"][0] + "\n\n## 無障礙檢查用的新段落\n\n第四課於每月第一個星期三辦理偏鄉檢定。\n"]
    assert author.post(edit, data=values, timeout=60, allow_redirects=False).status_code == 302
    token = form.fields["csrf_token"]
    assert author.post(server.url("/admin/drafts/1/submit"), data={"csrf_token": token}, timeout=60, allow_redirects=False).status_code == 302


class SignedInBrowser:
    """The gate's one Chromium, signed in as one role at a time (through the real sign-in form)."""

    def __init__(self, browser, server: LiveServer, accounts: dict, codes: Codes) -> None:
        self.browser, self.server, self.accounts, self.codes, self.who = browser, server, accounts, codes, None

    def become(self, who: str) -> None:
        if who == self.who:
            return
        browser = self.browser
        browser.get(self.server.url("/admin/sign-in"))
        browser.delete_all_cookies()
        browser.get(self.server.url("/admin/sign-in"))
        if who != "anonymous":
            account = self.accounts["webmaster" if who == "password-stage" else who]
            browser.find_element(By.ID, "name").send_keys(account["name"])
            browser.find_element(By.ID, "password").send_keys(account["password"])
            browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
            if account["totp"] and who != "password-stage":
                WebDriverWait(browser, 30).until(lambda driver: driver.find_elements(By.ID, "code"))  # the code page, once loaded
                browser.find_element(By.ID, "code").send_keys(self.codes.next())
                browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
            if who != "password-stage":  # the next page waits for the sign-in's own answer (its cookie), not racing it
                # (a click does not wait for the page it leads to: the URL is read only once it has changed)
                WebDriverWait(browser, 30).until(lambda driver: "/admin/sign-in" not in driver.current_url,
                                                 message=f"{who} could not sign in")
        self.who = who

    def open(self, path: str) -> None:
        if path == SIGN_IN_ERRORS:
            self.browser.get(self.server.url("/admin/sign-in"))
            self.browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
            # the answer is a new page: wait for it (read at once, a busy machine still showed the empty form)
            WebDriverWait(self.browser, 60).until(lambda driver: driver.find_elements(By.CSS_SELECTOR, ".error-summary"),
                                                  "the empty sign-in form showed no error summary")
        else:
            self.browser.get(self.server.url(path))


@pytest.fixture(scope="module")
def signed_in(browser, admin_server, codes):
    require_file(REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js", NPM_HINT)
    axe_injected(browser)
    server, accounts = admin_server
    yield SignedInBrowser(browser, server, accounts, codes)
    browser.delete_all_cookies()


@pytest.mark.parametrize(("who", "path", "status"), PAGES, ids=[f"{who}:{path}" for who, path, _ in PAGES])
def test_axe(signed_in, http_sessions, admin_server, who, path, status):
    server, _ = admin_server
    if path not in (SIGN_IN_ERRORS,):
        assert http_sessions[who].get(server.url(path), timeout=30, allow_redirects=False).status_code == status
    signed_in.become(who)
    problems = []
    set_viewport(signed_in.browser, DESKTOP)
    signed_in.open(path)
    if violations := run_axe(signed_in.browser):
        problems.append(describe(violations, DESKTOP[0]))
    set_viewport(signed_in.browser, NARROW)
    layout = signed_in.browser.execute_script(OVERFLOW)
    if violations := run_axe(signed_in.browser):
        problems.append(describe(violations, NARROW[0]))
    if scroll := horizontal_scroll(layout):
        problems.append(scroll)
    set_viewport(signed_in.browser, DESKTOP)
    assert not problems, f"{who} {path}\n" + "\n\n".join(problems)


def run_pa11y_ci(urls: list[dict], concurrency: int) -> None:
    require_file(PA11Y_CI, NPM_HINT)
    npx = require_program("npx", "install Node.js 20 or newer (Debian: nodejs npm)")
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as config:
        json.dump({"defaults": pa11y_defaults(["axe", "htmlcs"], concurrency=concurrency), "urls": urls}, config)
    try:
        env = dict(os.environ, PUPPETEER_SKIP_DOWNLOAD="1", NO_COLOR="1", FORCE_COLOR="0")
        result = subprocess.run([npx, "--no-install", "pa11y-ci", "--config", config.name], cwd=REPO_ROOT, env=env,
                                capture_output=True, text=True, timeout=900, stdin=subprocess.DEVNULL)
    finally:
        Path(config.name).unlink()
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"pa11y-ci exited {result.returncode}:\n{output.strip()}"
    assert f"{len(urls)}/{len(urls)} URLs passed" in output, output


def test_pa11y_ci(admin_server, http_sessions):
    """pa11y-ci with the product's defaults, each page fetched with its role's session cookie."""
    server, _ = admin_server
    urls = []
    for who, path, _status in PAGES:
        if path != SIGN_IN_ERRORS:
            cookie = "; ".join(f"{c.name}={c.value}" for c in http_sessions[who].cookies)
            urls.append({"url": server.url(path), "headers": {"Cookie": cookie} if cookie else {}})
    run_pa11y_ci(urls, concurrency=2)


def test_pa11y_ci_sign_in_errors(admin_server):
    """The sign-in page sent empty, through pa11y's own actions. Alone, in a run of its own: pa11y-ci's
    pages share one cookie jar, and another page's new session would make this form's CSRF token stale."""
    server, _ = admin_server
    run_pa11y_ci([{"url": server.url("/admin/sign-in"),
                   "actions": ["click element main form button[type=submit]", "wait for element .error-summary to be visible"]}],
                 concurrency=1)


def test_nu_html_checker(admin_server, http_sessions, tmp_path):
    server, _ = admin_server
    files = {}
    for number, (who, path, status) in enumerate(PAGES):
        if path == SIGN_IN_ERRORS:
            continue
        response = http_sessions[who].get(server.url(path), timeout=30, allow_redirects=False)
        assert response.status_code == status, f"{who} {path}: {response.status_code}"
        file = tmp_path / f"{number:02d}-{who}.html"
        file.write_text(response.text, encoding="utf-8")
        files[file] = f"{who} {path}"
    errors = nu_checker_errors(files)
    assert not errors, f"the Nu HTML Checker found {len(errors)} error(s):\n" + "\n".join(errors)


def test_the_dashboard_pages_checked_show_their_tables(admin_server, http_sessions):
    """The gate checks the dashboard's tables only if they are there: the sample must fill them."""
    server, _ = admin_server
    unit_page = http_sessions["webmaster"].get(server.url("/admin/units/sec4/"), timeout=30).text
    for caption in ("第四課逾期未更新的文件", "第四課頁面上的連結問題", "第四課頁面上的無障礙問題"):
        assert caption in unit_page, caption
    assert "各單位待處理事項" in http_sessions["author"].get(server.url("/admin/"), timeout=30).text
    assert 'class="qr-code"' in http_sessions["reviewer"].get(server.url("/admin/second-factor"), timeout=30).text


# (who, page, id of the field to empty, the button's text): forms sent back with their errors
REFUSED_FORMS = [
    ("author", "/admin/documents/zh-Hant-TW/unit-sec4/edit", "f-title", "儲存為新版本"),  # a unit page: a group of fields too
    ("reviewer", "/admin/drafts/1/review", "review-comment", "退回修改"),
    ("reviewer", "/admin/documents/zh-Hant-TW/taxi-meter-verification/withdraw", "review-reason", "下架"),
    ("author", "/admin/cases/1151201-900002/", "case-reply", "送出答復待核可"),  # 意見信箱: an empty reply
    ("webmaster", "/admin/cases/1151201-900002/", "case-tier-reason", "變更類別並重新計算期限"),  # a tier change without its reason
    ("webmaster", "/admin/cases/1151201-900002/", "case-merge-into", "併入該案並結束本案"),  # a merge without a number
    ("webmaster", "/admin/cases/1151201-900002/", "case-closure-reason", "不予處理並結案"),  # §173 with no reason chosen (a select)
]


@pytest.mark.parametrize(("who", "path", "field", "button"), REFUSED_FORMS, ids=[f"{who}:{path}" for who, path, _, _ in REFUSED_FORMS])
def test_axe_on_forms_sent_back_with_errors(signed_in, http_sessions, who, path, field, button):
    """The editing and workflow forms after a refused send: error summary, messages beside their fields."""

    signed_in.become(who)
    signed_in.open(path)
    found = signed_in.browser.find_elements(By.ID, field)
    assert found, f"{who} {path}: {signed_in.browser.title}\n{signed_in.browser.find_element(By.TAG_NAME, 'main').text[:1500]}"
    if found[0].tag_name != "select":  # a select is left at its first, empty choice
        found[0].clear()
    next(b for b in signed_in.browser.find_elements(By.CSS_SELECTOR, "main button") if button in b.text).click()
    WebDriverWait(signed_in.browser, 30).until(lambda driver: driver.find_elements(By.CSS_SELECTOR, ".error-summary"))
    assert signed_in.browser.find_elements(By.ID, f"{field}-error")
    violations = run_axe(signed_in.browser)
    assert not violations, describe(violations, DESKTOP[0])


def test_axe_on_the_account_page_with_a_head_refused(signed_in):
    """The webmaster's account page after asking for the head of a unit the account is not in (422):
    the error summary, the message beside the heads' checkboxes, the ticks kept."""
    signed_in.become("webmaster")
    signed_in.open("/admin/accounts/1")  # demo-author, of 第四課 only
    signed_in.browser.find_element(By.CSS_SELECTOR, "input[name=heads][value=sec1]").click()
    signed_in.browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(signed_in.browser, 30).until(lambda driver: driver.find_elements(By.CSS_SELECTOR, ".error-summary"))
    assert signed_in.browser.find_elements(By.ID, "heads-error")
    assert signed_in.browser.find_element(By.CSS_SELECTOR, "input[name=heads][value=sec1]").is_selected()
    violations = run_axe(signed_in.browser)
    assert not violations, describe(violations, DESKTOP[0])
