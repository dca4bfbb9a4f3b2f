"""The JSON/CSV API under /api/v1: dataset list and metadata, rows with filters, sorting and
paging, CSV streaming of filtered rows, catalog metadata and the OpenAPI document.

Every response carries CORS for GET, an ETag and Last-Modified (the store build), and answers
If-None-Match / If-Modified-Since with 304. Errors use the site's one JSON error shape (gongkai.web.api).
"""

from __future__ import annotations

import hashlib
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request, stream_with_context, url_for

from gongkai.opendata.exports import FORMATS, csv_chunks, file_name
from gongkai.opendata.metadata import datagovtw, dcat_catalog
from gongkai.opendata.openapi import openapi_document
from gongkai.opendata.packages import Dataset
from gongkai.opendata.query import parse_query
from gongkai.opendata.service import Built
from gongkai.web import ZH, ApiError, absolute, current_corpus, lurl

PREFIX = "/api/v1"
bp = Blueprint("opendata_api", __name__, url_prefix=PREFIX)
EXPOSED = "ETag, Last-Modified, X-Total-Count, Link, Content-Disposition"


def built() -> Built:
    return current_app.extensions["gongkai.opendata"].current()


def find(dataset_id: str) -> tuple[Built, Dataset]:
    state = built()
    dataset = state.datasets.get(dataset_id)
    if dataset is None:
        raise ApiError(404, "unknown_dataset", f"no published dataset {dataset_id!r}; the list is at /api/v1/datasets",
                       dataset=dataset_id, allowed=sorted(state.datasets))
    return state, dataset


def urls_of(dataset: Dataset) -> Any:
    """kind → absolute URL for one dataset (page, api, or an export format key)."""

    def url(kind: str) -> str:
        if kind == "page":
            return absolute(lurl("opendata.dataset", _lang=ZH, dataset_id=dataset.id))
        if kind == "api":
            return absolute(url_for("opendata_api.rows", dataset_id=dataset.id))
        fmt = next(f for f in FORMATS if f.key == kind)
        return absolute(url_for("opendata_files.download", filename=file_name(dataset.id, fmt)))

    return url


def sizes_of(state: Built, dataset: Dataset) -> dict[str, int]:
    sizes = {}
    for fmt in FORMATS:
        path = state.exports / file_name(dataset.id, fmt)
        if path.is_file():
            sizes[fmt.key] = path.stat().st_size
    return sizes


def _etag(state: Built) -> str:
    return hashlib.sha1(f"{state.version}{request.full_path}".encode(), usedforsecurity=False).hexdigest()[:20]


def not_modified(state: Built) -> Response | None:
    """304 when the client's copy is current (If-None-Match wins over If-Modified-Since)."""
    etag = _etag(state)
    fresh = request.if_none_match.contains(etag) if request.if_none_match else (
        request.if_modified_since is not None and state.built_at <= request.if_modified_since)
    if not fresh:
        return None
    response = Response(status=304)
    return _caching(response, state)


def _caching(response: Response, state: Built) -> Response:
    response.set_etag(_etag(state))
    response.last_modified = state.built_at
    response.cache_control.public = True
    response.cache_control.max_age = 60
    return response


def answer(payload: Any, state: Built, mimetype: str = "application/json") -> Response:
    response = jsonify(payload)
    response.mimetype = mimetype
    return _caching(response, state)


