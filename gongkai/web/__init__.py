"""The shared web layer every part of the site plugs into (the public pages, search, open data,
and next the back office and citizen services).

What a part uses, and nothing else of another part:

- ``render_page``, ``listing_info``, ``document_info``, ``absolute``, ``doc_url``, ``document_path`` — a page with its
  Dublin Core / MyEGov metadata (gongkai.web.render);
- ``format_bytes`` — a download's size as people read it;
- ``current_corpus``, ``document_or_404`` — the content build the current request is served from (gongkai.web.content);
- ``lang``, ``lurl``, ``register_localized`` — the two languages and localised URLs (gongkai.web.i18n);
- ``labels.register`` and ``t(namespace_key)`` (e.g. ``site.home``) — the one label registry (gongkai.web.labels);
- ``ApiError`` and ``register_api`` — the one JSON error shape of every API (gongkai.web.api);
- ``register_error_page`` — an application with templates of its own (the back office) renders the
  one error handler's pages in them (gongkai.web.errors).

``init_app`` sets up what every request needs: the host names it answers, the content store, the
language, the URL converters, the error handler, the security headers and page cache, and the template helpers.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from gongkai.web import converters, errors, http, templates
from gongkai.web.api import ApiError, register_api
from gongkai.web.content import ContentStore, current_corpus, document_or_404
from gongkai.web.errors import register_error_page
from gongkai.web.hosts import trust_proxies, trusted_hosts
from gongkai.web.i18n import EN, ZH, lang, lurl, register_localized, set_language
from gongkai.web.labels import t
from gongkai.web.render import absolute, doc_url, document_info, document_path, listing_info, render_page
from gongkai.web.templates import format_bytes

__all__ = ["EN", "ZH", "ApiError", "absolute", "current_corpus", "doc_url", "document_info", "document_or_404", "document_path",
           "format_bytes", "init_app", "lang", "listing_info", "lurl", "register_api", "register_error_page", "register_localized",
           "render_page", "t", "trust_proxies"]


def init_app(app: Flask) -> None:
    converters.init_app(app)  # first: the routes added later are built with it
    app.config["TRUSTED_HOSTS"] = trusted_hosts(app.config)
    app.extensions["gongkai.content"] = ContentStore(Path(app.config["CONTENT_DIR"]), app.config["CONTENT_RELOAD_SECONDS"])
    app.before_request(set_language)
    errors.init_app(app)
    http.init_app(app)
    templates.init_app(app)
