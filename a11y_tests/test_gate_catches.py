"""The gate itself: each check fails on a page made to break it (a gate that cannot fail is no gate).

Known-bad HTML goes through the same functions as the site's pages: the convention checks via
a stand-in `fetch`, axe and the 320 px reflow check in the session's Chromium (a data: URL).
"""

from __future__ import annotations

import urllib.parse

import pytest

from a11y_tests import test_axe, test_conventions
from a11y_tests.conftest import Fetched
from a11y_tests.support import NARROW, PageCase, set_viewport

GOOD_HEAD = (
    "<head><meta charset='utf-8'><title>t</title>"
    + "".join(f"<meta name='{name}' content='x'>" for name in test_conventions.META_NAMES if name != "DC.Date")
    + "<meta name='DC.Date' content='2025-01-31'></head>"
)
GOOD_BODY = (
    "<a href='#main'>跳到主要內容</a><a href='#u' accesskey='U'>:::</a><a href='#s' accesskey='S'>:::</a>"
    "<noscript>ok</noscript><main id='main'><a href='#c' accesskey='C'>:::</a><h1>t</h1><h2>s</h2>"
    "<a href='/f.odt' download>f</a></main><footer><a href='#z' accesskey='Z'>:::</a></footer>"
)
GOOD = f"<!doctype html><html lang='zh-Hant-TW'>{GOOD_HEAD}<body>{GOOD_BODY}</body></html>"

BROKEN = {
    "test_skip_link_is_first_and_targets_main": GOOD.replace("<a href='#main'>跳到主要內容</a>", "").replace(
        "<main id='main'>", "<main id='main'><a href='#main'>跳到主要內容</a>"
    ),
    "test_access_keys": GOOD.replace("accesskey='Z'", ""),
    "test_noscript_and_lang": GOOD.replace("lang='zh-Hant-TW'", "lang='en'"),
    "test_metadata": GOOD.replace("content='2025-01-31'", "content='2025/01/31'"),
    "test_one_h1_and_no_skipped_heading_level": GOOD.replace("<h2>s</h2>", "<h4>s</h4>"),
    "test_downloads_are_open_formats": GOOD.replace("/f.odt", "/f.docx"),
}


def stand_in_fetch(text: str):
    return lambda path: Fetched("http://test" + path, 200, "text/html; charset=utf-8", text)


@pytest.mark.parametrize("check", sorted(BROKEN))
def test_convention_check_passes_good_and_fails_broken(check):
    run = getattr(test_conventions, check)
    page = PageCase("/good/")
    run(stand_in_fetch(GOOD), page)
    with pytest.raises(AssertionError):
        run(stand_in_fetch(BROKEN[check]), page)


def test_axe_and_reflow_checks_fail_a_broken_page(browser):
    html = (
        "<!doctype html><html><head><title>x</title></head><body>"
        "<img src='x.png'><p style='color:#bbb;background:#fff'>low contrast</p>"
        "<div style='width:600px'>too wide</div></body></html>"
    )
    test_axe.axe_injected(browser)
    set_viewport(browser, NARROW)
    browser.get("data:text/html;charset=utf-8," + urllib.parse.quote(html))
    rules = {v["id"] for v in test_axe.run_axe(browser)}
    assert {"image-alt", "color-contrast", "html-has-lang"} <= rules, rules
    assert test_axe.horizontal_scroll(browser.execute_script(test_axe.OVERFLOW)), "a 600 px block at 320 px was not reported"
