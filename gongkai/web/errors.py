"""The app's one error handler: accessible HTML error pages (400, 404, 500 …) in the visitor's
language with full metadata, and the one JSON shape (gongkai.web.api) under a declared API prefix."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, Response, current_app, g, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, SecurityError

from gongkai.web.api import ApiError, api_for, error_response, http_error_response
from gongkai.web.hosts import untrusted_host_response
from gongkai.web.i18n import language_of_path
from gongkai.web.labels import t
from gongkai.web.render import listing_info, render_page

PAGES = {400: ("site.bad_request", "site.bad_request"), 404: ("site.not_found", "site.not_found_text"),
         500: ("site.server_error", "site.server_error_text")}


def init_app(app: Flask) -> None:
    app.register_error_handler(ApiError, _api_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)


def _api_error(error: ApiError) -> Response:
    return error_response(error.status, error.error, error.message, error.detail)


def _http_error(error: HTTPException) -> Response:
    if isinstance(error, SecurityError):  # a Host header outside TRUSTED_HOSTS: nothing may read request.host
        return untrusted_host_response()
    status = error.code or 500
    api = api_for(request.path)
    if api is not None:
        allow = ", ".join(sorted(error.valid_methods)) if isinstance(error, MethodNotAllowed) and error.valid_methods else None
        return http_error_response(api, status, error.description, allow)
    return error_page(status, error.description if status == 400 else None)


def _unexpected(error: Exception) -> Response:
    current_app.logger.exception("unhandled error on %s", request.path)
    if api_for(request.path) is not None:
        return error_response(500, "server_error", "the server could not answer this request; it has been logged")
    return error_page(500)


def register_error_page(app: Flask, render: Callable[[int, str | None], Response]) -> None:
    """An application with pages of its own (the back office) renders its error pages itself;
    the one handler above still decides which status and text every error gets."""
    app.extensions["gongkai.error_page"] = render


def error_page(status: int, detail: str | None = None) -> Response:
    if (render := current_app.extensions.get("gongkai.error_page")) is not None:
        return render(status, detail)
    g.lang = language_of_path(request.path)
    title_key, text_key = PAGES.get(status, PAGES[500] if status >= 500 else PAGES[404])
    text = detail or t(text_key)
    info = listing_info(t(title_key), text, [], alternates={})
    return render_page("error.html", info, status=status, breadcrumbs=[], text=text, status_code=status)
