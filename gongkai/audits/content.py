"""Content correctness, in the same run as the link check.

Two layers. The generic one needs only the crawl, so it works on any site: pages with no 更新日期,
empty or duplicate titles, Office downloads with no open-format twin, pages only the sitemap knows.
The corpus layer needs gongkai's content model (`load_content`): documents past their update cycle,
cited data without a source link, attachments not in an open format, documents no page links to.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from gongkai import clock
from gongkai.audits.links.crawler import Crawl
from gongkai.audits.links.findings import page_unit
from gongkai.audits.links.urls import host_key, normalize
from gongkai.audits.results import Finding
from gongkai.conventions import CLOSED_FORMATS, closed_without_open_twin, open_twin_suffix
from gongkai.problems import Problem

CITES_DATA = re.compile(r"(資料來源|來源[:：]|引用自|according to|source[:：]|統計資料顯示|data from)", re.IGNORECASE)


def _warning(tag: str, target: str, message: str, fix: str) -> Finding:
    return Finding("links", "content", f"{tag} {target}", target, False, message, fix, tag=tag, code=f"links.{tag}")


def generic_findings(crawl: Crawl) -> list[Finding]:
    findings: list[Finding] = []
    pages = {url: record for url, record in crawl.pages.items() if record.url == url}  # requested URLs only
    by_title: dict[str, list[str]] = defaultdict(list)
    for url, record in sorted(pages.items()):
        unit = page_unit(crawl, url)
        if not record.title.strip() or not record.h1.strip():
            what = "<title>" if not record.title.strip() else "first heading (h1)"
            finding = _warning("empty-title", url, f"The page's {what} is empty.", "Give the page a title that says what it is.")
            finding.add_page(url, unit)
            findings.append(finding)
        else:
            by_title[record.title.strip()].append(url)
        if not record.shows_update_date and _is_content_page(url):
            finding = _warning("no-update-date", url, "The page does not show 更新日期 (when it was last updated).",
                               "Show 「更新日期 YYYY-MM-DD」 on the page.")
            finding.add_page(url, unit)
            findings.append(finding)
        findings.extend(_closed_downloads(crawl, url, record.references, unit))
    for title, urls in sorted(by_title.items()):
        paths = {urlsplit(u).path for u in urls}  # ?page=2 of a list may share its title
        if len(paths) > 1:
            for url in urls:
                finding = _warning("duplicate-title", url, f"{len(paths)} pages share the title “{title}”.",
                                   "Give each page a title of its own.")
                finding.add_page(url, page_unit(crawl, url))
                findings.append(finding)
    for url in sorted(pages):
        linked_by = {page for page in crawl.links_from.get(url, {}) if page != url}  # pages are stored normalised
        if not linked_by and url not in crawl.start_urls and urlsplit(url).path not in ("/", "/en/"):
            finding = _warning("orphan", url, "No page of the site links to this page; only the sitemap lists it.",
                               "Link it from its section's list or a related page, or unpublish it.")
            finding.add_page(url, page_unit(crawl, url))
            findings.append(finding)
    return findings


def _is_content_page(url: str) -> bool:
    # list, search and home pages have no single update date; a document page has one
    return PurePosixPath(urlsplit(url).path).parent.name not in ("", "en") and "?" not in url


def _closed_downloads(crawl: Crawl, page: str, references: Iterable[tuple[str, str, str]], unit: str) -> list[Finding]:
    hrefs = [href for href, element, _ in references if element in ("a", "area")]
    if not any(posixpath.splitext(urlsplit(href).path)[1].lower() in CLOSED_FORMATS for href in hrefs):
        return []  # the usual case, decided without normalising every link
    by_path = {urlsplit(link).path: link for link in (normalize(href)[0] for href in hrefs)}
    found = []
    for path in closed_without_open_twin(list(by_path)):
        name = PurePosixPath(path)
        finding = _warning("not-open-format", by_path[path], f"{name.name} is offered only as {name.suffix} with no open-format (ODF/PDF) copy.",
                           f"Also offer {name.with_suffix(open_twin_suffix(name.suffix)).name} (ODF) beside it (Freego ME1320200C).")
        finding.add_page(page, unit)
        found.append(finding)
    return found


# ---------------------------------------------------------------- with gongkai's content model

def document_urls(site_base: str, corpus: Any) -> dict[tuple[str, str], str]:
    """(lang, id) -> absolute URL of each published document, built by the site's own URL rules.

    A bare Flask app with only the page blueprints: the full create_app would also start the
    search and open-data packages, which a link audit does not need.
    """
    from flask import Flask

    from gongkai.site import PAGE_BLUEPRINTS
    from gongkai.web import document_path, register_localized

    app = Flask("gongkai.audits.urls")
    for blueprint in PAGE_BLUEPRINTS:
        register_localized(app, blueprint, cache=False)
    base = site_base.rstrip("/")
    with app.test_request_context(base_url=site_base):
        return {(doc.lang, doc.id): normalize(base + document_path(doc.kind, doc.lang, doc.id))[0] for doc in corpus.documents}


def corpus_findings(crawl: Crawl, corpus: Any, urls: dict[tuple[str, str], str], today: dt.date | None = None) -> list[Finding]:
    from gongkai.model.corpus import attachments

    today = today or clock.today()
    findings: list[Finding] = []
    for doc in corpus.documents:
        url = urls[(doc.lang, doc.id)]
        unit_code = corpus.code("units", doc.unit)
        unit = unit_code.zh if unit_code else doc.unit
        found: list[Finding] = []
        due = doc.next_update_due
        if due is not None and due < today:
            found.append(_warning("overdue", url, f"「{doc.title}」 is updated {doc.update_cycle}; it was last updated on {doc.updated} "
                                  f"and was due by {due} ({(today - due).days} days overdue).",
                                  f"Revise {doc.path} and change its updated: date to the day of the revision."))
        if not doc.sources and CITES_DATA.search(doc.body or ""):
            found.append(_warning("no-source-link", url, f"「{doc.title}」 cites data (資料來源) but lists no source with a link.",
                                  f"Add the source under sources: (title and url) in {doc.path}."))
        record = crawl.pages.get(url)
        if record is not None:
            linked = {normalize(href)[0] for href, _, _ in record.references}
            for source in doc.sources:
                if normalize(source.url)[0] not in linked:
                    found.append(_warning("no-source-link", url, f"The source “{source.title}” is not linked on the page.",
                                          f"Show a link to {source.url} on the page."))
        files = attachments(doc)
        open_stems = {PurePosixPath(a.file).with_suffix("").as_posix() for a in files if a.is_open_format}
        for attachment in files:
            stem = PurePosixPath(attachment.file).with_suffix("").as_posix()
            if not attachment.is_open_format and stem not in open_stems:
                found.append(_warning("not-open-format", f"{url} {attachment.file}",
                                      f"The attachment {attachment.file} of 「{doc.title}」 is not offered in an open format.",
                                      f"Add {PurePosixPath(attachment.file).with_suffix(open_twin_suffix(PurePosixPath(attachment.file).suffix)).name} (ODF) or a PDF beside it in {doc.path}."))
        if crawl.pages and url not in crawl.pages and host_key(url) in crawl.internal_hosts:
            found.append(_warning("orphan", url, f"「{doc.title}」 is published but the crawl did not reach it from any page or the sitemap.",
                                  "Link it from its section's list or a related page."))
        for finding in found:
            finding.add_page(url, unit)
        findings.extend(found)
    return findings


def content_findings(crawl: Crawl, content_dir: Path | None, site_base: str) -> tuple[list[Finding], list[Problem]]:
    """(findings, problems loading the content). The corpus layer runs only when content_dir is given."""
    findings = generic_findings(crawl)
    if content_dir is None:
        return findings, []
    from gongkai.model import load_content

    corpus, report = load_content(content_dir)
    if corpus is None:
        return findings, list(report.problems)
    corpus_level = corpus_findings(crawl, corpus, document_urls(site_base, corpus))
    seen = {f.key for f in findings}
    findings.extend(f for f in corpus_level if f.key not in seen)
    return findings, []
