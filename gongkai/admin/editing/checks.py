"""The pre-submit accessibility checks (ATAG 2.0 part B): what an author can fix, read from the
draft's rendered preview with lxml — each finding with its fix. A draft with any cannot be submitted.

Images are checked in the Markdown as rendered before sanitising, because the site's sanitiser
drops images (and with them the evidence that one had no text alternative).
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import urlsplit

from lxml import html as lxml_html

from gongkai.conventions import CLOSED_FORMATS, OPEN_FORMATS
from gongkai.model.markdown import _md
from gongkai.problems import Problem

# link texts that say nothing out of context (WCAG 2.4.4), as written in Chinese and English
VAGUE_LINK_TEXTS = frozenset({"請點此", "點此", "點這裡", "請點這裡", "按此", "請按此", "這裡", "此處", "click here", "here", "click",
                              "more", "read more", "link"})
FILE_SUFFIXES = frozenset(OPEN_FORMATS) - {".html", ".htm"} | CLOSED_FORMATS
SIZE = re.compile(r"\d+(?:[.,]\d+)?\s*(?:B|KB|MB|GB|kB|位元組|Bytes?)\b", re.IGNORECASE)
FORMAT_NAMES = frozenset(OPEN_FORMATS.values()) | {s.lstrip(".").upper() for s in CLOSED_FORMATS}


def _text(element: lxml_html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def _finding(code: str, message: str, fix: str, where: str) -> Problem:
    return Problem(field="body", code=code, message=message, fix=fix, page=where)


def check_page(fragment: str, body_markdown: str = "") -> list[Problem]:
    """Findings in the preview's main content (and the body's images)."""
    findings: list[Problem] = []
    if body_markdown.strip():
        findings += _images(lxml_html.fragment_fromstring(_md.render(body_markdown), create_parent="div"))
    if not fragment.strip():
        return findings
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    findings += _images(root)
    findings += _links(root)
    findings += _headings(root)
    findings += _tables(root)
    return findings


def _images(root: lxml_html.HtmlElement) -> list[Problem]:
    found = []
    for image in root.iter("img"):
        if not (image.get("alt") or "").strip():
            found.append(_finding("atag.image-no-alt", f"圖片 {image.get('src', '')} 沒有替代文字",
                                  "在 Markdown 的 ![ ] 方括號內寫出圖片要傳達的內容，例如 ![第四課櫃台位置圖](…)", image.get("src", "")))
    return found


def _links(root: lxml_html.HtmlElement) -> list[Problem]:
    found = []
    for link in root.iter("a"):
        text = _text(link)
        label = (link.get("aria-label") or link.get("title") or "").strip()
        href = link.get("href", "")
        if not text and not label:
            found.append(_finding("atag.link-text", f"連結 {href} 沒有文字", "在 [ ] 方括號內寫出連結目的地，例如 [計程車計費表檢定申請書](…)", href))
            continue
        if text.strip("。.：:！!（）() ").lower() in VAGUE_LINK_TEXTS:
            found.append(_finding("atag.link-text", f"連結文字「{text}」未說明連到哪裡", "改寫成目的地的名稱，例如「下載申請書（ODT，32 KB）」，不要只寫「請點此」", href))
        suffix = posixpath.splitext(urlsplit(href).path)[1].lower()
        if suffix in FILE_SUFFIXES:
            context = _text(link.getparent()) if link.getparent() is not None and link.getparent().tag in ("td", "th", "li", "p") else text
            row = next((a for a in link.iterancestors("tr")), None)
            context = _text(row) if row is not None else context
            if not (any(name in context.upper() for name in FORMAT_NAMES) and SIZE.search(context)):
                found.append(_finding("atag.download-no-format", f"檔案連結「{text}」沒有寫出檔案格式與大小",
                                      "在連結文字後寫出格式與大小，例如「申請書（ODT，32 KB）」", href))
    return found


def _headings(root: lxml_html.HtmlElement) -> list[Problem]:
    found, previous = [], 0
    for heading in root.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        level = int(heading.tag[1])
        if previous and level > previous + 1:
            found.append(_finding("atag.heading-skipped", f"標題「{_text(heading)}」從第 {previous} 層跳到第 {level} 層",
                                  f"改用第 {previous + 1} 層標題（Markdown 寫 {'#' * (previous + 1)} 開頭），不要跳過層級", heading.tag))
        previous = level
    return found


def _tables(root: lxml_html.HtmlElement) -> list[Problem]:
    found = []
    for index, table in enumerate(root.iter("table"), 1):
        if not any(True for _ in table.iter("th")):
            found.append(_finding("atag.table-no-header", f"第 {index} 個表格沒有標題列",
                                  "表格第一列寫欄位名稱，下一列寫 |---|---| 分隔線，讓第一列成為標題儲存格", f"table {index}"))
    return found
