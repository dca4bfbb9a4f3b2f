"""URL handling: one normal form per address, so that the queue never holds the same URL twice."""

from __future__ import annotations

import functools
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

SKIPPED_SCHEMES = {"javascript", "data", "about", "blob"}


@functools.lru_cache(maxsize=65536)
def host_key(url: str) -> str:
    """'host:port' of an http(s) URL — the unit of politeness and of 'internal'."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{(parts.hostname or '').lower()}:{port}"


def scheme_of(url: str) -> str:
    scheme, colon, _ = url.partition(":")
    return scheme.strip().lower() if colon and scheme.replace("+", "").replace("-", "").replace(".", "").isalnum() else ""


def resolve(base: str, href: str) -> str:
    """The absolute URL of `href` on a page at `base`, whitespace stripped as browsers do."""
    href = href.strip()
    if href.startswith("/") and not href.startswith("//") and "/." not in href and "\n" not in href and "\t" not in href:
        return origin(base) + href  # the common case on a site: a root-relative link; no need for urljoin
    return urljoin(base, href.replace("\n", "").replace("\t", ""))


@functools.lru_cache(maxsize=4096)
def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@functools.lru_cache(maxsize=131072)  # a site links the same few thousand URLs tens of thousands of times
def normalize(url: str) -> tuple[str, str]:
    """(URL without fragment in a canonical form, the fragment percent-decoded).

    Lower-case scheme and host, default port dropped, empty path -> '/', path percent-encoding
    made uniform (so /新聞 and /%E6%96%B0%E8%81%9E are one URL). The query is kept as written.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return url.split("#", 1)[0], unquote(parts.fragment)
    host = (parts.hostname or "").lower()
    if parts.port and parts.port != (443 if scheme == "https" else 80):
        host = f"{host}:{parts.port}"
    if parts.username:
        host = f"{parts.username}@{host}"
    path = quote(unquote(parts.path or "/"), safe="/:@!$&'()*+,;=-._~%")
    return urlunsplit((scheme, host, path, parts.query, "")), unquote(parts.fragment)


def is_http(url: str) -> bool:
    return scheme_of(url) in ("http", "https")


def with_fragment(url: str, fragment: str) -> str:
    """A normalized URL with its (percent-decoded) #fragment: the target named in a fragment finding and
    the key of its verdict in the result cache."""
    return f"{url}#{fragment}"
