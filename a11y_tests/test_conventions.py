"""Taiwanese government-site conventions, checked on the served HTML with lxml (no browser).

The Taiwanese conventions (gongkai/conventions.py): the 「跳到主要內容」 skip link first; the `:::` 導盲磚 with accesskey U,
C, Z and S; a <noscript> notice; html[lang]; every Dublin Core / MyEGov meta tag, non-empty, with
a per-page DC.Date; one h1 and headings that do not skip a level; downloads in an open format.
Every sitemap page plus the 404 page ('Every HTML page' in the site's contract).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from urllib.parse import urlsplit

import pytest

from a11y_tests.support import PageCase, require_page, sitemap_paths
from gongkai.conventions import ACCESS_KEYS as ACCESS_KEY_TABLE
from gongkai.conventions import META_TAGS, OPEN_FORMATS

META_NAMES = META_TAGS  # the product's one list (gongkai.conventions), which the site writes
ACCESS_KEYS = tuple(ACCESS_KEY_TABLE)
SKIP_TEXT = {"zh-Hant-TW": "跳到主要內容"}  # the English wording is the site's choice

# What a browser puts in the Tab order (scripting on, so <noscript> content is not rendered).
FOCUSABLE = (
    "//*[not(ancestor::noscript) and not(ancestor::template) and ("
    "(self::a or self::area) and @href"
    " or (self::button or self::select or self::textarea or self::iframe) and not(@disabled)"
    " or self::input and not(@disabled) and not(translate(@type,'HIDEN','hiden')='hidden')"
    " or self::summary or @contenteditable"
    " or (self::audio or self::video) and @controls"
    " or @tabindex and not(starts-with(normalize-space(@tabindex), '-'))"
    ")]"
)
# Open formats a download may be in (Freego ME1320200C; open data formats too): ODF, PDF, HTML, text data.
OPEN_EXTENSIONS = {suffix.lstrip(".") for suffix in OPEN_FORMATS}
FILE_EXTENSIONS = OPEN_EXTENSIONS | {
    "doc",
    "docx",
    "xls",
    "xlsx",
    "ppt",
    "pptx",
    "rtf",
    "wpd",
    "hwp",
    "pages",
    "numbers",
    "key",
    "zip",
    "7z",
    "rar",
    "exe",
}


def parsed(fetch, page: PageCase):
    require_page(page)
    response = fetch(page.path)
    assert response.status == page.status, f"{response.url} answered {response.status}, expected {page.status}"
    assert response.content_type.startswith("text/html"), f"{response.url} is {response.content_type!r}, not text/html"
    return response.tree()


def text_of(element) -> str:
    return " ".join(element.text_content().split())


def describe(element) -> str:
    attrs = " ".join(f'{k}="{v}"' for k, v in element.attrib.items())
    return f"<{element.tag}{' ' + attrs if attrs else ''}>{text_of(element)[:60]}"


def test_skip_link_is_first_and_targets_main(fetch, page):
    doc = parsed(fetch, page)
    focusable = doc.xpath(FOCUSABLE)
    assert focusable, "the page has nothing focusable"
    first = focusable[0]
    href = first.get("href") or ""
    assert first.tag == "a" and href.startswith("#") and len(href) > 1, (
        f"the first focusable element must be the skip link to the main content, found {describe(first)}"
    )
    expected = SKIP_TEXT.get(page.lang)
    if expected:
        assert text_of(first) == expected, f"skip link text is {text_of(first)!r}, expected {expected!r}"
    assert text_of(first), "the skip link has no text"
    targets = doc.xpath("//*[@id=$id]", id=href[1:])
    assert len(targets) == 1, f"the skip link points to {href}, which matches {len(targets)} element(s) (need exactly 1)"
    target = targets[0]
    assert target.tag == "main" or target.xpath("ancestor::main"), f"the skip link target {describe(target)} is not <main> or inside it"


def test_access_keys(fetch, page):
    doc = parsed(fetch, page)
    keys = Counter((el.get("accesskey") or "").strip().upper() for el in doc.xpath("//*[@accesskey]"))
    problems = [f"accesskey {key} appears {keys[key]} times (need exactly 1)" for key in ACCESS_KEYS if keys[key] != 1]
    problems += [f"accesskey {key!r} is used {n} times" for key, n in keys.items() if key not in ACCESS_KEYS and n > 1]
    for key in ACCESS_KEYS:
        for el in doc.xpath("//*[translate(@accesskey, 'uczs', 'UCZS')=$key]", key=key):
            is_search_field = key == "S" and el.tag in ("input", "textarea")
            if not is_search_field and text_of(el) != ":::":
                problems.append(f"accesskey {key} is on {describe(el)}; its text must be ':::'")
            if el.tag == "a" and not el.get("href"):
                problems.append(f"accesskey {key} link has no href: {describe(el)}")
    assert not problems, "\n".join(problems)


def test_noscript_and_lang(fetch, page):
    doc = parsed(fetch, page)
    assert doc.xpath("//noscript[normalize-space()]"), "no non-empty <noscript> notice"
    lang = doc.get("lang")
    assert lang == page.lang, f"<html lang={lang!r}>, expected {page.lang!r}"


def test_metadata(fetch, page):
    doc = parsed(fetch, page)
    problems = []
    for name in META_NAMES:
        values = [(m.get("content") or "").strip() for m in doc.xpath("//head/meta[@name=$n]", n=name)]
        if not values:
            problems.append(f'missing <meta name="{name}">')
        elif not all(values):
            problems.append(f'<meta name="{name}"> is empty')
    date = meta(doc, "DC.Date")
    if date and not valid_date(date):
        problems.append(f"DC.Date {date!r} is not a YYYY-MM-DD date")
    assert not problems, "\n".join(problems)


def test_one_h1_and_no_skipped_heading_level(fetch, page):
    doc = parsed(fetch, page)
    headings = [
        (int(h.tag[1]), text_of(h)) for h in doc.xpath("//body//*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6]")
    ]
    h1s = [text for level, text in headings if level == 1]
    problems = [] if len(h1s) == 1 else [f"{len(h1s)} <h1> elements (need exactly 1): {h1s}"]
    if headings and headings[0][0] > 2:
        problems.append(f"the first heading is h{headings[0][0]} {headings[0][1]!r}")
    for (before, before_text), (level, text) in zip(headings, headings[1:], strict=False):
        if level > before + 1:
            problems.append(f"h{before} {before_text!r} is followed by h{level} {text!r}: skips a level")
    assert not problems, "\n".join(problems)


def test_downloads_are_open_formats(fetch, page):
    doc = parsed(fetch, page)
    problems = []
    for link in doc.xpath("//a[@href]"):
        extension = file_extension(link.get("href"))
        is_download = link.get("download") is not None or extension in FILE_EXTENSIONS
        if is_download and extension not in OPEN_EXTENSIONS:
            problems.append(f"download in a format that is not open ({extension or 'no file extension'}): {describe(link)}")
    assert not problems, "\n".join(problems)


def test_dc_date_is_per_page(fetch, live_server):
    """A known defect of agency sites: one fixed DC.Date on every page. Dates must be per page."""
    try:
        paths = sitemap_paths()
    except Exception as error:  # noqa: BLE001
        pytest.fail(f"could not read the sitemap: {error}", pytrace=False)
    dates = {path: meta(fetch(path).tree(), "DC.Date") for path in paths}
    distinct = set(dates.values())
    assert len(paths) < 2 or len(distinct) > 1, f"all {len(paths)} pages have the same DC.Date {distinct.pop()!r}"


def meta(doc, name: str) -> str:
    values = doc.xpath("//head/meta[@name=$n]/@content", n=name)
    return values[0].strip() if values else ""


def valid_date(value: str) -> bool:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def file_extension(href: str) -> str:
    path = urlsplit(href).path
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""
