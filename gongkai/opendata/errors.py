"""One JSON error shape for every API error (the Datasette rule), enforced by a test:

    {"ok": false, "status": 400, "error": "bad_operator", "message": "…", "detail": {…}}

``error`` is a stable machine-readable code, ``message`` says what is wrong and how to fix it,
``detail`` names the parameter, the field and the allowed values where they apply.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

API_PREFIX = "/api/v1/"
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


def register_handlers(blueprint: Any) -> None:
    """The blueprint's JSON handlers; called once, at import (a blueprint cannot change after
    its first registration, and tests create several apps)."""

    @blueprint.errorhandler(ApiError)
    def api_error(error: ApiError) -> Response:
        response = error_response(error.status, error.error, error.message, error.detail)
        if error.status == 405:
            response.headers["Allow"] = "GET, HEAD, OPTIONS"
        return response

    @blueprint.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        status = error.code or 500
        return error_response(status, CODES.get(status, "http_error"), error.description or error.name)

    @blueprint.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        current_app.logger.exception("unhandled API error on %s", request.path)
        return error_response(500, "server_error", "the server could not answer this request; it has been logged")


def init_app(app: Flask) -> None:
    @app.after_request
    def json_errors_under_api(response: Response) -> Response:
        """Errors raised before a view is chosen (unknown path, wrong method) never reach the
        blueprint's handlers: give them the same JSON shape here."""
        if (request.path.startswith(API_PREFIX) and response.status_code >= 400
                and response.mimetype != "application/json" and _ours(app)):
            status = response.status_code
            message = "no such API path — see /api/v1/openapi.json" if status == 404 else response.status
            if status == 405:
                message = "this API answers GET, HEAD and OPTIONS only"
            replacement = error_response(status, CODES.get(status, "http_error"), message)
            for header in ("Allow",):
                if header in response.headers:
                    replacement.headers[header] = response.headers[header]
            return replacement
        return response


def _ours(app: Flask) -> bool:
    """The path is ours, or no other package's view claimed it."""
    endpoint = request.endpoint or ""
    return endpoint.startswith("opendata_api.") or request.url_rule is None
