"""The search pages through the site's accessibility gate (axe, WCAG 2.2 A/AA, desktop and
320 px reflow): results, no results, the advanced form and the 400 page — pages the sitemap
cannot list because they live behind query strings. Fails, like the gate, when Chromium or
axe-core is missing."""

from __future__ import annotations

import threading

import pytest

# Imported, not importorskip'ed: the gate's helpers are part of this repository, so their absence is
# a failure of the suite, never a reason to skip these pages.
from a11y_tests import support
from a11y_tests import test_axe as axe

PAGES = ["/search/?q=減定 水量計", "/search/?q=qqqzzzxxx", "/search/", "/search/?page=abc", "/en/search/?q=taxi meter&sort=date"]


@pytest.fixture(scope="module")
def server(search_app):
    from werkzeug.serving import make_server

    httpd = make_server("127.0.0.1", 0, search_app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def chromium():
    # missing tools fail, as in the rest of the gate: a skip would drop these pages from it unseen
    support.require_file(support.AXE_JS, support.NPM_HINT)
    from a11y_tests.conftest import browser

    generator = browser.__wrapped__()
    driver = next(generator)
    axe.axe_injected(driver)
    yield driver
    generator.close()


@pytest.mark.parametrize("path", PAGES)
def test_search_page_passes_axe(chromium, server, path):
    for size in (support.DESKTOP, support.NARROW):
        support.set_viewport(chromium, size)
        chromium.get(server + path)
        violations = axe.run_axe(chromium)
        assert not violations, axe.describe(violations, size[0])
        layout = chromium.execute_script(axe.OVERFLOW)
        assert layout["scrollWidth"] <= layout["clientWidth"] + 1, axe.horizontal_scroll(layout)
