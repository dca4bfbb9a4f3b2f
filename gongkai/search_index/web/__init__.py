"""Search on the site: the service, the pages (/search/, both languages), the JSON API
(/api/search) and the OpenSearch description. The search core (everything in gongkai.search_index
outside this package) knows nothing of Flask."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from gongkai.search_index.backends import BACKENDS
from gongkai.search_index.index import index_root
from gongkai.search_index.service import SearchService
from gongkai.search_index.web import api, views
from gongkai.web import register_localized


def init_app(app: Flask) -> None:
    backend = app.config["SEARCH_BACKEND"]
    if backend not in BACKENDS:
        raise ValueError(f"SEARCH_BACKEND={backend!r} is not a search backend — set it to one of: {', '.join(BACKENDS)}")
    service = SearchService(index_root(app.config), backend, Path(app.config["CONTENT_DIR"]), out_of_process=not app.testing)
    service.is_current = app.extensions["gongkai.content"].is_current
    app.extensions["gongkai.search"] = service
    if not app.testing:  # build now if there is no index (≈5–10 s for the demo), not on a visitor's request
        service.index(app.extensions["gongkai.content"].corpus)
        service.release()  # engine handles are not shared across gunicorn's fork; workers reopen
    register_localized(app, views.bp, cache=False)
    api.init_app(app)
    app.extensions.setdefault("gongkai.urls", []).append(views.sitemap_urls)
