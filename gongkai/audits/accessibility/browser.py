"""Headless Debian Chromium driven by Selenium and Debian's chromedriver — never a downloaded browser."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

CHROMIUM = os.environ.get("GONGKAI_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("GONGKAI_CHROMEDRIVER", "/usr/bin/chromedriver")
# The same flags as the CI gate (a11y_tests/pa11yci.json): without the background-networking ones
# Chromium keeps trying to reach Google's hosts, which a closed network refuses many times a second.
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run")


def missing_browser() -> str:
    """Why the browser cannot start ('' when it can)."""
    for program, hint in ((CHROMIUM, "apt-get install chromium"), (CHROMEDRIVER, "apt-get install chromium-driver")):
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
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument("--window-size=1280,1024")
    options.add_argument("--lang=zh-TW")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER, log_output=subprocess.DEVNULL), options=options)
    driver.set_script_timeout(120)
    driver.set_page_load_timeout(page_timeout)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