@bp.after_request
def cors(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = EXPOSED
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since, Accept"
        response.headers["Access-Control-Max-Age"] = "86400"
    return response


@bp.get("/")
def index():
    state = built()
    return not_modified(state) or answer({
        "ok": True, "datasets": absolute(url_for(".datasets")), "openapi": absolute(url_for(".openapi")),
        "catalog": absolute(url_for(".catalog")),
    }, state)


def summary(state: Built, dataset: Dataset) -> dict[str, Any]:
    return {
        "id": dataset.id, "identifier": dataset.identifier, "title": dataset.title(), "title_en": dataset.title("en"),
        "description": dataset.description(), "categoryCode": dataset.category, "accrualPeriodicity": dataset.frequency,
        "modified": dataset.modified.isoformat(), "overdue": dataset.overdue(), "rows": state.tables[dataset.id][1],
        "links": {
            "self": absolute(url_for(".dataset", dataset_id=dataset.id)),
            "rows": absolute(url_for(".rows", dataset_id=dataset.id)),
            "csv": absolute(url_for(".rows_csv", dataset_id=dataset.id)),
            "datagovtw": absolute(url_for(".datagovtw_record", dataset_id=dataset.id)),
            "page": urls_of(dataset)("page"),
        },
    }


@bp.get("/datasets")
def datasets():
    state = built()
    items = [summary(state, d) for d in state.ordered()]
    return not_modified(state) or answer({"ok": True, "count": len(items), "datasets": items}, state)


@bp.get("/datasets/<dataset_id>")
def dataset(dataset_id: str):
    state, found = find(dataset_id)
    body = summary(state, found)
    body.update(ok=True, fields=[{"name": f.name, "type": f.type, "title": f.title, "title_en": f.title_en,
                                  "description": f.description} for f in found.fields],
                metadata=datagovtw(found, state.tables[found.id][1], urls_of(found), sizes_of(state, found)))
    return not_modified(state) or answer(body, state)


@bp.get("/datasets/<dataset_id>/datagovtw.json")
def datagovtw_record(dataset_id: str):
    state, found = find(dataset_id)
    return not_modified(state) or answer(datagovtw(found, state.tables[found.id][1], urls_of(found), sizes_of(state, found)), state)


def _json_value(field_type: str, value: Any) -> Any:
    return bool(value) if field_type == "boolean" and value is not None else value


@bp.get("/datasets/<dataset_id>/rows")
def rows(dataset_id: str):
    state, found = find(dataset_id)
    query = parse_query(found, request.args)
    cached = not_modified(state)
    if cached:
        return cached
    number = state.tables[found.id][0]
    page, more, total = state.store.page(number, query, found.fields)
    records = [{f.name: _json_value(f.type, v) for f, v in zip(found.fields, row, strict=True)} for row in page]
    following = None
    if more:
        args = request.args.to_dict(flat=False)
        args["_offset"] = [str(query.offset + len(records))]
        following = absolute(url_for(".rows", dataset_id=found.id, **args))
    response = answer({"ok": True, "dataset": found.id, "fields": [f.name for f in found.fields], "total": total,
                       "limit": query.limit, "offset": query.offset, "next": following, "rows": records}, state)
    if total is not None:  # None: too many matching rows to count within the time budget
        response.headers["X-Total-Count"] = str(total)
    if following:
        response.headers["Link"] = f'<{following}>; rel="next"'
    return response


@bp.get("/datasets/<dataset_id>/rows.csv")
def rows_csv(dataset_id: str):
    """Every matching row as CSV, streamed from the store in batches (flat memory)."""
    state, found = find(dataset_id)
    query = parse_query(found, request.args, paged=False)
    cached = not_modified(state)
    if cached:
        return cached
    number = state.tables[found.id][0]
    stream = (tuple(_json_value(f.type, v) for f, v in zip(found.fields, row, strict=True))
              for row in state.store.stream(number, query, found.fields))
    response = Response(stream_with_context(csv_chunks(found.fields, stream)), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{found.id}.csv"'
    return _caching(response, state)


@bp.get("/catalog.jsonld")
def catalog():
    state = built()
    cached = not_modified(state)
    if cached:
        return cached
    corpus = current_corpus()

    def urls(dataset: Dataset | None, kind: str) -> str:
        if dataset is not None:
            return urls_of(dataset)(kind)
        return {"catalog": absolute(url_for(".catalog")), "home": absolute(lurl("opendata.index", _lang=ZH)),
                "openapi": absolute(url_for(".openapi")), "api": absolute(url_for(".index"))}[kind]

    items = [(d, sizes_of(state, d)) for d in state.ordered()]
    modified = max((d.modified for d in state.ordered()), default=state.built_at.date()).isoformat()
    return answer(dcat_catalog(items, corpus.agency, urls, modified, corpus.codes["services"]), state, "application/ld+json")


@bp.get("/openapi.json")
def openapi():
    state = built()
    return not_modified(state) or answer(openapi_document(state.ordered(), absolute(url_for(".index")).rstrip("/")), state)
