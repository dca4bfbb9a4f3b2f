"""Keyboard only, in Chromium: Tab and Enter sent to whatever element has focus, as a person would.

From the home page: the first Tab lands on the skip link, which is then visible; Enter moves
focus to the main content (the next Tab stays inside <main>). Then, from the home page again, on
to the forms list, a form's page, and its download link: focusable, visibly focused, and its
address answers 200 with an OpenDocument content type.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest
import requests
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from a11y_tests.support import DESKTOP, set_viewport

MAX_TABS = 400  # more Tab presses than any page has links: a page that needs more is a finding too

FOCUS_STATE = """
const el = document.activeElement;
const main = document.querySelector('main');
const box = el ? el.getBoundingClientRect() : null;
const style = el ? getComputedStyle(el) : null;
return {
  tag: el ? el.tagName.toLowerCase() : null,
  href: el && el.getAttribute('href'),
  absolute: el && el.href || null,
  text: el ? (el.innerText || el.value || '').trim().slice(0, 80) : '',
  download: !!(el && el.hasAttribute('download')),
  isMain: el === main,
  inMain: !!(main && el && main.contains(el)),
  visible: !!(box && box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
              && box.top < innerHeight && box.left < innerWidth),
  outline: style ? (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none' : false,
  hash: location.hash,
  mainTop: main ? main.getBoundingClientRect().top : null,
  scrollY: scrollY,
  maxScroll: document.documentElement.scrollHeight - innerHeight,
};
"""


def press(browser, key) -> dict:
    browser.switch_to.active_element.send_keys(key)
    return browser.execute_script(FOCUS_STATE)


def tab_until(browser, wanted, what: str) -> dict:
    """Press Tab until `wanted(focus state)`; fail naming what was reached instead."""
    seen = []
    for _ in range(MAX_TABS):
        state = press(browser, Keys.TAB)
        if wanted(state):
            return state
        seen.append(f"{state['tag']} {state['href'] or ''} {state['text']!r}")
    pytest.fail(
        f"{MAX_TABS} Tab presses on {browser.current_url} never reached {what}; focus went through:\n  " + "\n  ".join(seen[:60]),
        pytrace=False,
    )


def follow(browser, state: dict) -> None:
    """Press Enter on the focused link and wait for its page to load."""
    target = state["absolute"]
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    WebDriverWait(browser, 30).until(
        lambda b: b.current_url.split("#")[0] == target.split("#")[0] and b.execute_script("return document.readyState") == "complete",
        message=f"Enter on the link {state['text']!r} did not open {target} (still at {browser.current_url})",
    )


def path(state: dict) -> str:
    return urlsplit(state["absolute"] or "").path


def is_form_page_link(state: dict) -> bool:
    parts = [p for p in path(state).split("/") if p]
    return (
        state["tag"] == "a" and state["inMain"] and len(parts) == 2 and parts[0] == "forms" and parts[1] not in ("unit", "service", "page")
    )


def is_form_download(state: dict) -> bool:
    return state["tag"] == "a" and (state["download"] or path(state).lower().endswith((".odt", ".ods")))


@pytest.fixture
def home(browser, live_server):
    set_viewport(browser, DESKTOP)
    browser.get(live_server.url("/"))
    return browser


def test_skip_link_moves_focus_to_main(home):
    state = press(home, Keys.TAB)
    assert state["tag"] == "a" and state["href"] == "#main", (
        f"the first Tab reached {state['tag']} {state['href']!r} {state['text']!r}, not the skip link"
    )
    assert state["visible"], "the skip link is focused but not visible on screen (WCAG 2.4.7)"
    assert state["outline"], "the focused skip link shows no focus indicator (outline or box-shadow)"

    state = press(home, Keys.ENTER)
    assert state["hash"] == "#main", f"Enter on the skip link left location.hash = {state['hash']!r}"
    scrolled = state["mainTop"] is not None and (abs(state["mainTop"]) <= 2 or state["scrollY"] >= state["maxScroll"] - 1)
    assert state["isMain"] or state["inMain"] or scrolled, (
        f"after Enter on the skip link, focus is on {state['tag']} {state['text']!r} outside <main>, and <main> is not scrolled into view"
    )
    state = press(home, Keys.TAB)
    assert state["inMain"], f"after the skip link, the next Tab went to {state['tag']} {state['href']!r} {state['text']!r}, outside <main>"


def test_keyboard_reaches_a_form_download(home, live_server):
    forms = tab_until(home, lambda s: s["tag"] == "a" and path(s).rstrip("/") == "/forms", "a link to the forms list (/forms/)")
    follow(home, forms)
    form = tab_until(home, is_form_page_link, "a link to a form's page (/forms/<id>/) inside <main>")
    follow(home, form)
    download = tab_until(home, is_form_download, "a form download link (a[download] or .odt/.ods)")
    assert download["visible"], f"the focused download link {download['text']!r} is not on screen"
    assert download["outline"], f"the focused download link {download['text']!r} shows no focus indicator"

    print(f"keyboard: / -> {path(forms)} -> {path(form)} -> {download['href']} ({download['text']})")
    url = urljoin(live_server.base_url + "/", download["href"])
    response = requests.get(url, timeout=30)
    content_type = response.headers.get("Content-Type", "")
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    assert content_type.startswith("application/vnd.oasis.opendocument."), f"{url} is served as {content_type!r}, not an ODF type"
