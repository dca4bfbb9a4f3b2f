"""Per-host politeness: a concurrency limit and a minimum interval between requests to one host,
and robots.txt for other people's sites.

The site being audited is the webmaster's own, so it gets its own (higher) limits; every other host
gets the conservative ones — an agency's checker must never look like an attack on a partner site.
"""

from __future__ import annotations

import asyncio
import time
import urllib.robotparser
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class HostLimits:
    concurrency: int
    interval: float  # seconds between the starts of two requests to the host


class HostGate:
    """`async with gate.slot(host):` waits for a free per-host slot, for the host's interval and for
    one of the `concurrency` requests allowed over all hosts."""

    def __init__(self, internal: HostLimits, external: HostLimits, internal_hosts: set[str], concurrency: int = 32) -> None:
        self.internal, self.external, self.internal_hosts = internal, external, internal_hosts
        # The limit over all hosts is taken here, not left to the connection pool: a request that
        # passed its host's interval and then queued for a connection could go out together with
        # the host's next one.
        self._global = asyncio.Semaphore(concurrency)
        self._semaphores: dict[str, asyncio.Semaphore] = {}
        self._next_start: dict[str, float] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    def limits(self, host: str) -> HostLimits:
        return self.internal if host in self.internal_hosts else self.external

    @asynccontextmanager
    async def slot(self, host: str):
        limits = self.limits(host)
        semaphore = self._semaphores.setdefault(host, asyncio.Semaphore(limits.concurrency))
        async with semaphore:
            if limits.interval <= 0:
                async with self._global:
                    yield
                return
            # Sleep holding the host's lock, and take the next start from the moment this request
            # really starts: a reserved start time can pass while the event loop is busy (parsing a
            # page) or while every connection is in use, and two requests that reserved theirs would
            # then go out together. Only requests to this host wait on the lock; they wait anyway.
            async with self._locks.setdefault(host, asyncio.Lock()):
                while (wait := self._next_start.get(host, 0.0) - time.monotonic()) > 0:
                    await asyncio.sleep(wait)  # again if a Retry-After deferred the host meanwhile
                await self._global.acquire()
                self._next_start[host] = time.monotonic() + limits.interval
            try:
                yield
            finally:
                self._global.release()

    def defer(self, host: str, seconds: float) -> None:
        """A Retry-After from the host: nobody starts a request to it before then."""
        self._next_start[host] = max(self._next_start.get(host, 0.0), time.monotonic() + seconds)


class RobotsRules:
    """robots.txt of each external host, fetched once per run through the caller's fetcher."""

    def __init__(self, user_agent: str, fetch_text: Callable[[str], Awaitable[tuple[int, str]]]) -> None:
        self.user_agent = user_agent
        self._fetch_text = fetch_text
        self._parsers: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._pending: dict[str, asyncio.Task] = {}

    async def allowed(self, origin: str, url: str) -> bool:
        """origin = 'scheme://host:port'. A missing or unreadable robots.txt allows everything."""
        if origin not in self._parsers:
            if origin not in self._pending:
                self._pending[origin] = asyncio.ensure_future(self._load(origin))
            await asyncio.shield(self._pending[origin])
        parser = self._parsers.get(origin)
        return True if parser is None else parser.can_fetch(self.user_agent, url)

    async def _load(self, origin: str) -> None:
        try:
            status, text = await self._fetch_text(origin + "/robots.txt")
        except Exception:  # noqa: BLE001 - unreadable robots.txt: no rules (RFC 9309 would disallow; a checker sends one request per URL)
            status, text = 0, ""
        if status != 200 or not text:
            self._parsers[origin] = None
            return
        parser = urllib.robotparser.RobotFileParser()
        parser.parse(text.splitlines())
        self._parsers[origin] = parser
