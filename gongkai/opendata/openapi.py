"""The OpenAPI 3 document of the API, generated from the published datasets.

Each dataset gets its own rows paths with typed filter parameters (so clients and
schemathesis see the real fields); the metadata paths take the dataset id from an enum.
"""

from __future__ import annotations

from typing import Any

from gongkai.opendata.packages import Dataset
from gongkai.opendata.query import MAX_LIMIT, MAX_OFFSET, VALUE_LIMITS

PARAM_SCHEMAS = {
    "integer": {"type": "integer", "minimum": -VALUE_LIMITS["integer"], "maximum": VALUE_LIMITS["integer"]},
    "year": {"type": "integer", "minimum": -VALUE_LIMITS["year"], "maximum": VALUE_LIMITS["year"]},
    "number": {"type": "number", "minimum": -VALUE_LIMITS["number"], "maximum": VALUE_LIMITS["number"]},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
}
ERROR = {"$ref": "#/components/schemas/Error"}
ANY_VALUE: dict[str, Any] = {"description": "a cell: string, number, boolean or null (empty cell)"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict[str, Any]:
    texts = {400: "bad parameter (names the parameter, the field and what is allowed)", 404: "unknown dataset"}
    return {str(c): _json(ERROR, texts[c]) for c in codes}


NOT_MODIFIED = {"304": {"description": "not modified since the ETag / Last-Modified the client sent"}}


def _row_parameters(dataset: Dataset) -> list[dict[str, Any]]:
    params: list[dict[str, Any]] = []
    for f in dataset.fields:
        schema = PARAM_SCHEMAS.get(f.type, {"type": "string"})
        params.append({"name": f.name, "in": "query", "required": False, "schema": schema,
                       "description": f"{f.title}：{f.description}（等於 / equals）"})
        if f.type in PARAM_SCHEMAS and f.type != "boolean":
            for op, word in (("gte", "≥"), ("lte", "≤")):
                params.append({"name": f"{f.name}__{op}", "in": "query", "required": False, "schema": schema,
                               "description": f"{f.title} {word}"})
        elif f.type not in PARAM_SCHEMAS:
            params.append({"name": f"{f.name}__contains", "in": "query", "required": False, "schema": {"type": "string"},
                           "description": f"{f.title} contains (包含)"})
    names = [f.name for f in dataset.fields]
    params += [
        {"name": "_sort", "in": "query", "required": False, "schema": {"type": "string", "enum": names + ["-" + n for n in names]},
         "description": "sort by a field; prefix '-' for descending"},
        {"$ref": "#/components/parameters/limit"},
        {"$ref": "#/components/parameters/offset"},
    ]
    return params


def _rows_paths(dataset: Dataset) -> dict[str, Any]:
    base = f"/datasets/{dataset.id}"
    row = {"type": "object", "properties": {f.name: {**ANY_VALUE, "description": f.description} for f in dataset.fields},
           "additionalProperties": False}
    page = {"allOf": [{"$ref": "#/components/schemas/RowsPage"},
                      {"type": "object", "properties": {"rows": {"type": "array", "items": row}}}]}
    other_ops = ("exact, not, lt, lte, gt, gte, contains, startswith, in (comma-separated), isnull (true/false): "
                 "write field__operator=value")
    return {
        base + "/rows": {"get": {
            "operationId": f"rows_{dataset.id.replace('-', '_')}", "summary": f"{dataset.title()}：資料列 / rows",
            "description": f"Filter, sort and page the rows of {dataset.title('en')}. Operators: {other_ops}.",
            "parameters": _row_parameters(dataset),
            "responses": {"200": _json(page, "a page of matching rows"), **NOT_MODIFIED, **_errors(400)},
        }},
        base + "/rows.csv": {"get": {
            "operationId": f"rows_csv_{dataset.id.replace('-', '_')}", "summary": f"{dataset.title()}：CSV（串流）",
            "description": "Every matching row as CSV, streamed. Same filters as rows; _limit is optional here.",
            "parameters": [p for p in _row_parameters(dataset) if p.get("$ref") != "#/components/parameters/limit"],
            "responses": {"200": {"description": "CSV (UTF-8, header = field names)",
                                  "content": {"text/csv": {"schema": {"type": "string"}}}}, **NOT_MODIFIED, **_errors(400)},
        }},
    }


def openapi_document(datasets: list[Dataset], server: str) -> dict[str, Any]:
    ids = [d.id for d in datasets]
    dataset_param = {"name": "dataset_id", "in": "path", "required": True, "schema": {"type": "string", "enum": ids or ["none"]},
                     "description": "dataset id (the folder name)"}
    paths: dict[str, Any] = {
        "/datasets": {"get": {"operationId": "list_datasets", "summary": "資料集清單 / datasets",
                              "responses": {"200": _json({"$ref": "#/components/schemas/DatasetList"}, "published datasets"), **NOT_MODIFIED}}},
        "/datasets/{dataset_id}": {"get": {
            "operationId": "get_dataset", "summary": "資料集詮釋資料 / dataset metadata", "parameters": [dataset_param],
            "responses": {"200": _json({"$ref": "#/components/schemas/Dataset"}, "metadata, fields and data.gov.tw record"),
                          **NOT_MODIFIED, **_errors(404)}}},
        "/datasets/{dataset_id}/datagovtw.json": {"get": {
            "operationId": "get_datagovtw", "summary": "data.gov.tw 詮釋資料 / data.gov.tw metadata", "parameters": [dataset_param],
            "responses": {"200": _json({"$ref": "#/components/schemas/DataGovTw"}, "data.gov.tw-compatible metadata"),
                          **NOT_MODIFIED, **_errors(404)}}},
        "/catalog.jsonld": {"get": {"operationId": "dcat_catalog", "summary": "DCAT-AP 3 catalog (JSON-LD)", "responses": {
            "200": {"description": "DCAT-AP 3 JSON-LD", "content": {"application/ld+json": {"schema": {"type": "object",
                    "required": ["@context", "@graph"]}}}}, **NOT_MODIFIED}}},
        "/openapi.json": {"get": {"operationId": "openapi", "summary": "this document", "responses": {
            "200": _json({"type": "object", "required": ["openapi", "paths"]}, "OpenAPI 3 document"), **NOT_MODIFIED}}},
    }
    for dataset in datasets:
        paths.update(_rows_paths(dataset))
    return {
        "openapi": "3.0.3",
        "info": {"title": "gongkai open data API", "version": "1.0.0",
                 "description": "Datasets of the agency as JSON and CSV. Errors always have the shape of the Error schema; "
                                "CORS is open for GET; responses carry ETag and Last-Modified and answer conditional requests with 304.",
                 "license": {"name": "政府資料開放授權條款-第1版", "url": "https://data.gov.tw/license"}},
        "servers": [{"url": server}],
        "paths": paths,
        "components": {"parameters": {
            "limit": {"name": "_limit", "in": "query", "required": False,
                      "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": 100}, "description": "rows per page"},
            "offset": {"name": "_offset", "in": "query", "required": False,
                       "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0}, "description": "rows to skip"},
        }, "schemas": SCHEMAS},
    }


_STR = {"type": "string"}
_NSTR = {"type": "string", "nullable": True}
SCHEMAS: dict[str, Any] = {
    "Error": {"type": "object", "required": ["ok", "status", "error", "message", "detail"], "additionalProperties": False,
              "properties": {"ok": {"type": "boolean", "enum": [False]}, "status": {"type": "integer", "minimum": 400, "maximum": 599},
                             "error": _STR, "message": _STR, "detail": {"type": "object"}}},
    "DatasetSummary": {"type": "object", "required": ["id", "identifier", "title", "categoryCode", "accrualPeriodicity", "modified", "rows", "links"],
                       "properties": {"id": _STR, "identifier": _STR, "title": _STR, "title_en": _STR, "description": _STR,
                                      "categoryCode": _STR, "accrualPeriodicity": _STR, "modified": {"type": "string", "format": "date"},
                                      "overdue": {"type": "boolean"}, "rows": {"type": "integer", "minimum": 0},
                                      "links": {"type": "object", "additionalProperties": _STR}}},
    "DatasetList": {"type": "object", "required": ["ok", "count", "datasets"],
                    "properties": {"ok": {"type": "boolean"}, "count": {"type": "integer"},
                                   "datasets": {"type": "array", "items": {"$ref": "#/components/schemas/DatasetSummary"}}}},
    "Field": {"type": "object", "required": ["name", "type", "title", "description"],
              "properties": {"name": _STR, "type": _STR, "title": _STR, "title_en": _STR, "description": _STR}},
    "Dataset": {"allOf": [{"$ref": "#/components/schemas/DatasetSummary"}, {"type": "object", "required": ["fields", "metadata"], "properties": {
        "fields": {"type": "array", "items": {"$ref": "#/components/schemas/Field"}}, "metadata": {"$ref": "#/components/schemas/DataGovTw"}}}]},
    "DataGovTw": {"type": "object", "required": ["identifier", "title", "description", "fieldDescription", "type", "categoryCode",
                                                 "publisher", "accrualPeriodicity", "license", "licenseURL", "cost", "keyword", "distribution"],
                  "properties": {"identifier": _STR, "title": _STR, "description": _STR, "fieldDescription": _STR, "type": _STR,
                                 "categoryCode": _STR, "publisher": _NSTR, "license": _NSTR, "licenseURL": _NSTR, "cost": _NSTR,
                                 "keyword": {"type": "array", "items": _STR}, "numberOfData": {"type": "integer"},
                                 "distribution": {"type": "array", "items": {"type": "object", "required": [
                                     "resourceID", "resourceDescription", "format", "characterSetCode"]}}}},
    "RowsPage": {"type": "object", "required": ["ok", "dataset", "fields", "total", "limit", "offset", "next", "rows"],
                 "properties": {"ok": {"type": "boolean"}, "dataset": _STR, "fields": {"type": "array", "items": _STR},
                                "total": {"type": "integer", "minimum": 0, "nullable": True,
                                          "description": "all matching rows; null when too many to count quickly"}, "limit": {"type": "integer"}, "offset": {"type": "integer"},
                                "next": _NSTR, "rows": {"type": "array", "items": {"type": "object"}}}},
}
