"""The public website's own pages: one blueprint per area, their templates and static files.

``init_app`` registers them (each page blueprint in both languages) on an app the web layer
(gongkai.web) has been set up on.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from gongkai.conventions import ACCESS_KEYS
from gongkai.site import labels  # noqa: F401 - registers the site.* labels
from gongkai.site.sections import menu
from gongkai.site.views import browse, disclosure, faq, forms, gone, harvest, main, news, procedures, units
from gongkai.web import register_localized

PAGE_BLUEPRINTS = (main.bp, browse.bp, procedures.bp, forms.bp, news.bp, faq.bp, disclosure.bp, units.bp)


def init_app(app: Flask) -> None:
    for blueprint in PAGE_BLUEPRINTS:
        register_localized(app, blueprint)
    app.register_blueprint(forms.files_bp)
    app.register_blueprint(harvest.bp)
    gone.init_app(app)

    @app.context_processor
    def navigation() -> dict[str, Any]:
        return {"menu": menu(), "has_search": "search.results" in app.view_functions, "access_keys": ACCESS_KEYS}
