"""What the accessibility tests share besides fixtures: where the tools are, which pages to check.

The pages come from the site's own /sitemap.xml (plus one missing path, for the 404 page, and the
withdrawn documents' pages, which answer 410 with a notice). The
list is read at collection time, through Flask's test client in a separate process (serve.py),
so that every page is its own parametrised test with its path as the test id; the tests then
talk to a real HTTP server on 127.0.0.1 (conftest.live_server), as pa11y, Chromium and a person do.
"""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from gongkai.audits.accessibility.browser import CHROMIUM_FLAGS, pa11y_defaults  # noqa: F401 - used by conftest
from gongkai.config import load_settings

REPO_ROOT = Path(__file__).resolve().parent.parent
_SETTINGS = load_settings()
NODE_MODULES = Path(_SETTINGS["NODE_MODULES"])
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
PA11Y_CI = NODE_MODULES / ".bin" / "pa11y-ci"
# The product's own browser contract (gongkai.audits.accessibility.browser): the same Chromium,
# chromedriver and flags as `gongkai a11y`, from the settings table.
CHROMIUM, CHROMEDRIVER = _SETTINGS["CHROMIUM"], _SETTINGS["CHROMEDRIVER"]
DESKTOP = (1280, 1024)
NARROW = (320, 640)  # WCAG 1.4.10: 1280 CSS px at 400 % zoom

MISSING_PATH = "/a11y-check-this-page-does-not-exist"

SYSTEM_DEPS_HINT = "run scripts/install_system_deps.sh (or 'make test')"
NPM_HINT = "run 'npm ci --ignore-scripts' in the repository root (or 'make test')"


# --------------------------------------------------------------------------- the app and its pages


def server_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "a11y_tests.serve", *args]


@functools.cache
def sitemap_paths() -> tuple[str, ...]:
    """The path of every page in /sitemap.xml, from the app in a separate process (a11y_tests.serve)."""
    result = subprocess.run(server_command("--paths"), cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise RuntimeError(f"python -m a11y_tests.serve --paths exited {result.returncode}:\n{tail(result.stderr)}")
    return tuple(json.loads(result.stdout))


@functools.cache
def gone_paths() -> tuple[str, ...]:
    """The pages of withdrawn documents (410 with a notice), from the app in a separate process."""
    result = subprocess.run(server_command("--gone"), cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise RuntimeError(f"python -m a11y_tests.serve --gone exited {result.returncode}:\n{tail(result.stderr)}")
    return tuple(json.loads(result.stdout))


def tail(text: str, lines: int = 25) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


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
    if include_404:  # the error pages: not found, and each withdrawn document's notice
        cases.append(pytest.param(PageCase(MISSING_PATH, 404), id="404"))
        cases += [pytest.param(PageCase(p, 410), id=f"410:{p}") for p in gone_paths()]
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


def nu_checker_errors(files: dict[Path, str]) -> list[str]:
    """The Nu HTML Checker (vnu.jar) on saved pages, in one run: one line per error, naming the
    page's URL (``files``: saved file → the URL it came from). Fails the test if vnu cannot run."""
    import json as _json

    java = require_program("java", SYSTEM_DEPS_HINT)
    jar = require_file(VNU_JAR, NPM_HINT)
    result = subprocess.run([java, "-jar", str(jar), "--errors-only", "--format", "json", *sorted(str(f) for f in files)],
                            capture_output=True, text=True, timeout=300)
    try:
        report = _json.loads(result.stderr or result.stdout)  # vnu writes its JSON report to stderr
    except _json.JSONDecodeError:
        pytest.fail(f"vnu.jar exited {result.returncode} without a JSON report:\n{result.stdout}\n{result.stderr}", pytrace=False)
    by_name = {path.name: url for path, url in files.items()}
    lines = []
    for m in report.get("messages", []):
        if m.get("type") not in ("error", "non-document-error") and m.get("subType") != "fatal":
            continue
        saved_as = (m.get("url") or "?").rsplit("/", 1)[-1]
        where = f"line {m.get('lastLine', '?')}, column {m.get('firstColumn', m.get('lastColumn', '?'))}"
        extract = " ".join((m.get("extract") or "").split())
        lines.append(f"{by_name.get(saved_as, saved_as)} ({where}): {m.get('message')}\n    {extract}")
    if not lines and result.returncode != 0:
        lines.append(f"vnu.jar exited {result.returncode}:\n{result.stderr}")
    return lines


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
