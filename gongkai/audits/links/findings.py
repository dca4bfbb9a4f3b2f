"""From a crawl to findings: one per broken target (with every page that links it), one per warning,
one per missing #anchor and per malformed mailto:/tel: link. Warnings the webmaster silenced are dropped here.
"""

from __future__ import annotations

from gongkai.audits.links.checks import FragmentCheck, MailtoCheck, TelCheck
from gongkai.audits.links.crawler import Crawl
from gongkai.audits.links.urls import scheme_of
from gongkai.audits.results import Finding
from gongkai.audits.silence import Silencer

UNIT_META = ("DC.Contributor", "DC.Creator")


def page_unit(crawl: Crawl, page: str) -> str:
    record = crawl.pages.get(page)
    if record is None:
        return ""
    return next((record.meta[name] for name in UNIT_META if record.meta.get(name)), "")


def link_findings(crawl: Crawl, silencer: Silencer | None = None) -> list[Finding]:
    silencer = silencer or Silencer()
    findings: list[Finding] = []

    def attach(finding: Finding, pages: list[str]) -> None:
        for page in sorted(pages):
            finding.add_page(page, page_unit(crawl, page))
        findings.append(finding)

    for url, outcome in sorted(crawl.outcomes.items()):
        pages = list(crawl.links_from.get(url, {}))
        if outcome.broken:
            attach(Finding("links", "http", f"broken {url}", url, True, outcome.message, outcome.fix, status=outcome.status), pages)
        for tag, message, fix in outcome.warnings:
            if not silencer.silenced(tag, url):
                attach(Finding("links", tag, f"{tag} {url}", url, False, message, fix, tag=tag, status=outcome.status), pages)

    fragment_check = FragmentCheck()
    for (url, fragment), pages in sorted(crawl.fragments.items()):
        record = crawl.pages.get(url)
        outcome = crawl.outcomes.get(url)
        if record is None or outcome is None or outcome.broken:
            continue  # another site's page, not HTML, or already reported broken
        problem = fragment_check.check(fragment, record.ids, url)
        if problem:
            attach(Finding("links", "fragment", f"fragment {url}#{fragment}", f"{url}#{fragment}", True, *problem), list(pages))

    mailto, tel = MailtoCheck(), TelCheck()
    for href, pages in sorted(crawl.other_refs.items()):
        scheme = scheme_of(href)
        problem = mailto.check(href) if scheme == "mailto" else tel.check(href) if scheme == "tel" else None
        if problem:
            attach(Finding("links", scheme, f"{scheme} {href}", href, True, *problem), list(pages))
        elif scheme not in ("mailto", "tel") and not silencer.silenced("unsupported-scheme", href):
            attach(Finding("links", "unsupported-scheme", f"unsupported-scheme {href}", href, False,
                           f"The {scheme}: link was not verified.", "Offer an https:// address where you can.",
                           tag="unsupported-scheme"), list(pages))
    return findings
