"""What the accessibility tests share besides fixtures: where the tools are, which pages to check.

The pages come from the site's own /sitemap.xml (plus one missing path, for the 404 page). The
list is read at collection time through Flask's test client, so that every page is its own
parametrised test with its path as the test id; the tests then talk to a real HTTP server on
127.0.0.1 (conftest.live_server), as pa11y, Chromium and a person do.
"""

from __future__ import annotations

import functools
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import etree

REPO_ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = REPO_ROOT / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
PA11Y_CI = NODE_MODULES / ".bin" / "pa11y-ci"
PA11YCI_CONFIG = Path(__file__).resolve().parent / "pa11yci.json"

CHROMIUM = os.environ.get("GONGKAI_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("GONGKAI_CHROMEDRIVER", "/usr/bin/chromedriver")
# The same flags as pa11yci.json. Without the background-networking ones Chromium keeps trying
# to reach Google's hosts, which a closed CI network refuses, many times a second.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
DESKTOP = (1280, 1024)
NARROW = (320, 640)  # WCAG 1.4.10: 1280 CSS px at 400 % zoom

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
MISSING_PATH = "/a11y-check-this-page-does-not-exist"

SYSTEM_DEPS_HINT = "run scripts/install_system_deps.sh (or 'make test')"
NPM_HINT = "run 'npm ci --ignore-scripts' in the repository root (or 'make test')"


# --------------------------------------------------------------------------- the app and its pages


@functools.cache
def the_app():
    """One application per test run: the same object serves the test client and the live server.

    Content reloading is off: the gate checks one build of the content, start to end.
    """
    from gongkai.app import create_app

    return create_app({"CONTENT_RELOAD_SECONDS": 0})


def sitemap_locs(xml_bytes: bytes) -> list[str]:
    """The <loc> of every <url> in a sitemap (namespaced or not), in document order."""
    root = etree.fromstring(xml_bytes)
    locs = root.xpath("//sm:url/sm:loc/text()", namespaces=SITEMAP_NS) or root.xpath("//url/loc/text()")
    return [loc.strip() for loc in locs if loc.strip()]


def path_of(url: str) -> str:
    """'/en/news/?page=2' from 'http://host:port/en/news/?page=2'."""
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


@functools.cache
def sitemap_paths() -> tuple[str, ...]:
    """The path of every page in /sitemap.xml, read through the test client (no server needed)."""
    response = the_app().test_client().get("/sitemap.xml")
    if response.status_code != 200:
        raise RuntimeError(f"/sitemap.xml answered {response.status_code}, expected 200")
    paths = list(dict.fromkeys(path_of(loc) for loc in sitemap_locs(response.data)))
    if not paths:
        raise RuntimeError("/sitemap.xml lists no <url><loc>: nothing to check")
    return tuple(paths)


def is_english(path: str) -> bool:
    return path == "/en" or path.startswith("/en/")


@dataclass(frozen=True)
class PageCase:
    """One page to check: its path, and the HTTP status it must answer with.

    `error` is set instead when the list of pages could not be read: that one case then fails
    with the reason, rather than a collection crash that would hide every other test's result.
    """

    path: str
    status: int = 200
    error: str = ""

    @property
    def lang(self) -> str:
        return "en" if is_english(self.path) else "zh-Hant-TW"


def page_params(include_404: bool) -> list:
    try:
        cases = [pytest.param(PageCase(p), id=p) for p in sitemap_paths()]
    except Exception as error:  # noqa: BLE001 - reported by require_page as a test failure
        return [pytest.param(PageCase("", 0, f"{type(error).__name__}: {error}"), id="sitemap-unavailable")]
    if include_404:
        cases.append(pytest.param(PageCase(MISSING_PATH, 404), id="404"))
    return cases


def require_page(page: PageCase) -> PageCase:
    if page.error:
        pytest.fail(f"could not read the list of pages from /sitemap.xml: {page.error}", pytrace=False)
    return page


# --------------------------------------------------------------------------- tools outside Python


def require_file(path: Path, how_to_get_it: str) -> Path:
    if not path.is_file():
        pytest.fail(f"{path} is missing: {how_to_get_it}", pytrace=False)
    return path


def require_program(name: str, how_to_get_it: str) -> str:
    found = shutil.which(name)
    if not found:
        pytest.fail(f"{name} is not installed: {how_to_get_it}", pytrace=False)
    return found


def set_viewport(driver, size: tuple[int, int]) -> None:
    """Emulate a CSS viewport of exactly `size`.

    Device-metrics emulation, not a window resize: a window has a minimum width and would not
    go down to 320 px. `mobile: False` keeps desktop layout rules, which is what WCAG 1.4.10
    reflow means (a desktop browser zoomed to 400 %), not a phone's viewport handling.
    """
    width, height = size
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )
