"""HTTP concerns for every response: security headers and the rendered-page cache."""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from flask import Flask, Response, g, request

from gongkai import clock
from gongkai.web.content import current_corpus

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class PageCache:
    """Rendered GET responses of the current content build and day. Content is immutable per
    build, so a page needs rendering once per process and day, not once per visitor; the day is
    part of the key because some pages say what is overdue today."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple[str, ...], tuple[bytes, int, dict]] = OrderedDict()
        self._lock = Lock()

    def get(self, key: tuple[str, ...]) -> Response | None:
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
        if hit is None:
            return None
        body, status, headers = hit
        return Response(body, status=status, headers=headers)

    def put(self, key: tuple[str, ...], response: Response) -> None:
        if response.direct_passthrough or response.is_streamed:
            return
        item = (response.get_data(), response.status_code, dict(response.headers))
        with self._lock:
            self._items[key] = item
            if len(self._items) > self.size:
                self._items.popitem(last=False)


def init_app(app: Flask) -> None:
    cache = PageCache(app.config["PAGE_CACHE_SIZE"])
    cacheable = app.extensions.setdefault("gongkai.cacheable", set())

    def key() -> tuple[str, ...] | None:
        """The page's cache key, or None when it must not be cached. Nothing in it is the client's
        free choice: the host is one of TRUSTED_HOSTS, the path one the site answered 200 for, and a
        page asked for with a query string is rendered afresh, never kept."""
        if not cache.size or request.method != "GET" or request.endpoint not in cacheable or request.query_string:
            return None
        return (current_corpus().version, clock.today().isoformat(), request.host, request.path)

    @app.before_request
    def from_cache():
        g.page_cache_key = key()
        hit = cache.get(g.page_cache_key) if g.page_cache_key else None
        g.page_from_cache = hit is not None
        return hit

    @app.after_request
    def finish(response: Response) -> Response:
        cache_key = g.get("page_cache_key")
        if cache_key and response.status_code == 200 and not g.get("page_from_cache"):
            cache.put(cache_key, response)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response
