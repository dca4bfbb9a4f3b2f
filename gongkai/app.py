"""The Flask application factory."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, g, request

from gongkai.config import load_settings
from gongkai.site import errors, http, templates
from gongkai.site.i18n import EN, EN_SUFFIX, ZH, html_lang, lang, language_of_path, lurl, t
from gongkai.site.sections import menu
from gongkai.site.state import ContentStore
from gongkai.site.views import browse, disclosure, faq, forms, harvest, main, news, procedures, units

PAGE_BLUEPRINTS = (main.bp, browse.bp, procedures.bp, forms.bp, news.bp, faq.bp, disclosure.bp, units.bp)
SITE_DIR = Path(__file__).resolve().parent / "site"


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__, template_folder=str(SITE_DIR / "templates"), static_folder=str(SITE_DIR / "static"),
                instance_relative_config=True)
    app.config.update(load_settings(config, Path(app.instance_path) / "gongkai.cfg"))
    app.json.ensure_ascii = False
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    app.extensions["gongkai.content"] = ContentStore(Path(app.config["CONTENT_DIR"]), app.config["CONTENT_RELOAD_SECONDS"])

    for blueprint in PAGE_BLUEPRINTS:
        register_localized(app, blueprint)
    app.register_blueprint(forms.files_bp)
    app.register_blueprint(harvest.bp)
    _register_optional_packages(app)
    errors.init_app(app)
    http.init_app(app)

    templates.init_app(app)

    @app.before_request
    def set_language():
        blueprint = request.blueprint
        g.lang = language_of_path(request.path) if blueprint is None else EN if blueprint.endswith(EN_SUFFIX) else ZH

    @app.context_processor
    def template_helpers():
        search = "search.results" in app.view_functions
        return {"t": t, "lurl": lurl, "lang": lang(), "html_lang": html_lang(lang()), "has_search": search,
                "menu": menu()}

    return app


def register_localized(app: Flask, blueprint: Any, cache: bool = True) -> None:
    """Register a page blueprint at / (Chinese) and /en/ (English, named <name>_en)."""
    app.register_blueprint(blueprint)
    app.register_blueprint(blueprint, url_prefix="/en", name=blueprint.name + EN_SUFFIX)
    if cache:
        cacheable = app.extensions.setdefault("gongkai.cacheable", set())
        for rule in list(app.url_map.iter_rules()):
            if rule.endpoint.split(".")[0] in (blueprint.name, blueprint.name + EN_SUFFIX):
                cacheable.add(rule.endpoint)


def _register_optional_packages(app: Flask) -> None:
    """Search, open data and audits plug in here when their packages provide ``init_app``."""
    import importlib

    for module in ("gongkai.search_index.web", "gongkai.opendata.web", "gongkai.audits.web"):
        try:
            package = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name and module.startswith(exc.name):
                continue  # that package is not part of this installation
            raise
        package.init_app(app)
