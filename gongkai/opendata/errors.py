"""The open-data API's errors, in the site's one JSON error shape (gongkai.site.api_errors)."""

from __future__ import annotations

from flask import Blueprint, Flask, request

from gongkai.site.api_errors import ApiError, error_response, json_errors_under, register_json_handlers

__all__ = ["API_PREFIX", "ApiError", "error_response", "init_app", "register_handlers"]

API_PREFIX = "/api/v1/"
ALLOWED_METHODS = "GET, HEAD, OPTIONS"


def register_handlers(blueprint: Blueprint) -> None:
    register_json_handlers(blueprint, allow=ALLOWED_METHODS)


def _message(status: int) -> str | None:
    return {404: "no such API path — see /api/v1/openapi.json",
            405: "this API answers GET, HEAD and OPTIONS only"}.get(status)


def _ours() -> bool:
    """The path is ours, or no other package's view claimed it."""
    endpoint = request.endpoint or ""
    return endpoint.startswith("opendata_api.") or request.url_rule is None


def init_app(app: Flask) -> None:
    app.after_request(json_errors_under(API_PREFIX, _message, _ours))
