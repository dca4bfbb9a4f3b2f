"""The JSON search API: the same parameters as /search/ plus ``lang`` and ``per_page``, and one
error shape (the site's API shape):

    {"ok": false, "status": 400, "error": "bad_parameter", "message": "…", "detail": {"parameter": "page"}}
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, current_app, g, jsonify, request
from werkzeug.exceptions import HTTPException

from gongkai.search_index.params import ParamError, parse_params
from gongkai.site.i18n import EN, ZH, lurl
from gongkai.site.render import DOC_ENDPOINTS, absolute
from gongkai.site.state import current_corpus

bp = Blueprint("search_api", __name__)
PREFIX = "/api/search"


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


@bp.get(PREFIX)
def search() -> Response:
    language = request.args.get("lang", ZH) or ZH
    if language not in (ZH, EN):
        raise ApiError(400, "bad_parameter", f"lang: {language[:40]!r} is not a site language; use {ZH} or {EN}", parameter="lang")
    g.lang = language
    corpus = current_corpus()
    try:
        params = parse_params(request.args, language, corpus.codes, api=True)
    except ParamError as error:
        raise ApiError(400, "bad_parameter", error.message, parameter=error.parameter) from None
    service = current_app.extensions["gongkai.search"]
    index = service.index(corpus)
    if index is None:
        raise ApiError(503, "unavailable", "the search index is being built; try again in a minute")
    body: dict[str, Any] = {"ok": True, "query": params.query_values(lang=language, per_page=params.per_page)}
    if params.has_text or params.has_filters:
        found = service.search(params, index)
        body.update(total=found.total, page=params.page, per_page=params.per_page, pages=found.pages,
                    results=[_result(r) for r in found.results], facets=found.facets,
                    also_searched=found.also_searched, suggestion=found.suggestion, relaxed=found.relaxed)
    else:
        body.update(total=0, page=1, per_page=params.per_page, pages=1, results=[], facets={}, also_searched={},
                    suggestion=None, relaxed=False)
    response = jsonify(body)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _result(result: Any) -> dict[str, Any]:
    stored = result.hit.stored
    url = absolute(lurl(DOC_ENDPOINTS.get(stored.get("kind"), "main.page"), _lang=stored.get("lang"), doc_id=stored.get("id")))
    return {"id": stored.get("id"), "kind": stored.get("kind"), "lang": stored.get("lang"), "url": url,
            "title": stored.get("title"), "updated": stored.get("date"), "unit": stored.get("unit"),
            "match": result.tier, "score": round(result.hit.score, 4),
            "title_highlights": _spans(result.title), "snippet": "".join(t for t, _ in result.snippet),
            "snippet_highlights": _spans(result.snippet)}


def _spans(pieces: list[tuple[str, bool]]) -> list[list[int]]:
    """[start, end) character offsets of the highlighted pieces."""
    spans, at = [], 0
    for text, hit in pieces:
        if hit:
            spans.append([at, at + len(text)])
        at += len(text)
    return spans


@bp.errorhandler(ApiError)
def api_error(error: ApiError) -> Response:
    return error_response(error.status, error.error, error.message, error.detail)


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException) -> Response:
    status = error.code or 500
    return error_response(status, "http_error" if status != 404 else "not_found", error.description or error.name)


@bp.errorhandler(Exception)
def unexpected(error: Exception) -> Response:
    current_app.logger.exception("unhandled search API error on %s", request.path)
    return error_response(500, "server_error", "the server could not answer this search; it has been logged")


def json_errors_under_search_api(response: Response) -> Response:
    """Errors raised before a view is chosen (wrong method, unknown sub-path) in the same shape."""
    if request.path.startswith(PREFIX) and response.status_code >= 400 and response.mimetype != "application/json":
        status = response.status_code
        return error_response(status, "not_found" if status == 404 else "http_error",
                              f"{request.method} {PREFIX}?q=… is the search API; see /search/opensearch.xml" if status in (404, 405) else response.status)
    return response


def init_app(app: Flask) -> None:
    """Register the API; safe to call for every app a process creates (handlers live on the blueprint)."""
    app.after_request(json_errors_under_search_api)
    app.register_blueprint(bp)
