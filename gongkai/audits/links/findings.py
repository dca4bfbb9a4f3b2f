"""From a crawl to findings: one per broken target (with every page that links it), one per warning,
one per missing #anchor (on the site's pages and on other sites' pages alike) and per malformed
mailto:/tel: link. Warnings the webmaster silenced are dropped here.
"""

from __future__ import annotations

from gongkai.audits.links.checks import FragmentCheck, MailtoCheck, TelCheck
from gongkai.audits.links.crawler import Crawl
from gongkai.audits.links.urls import scheme_of, with_fragment
from gongkai.audits.results import Finding, Outcome
from gongkai.audits.silence import Silencer

UNIT_META = ("DC.Contributor", "DC.Creator")


def page_unit(crawl: Crawl, page: str) -> str:
    record = crawl.pages.get(page)
    if record is None:
        return ""
    return next((record.meta[name] for name in UNIT_META if record.meta.get(name)), "")


def fragment_outcomes(crawl: Crawl) -> dict[tuple[str, str], Outcome]:
    """The verdict on each linked (URL, #fragment) whose page was read as HTML this run, or whose
    verdict came from the cache. Its Outcome's url is URL#fragment: the runner caches those of other
    sites under that key, so that the next run needs not read the page for them."""
    check = FragmentCheck()
    verdicts: dict[tuple[str, str], Outcome] = {}
    for url, fragment in crawl.fragments:
        outcome = crawl.outcomes.get(url)
        if outcome is None or outcome.broken:
            continue  # not checked, or already reported broken
        record = crawl.pages.get(url) or crawl.targets.get(url)
        if record is None:  # not HTML, not read (robots.txt), or taken from the cache
            if (cached := crawl.cached_fragments.get((url, fragment))) is not None:
                verdicts[(url, fragment)] = cached
            continue
        verdict = Outcome(with_fragment(url, fragment), broken=False, status=outcome.status)
        problem = check.check(fragment, record.ids, url)
        if problem and record.truncated_at:
            # The id may be further down than the part that was read: say so rather than call it missing.
            verdict.warn("body-truncated", f"Only the first {record.truncated_at // 1024} KiB of {url} were read, and "
                         f"#{fragment} is not among the ids there; the link was not verified.",
                         "Open the link in a browser to check it by hand, or link to an id near the top of the page.")
        elif problem:
            verdict.fail("links.missing-fragment", *problem)
        verdicts[(url, fragment)] = verdict
    return verdicts


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
            attach(Finding("links", "http", f"broken {url}", url, True, outcome.message, outcome.fix, status=outcome.status,
                           code=outcome.code or "links.http-error"), pages)  # (a cached outcome of an older run has no code)
        for tag, message, fix in outcome.warnings:
            if not silencer.silenced(tag, url):
                attach(Finding("links", tag, f"{tag} {url}", url, False, message, fix, tag=tag, status=outcome.status, code=f"links.{tag}"), pages)

    for (url, fragment), verdict in sorted(fragment_outcomes(crawl).items()):
        pages = list(crawl.fragments[(url, fragment)])
        if verdict.broken:
            attach(Finding("links", "fragment", f"fragment {verdict.url}", verdict.url, True, verdict.message, verdict.fix,
                           code="links.missing-fragment"), pages)
        for tag, message, fix in verdict.warnings:
            if not silencer.silenced(tag, verdict.url):
                attach(Finding("links", tag, f"{tag} {verdict.url}", verdict.url, False, message, fix, tag=tag, code=f"links.{tag}"), pages)

    mailto, tel = MailtoCheck(), TelCheck()
    for href, pages in sorted(crawl.other_refs.items()):
        scheme = scheme_of(href)
        problem = mailto.check(href) if scheme == "mailto" else tel.check(href) if scheme == "tel" else None
        if problem:
            attach(Finding("links", scheme, f"{scheme} {href}", href, True, *problem, code=f"links.bad-{scheme}"), list(pages))
        elif scheme not in ("mailto", "tel") and not silencer.silenced("unsupported-scheme", href):
            attach(Finding("links", "unsupported-scheme", f"unsupported-scheme {href}", href, False,
                           f"The {scheme}: link was not verified.", "Offer an https:// address where you can.",
                           tag="unsupported-scheme", code="links.unsupported-scheme"), list(pages))
    return findings
