"""Addresses of the public site's pages, from inside the back office.

The back office is an application of its own, so ``url_for`` there knows none of the site's
routes. Both directions are answered from the site's own blueprints, registered on a bare Flask
application whose URL map is used and nothing else: a document's public address (to link to it)
and the document an audited page address belongs to (to give a finding its unit). No route
pattern is written twice."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from werkzeug.exceptions import HTTPException
from werkzeug.routing import MapAdapter

from gongkai.web.i18n import EN, EN_SUFFIX, ZH, endpoint_for, register_localized
from gongkai.web.render import DOC_ENDPOINTS

# Where `gongkai serve` (and so `make serve`) puts the site when no BASE_URL is set: its default
# --port on this machine. A deployment sets BASE_URL, and links then name the public address.
LOCAL_SITE = "http://127.0.0.1:5000"
KIND_OF_ENDPOINT = {endpoint: kind for kind, endpoint in DOC_ENDPOINTS.items()}


@cache
def _urls() -> MapAdapter:
    from gongkai.site import PAGE_BLUEPRINTS

    routes = Flask("gongkai.admin.public_pages")
    for blueprint in PAGE_BLUEPRINTS:
        register_localized(routes, blueprint, cache=False)
    return routes.url_map.bind("localhost")


def document_path(doc: Any) -> str:
    """The path of a document's public page (/news/meter-news/, /en/faq/…/)."""
    return _urls().build(endpoint_for(DOC_ENDPOINTS[doc.kind], doc.lang), {"doc_id": doc.id})


def public_url(path: str, config: Mapping[str, Any]) -> str:
    return (str(config.get("BASE_URL") or "") or LOCAL_SITE).rstrip("/") + path


def document_at(corpus: Any, address: str) -> Any | None:
    """The published document whose public page ``address`` is (a full URL or a path), or None
    for any other page (lists, the home page, another site)."""
    path = urlsplit(address).path or "/"
    try:
        endpoint, values = _urls().match(path, method="GET")
    except HTTPException:  # no page of the site, or a redirect to one (a missing slash)
        return None
    blueprint, _, view = str(endpoint).partition(".")
    language = EN if blueprint.endswith(EN_SUFFIX) else ZH
    kind = KIND_OF_ENDPOINT.get(f"{blueprint.removesuffix(EN_SUFFIX)}.{view}")
    if kind is None or "doc_id" not in values:
        return None
    return corpus.get(language, values["doc_id"], kind)
