"""The crawl: start from a sitemap and/or start URLs, follow the site's own pages, check every target once.

A worker pool pulls the site's own URLs from one queue; another site's URL is checked in a task of
its own, started when it is first linked, since it mostly waits for that host's politeness interval
and must not hold a worker meanwhile. A URL is checked at most once per run (`seen`), however many
pages link it. Another site's HTML page is read too, up to FetchSettings.max_target_body, for its
title, first heading and ids (soft 404, #fragment), but its links are not followed. Politeness
(per-host limits, robots.txt) and retries live in politeness.py and fetch.py; the verdicts in
checks.py. Nothing here knows gongkai's content model, so any site can be audited.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import aiohttp
from lxml import etree

from gongkai.audits.links.checks import BotChallengeCheck, HttpStatusCheck, RedirectCheck, SoftNotFoundCheck, TruncatedBodyCheck
from gongkai.audits.links.extract import PageFacts, parse_page, parse_target
from gongkai.audits.links.fetch import HTML_TYPES, Fetcher, FetchSettings
from gongkai.audits.links.politeness import HostGate, HostLimits, RobotsRules
from gongkai.audits.links.urls import SKIPPED_SCHEMES, host_key, is_http, normalize, resolve, scheme_of, with_fragment
from gongkai.audits.results import Outcome

USER_AGENT = "gongkai-linkcheck/0.1 (monthly link audit of a Taiwanese government site)"


def user_agent(contact_url: str) -> str:
    """A User-Agent that names gongkai and where to reach the webmaster who runs it."""
    return f"gongkai-linkcheck/0.1 (+{contact_url}; monthly link audit by the site's webmaster)" if contact_url else USER_AGENT


ASSET_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".ico", ".css", ".js", ".pdf", ".odt", ".ods", ".odp",
                  ".csv", ".json", ".xml", ".zip", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".mp4", ".mp3", ".woff2")


def is_asset(url: str) -> bool:
    """A file, not a page, judging by its name: checked with HEAD (then GET if HEAD is refused)."""
    return urlsplit(url).path.lower().endswith(ASSET_SUFFIXES)


@dataclass
class CrawlSettings:
    start_urls: list[str]
    sitemap_urls: list[str] = field(default_factory=list)
    optional_sitemaps: list[str] = field(default_factory=list)  # tried quietly: /sitemap.xml of the start URL
    concurrency: int = 32  # requests in flight over all hosts
    internal: HostLimits = HostLimits(concurrency=16, interval=0.0)  # the webmaster's own site
    external: HostLimits = HostLimits(concurrency=2, interval=1.0)  # everybody else's
    check_external: bool = True
    max_pages: int = 50_000
    run_timeout: float = 3600.0
    fetch: FetchSettings = field(default_factory=lambda: FetchSettings(USER_AGENT))
    cache_lookup: Callable[[str], Outcome | None] | None = None
    progress: Callable[[int, int], None] | None = None


@dataclass
class PageRecord:
    url: str
    title: str
    h1: str
    meta: dict[str, str]
    ids: set[str]
    shows_update_date: bool = False
    references: list[tuple[str, str, str]] = field(default_factory=list)  # (absolute URL with #, element, text)
    truncated_at: int = 0  # bytes read when the page was longer than that, else 0


@dataclass
class TargetRecord:
    """Another site's HTML page as far as it was read: what the #fragment check needs."""

    ids: set[str]
    truncated_at: int = 0


