"""The JSON search API: the same parameters as /search/ plus ``lang`` and ``per_page``, and one
error shape (the site's API shape):

    {"ok": false, "status": 400, "error": "bad_parameter", "message": "…", "detail": {"parameter": "page"}}
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, current_app, g, jsonify, request

from gongkai.search_index.params import ParamError, parse_params
from gongkai.web import EN, ZH, ApiError, absolute, current_corpus, document_path, register_api

bp = Blueprint("search_api", __name__)
PREFIX = "/api/search"


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
    url = absolute(document_path(stored.get("kind", ""), stored.get("lang", ""), stored.get("id", "")))
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


def init_app(app: Flask) -> None:
    register_api(app, PREFIX, not_found=f"GET {PREFIX}?q=… is the search API; see /search/opensearch.xml",
                 wrong_method=f"GET {PREFIX}?q=… is the search API; it answers GET and HEAD only")
    app.register_blueprint(bp)
