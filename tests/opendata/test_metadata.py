"""Catalog metadata: the data.gov.tw record, and schema.org Dataset JSON-LD on dataset pages
(the DCAT-AP catalogue has its own tests, in test_dcat.py)."""

from __future__ import annotations

import json

from lxml import html

# data.gov.tw's required dataset fields, written from its published field list (not imported from
# the validator, which is what is being checked).
DATAGOVTW_REQUIRED = ("identifier", "categoryCode", "title", "description", "fieldDescription", "type", "publisher",
                      "accrualPeriodicity", "license", "licenseURL", "cost", "keyword", "organization",
                      "organizationContactName", "organizationContactPhone", "organizationContactEmail",
                      "publisherContactName", "publisherContactPhone", "publisherContactEmail", "publisherOID", "distribution")
DISTRIBUTION_REQUIRED = ("resourceID", "resourceDescription", "format", "characterSetCode")


def test_datagovtw_record_has_the_required_fields(client) -> None:
    for item in client.get("/api/v1/datasets").get_json()["datasets"]:
        record = client.get(f"/api/v1/datasets/{item['id']}/datagovtw.json").get_json()
        for key in DATAGOVTW_REQUIRED:
            assert record.get(key) not in (None, "", []), (item["id"], key)
        for resource in record["distribution"]:
            for key in DISTRIBUTION_REQUIRED:
                assert resource.get(key) not in (None, ""), (item["id"], resource.get("resourceID"), key)
            assert resource["resourceID"].startswith(record["identifier"] + "-")
            assert resource["characterSetCode"] == "UTF-8" and resource["format"] and resource["downloadURL"]


def test_dataset_pages_carry_schema_org_dataset(client) -> None:
    page = html.fromstring(client.get("/opendata/online-applications-monthly/").data)
    graph = json.loads(page.xpath("//script[@type='application/ld+json']")[0].text)["@graph"]
    dataset = next(node for node in graph if node["@type"] == "Dataset")
    assert dataset["name"] and dataset["license"] == "https://data.gov.tw/license"
    assert {d["encodingFormat"] for d in dataset["distribution"]} >= {"text/csv", "application/json"}
    assert [v["name"] for v in dataset["variableMeasured"]][:2] == ["month", "roc_month"]
