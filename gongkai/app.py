"""The Flask application factory of the public site."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from gongkai import mailbox, site, web
from gongkai.config import load_settings
from gongkai.opendata import web as opendata_web
from gongkai.search_index import web as search_web

SITE_DIR = Path(__file__).resolve().parent / "site"


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__, template_folder=str(SITE_DIR / "templates"), static_folder=str(SITE_DIR / "static"),
                instance_relative_config=True)
    app.config.update(load_settings(config, Path(app.instance_path) / "gongkai.cfg"))
    app.json.ensure_ascii = False
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    web.init_app(app)
    web.trust_proxies(app, int(app.config["PROXY_COUNT"] or 0))  # the back office has its own ADMIN_PROXY_COUNT
    site.init_app(app)
    search_web.init_app(app)
    opendata_web.init_app(app)
    mailbox.init_app(app)
    return app
