"""One JSON error shape for every API the site serves (search, open data, and the parts to come):

    {"ok": false, "status": 400, "error": "bad_operator", "message": "…", "detail": {…}}

``error`` is a stable machine-readable code, ``message`` says what is wrong and how to fix it,
``detail`` names the parameter, the field and the allowed values where they apply.

One mechanism produces it: a part declares its API's path prefix with :func:`register_api`, and
the app's one error handler (gongkai.web.errors) answers every error under a declared prefix in
this shape — raised by a view, by routing (unknown path, wrong method) or unexpected.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, current_app, jsonify

CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 406: "not_acceptable",
         413: "too_large", 414: "uri_too_long", 429: "too_many_requests", 500: "server_error", 503: "unavailable"}


class ApiError(Exception):
    """Raised by an API view: the status, a stable code, a message with the fix, and details."""

    def __init__(self, status: int, error: str, message: str, **detail: Any) -> None:
        super().__init__(message)
        self.status, self.error, self.message, self.detail = status, error, message, detail


@dataclass(frozen=True)
class Api:
    prefix: str
    not_found: str  # for a path under the prefix that no view answers: where the API is described
    wrong_method: str  # for a method the API does not answer: which ones it does


def register_api(app: Flask, prefix: str, *, not_found: str, wrong_method: str) -> None:
    """Declare that errors under ``prefix`` are answered in the JSON shape, with these two messages."""
    app.extensions.setdefault("gongkai.apis", []).append(Api(prefix, not_found, wrong_method))


def api_for(path: str) -> Api | None:
    """The declared API a request path belongs to (the longest prefix), or None for a page."""
    apis = [api for api in current_app.extensions.get("gongkai.apis", ()) if path.startswith(api.prefix)]
    return max(apis, key=lambda api: len(api.prefix), default=None)


def error_response(status: int, error: str, message: str, detail: dict[str, Any] | None = None) -> Response:
    response = jsonify({"ok": False, "status": status, "error": error, "message": message, "detail": detail or {}})
    response.status_code = status
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "no-store"
    return response


def http_error_response(api: Api, status: int, description: str | None, allow: str | None) -> Response:
    """An HTTP error (routing, abort()) under an API, in the shape above."""
    message = {404: api.not_found, 405: api.wrong_method}.get(status) or description or CODES.get(status, "error")
    response = error_response(status, CODES.get(status, "http_error"), message)
    if allow:
        response.headers["Allow"] = allow
    return response
