"""The Nu HTML Checker (vnu.jar from npm's vnu-jar) on saved pages: no errors allowed.

Pages: the home page in both languages, a list, a detail page, a form page, the 404 page and a
withdrawn document's 410 page,
saved as .html files into a temporary folder and checked in one run of the checker.
"""

from __future__ import annotations

import re

import pytest

from a11y_tests.support import MISSING_PATH, gone_paths, nu_checker_errors, sitemap_paths

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
        **({"410": gone_paths()[0]} if gone_paths() else {}),
    }


def test_nu_html_checker(fetch, tmp_path):
    files = {}
    for name, path in pick_pages(fetch).items():
        page = fetch(path)
        expected = 404 if path == MISSING_PATH else 410 if name == "410" else 200
        assert page.status == expected, f"{page.url} answered {page.status}, expected {expected}"
        file = tmp_path / f"{name}.html"
        file.write_text(page.text, encoding="utf-8")
        files[file] = page.url
    errors = nu_checker_errors(files)
    assert not errors, f"the Nu HTML Checker found {len(errors)} error(s):\n" + "\n".join(errors)
