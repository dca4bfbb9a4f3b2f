"""Fixtures of the accessibility gate: the live server, page fetching, one Chromium, pa11y-ci.

`page` parametrises a test over every sitemap page plus the 404 page, `sitemap_page` over the
sitemap pages only (see support.py for how the list is read).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import select
import shutil
import subprocess
import tempfile
import threading
import time
import typing
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
from lxml import html

from a11y_tests.support import (
    CHROMEDRIVER,
    CHROMIUM,
    CHROMIUM_FLAGS,
    DESKTOP,
    MISSING_PATH,
    NPM_HINT,
    PA11Y_CI,
    REPO_ROOT,
    SYSTEM_DEPS_HINT,
    gone_paths,
    pa11y_defaults,
    page_params,
    require_file,
    require_program,
    server_command,
    tail,
)

PA11Y_TEST_FILE = "test_pa11y.py"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "page" in metafunc.fixturenames:
        metafunc.parametrize("page", page_params(include_404=True))
    if "sitemap_page" in metafunc.fixturenames:
        metafunc.parametrize("sitemap_page", page_params(include_404=False))


def pytest_collection_modifyitems(session, config, items) -> None:
    """pa11y-ci runs in the background from the first test on (see `pa11y_ci`); its test goes
    last, so that the browser tests run while pa11y mostly waits for pages to go network-idle."""
    items.sort(key=lambda item: item.path.name == PA11Y_TEST_FILE)


# --------------------------------------------------------------------------- the live server


@dataclass(frozen=True)
class LiveServer:
    base_url: str  # http://127.0.0.1:PORT, no trailing slash
    port: int

    def url(self, path: str) -> str:
        return urljoin(self.base_url + "/", path.lstrip("/"))


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The site on 127.0.0.1 at a free port, in its own process (a11y_tests.serve); stopped after the session."""
    log = tmp_path_factory.mktemp("live-server") / "stderr.log"
    with served(server_command(), "the site (python -m a11y_tests.serve)", log) as server:
        yield server


@contextlib.contextmanager
def served(command: list[str], what: str, log: Path, env: dict[str, str] | None = None) -> typing.Iterator[LiveServer]:
    """A server process that prints 'PORT <n>' when it listens on 127.0.0.1; stopped on leaving.
    A server that does not start fails the test with the end of its log."""
    with log.open("wb") as stderr:
        process = subprocess.Popen(command, cwd=REPO_ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=stderr,
                                   env=env)
    try:
        port = read_port(process, timeout=300)
        if port is None:
            process.kill()
            process.wait()
            pytest.fail(f"{what} did not start:\n{tail(log.read_text('utf-8', 'replace'))}", pytrace=False)
        yield LiveServer(base_url=f"http://127.0.0.1:{port}", port=port)
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        process.stdout.close()


def read_port(process: subprocess.Popen, timeout: float) -> int | None:
    """The port from the server's first line, 'PORT <n>'; None if it exits or stays silent."""
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    line = process.stdout.readline().decode("ascii", "replace") if ready else ""
    match = re.fullmatch(r"PORT (\d+)\s*", line)
    return int(match.group(1)) if match else None


@dataclass(frozen=True)
class Fetched:
    url: str
    status: int
    content_type: str
    text: str

    def tree(self):
        return html.document_fromstring(self.text)


@pytest.fixture(scope="session")
def fetch(live_server):
    """fetch(path) -> Fetched from the live server; each path is fetched once per session."""
    session = requests.Session()
    cache: dict[str, Fetched] = {}
    lock = threading.Lock()

    def get(path: str) -> Fetched:
        with lock:
            if path not in cache:
                url = live_server.url(path)
                response = session.get(url, timeout=30, allow_redirects=False)
                response.encoding = response.encoding or "utf-8"
                cache[path] = Fetched(url, response.status_code, response.headers.get("Content-Type", ""), response.text)
            return cache[path]

    yield get
    session.close()


# --------------------------------------------------------------------------- one Chromium


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the session, driven by Debian's chromedriver.

    A fresh profile folder each run; scrollbars hidden. Tests set the viewport they need
    (support.set_viewport).
    """
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must never fetch a driver or browser
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    require_program(CHROMIUM, SYSTEM_DEPS_HINT)
    require_program(CHROMEDRIVER, SYSTEM_DEPS_HINT)
    profile = tempfile.mkdtemp(prefix="gongkai-a11y-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={DESKTOP[0]},{DESKTOP[1]}")
    service = Service(CHROMEDRIVER, log_output=subprocess.DEVNULL)
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_script_timeout(120)
    driver.set_page_load_timeout(60)
    # Headless Chromium draws 15 px classic scrollbars at any width. At 400 % zoom a scrollbar is
    # under 4 CSS px and phones overlay theirs, so with them a 320 px page would have only 305 px
    # and fail reflow where no reader would. Takes effect from the next page load on.
    driver.execute_cdp_cmd("Emulation.setScrollbarsHidden", {"hidden": True})
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


# --------------------------------------------------------------------------- pa11y-ci


@dataclass
class Pa11yRun:
    """pa11y-ci started in the background; `wait()` returns (exit code, output, seconds)."""

    command: list[str]
    process: subprocess.Popen
    output: typing.IO[bytes]
    started: float

    def wait(self, timeout: float) -> tuple[int, str, float]:
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        self.output.seek(0)
        text = self.output.read().decode("utf-8", "replace")
        return code, text, time.monotonic() - self.started


@pytest.fixture(scope="session")
def pa11y_ci(live_server, tmp_path_factory):
    """pa11y-ci over the live server's sitemap plus the 404 and 410 pages, started at once in the background.

    The configuration holds only `defaults`, the product's own (gongkai.audits.accessibility.browser):
    pa11y-ci *adds* the sitemap's URLs to the config's `urls`, so a list there would be checked on
    top of the sitemap.
    """
    require_file(PA11Y_CI, NPM_HINT)
    npx = require_program("npx", "install Node.js 20 or newer (Debian: nodejs npm)")
    config = tmp_path_factory.mktemp("pa11y") / "pa11yci.json"
    config.write_text(json.dumps({"defaults": pa11y_defaults(["axe", "htmlcs"], concurrency=4)}), encoding="utf-8")
    command = [
        npx,
        "--no-install",
        "pa11y-ci",
        "--config",
        str(config),
        "--sitemap",
        live_server.url("/sitemap.xml"),
        # The sitemap's URLs are absolute and may name the public host (BASE_URL): test this server.
        "--sitemap-find",
        r"^https?://[^/]+",
        "--sitemap-replace",
        live_server.base_url,
        live_server.url(MISSING_PATH),
        *(live_server.url(path) for path in gone_paths()),
    ]
    env = dict(os.environ, PUPPETEER_SKIP_DOWNLOAD="1", NO_COLOR="1", FORCE_COLOR="0")
    output = tempfile.TemporaryFile()  # noqa: SIM115 - closed by this fixture after the session
    process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT)
    run = Pa11yRun(command, process, output, time.monotonic())
    try:
        yield run
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        output.close()


@pytest.fixture(scope="session", autouse=True)
def _start_pa11y_early(request):
    """Start pa11y-ci with the first test when its test is selected (it is waited for last)."""
    if any(item.path.name == PA11Y_TEST_FILE for item in request.session.items):
        # If it cannot start, test_pa11y reports why; the other tests go on.
        with contextlib.suppress(Exception, pytest.fail.Exception):
            request.getfixturevalue("pa11y_ci")
