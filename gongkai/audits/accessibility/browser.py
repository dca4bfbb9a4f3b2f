"""Headless Debian Chromium driven by Selenium and Debian's chromedriver — never a downloaded browser."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from gongkai.config import load_settings

# How Chromium is started here, for the product's audit, pa11y-ci and the CI gate alike. Without the
# background-networking flags Chromium keeps trying to reach Google's hosts, which a closed network
# refuses many times a second.
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run")


def browser_paths() -> tuple[str, str]:
    """(Chromium, chromedriver) from the settings table (GONGKAI_CHROMIUM, GONGKAI_CHROMEDRIVER)."""
    settings = load_settings()
    return settings["CHROMIUM"], settings["CHROMEDRIVER"]


def pa11y_defaults(runners: list[str], concurrency: int) -> dict:
    """The `defaults` of a pa11y-ci configuration that starts this Chromium with these flags.

    useIncognitoBrowserContext false: with pa11y-ci 4.1.1's default (a fresh browser context per
    page) and concurrency > 1, Chromium 156 fails about a third of the pages with "Protocol error
    (Target.closeTarget): No target with given id found" or "Timed out after waiting 30000ms".
    """
    return {"standard": "WCAG2AA", "runners": runners, "concurrency": concurrency, "timeout": 60000,
            "useIncognitoBrowserContext": False,
            "chromeLaunchConfig": {"executablePath": browser_paths()[0], "args": list(CHROMIUM_FLAGS)}}


def missing_browser() -> str:
    """Why the browser cannot start ('' when it can)."""
    for program, hint in zip(browser_paths(), ("apt-get install chromium", "apt-get install chromium-driver"), strict=True):
        if not shutil.which(program):
            return f"{program} is not installed ({hint}, or set GONGKAI_CHROMIUM / GONGKAI_CHROMEDRIVER)"
    return ""


@contextmanager
def chromium(page_timeout: float = 60) -> Iterator:
    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager fetch a driver
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="gongkai-a11y-")
    options = webdriver.ChromeOptions()
    chromium_path, chromedriver_path = browser_paths()
    options.binary_location = chromium_path
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument("--window-size=1280,1024")
    options.add_argument("--lang=zh-TW")
    driver = webdriver.Chrome(service=Service(chromedriver_path, log_output=subprocess.DEVNULL), options=options)
    driver.set_script_timeout(120)
    driver.set_page_load_timeout(page_timeout)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
