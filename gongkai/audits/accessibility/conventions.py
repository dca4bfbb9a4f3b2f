"""The Taiwanese conventions a Freego audit and a visitor expect, checked on the rendered page:
access keys U / S / C / Z (導盲磚), a skip link first, a <noscript> notice, complete DC / MyEGov metadata,
and downloads offered in an open format (ME1320200C)."""

from __future__ import annotations

import posixpath
from urllib.parse import urljoin, urlsplit

from lxml import html as lxml_html

from gongkai.audits.accessibility.codes import freego_for
from gongkai.audits.results import Finding
from gongkai.conventions import ACCESS_KEYS, META_TAGS, closed_without_open_twin, open_twin_suffix


def _finding(rule: str, page: str, unit: str, message: str, fix: str, criterion: str, selector: str = "", excerpt: str = "") -> Finding:
    finding = Finding("a11y", "conventions", f"conventions:{rule} {page} {selector}", page, True, message, fix,
                      selector=selector, excerpt=excerpt[:300], criterion=criterion, freego=freego_for("conventions", rule))
    finding.add_page(page, unit)
    return finding


def convention_findings(page: str, source: str, unit: str = "") -> list[Finding]:
    root = lxml_html.document_fromstring(source or "<html></html>")
    found: list[Finding] = []
    keys = {(node.get("accesskey") or "").upper(): node for node in root.xpath("//*[@accesskey]")}
    for key, (_, block) in ACCESS_KEYS.items():
        if key not in keys:
            found.append(_finding(f"accesskey-{key}", page, unit, f"No access key “{key}” for the {block} (導盲磚 :::).",
                                  f'Add <a href="#…" accesskey="{key}" title="{block}">:::</a> at the start of that block, '
                                  "and explain the keys on the 網站導覽 page.", "2.4.1 (TW convention)", f'[accesskey="{key}"]'))
    links = root.xpath("//body//a[@href]")
    first = links[0] if links else None
    target = (first.get("href") or "") if first is not None else ""
    if first is None or not target.startswith("#") or not root.xpath(f"//*[@id='{target[1:]}']" if "'" not in target else "//nothing"):
        excerpt = lxml_html.tostring(first, encoding="unicode") if first is not None else ""
        found.append(_finding("skip-link", page, unit, "The first link of the page is not a working skip link to the main content.",
                              'Make the first element of <body> <a href="#main">跳到主要內容</a>, pointing at the main area\'s id.',
                              "2.4.1", "body a:first-of-type", excerpt))
    if not root.xpath("//noscript"):
        found.append(_finding("noscript", page, unit, "The page has no <noscript> notice.",
                              "Add <noscript> saying what works without JavaScript (TW convention).", "TW convention", "noscript"))
    meta = {node.get("name"): (node.get("content") or "").strip() for node in root.xpath("//meta[@name]")}
    missing = [name for name in META_TAGS if not meta.get(name)]
    if missing:
        found.append(_finding("metadata", page, unit, f"Metadata (詮釋資料) missing or empty: {', '.join(missing)}.",
                              "Give every page all 15 DC.* elements, Category.Theme/Cake/Service and Keywords "
                              "(行政機關電子資料流通詮釋資料及分類檢索規範).", "MyEGov metadata", "head"))
    found.extend(_closed_downloads(root, page, unit))
    return found


def _closed_downloads(root, page: str, unit: str) -> list[Finding]:
    anchors = {urlsplit(urljoin(page, a.get("href"))).path: a for a in root.xpath("//a[@href]")}
    found = []
    for path in closed_without_open_twin(list(anchors)):
        name = posixpath.basename(path)
        stem, suffix = posixpath.splitext(name)
        found.append(_finding("open-format-download", page, unit,
                              f"The download {name} is offered only as {suffix}, not in an open format.",
                              f"Offer {stem}{open_twin_suffix(suffix)} (ODF) or a PDF beside it.", "政府網站 open format",
                              f'a[href$="{name}"]', lxml_html.tostring(anchors[path], encoding="unicode")))
    return found
