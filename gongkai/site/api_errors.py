"""One JSON error shape for every API the site serves (search, open data), enforced by tests:

    {"ok": false, "status": 400, "error": "bad_operator", "message": "…", "detail": {…}}

``error`` is a stable machine-readable code, ``message`` says what is wrong and how to fix it,
``detail`` names the parameter, the field and the allowed values where they apply.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 406: "not_acceptable",
         413: "too_large", 414: "uri_too_long", 429: "too_many_requests", 500: "server_error", 503: "unavailable"}


class ApiError(Exception):
    def __init__(self, status: int, error: str, message: str, **detail: Any) -> None:
        super().__init__(message)
        self.status, self.error, self.message, self.detail = status, error, message, detail


def error_response(status: int, error: str, message: str, detail: dict[str, Any] | None = None) -> Response:
    response = jsonify({"ok": False, "status": status, "error": error, "message": message, "detail": detail or {}})
    response.status_code = status
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "no-store"
    return response


def register_json_handlers(blueprint: Blueprint, *, allow: str | None = None) -> None:
    """Give the blueprint's errors the JSON shape. Call once per blueprint, at import: a blueprint
    cannot change after its first registration, and tests create several apps."""

    @blueprint.errorhandler(ApiError)
    def api_error(error: ApiError) -> Response:
        response = error_response(error.status, error.error, error.message, error.detail)
        if error.status == 405 and allow:
            response.headers["Allow"] = allow
        return response

    @blueprint.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        status = error.code or 500
        return error_response(status, CODES.get(status, "http_error"), error.description or error.name)

    @blueprint.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        current_app.logger.exception("unhandled API error on %s", request.path)
        return error_response(500, "server_error", "the server could not answer this request; it has been logged")


def json_errors_under(prefix: str, message: Callable[[int], str | None],
                      claims: Callable[[], bool] = lambda: True) -> Callable[[Response], Response]:
    """An ``after_request`` hook: errors raised before a view is chosen (unknown path, wrong
    method) never reach a blueprint's handlers, so rewrite those under ``prefix`` into the same
    shape. ``message(status)`` may return None to keep the HTTP status line as the message."""

    def rewrite(response: Response) -> Response:
        if (request.path.startswith(prefix) and response.status_code >= 400
                and response.mimetype != "application/json" and claims()):
            status = response.status_code
            replacement = error_response(status, CODES.get(status, "http_error"), message(status) or response.status)
            if "Allow" in response.headers:
                replacement.headers["Allow"] = response.headers["Allow"]
            return replacement
        return response

    return rewrite
