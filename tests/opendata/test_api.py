"""The API: listing, metadata, filters with named operators, sorting, paging, CSV streaming,
conditional requests, CORS, and one JSON error shape for every error."""

from __future__ import annotations

import csv
import io

import pytest

from tests.demo_content import FIXTURE_CONTENT

ERROR_KEYS = {"ok", "status", "error", "message", "detail"}


def assert_error_shape(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == ERROR_KEYS, body
    assert body["ok"] is False and body["status"] == status
    assert isinstance(body["error"], str) and body["message"] and isinstance(body["detail"], dict)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    return body


def test_dataset_list_and_metadata(client) -> None:
    body = client.get("/api/v1/datasets").get_json()
    assert body["count"] >= 8 and len(body["datasets"]) == body["count"]
    first = body["datasets"][0]
    assert {"id", "identifier", "title", "categoryCode", "accrualPeriodicity", "rows", "links"} <= set(first)
    meta = client.get(f"/api/v1/datasets/{first['id']}").get_json()
    assert meta["fields"] and meta["metadata"]["identifier"] == first["identifier"]
    assert {d["format"] for d in meta["metadata"]["distribution"]} >= {"CSV", "ODS", "JSON"}


@pytest.fixture(scope="module")
def fixture_client(tmp_path_factory):
    """The app over the fixture tree: its dataset's figures are test data, not the agency's."""
    import shutil

    from gongkai.app import create_app

    root = tmp_path_factory.mktemp("fixture")
    shutil.copytree(FIXTURE_CONTENT, root / "content")
    app = create_app({"TESTING": True, "CONTENT_DIR": str(root / "content"), "VAR_DIR": str(root / "var"), "CONTENT_RELOAD_SECONDS": 0})
    return app.test_client()


def test_filters_sort_and_paging(fixture_client) -> None:
    client = fixture_client
    url = "/api/v1/datasets/instrument-verifications/rows"
    everything = client.get(url).get_json()
    assert everything["total"] == 12 and everything["next"] is None
    chiayi = client.get(url, query_string={"office": "嘉義辦事處"}).get_json()
    assert chiayi["total"] == 4 and {r["office"] for r in chiayi["rows"]} == {"嘉義辦事處"}
    big = client.get(url, query_string={"count__gte": "300", "_sort": "-count"}).get_json()
    assert [r["count"] for r in big["rows"]] == [812, 604, 318, 301]
    some = client.get(url, query_string={"instrument__in": "量桶,水量計（糾紛鑑定）", "_sort": "count"}).get_json()
    assert [r["count"] for r in some["rows"]] == [7, 9, 25, 228]
    assert client.get(url, query_string={"instrument__contains": "計程車"}).get_json()["total"] == 5
    assert client.get(url, query_string={"instrument__startswith": "水量計"}).get_json()["total"] == 3
    assert client.get(url, query_string={"note__isnull": "true"}).get_json()["total"] == 7
    assert client.get(url, query_string={"count__lt": "10", "count__not": "7"}).get_json()["total"] == 1
    page = client.get(url, query_string={"_limit": "5", "_offset": "5"})
    body = page.get_json()
    assert body["limit"] == 5 and body["offset"] == 5 and len(body["rows"]) == 5
    assert "_offset=10" in body["next"] and page.headers["X-Total-Count"] == "12" and 'rel="next"' in page.headers["Link"]


def test_csv_streams_the_filtered_rows(fixture_client) -> None:
    client = fixture_client
    response = client.get("/api/v1/datasets/instrument-verifications/rows.csv", query_string={"office": "斗六辦事處"})
    assert response.status_code == 200 and response.mimetype == "text/csv" and response.is_streamed
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["instrument", "office", "count", "unit_of_measure", "note"]
    assert len(rows) == 5 and {r[1] for r in rows[1:]} == {"斗六辦事處"}


def test_etag_last_modified_and_304(client) -> None:
    url = "/api/v1/datasets/forms/rows?_limit=3"
    first = client.get(url)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    assert client.get("/api/v1/datasets/forms/rows?_limit=4", headers={"If-None-Match": etag}).status_code == 200
    assert client.get("/api/v1/datasets", headers={"If-None-Match": client.get("/api/v1/datasets").headers["ETag"]}).status_code == 304


def test_cors_for_get_and_preflight(client) -> None:
    assert client.get("/api/v1/datasets", headers={"Origin": "https://example.org"}).headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options("/api/v1/datasets/forms/rows", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"})
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*" and "GET" in preflight.headers["Access-Control-Allow-Methods"]


BAD_REQUESTS = [
    ("/api/v1/datasets/forms/rows?title__like=x", 400, "bad_operator"),
    ("/api/v1/datasets/forms/rows?nosuch=x", 400, "unknown_field"),
    ("/api/v1/datasets/forms/rows?_limit=100000", 400, "limit_too_large"),
    ("/api/v1/datasets/forms/rows?_limit=0", 400, "bad_parameter"),
    ("/api/v1/datasets/forms/rows?_limit=ten", 400, "bad_parameter"),
    ("/api/v1/datasets/forms/rows?_offset=-1", 400, "bad_parameter"),
    ("/api/v1/datasets/forms/rows?_sort=nosuch", 400, "bad_sort"),
    ("/api/v1/datasets/forms/rows?_fields=title", 400, "unknown_parameter"),
    ("/api/v1/datasets/forms/rows?updated__gte=yesterday", 400, "bad_value"),
    ("/api/v1/datasets/procedures/rows?form_count=1.5", 400, "bad_value"),
    ("/api/v1/datasets/procedures/rows?form_count=99999999999999999999", 400, "bad_value"),
    ("/api/v1/datasets/forms/rows?title__isnull=maybe", 400, "bad_value"),
    ("/api/v1/datasets/forms/rows.csv?nosuch__exact=1", 400, "unknown_field"),
    ("/api/v1/datasets/nosuch", 404, "unknown_dataset"),
    ("/api/v1/datasets/nosuch/rows", 404, "unknown_dataset"),
    ("/api/v1/datasets/nosuch/rows.csv", 404, "unknown_dataset"),
    ("/api/v1/datasets/nosuch/datagovtw.json", 404, "unknown_dataset"),
    ("/api/v1/no/such/path", 404, "not_found"),
]


@pytest.mark.parametrize("url, status, error", BAD_REQUESTS)
def test_every_error_has_the_one_shape(client, url, status, error) -> None:
    assert assert_error_shape(client.get(url), status)["error"] == error


def test_bad_filter_names_the_field_and_the_allowed_operators(client) -> None:
    body = assert_error_shape(client.get("/api/v1/datasets/forms/rows?title__like=x"), 400)
    assert body["detail"]["field"] == "title" and "contains" in body["detail"]["allowed"]
    assert "title" in body["message"] and "exact" in body["message"]


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_other_methods_get_405_in_the_one_shape(client, method) -> None:
    response = getattr(client, method)("/api/v1/datasets")
    assert_error_shape(response, 405)
    assert "GET" in response.headers["Allow"]


def test_a_server_error_keeps_the_shape(demo_app, monkeypatch) -> None:
    from gongkai.opendata import api

    def broken(*args, **kwargs):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(api, "summary", broken)
    body = assert_error_shape(demo_app.test_client().get("/api/v1/datasets"), 500)
    assert "disk gone" not in body["message"]
