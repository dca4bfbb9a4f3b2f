"""The 意見信箱's citizen pages through the same gate as the rest of the site: axe-core (WCAG 2.2
A/AA tags, desktop and 320 px reflow) in Chromium, pa11y-ci (axe + HTML_CodeSniffer) and the Nu
HTML checker — on a live site with the mailbox on 127.0.0.1 (a11y_tests.mailbox_serve), in each
state: the form, empty-sent with its error summary, sent; the confirmation page and the case
number shown after it; an expired link; 案件查詢, its errors, an answered case with its rating
and reopening forms, a §173 closure, a merged case. And the whole journey by keyboard only.
"""

from __future__ import annotations

import json
import re
import sys

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from a11y_tests.conftest import LiveServer, served
from a11y_tests.support import DESKTOP, NARROW, NPM_HINT, REPO_ROOT, nu_checker_errors, require_file, set_viewport
from a11y_tests.test_admin_pages import run_pa11y_ci
from a11y_tests.test_axe import OVERFLOW, axe_injected, describe, horizontal_scroll, run_axe

# name → how the page is reached: ("get", path) or an action in the browser / over HTTP
PAGES = ["form", "form_en", "form_errors", "sent", "confirm", "confirmed", "expired", "lookup", "lookup_en", "lookup_errors",
         "case_answered", "case_not_handled", "case_merged"]


@pytest.fixture(scope="module")
def mailbox_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mailbox-server")
    cases_file, log = folder / "cases.json", folder / "stderr.log"
    command = [sys.executable, "-m", "a11y_tests.mailbox_serve", str(cases_file)]
    with served(command, "the site with the mailbox", log) as server:
        yield server, json.loads(cases_file.read_text("utf-8"))


def path_of(name: str, seeded: dict) -> str:
    return {"form": "/mailbox/", "form_en": "/en/mailbox/", "form_errors": "/mailbox/", "sent": "/mailbox/",
            "confirm": f"/mailbox/confirm/{seeded['confirm']}/", "confirmed": f"/mailbox/confirm/{seeded['confirm_post']}/",
            "expired": "/mailbox/confirm/no-such-link/", "lookup": "/mailbox/lookup/", "lookup_en": "/en/mailbox/lookup/",
            "lookup_errors": "/mailbox/lookup/", "case_answered": "/mailbox/lookup/", "case_not_handled": "/mailbox/lookup/",
            "case_merged": "/mailbox/lookup/"}[name]


