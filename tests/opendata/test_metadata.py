"""Catalog metadata: DCAT-AP 3 JSON-LD (rdflib + SHACL shapes of the mandatory properties),
the data.gov.tw record, and schema.org Dataset JSON-LD on dataset pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import html
from pyshacl import validate as shacl_validate
from rdflib import RDF, Graph, Namespace

from gongkai.opendata.validate import REQUIRED_META

SHAPES = Path(__file__).with_name("dcat_ap_shapes.ttl")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")


@pytest.fixture(scope="module")
def catalog_text(demo_app) -> str:
    response = demo_app.test_client().get("/api/v1/catalog.jsonld")
    assert response.status_code == 200 and response.mimetype == "application/ld+json"
    return response.get_data(as_text=True)


def _graph(text: str) -> Graph:
    return Graph().parse(data=text, format="json-ld")


def test_dcat_catalog_parses_and_holds_every_published_dataset(catalog_text, client) -> None:
    graph = _graph(catalog_text)
    count = client.get("/api/v1/datasets").get_json()["count"]
    assert len(list(graph.subjects(RDF.type, DCAT.Catalog))) == 1
    assert len(list(graph.subjects(RDF.type, DCAT.Dataset))) == count
    assert len(list(graph.subjects(RDF.type, DCAT.Distribution))) == count * 5  # 4 files + the API
    assert len(list(graph.subjects(RDF.type, DCAT.DataService))) == 1
    assert len(list(graph.subjects(RDF.type, DCAT.CatalogRecord))) == count


def test_dcat_mandatory_properties_pass_the_shacl_shapes(catalog_text) -> None:
    conforms, _, report = shacl_validate(_graph(catalog_text), shacl_graph=Graph().parse(SHAPES), inference="none")
    assert conforms, report


def test_the_shapes_catch_a_missing_mandatory_property(catalog_text) -> None:
    graph = _graph(catalog_text)
    dataset = next(graph.subjects(RDF.type, DCAT.Dataset))
    graph.remove((dataset, DCT.title, None))
    distribution = next(graph.subjects(RDF.type, DCAT.Distribution))
    graph.remove((distribution, DCAT.accessURL, None))
    conforms, _, report = shacl_validate(graph, shacl_graph=Graph().parse(SHAPES), inference="none")
    assert not conforms
    assert "title" in report and "accessURL" in report


def test_datagovtw_record_has_the_required_fields(client) -> None:
    for item in client.get("/api/v1/datasets").get_json()["datasets"]:
        record = client.get(f"/api/v1/datasets/{item['id']}/datagovtw.json").get_json()
        for key in ("identifier", "title", "description", "fieldDescription", "keyword", "distribution", *REQUIRED_META):
            assert record.get(key) not in (None, "", []), (item["id"], key)
        for resource in record["distribution"]:
            assert resource["resourceID"].startswith(record["identifier"] + "-")
            assert resource["characterSetCode"] == "UTF-8" and resource["format"] and resource["downloadURL"]


def test_dataset_pages_carry_schema_org_dataset(client) -> None:
    page = html.fromstring(client.get("/opendata/online-applications-monthly/").data)
    graph = json.loads(page.xpath("//script[@type='application/ld+json']")[0].text)["@graph"]
    dataset = next(node for node in graph if node["@type"] == "Dataset")
    assert dataset["name"] and dataset["license"] == "https://data.gov.tw/license"
    assert {d["encodingFormat"] for d in dataset["distribution"]} >= {"text/csv", "application/json"}
    assert [v["name"] for v in dataset["variableMeasured"]][:2] == ["month", "roc_month"]
