"""Plugging open data into the site: the data service, the API, the pages and downloads."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from gongkai.opendata import api, labels, views  # noqa: F401 - labels registers the opendata.* labels
from gongkai.opendata.service import DataService
from gongkai.web import register_api, register_localized


def data_db_path(config) -> Path:
    return Path(config["DATA_DB"] or Path(config["VAR_DIR"]) / "opendata.sqlite")


def init_app(app: Flask) -> None:
    store = app.extensions["gongkai.content"]

    def context():
        corpus = store.corpus
        return corpus.agency, set(corpus.codes["services"])

    service = DataService(Path(app.config["CONTENT_DIR"]) / "datasets", data_db_path(app.config), context,
                          app.config["CONTENT_RELOAD_SECONDS"])
    app.extensions["gongkai.opendata"] = service
    service.current()  # build the store now if it is missing or stale, not on a visitor's request
    register_api(app, api.PREFIX + "/", not_found=f"no such API path — see {api.PREFIX}/openapi.json",
                 wrong_method="this API answers GET, HEAD and OPTIONS only")
    app.register_blueprint(api.bp)
    app.register_blueprint(views.files_bp)
    register_localized(app, views.bp)
    app.extensions.setdefault("gongkai.urls", []).append(views.sitemap_urls)
    app.extensions.setdefault("gongkai.freeze", []).append(views.frozen_files)