def appears(browser, selector: str, timeout: float = 15) -> bool:
    """Whether an element of the page that a click led to shows up (the click does not wait for the new page)."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        WebDriverWait(browser, timeout).until(lambda driver: driver.find_elements(By.CSS_SELECTOR, selector))
    except TimeoutException:
        return False
    return True


def fill_form(browser) -> None:
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element(By.ID, "category")).select_by_value("question")
    for field, value in (("subject", "檢定費用"), ("message", "請問檢定費用多少？"), ("name", "王小明"), ("email", "wang@example.com")):
        browser.find_element(By.ID, field).send_keys(value)
    browser.find_element(By.ID, "consent").click()


def open_in_browser(browser, server: LiveServer, seeded: dict, name: str) -> None:
    browser.get(server.url(path_of(name, seeded)))
    submit = "main form button[type=submit]"
    if name in ("form_errors", "lookup_errors"):
        browser.find_element(By.CSS_SELECTOR, submit).click()
        assert appears(browser, ".error-summary"), f"{name}: no error summary"
    elif name == "sent":
        fill_form(browser)
        browser.find_element(By.CSS_SELECTOR, submit).click()
        assert appears(browser, "main p.lead"), "the sent page did not come"
    elif name == "confirmed":
        browser.find_element(By.CSS_SELECTOR, submit).click()
        assert appears(browser, "#case-number"), "the case number was not shown"
    elif name.startswith("case_"):
        case = seeded[name.removeprefix("case_")]
        browser.find_element(By.ID, "number").send_keys(case["number"])
        browser.find_element(By.ID, "password").send_keys(case["password"])
        browser.find_element(By.CSS_SELECTOR, submit).click()
        assert appears(browser, "#case-state"), f"{name}: the case was not shown"


def fetch_over_http(server: LiveServer, seeded: dict, name: str) -> requests.Response:
    path, session = path_of(name, seeded), requests.Session()
    if name in ("form_errors", "sent"):
        start = re.search(r'name="start" value="([^"]+)"', session.get(server.url(path), timeout=30).text).group(1)
        data = {"start": start}
        if name == "sent":
            data |= {"category": "question", "subject": "檢定費用", "message": "請問？", "name": "王小明", "email": "lin@example.com",
                     "consent": "yes"}
        return session.post(server.url(path), data=data, timeout=30)
    if name == "lookup_errors":
        return session.post(server.url(path), data={}, timeout=30)
    if name.startswith("case_"):
        return session.post(server.url(path), data=seeded[name.removeprefix("case_")], timeout=30)
    if name == "confirmed":
        return session.post(server.url(path), timeout=30)
    return session.get(server.url(path), timeout=30)


@pytest.fixture(scope="module")
def mailbox_browser(browser):
    require_file(REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js", NPM_HINT)
    axe_injected(browser)
    return browser


@pytest.mark.parametrize("name", PAGES)
def test_mailbox_axe(mailbox_browser, mailbox_server, name):
    server, seeded = mailbox_server
    problems = []
    set_viewport(mailbox_browser, DESKTOP)
    open_in_browser(mailbox_browser, server, seeded, name)
    if violations := run_axe(mailbox_browser):
        problems.append(describe(violations, DESKTOP[0]))
    set_viewport(mailbox_browser, NARROW)
    layout = mailbox_browser.execute_script(OVERFLOW)
    if violations := run_axe(mailbox_browser):
        problems.append(describe(violations, NARROW[0]))
    if scroll := horizontal_scroll(layout):
        problems.append(scroll)
    set_viewport(mailbox_browser, DESKTOP)
    assert not problems, f"{name}\n" + "\n\n".join(problems)


def test_mailbox_nu_html_checker(mailbox_server, tmp_path):
    server, seeded = mailbox_server
    files = {}
    for number, name in enumerate(PAGES):
        response = fetch_over_http(server, seeded, name)
        assert response.status_code < 500, f"{name}: {response.status_code}"
        file = tmp_path / f"{number:02d}-{name}.html"
        file.write_text(response.text, encoding="utf-8")
        files[file] = name
    errors = nu_checker_errors(files)
    assert not errors, f"the Nu HTML Checker found {len(errors)} error(s):\n" + "\n".join(errors)


def test_mailbox_pa11y_ci(mailbox_server):
    """pa11y-ci on the pages reached by a link, and on the two forms sent empty through pa11y's own actions."""
    server, seeded = mailbox_server
    urls = [{"url": server.url(path_of(name, seeded))} for name in ("form", "form_en", "confirm", "expired", "lookup", "lookup_en")]
    urls += [{"url": server.url(path_of(name, seeded)),
              "actions": ["click element main form button[type=submit]", "wait for element .error-summary to be visible"]}
             for name in ("form_errors", "lookup_errors")]
    run_pa11y_ci(urls, concurrency=2)


def test_mailbox_by_keyboard_only(mailbox_browser, mailbox_server):
    """Tab to each field, type, tick the consent with the space bar, send with Enter; follow the
    mailed link's page, confirm by keyboard, and look the case up by keyboard."""
    from selenium.webdriver.common.action_chains import ActionChains

    server, seeded = mailbox_server
    browser = mailbox_browser
    set_viewport(browser, DESKTOP)
    browser.get(server.url("/mailbox/"))
    browser.execute_script("document.getElementById('category').focus()")  # where Tabs from the page's top arrive
    keys = ActionChains(browser)
    keys.send_keys(Keys.ARROW_DOWN).send_keys(Keys.TAB).send_keys("鍵盤送出的意見").send_keys(Keys.TAB).send_keys("只用鍵盤填寫。")
    keys.send_keys(Keys.TAB).send_keys(Keys.TAB).send_keys("林鍵盤").send_keys(Keys.TAB).send_keys("keys@example.com").send_keys(Keys.TAB)
    keys.send_keys(Keys.TAB).send_keys(Keys.TAB).send_keys(Keys.SPACE).perform()  # phone empty, the privacy link, then the box
    assert browser.switch_to.active_element.get_attribute("id") == "consent"
    assert browser.find_element(By.ID, "consent").is_selected()
    ActionChains(browser).send_keys(Keys.TAB).send_keys(Keys.ENTER).perform()
    assert appears(browser, "main p.lead") and "keys@example.com" in browser.find_element(By.TAG_NAME, "main").text
    # confirmation (the link's page) by keyboard
    browser.get(server.url(f"/mailbox/confirm/{seeded['confirm']}/"))
    button = browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]")
    button.send_keys(Keys.ENTER)
    assert appears(browser, "#case-number")
    number = browser.find_element(By.ID, "case-number").text
    password = browser.find_element(By.ID, "case-password").text
    browser.get(server.url("/mailbox/lookup/"))
    browser.find_element(By.ID, "number").send_keys(number, Keys.TAB, password, Keys.ENTER)
    assert appears(browser, "#case-state")
    assert browser.find_element(By.ID, "case-state").text == "已收件，待分派"
