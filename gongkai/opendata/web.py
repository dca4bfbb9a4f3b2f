"""Plugging open data into the site: the data service, the API, the pages and downloads."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from gongkai.opendata import api, errors, views
from gongkai.opendata.service import DataService


def data_db_path(config) -> Path:
    return Path(config["DATA_DB"] or Path(config["VAR_DIR"]) / "opendata.sqlite")


def init_app(app: Flask) -> None:
    from gongkai.app import register_localized

    store = app.extensions["gongkai.content"]

    def context():
        corpus = store.corpus
        return corpus.agency, set(corpus.codes["services"])

    service = DataService(Path(app.config["CONTENT_DIR"]) / "datasets", data_db_path(app.config), context,
                          app.config["CONTENT_RELOAD_SECONDS"])
    app.extensions["gongkai.opendata"] = service
    service.current()  # build the store now if it is missing or stale, not on a visitor's request
    errors.init_app(app)
    app.register_blueprint(api.bp)
    app.register_blueprint(views.files_bp)
    register_localized(app, views.bp)
    app.extensions.setdefault("gongkai.urls", []).append(views.sitemap_urls)
    app.extensions.setdefault("gongkai.freeze", []).append(views.frozen_files)
