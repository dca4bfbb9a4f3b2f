"""The Nu HTML Checker (vnu.jar from npm's vnu-jar) on saved pages: no errors allowed.

Pages: the home page in both languages, a list, a detail page, a form page and the 404 page,
saved as .html files into a temporary folder and checked in one run of the checker.
"""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from a11y_tests.support import MISSING_PATH, NPM_HINT, SYSTEM_DEPS_HINT, VNU_JAR, require_file, require_program, sitemap_paths

FORM_LINK = re.compile(r"""<a\b[^>]*\bhref="[^"]+\.(?:odt|ods)(?:[?#][^"]*)?"[^>]*>""", re.IGNORECASE)


def pick_pages(fetch) -> dict[str, str]:
    """name -> path of the pages to check, chosen from the sitemap."""
    paths = sitemap_paths()

    def first(description: str, predicate) -> str:
        for path in paths:
            if predicate(path):
                return path
        pytest.fail(f"the sitemap has no {description} page to check", pytrace=False)

    def depth(path: str) -> int:
        return len([part for part in path.split("?")[0].split("/") if part])

    return {
        "home": "/",
        "home-en": "/en/",
        "list": first("news list", lambda p: p.rstrip("/") == "/news"),
        "detail": first("news item", lambda p: p.startswith("/news/") and depth(p) == 2 and "/page/" not in p and "." not in p),
        "form": first("form (with an .odt/.ods download)", lambda p: p.startswith("/forms/") and bool(FORM_LINK.search(fetch(p).text))),
        "404": MISSING_PATH,
    }


def test_nu_html_checker(fetch, tmp_path):
    java = require_program("java", SYSTEM_DEPS_HINT)
    jar = require_file(VNU_JAR, NPM_HINT)
    files = {}
    for name, path in pick_pages(fetch).items():
        page = fetch(path)
        assert page.status == (404 if path == MISSING_PATH else 200), f"{page.url} answered {page.status}"
        file = tmp_path / f"{name}.html"
        file.write_text(page.text, encoding="utf-8")
        files[file.name] = page.url
    result = subprocess.run(
        [java, "-jar", str(jar), "--errors-only", "--format", "json", *sorted(str(tmp_path / name) for name in files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    try:
        report = json.loads(result.stderr or result.stdout)  # vnu writes its JSON report to stderr
    except json.JSONDecodeError:
        pytest.fail(f"vnu.jar exited {result.returncode} without a JSON report:\n{result.stdout}\n{result.stderr}", pytrace=False)
    errors = [m for m in report.get("messages", []) if m.get("type") in ("error", "non-document-error") or m.get("subType") == "fatal"]
    lines = []
    for m in errors:
        saved_as = (m.get("url") or "?").rsplit("/", 1)[-1]
        source = files.get(saved_as, saved_as)
        where = f"line {m.get('lastLine', '?')}, column {m.get('firstColumn', m.get('lastColumn', '?'))}"
        extract = " ".join((m.get("extract") or "").split())
        lines.append(f"{source} ({where}): {m.get('message')}\n    {extract}")
    assert not errors, f"the Nu HTML Checker found {len(errors)} error(s):\n" + "\n".join(lines)
    assert result.returncode == 0, f"vnu.jar exited {result.returncode}:\n{result.stderr}"
