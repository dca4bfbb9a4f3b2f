"""`gongkai a11y` as a function: the sitemap's pages, the engines, the store and the reports."""

from __future__ import annotations

import re
import sys
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree
from selenium.common.exceptions import WebDriverException

from gongkai.audits.accessibility.browser import chromium
from gongkai.audits.accessibility.conventions import convention_findings
from gongkai.audits.accessibility.engines import axe_findings, htmlcs_findings
from gongkai.audits.links.crawler import USER_AGENT
from gongkai.audits.reports.view import RunView, build_view
from gongkai.audits.results import Finding
from gongkai.audits.store import AuditStore, now_iso

ENGINES = ("axe", "htmlcs", "conventions")
UNIT_META = ("DC.Contributor", "DC.Creator")
NAVIGATION_STATUS = "const entry = performance.getEntriesByType('navigation')[0]; return entry ? entry.responseStatus || 0 : 0;"


class SitemapError(ValueError):
    pass


@dataclass
class A11yOptions:
    url: str
    db: Path
    node_modules: Path
    engines: tuple[str, ...] = ENGINES
    only: str = ""  # regular expression a page URL must match
    max_pages: int = 0  # 0 = every page of the sitemap
    site_name: str = ""
    progress: bool = False
    pages: list[str] = field(default_factory=list)  # filled by sitemap_pages


@dataclass
class A11yResult:
    run_id: int
    view: RunView
    findings: list[Finding]
    pages: list[str]


def fetch_text(url: str, timeout: float = 30) -> str:
    if urlsplit(url).scheme not in ("http", "https"):
        raise OSError(f"{url} is not an http(s) address")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310 - http(s) only, checked above
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        return response.read().decode("utf-8", "replace")


def sitemap_pages(url: str) -> list[str]:
    """The <loc> of a sitemap (or of the /sitemap.xml of a site's root), following one sitemap index."""
    parts = urlsplit(url)
    sitemap = url if parts.path.endswith(".xml") else f"{parts.scheme}://{parts.netloc}/sitemap.xml"
    try:
        root = etree.fromstring(fetch_text(sitemap).encode("utf-8"), parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except (OSError, etree.XMLSyntaxError) as error:
        raise SitemapError(f"could not read the sitemap {sitemap}: {error}") from None
    locs = [loc.strip() for loc in root.xpath("//*[local-name()='loc']/text()") if loc.strip()]
    if root.tag.endswith("sitemapindex"):
        nested = []
        for loc in locs:
            nested.extend(sitemap_pages(loc))
        return nested
    return list(dict.fromkeys(locs))


def run_a11y_audit(options: A11yOptions) -> A11yResult:
    started = now_iso()
    pages = options.pages or sitemap_pages(options.url)
    if options.only:
        pattern = re.compile(options.only)
        pages = [page for page in pages if pattern.search(page)]
    if options.max_pages:
        pages = pages[: options.max_pages]
    findings: list[Finding] = []
    units: dict[str, str] = {}
    unloaded: set[str] = set()  # pages that answered an HTTP error
    if "axe" in options.engines or "conventions" in options.engines:
        axe_source = (options.node_modules / "axe-core" / "axe.min.js").read_text(encoding="utf-8") if "axe" in options.engines else ""
        with chromium() as driver:
            for number, page in enumerate(pages, 1):
                try:
                    driver.get(page)
                    status, failure = http_status(driver), ""
                except WebDriverException as error:  # refused, unreachable, past the page timeout
                    status, failure = 0, (error.msg or type(error).__name__).splitlines()[0][:200]
                if status >= 400 or failure:  # an error page, or nothing: report that, check nothing on it
                    findings.append(_not_loaded(page, status, failure))
                    unloaded.add(page)
                    _progress(options, number, len(pages))
                    continue
                page_findings = axe_findings(driver, page, axe_source) if "axe" in options.engines else []
                source = driver.page_source
                unit = _unit_of(source)
                units[page] = unit
                for finding in page_findings:
                    finding.page_units[page] = unit
                    finding.units = [unit] if unit else []
                if "conventions" in options.engines:
                    page_findings.extend(convention_findings(page, source, unit))
                findings.extend(page_findings)
                _progress(options, number, len(pages))
    checkable = [page for page in pages if page not in unloaded]
    if "htmlcs" in options.engines and checkable:
        findings.extend(htmlcs_findings(checkable, options.node_modules, units))
    if options.progress:
        sys.stderr.write("\n")
    findings = _unique(findings)
    parts = urlsplit(options.url)
    site = options.site_name or f"{parts.scheme}://{parts.netloc}"
    store = AuditStore(options.db)
    try:
        note = f"{len(pages)} pages with {', '.join(options.engines)}"
        run_id = store.record_run("a11y", site, findings, len(pages), started, note)
        return A11yResult(run_id, build_view(store, run_id), findings, pages)
    finally:
        store.close()


def http_status(driver) -> int:
    """The HTTP status of the document the browser loaded (0 when the browser does not say)."""
    return int(driver.execute_script(NAVIGATION_STATUS) or 0)


def _not_loaded(page: str, status: int, failure: str = "") -> Finding:
    if failure:
        what = f"The browser could not load the page ({failure}), so it was not checked."
        fix = "Check that the site is up and answers this address within a minute, then run the audit again."
    else:
        what = f"The page answered HTTP {status}: the browser got an error page instead, so the page itself was not checked."
        fix = "Make the address answer 200 (or take it out of the sitemap), then run the audit again."
    finding = Finding("a11y", "page", f"page:http {page}", page, True, what, fix, status=status)
    finding.add_page(page)
    return finding


def _progress(options: A11yOptions, number: int, total: int) -> None:
    if options.progress:
        sys.stderr.write(f"\r{number}/{total} pages checked")


def _unit_of(source: str) -> str:
    for name in UNIT_META:
        match = re.search(rf'<meta name="{re.escape(name)}" content="([^"]*)"', source)
        if match and match.group(1):
            return match.group(1)
    return ""


def _unique(findings: list[Finding]) -> list[Finding]:
    seen: dict[str, Finding] = {}
    for finding in findings:
        seen.setdefault(finding.key, finding)
    return list(seen.values())
