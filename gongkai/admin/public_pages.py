"""Addresses of the public site's pages, from inside the back office.

The back office is an application of its own, so its ``url_for`` knows none of the site's
routes. The monthly content audit already names each document's page by the site's own URL
rules (``gongkai.audits.content.document_urls``); the back office asks it too, and reads the
table both ways: a document's public address (to link to it) and the document an audited page
belongs to (to give a finding its unit). No route pattern is written twice."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from gongkai.audits.content import document_urls
from gongkai.audits.links.urls import normalize

# Where `gongkai serve` (and so `make serve`) puts the site when no BASE_URL is set: its default
# --port on this machine. A deployment sets BASE_URL, and links then name the public address.
LOCAL_SITE = "http://127.0.0.1:5000"


def site_base(config: Mapping[str, Any]) -> str:
    return (str(config.get("BASE_URL") or "") or LOCAL_SITE).rstrip("/")


class PublicPages:
    """The public page of every published document of one corpus, on one site address."""

    def __init__(self, corpus: Any, base: str) -> None:
        self._urls = document_urls(base, corpus)
        self._by_path = {urlsplit(url).path: corpus.get(lang, doc_id) for (lang, doc_id), url in self._urls.items()}

    def url_of(self, doc: Any) -> str:
        return self._urls[(doc.lang, doc.id)]

    def document_at(self, address: str) -> Any | None:
        """The document whose page ``address`` is (a full URL of any host, or a path); None for any
        other page (lists, the home page)."""
        return self._by_path.get(urlsplit(normalize(address)[0]).path or "/")


@lru_cache(maxsize=1)  # a corpus is immutable and replaced whole when the content changes; an old one is let go
def public_pages(corpus: Any, base: str) -> PublicPages:
    return PublicPages(corpus, base)


def public_url(corpus: Any, doc: Any, config: Mapping[str, Any]) -> str:
    return public_pages(corpus, site_base(config)).url_of(doc)