@dataclass(repr=False)
class Crawl:
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    links_from: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))  # target -> {page: count}
    fragments: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))  # (target, #id) -> pages
    other_refs: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # mailto:/tel:/ftp: href -> pages
    pages: dict[str, PageRecord] = field(default_factory=dict)  # internal HTML pages, by URL (requested and final)
    targets: dict[str, TargetRecord] = field(default_factory=dict)  # other sites' HTML pages read this run, by URL
    cached_fragments: dict[tuple[str, str], Outcome] = field(default_factory=dict)  # verdicts on #ids of cached pages
    seeds: list[str] = field(default_factory=list)
    start_urls: set[str] = field(default_factory=set)
    internal_hosts: set[str] = field(default_factory=set)
    not_checked: list[str] = field(default_factory=list)
    requests: int = 0
    fetches: Counter = field(default_factory=Counter)  # URL -> times fetched (1 each, by design)
    timed_out: bool = False
    seconds: float = 0.0

    def __repr__(self) -> str:
        # Short on purpose: at the end of asyncio.run(), CPython 3.11 formats the repr of the main
        # task, result included, into an error message it then drops (signal.getsignal on the
        # SIGINT handler); the dataclass repr of a whole crawl took a third of a second there.
        return f"<Crawl {len(self.outcomes)} addresses, {len(self.pages)} pages, {self.requests} requests>"


