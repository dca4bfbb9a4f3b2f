"""HTTP for the checker: one request with retries, and a whole fetch with redirects and HEAD→GET.

Why by hand and not aiohttp's own redirect following: the checker needs every hop (to report a
permanent redirect with its new address and to detect loops), and it must decide per hop whether
to read the body at all.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import time
from dataclasses import dataclass, field

import aiohttp
from multidict import CIMultiDictProxy
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, retry_if_result, stop_after_attempt

from gongkai.audits.links.politeness import HostGate
from gongkai.audits.links.urls import host_key, normalize, resolve

REDIRECT_STATUSES = {301, 302, 303, 307, 308}
PERMANENT_STATUSES = {301, 308}
RETRY_STATUSES = {429, 500, 502, 503, 504}
HTML_TYPES = ("text/html", "application/xhtml+xml")
SNIFF_BYTES = 65536  # enough of an error page to recognise a bot challenge
# Errors worth another attempt: the connection, not the answer, went wrong.
CONNECTION_ERRORS = (aiohttp.ClientConnectionError, aiohttp.ClientPayloadError)


@dataclass(frozen=True)
class FetchSettings:
    user_agent: str
    timeout: float = 20.0  # seconds per request
    attempts: int = 3
    max_body: int = 5 * 1024 * 1024  # bytes of an HTML page of the audited site read at most
    # Bytes of another site's HTML page read at most: only its title, first heading and ids are
    # checked (soft 404, #fragment), and those sit near the top of nearly every page. An id further
    # down a longer page is reported as not verified, not as missing.
    max_target_body: int = 256 * 1024
    max_redirects: int = 10
    max_retry_after: float = 30.0  # a longer Retry-After is reported, not waited for


@dataclass
class Hop:
    url: str
    status: int
    headers: CIMultiDictProxy | dict
    body: bytes | None = None
    truncated: bool = False

    @property
    def content_type(self) -> str:
        return (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()

    @property
    def is_html(self) -> bool:
        return self.content_type in HTML_TYPES

    @property
    def charset(self) -> str | None:
        for part in (self.headers.get("Content-Type") or "").split(";")[1:]:
            name, _, value = part.strip().partition("=")
            if name.lower() == "charset" and value:
                return value.strip('"').lower()
        return None

    def retry_after(self) -> float | None:
        return parse_retry_after(self.headers.get("Retry-After"))


@dataclass
class FetchResult:
    url: str
    hops: list[Hop] = field(default_factory=list)
    error: str = ""  # set when no final answer was had: "timeout", "connection", "loop", "too-many-redirects"
    error_detail: str = ""
    method: str = "GET"

    @property
    def final(self) -> Hop | None:
        return self.hops[-1] if self.hops else None


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class Fetcher:
    def __init__(self, session: aiohttp.ClientSession, gate: HostGate, settings: FetchSettings) -> None:
        self.session, self.gate, self.settings = session, gate, settings
        self.requests = 0
        self._timeout = aiohttp.ClientTimeout(total=settings.timeout)

    # ------------------------------------------------------------------ one request, with retries
    def _should_retry(self, hop: Hop) -> bool:
        if hop.status not in RETRY_STATUSES or is_challenge(hop):
            return False
        wait = hop.retry_after()
        return wait is None or wait <= self.settings.max_retry_after

    def _wait(self, state: RetryCallState) -> float:
        if state.outcome is not None and not state.outcome.failed:
            wait = state.outcome.result().retry_after()
            if wait is not None:
                return wait
        return min(0.5 * 2 ** state.attempt_number, 8.0) + random.uniform(0, 0.25)  # backoff with jitter (attempt 1 here is the 2nd try)

    async def request(self, method: str, url: str, want_body: bool | str, body_limit: int | None = None) -> Hop:
        """want_body: False, True (HTML only) or "all" (any type: robots.txt, sitemaps).
        body_limit: bytes of a 2xx/3xx body read at most (default: settings.max_body)."""
        try:  # first attempt outside tenacity: most answers need no retry, and this path is the hot one
            hop = await self._request_once(method, url, want_body, body_limit)
        except Exception as error:
            if not _is_connection_error(error) or self.settings.attempts < 2:
                raise
        else:
            if not self._should_retry(hop) or self.settings.attempts < 2:
                return hop
            wait = hop.retry_after()
            await asyncio.sleep(wait if wait is not None else 0.5 + random.uniform(0, 0.25))
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.settings.attempts - 1), wait=self._wait, reraise=True,
            retry=retry_if_exception(_is_connection_error) | retry_if_result(self._should_retry),
            retry_error_callback=lambda state: state.outcome.result(),  # out of attempts: the last answer
        )
        async for attempt in retrying:
            with attempt:
                hop = await self._request_once(method, url, want_body, body_limit)
            if not attempt.retry_state.outcome.failed:
                attempt.retry_state.set_result(hop)
        return hop

    async def _request_once(self, method: str, url: str, want_body: bool | str, body_limit: int | None) -> Hop:
        host = host_key(url)
        async with self.gate.slot(host):
            self.requests += 1
            async with self.session.request(method, url, allow_redirects=False, timeout=self._timeout) as response:
                hop = Hop(str(response.url), response.status, response.headers)
                wait = hop.retry_after()
                if wait is not None and response.status in (429, 503):
                    self.gate.defer(host, min(wait, self.settings.max_retry_after))
                if method != "HEAD" and (want_body == "all" or want_body and hop.is_html or response.status >= 400):
                    limit = (body_limit or self.settings.max_body) if response.status < 400 else SNIFF_BYTES
                    hop.body, hop.truncated = await _read_bounded(response, limit)
                elif method != "HEAD":
                    response.close()  # body not needed (an attachment, a huge file): drop the connection
                return hop

    # ------------------------------------------------------------------ a whole fetch
    async def fetch(self, url: str, want_body: bool | str, head_first: bool, body_limit: int | None = None) -> FetchResult:
        if head_first and not want_body:
            result = await self._follow("HEAD", url, False)
            # Servers that answer HEAD wrongly (405, 404, 500, a dropped connection): ask again with GET.
            final = result.final
            if not (result.error == "connection" or final is None or final.status >= 400) or final is not None and is_challenge(final):
                return result
        return await self._follow("GET", url, want_body, body_limit)

    async def _follow(self, method: str, url: str, want_body: bool | str, body_limit: int | None = None) -> FetchResult:
        result = FetchResult(url, method=method)
        seen = {normalize(url)[0]}
        current = url
        while True:
            try:
                hop = await self.request(method, current, want_body, body_limit)
            except TimeoutError as error:
                result.error, result.error_detail = "timeout", str(error)
                return result
            except aiohttp.InvalidURL as error:
                result.error, result.error_detail = "invalid-url", str(error)
                return result
            except (aiohttp.ClientError, OSError, ValueError) as error:
                result.error, result.error_detail = "connection", f"{type(error).__name__}: {error}"
                return result
            result.hops.append(hop)
            location = hop.headers.get("Location")
            if hop.status not in REDIRECT_STATUSES or not location:
                return result
            current = resolve(current, location)
            key = normalize(current)[0]
            if key in seen:
                result.error, result.error_detail = "loop", current
                return result
            seen.add(key)
            if len(result.hops) > self.settings.max_redirects:
                result.error = "too-many-redirects"
                return result


async def _read_bounded(response: aiohttp.ClientResponse, limit: int) -> tuple[bytes, bool]:
    chunks, size = [], 0
    async for chunk in response.content.iter_chunked(65536):
        chunks.append(chunk)
        size += len(chunk)
        if size >= limit:
            response.close()
            return b"".join(chunks)[:limit], True
    return b"".join(chunks), False


def _is_connection_error(error: BaseException) -> bool:
    # A timeout is not retried: a page slower than the limit stays slower, and retrying would
    # multiply the run's time by the number of attempts.
    return isinstance(error, CONNECTION_ERRORS) and not isinstance(error, TimeoutError)


def is_challenge(hop: Hop) -> bool:
    """A bot-protection challenge rather than an answer about the page itself."""
    if (hop.headers.get("cf-mitigated") or "").lower() == "challenge":
        return True
    if hop.status in (403, 429, 503) and hop.body:
        head = hop.body[:SNIFF_BYTES].lower()
        return any(marker in head for marker in (b"challenge-platform", b"cf-chl-", b"just a moment...", b"captcha-delivery"))
    return False
