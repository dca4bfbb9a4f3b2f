"""`gongkai links` as a function: crawl, check, content pass, store, compare, report."""

from __future__ import annotations

import asyncio
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from gongkai.audits.content import content_findings
from gongkai.audits.links.crawler import Crawl, Crawler, CrawlSettings, user_agent
from gongkai.audits.links.fetch import FetchSettings
from gongkai.audits.links.findings import fragment_outcomes, link_findings
from gongkai.audits.links.politeness import HostLimits
from gongkai.audits.links.urls import host_key
from gongkai.audits.reports.view import RunView, build_view
from gongkai.audits.results import Finding
from gongkai.audits.silence import Silencer
from gongkai.audits.store import AuditStore, now_iso
from gongkai.problems import Problem


@dataclass
class LinkAuditOptions:
    url: str
    db: Path
    sitemaps: list[str] = field(default_factory=list)
    guess_sitemap: bool = True
    content_dir: Path | None = None
    check_external: bool = True
    silence: Silencer = field(default_factory=Silencer)
    cache_max_age: float = 86400.0
    timeout: float = 20.0
    run_timeout: float = 3600.0
    concurrency: int = 32
    internal_concurrency: int = 16
    external_interval: float = 1.0
    max_pages: int = 50_000
    site_name: str = ""
    contact_url: str = ""  # named in the User-Agent; default: the audited site itself
    progress: bool = False


@dataclass
class LinkAuditResult:
    run_id: int
    view: RunView
    findings: list[Finding]
    crawl: Crawl
    content_problems: list[Problem]  # the content folder cannot be read: gongkai check's problems

    @property
    def broken(self) -> int:
        return sum(f.broken for f in self.findings)


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def run_link_audit(options: LinkAuditOptions) -> LinkAuditResult:
    store = AuditStore(options.db)
    try:
        started = now_iso()
        agent = user_agent(options.contact_url or origin_of(options.url) + "/")
        sitemaps = list(options.sitemaps)
        if not sitemaps and options.guess_sitemap and not options.url.endswith(".xml"):
            sitemaps_guess = [origin_of(options.url) + "/sitemap.xml"]
        else:
            sitemaps_guess = []
        if options.url.endswith(".xml"):
            sitemaps.append(options.url)
        settings = CrawlSettings(
            start_urls=[] if options.url.endswith(".xml") else [options.url],
            sitemap_urls=sitemaps, optional_sitemaps=sitemaps_guess,
            concurrency=options.concurrency, internal=HostLimits(options.internal_concurrency, 0.0),
            external=HostLimits(2, options.external_interval), check_external=options.check_external,
            max_pages=options.max_pages, run_timeout=options.run_timeout,
            fetch=FetchSettings(agent, timeout=options.timeout),
            cache_lookup=(lambda url: store.cached(url, options.cache_max_age)) if options.cache_max_age > 0 else None,
            progress=_progress_printer() if options.progress else None,
        )
        crawl = asyncio.run(Crawler(settings).run())
        if options.progress:
            print(file=sys.stderr)
        findings = link_findings(crawl, options.silence)
        extra, problems = content_findings(crawl, options.content_dir, origin_of(options.url))
        findings.extend(f for f in extra if not options.silence.silenced(f.tag, f.target))
        # Other sites' results, and the verdict on each #fragment linked to their pages: with both
        # cached, the next run reads such a page again only for a #fragment it has no verdict on.
        verdicts = [v for (url, _), v in fragment_outcomes(crawl).items() if host_key(url) not in crawl.internal_hosts]
        store.cache([o for url, o in crawl.outcomes.items() if host_key(url) not in crawl.internal_hosts] + verdicts)
        note = f"{len(crawl.outcomes)} addresses, {len(crawl.pages)} pages, {crawl.requests} requests in {crawl.seconds:.1f} s"
        if crawl.timed_out:
            note += f"; the run's time limit ran out with {len(crawl.not_checked)} addresses unchecked"
        run_id = store.record_run("links", options.site_name or origin_of(options.url), findings, len(crawl.outcomes), started, note)
        return LinkAuditResult(run_id, build_view(store, run_id), findings, crawl, problems)
    finally:
        store.close()


def _progress_printer():
    def show(done: int, known: int) -> None:
        width = 30
        filled = int(width * done / known) if known else 0
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{known} checked")
        sys.stderr.flush()
    return show