class Crawler:
    def __init__(self, settings: CrawlSettings) -> None:
        self.settings = settings
        self.crawl = Crawl()
        self._queue: asyncio.Queue[str] = asyncio.Queue()
        self._seen: set[str] = set()
        self._page_count = 0
        self._fragments_by_url: dict[str, set[str]] = defaultdict(set)
        self._refresh: set[str] = set()  # other sites' URLs to read again although cached: a new #fragment
        self._external: set[asyncio.Task] = set()  # checks of other sites' URLs still running

    async def run(self) -> Crawl:
        started = time.monotonic()
        s = self.settings
        self.crawl.start_urls = {normalize(u)[0] for u in s.start_urls}
        self.crawl.internal_hosts = {host_key(u) for u in s.start_urls + s.sitemap_urls + s.optional_sitemaps if is_http(u)}
        gate = HostGate(s.internal, s.external, self.crawl.internal_hosts, s.concurrency)
        connector = aiohttp.TCPConnector(limit=s.concurrency, limit_per_host=0, ttl_dns_cache=600)
        headers = {"User-Agent": s.fetch.user_agent, "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
                   "Accept-Language": "zh-TW,zh;q=0.9,en;q=0.8"}
        async with aiohttp.ClientSession(connector=connector, headers=headers, auto_decompress=True) as session:
            self.fetcher = Fetcher(session, gate, s.fetch)
            self.robots = RobotsRules(s.fetch.user_agent, self._fetch_text)
            for sitemap in s.sitemap_urls:
                for loc in await self._sitemap_locs(sitemap):
                    self._add(loc, page="")
            for sitemap in s.optional_sitemaps:
                for loc in await self._sitemap_locs(sitemap, quiet=True):
                    self._add(loc, page="")
            for url in s.start_urls:
                self._add(url, page="")
            workers = [asyncio.create_task(self._worker()) for _ in range(s.concurrency)]
            try:
                async with asyncio.timeout(s.run_timeout):
                    await self._drain()
                    # A page of another site taken from the cache, then linked with a #fragment whose
                    # verdict is not cached: read it again (once) now that every link is known.
                    for url in self._late_fragment_pages():
                        self._refresh.add(url)
                        self._start_external(url)
                    await self._drain()
            except TimeoutError:
                self.crawl.timed_out = True
            finally:
                for task in [*workers, *self._external]:
                    task.cancel()
                await asyncio.gather(*workers, *self._external, return_exceptions=True)
            self.crawl.requests = self.fetcher.requests
        for url in self._seen:
            if url not in self.crawl.outcomes:
                self.crawl.not_checked.append(url)
                outcome = Outcome(url, broken=False)
                outcome.warn("not-checked", f"The run's time limit of {s.run_timeout:g} s ran out before {url} was checked.",
                             "Run again with a longer --run-timeout.")
                self.crawl.outcomes[url] = outcome
        self.crawl.seconds = time.monotonic() - started
        return self.crawl

    # ------------------------------------------------------------------ the queue
    def _add(self, absolute: str, page: str) -> None:
        """Record a link from `page` (already resolved to an absolute URL) and queue its target once."""
        scheme = scheme_of(absolute)
        if scheme in SKIPPED_SCHEMES or not scheme and not absolute:
            return
        if scheme not in ("http", "https"):
            self.crawl.other_refs[absolute].add(page)
            return
        url, fragment = normalize(absolute)
        if page:
            counts = self.crawl.links_from[url]
            counts[page] = counts.get(page, 0) + 1
            if fragment:
                self.crawl.fragments[(url, fragment)].add(page)
                self._fragments_by_url[url].add(fragment)
        if url in self._seen:
            return
        if not self.settings.check_external and host_key(url) not in self.crawl.internal_hosts:
            return
        self._seen.add(url)
        if not page:
            self.crawl.seeds.append(url)
        if host_key(url) in self.crawl.internal_hosts:
            self._queue.put_nowait(url)
        else:
            self._start_external(url)

    def _start_external(self, url: str) -> None:
        task = asyncio.get_running_loop().create_task(self._check_and_record(url))
        self._external.add(task)
        task.add_done_callback(self._external.discard)

    async def _drain(self) -> None:
        """Until the queue is empty and no check of another site's URL is running."""
        while True:
            await self._queue.join()
            if not self._external:
                return
            await asyncio.wait(set(self._external))

    async def _worker(self) -> None:
        while True:
            url = await self._queue.get()
            try:
                await self._check_and_record(url)
            finally:
                self._queue.task_done()

    async def _check_and_record(self, url: str) -> None:
        try:
            self.crawl.outcomes[url] = await self._check(url)
        except Exception as error:  # noqa: BLE001 - one URL's surprise must not stop the run; it is reported
            self.crawl.outcomes[url] = Outcome(url, True, message=f"The checker failed on this address: {type(error).__name__}: {error}",
                                               fix="Report this to the gongkai maintainers with the address.", transient=True,
                                               code="links.check-failed")
        if self.settings.progress:
            self.settings.progress(len(self.crawl.outcomes), len(self._seen))

    # ------------------------------------------------------------------ one URL
    async def _check(self, url: str) -> Outcome:
        s = self.settings
        internal = host_key(url) in self.crawl.internal_hosts
        if not internal:
            if s.cache_lookup and url not in self._refresh and (cached := self._from_cache(url)) is not None:
                return cached
            parts = urlsplit(url)
            if not await self.robots.allowed(f"{parts.scheme}://{parts.netloc}", url):
                outcome = Outcome(url, broken=False)
                outcome.warn("robots-disallowed", f"Not checked: robots.txt of {parts.netloc} disallows {parts.path}.",
                             "Check the link by hand.")
                return outcome
        # GET, not HEAD, for any page: the site's own to follow its links, another site's for its
        # title and ids. One request either way, and the body is read only when it is HTML.
        want_body = (not internal or self._page_count < s.max_pages) and not is_asset(url)
        self.crawl.fetches[url] += 1
        result = await self.fetcher.fetch(url, want_body=want_body, head_first=not want_body,
                                          body_limit=None if internal else s.fetch.max_target_body)
        outcome = Outcome(url, broken=False)
        HttpStatusCheck().inspect(result, outcome, s.fetch.timeout)
        RedirectCheck().inspect(result, outcome, s.fetch.max_redirects)
        BotChallengeCheck().inspect(result, outcome)
        final = result.final
        facts = PageFacts()
        if want_body and final is not None and final.status == 200 and final.is_html and final.body is not None:
            truncated_at = len(final.body) if final.truncated else 0
            if internal and host_key(final.url) in self.crawl.internal_hosts:
                facts = parse_page(final.body, final.charset)
                SoftNotFoundCheck().inspect(result, outcome, facts.title, facts.h1)
                TruncatedBodyCheck().inspect(result, outcome, s.fetch.max_body)
                if not outcome.broken:
                    self._record_page(url, final.url, facts, truncated_at)
            else:  # another site's page (or one the site redirects to): a target, its links not followed
                facts = parse_target(final.body, final.charset)
                SoftNotFoundCheck().inspect(result, outcome, facts.title, facts.h1)
                if not outcome.broken:
                    self.crawl.targets[url] = TargetRecord(facts.ids, truncated_at)
        return outcome

    def _from_cache(self, url: str) -> Outcome | None:
        """The cached result of another site's address, when the cache also holds a verdict on every
        #fragment linked to it so far; else None, and the page is read again."""
        cached = self.settings.cache_lookup(url)
        if cached is None or not _has_ids(cached):
            return cached
        verdicts = {}
        for fragment in self._fragments_by_url.get(url, ()):
            verdict = self.settings.cache_lookup(with_fragment(url, fragment))
            if verdict is None:
                return None
            verdicts[(url, fragment)] = verdict
        self.crawl.cached_fragments.update(verdicts)
        return cached

    def _late_fragment_pages(self) -> list[str]:
        """Cached pages of other sites linked, after they were checked, with a #fragment that has no
        cached verdict."""
        late: set[str] = set()
        for url, fragment in self.crawl.fragments:
            outcome = self.crawl.outcomes.get(url)
            if outcome is None or not outcome.from_cache or not _has_ids(outcome) or (url, fragment) in self.crawl.cached_fragments:
                continue
            verdict = self.settings.cache_lookup(with_fragment(url, fragment)) if self.settings.cache_lookup else None
            if verdict is not None:
                self.crawl.cached_fragments[(url, fragment)] = verdict
            else:
                late.add(url)
        return sorted(late)

    def _record_page(self, url: str, final_url: str, facts: PageFacts, truncated_at: int = 0) -> None:
        self._page_count += 1
        record = PageRecord(url, facts.title, facts.h1, facts.meta, facts.ids, facts.shows_update_date, truncated_at=truncated_at)
        self.crawl.pages[url] = record
        final_key = normalize(final_url)[0]
        self.crawl.pages.setdefault(final_key, record)
        base = resolve(final_url, facts.base) if facts.base else final_url
        for reference in facts.references:
            absolute = resolve(base, reference.href)
            record.references.append((absolute, reference.element, reference.text))
            self._add(absolute, page=url)

    # ------------------------------------------------------------------ helpers
    async def _fetch_text(self, url: str) -> tuple[int, str]:
        result = await self.fetcher.fetch(url, want_body="all", head_first=False)
        final = result.final
        if final is None or final.body is None:
            return (final.status if final else 0), ""
        return final.status, final.body.decode(final.charset or "utf-8", "replace")

    async def _sitemap_locs(self, url: str, depth: int = 0, quiet: bool = False) -> list[str]:
        """Every <loc> of a sitemap, following a sitemap index one level down."""
        self._seen.add(normalize(url)[0])
        status, text = await self._fetch_text(url)
        outcome = Outcome(normalize(url)[0], broken=False, status=status)
        if status != 200 and not quiet:
            outcome.fail("links.not-found" if status in (404, 410) else "links.http-error" if status else "links.unreachable",
                         f"The sitemap {url} answered {status or 'nothing'}.", "Check the sitemap address (usually /sitemap.xml).")
        self.crawl.outcomes[outcome.url] = outcome
        if status != 200:
            return []
        with contextlib.suppress(etree.XMLSyntaxError):
            root = etree.fromstring(text.encode("utf-8"), parser=etree.XMLParser(resolve_entities=False, no_network=True))
            locs = [loc.strip() for loc in root.xpath("//*[local-name()='loc']/text()") if loc.strip()]
            if root.tag.endswith("sitemapindex") and depth == 0:
                nested = []
                for loc in locs:
                    nested.extend(await self._sitemap_locs(loc, depth + 1))
                return nested
            return locs
        return []


def _has_ids(outcome: Outcome) -> bool:
    """Whether the page behind a result has ids a #fragment could name: an HTML page that answered."""
    return not outcome.broken and outcome.status == 200 and outcome.content_type in HTML_TYPES
