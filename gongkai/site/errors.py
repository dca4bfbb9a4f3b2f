"""Accessible error pages (400, 404, 500) in the visitor's language, with full metadata."""

from __future__ import annotations

from flask import Flask, g, request
from werkzeug.exceptions import HTTPException

from gongkai.site.i18n import language_of_path, t
from gongkai.site.render import listing_info, render_page

PAGES = {400: ("bad_request", "bad_request"), 404: ("not_found", "not_found_text"), 500: ("server_error", "server_error_text")}


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if request.path.startswith("/api/"):
            return error  # APIs answer with their own JSON error shape
        return error_page(error.code or 500, error.description if error.code == 400 else None)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        app.logger.exception("unhandled error on %s", request.path)
        return error_page(500)


def error_page(status: int, detail: str | None = None):
    g.lang = language_of_path(request.path)
    title_key, text_key = PAGES.get(status, PAGES[500] if status >= 500 else PAGES[404])
    text = detail or t(text_key)
    info = listing_info(t(title_key), text, [], alternates={})
    return render_page("error.html", info, status=status, breadcrumbs=[], text=text, status_code=status)
