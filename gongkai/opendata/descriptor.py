"""Writing a data package: the descriptor (Table Schema + data.gov.tw fields) and its CSV.

Used by the catalogue generator (`gongkai data build`) and by tests that need a package.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gongkai.opendata.packages import DESCRIPTOR, LICENCE, LICENCE_URL

DATA_FILE = "data.csv"


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    title: str
    title_en: str
    description: str
    required: bool = False


def schema(columns: Sequence[Column], primary_key: str | None = None) -> dict[str, Any]:
    fields = []
    for c in columns:
        field: dict[str, Any] = {"name": c.name, "type": c.type, "title": c.title, "title_en": c.title_en, "description": c.description}
        if c.type == "date":
            field["format"] = "default"
        if c.required:
            field["constraints"] = {"required": True}
        fields.append(field)
    result: dict[str, Any] = {"fields": fields}
    if primary_key:
        result["primaryKey"] = [primary_key]
    return result


def descriptor(*, name: str, identifier: str, title: str, title_en: str, description: str, description_en: str,
               keywords: list[str], category: str, frequency: str, issued: str, modified: str,
               temporal: tuple[str, str], contact: dict[str, str], agency: Any, columns: Sequence[Column],
               primary_key: str | None = None, sample: bool = False, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """A complete Tabular Data Package descriptor with its data.gov.tw metadata."""
    result: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": name,
        "id": identifier,
        "title": title,
        "title_en": title_en,
        "description": description,
        "description_en": description_en,
        "keywords": keywords,
        "licenses": [{"name": "OGDL-Taiwan-1.0", "title": LICENCE, "path": LICENCE_URL}],
        "homepage": f"{agency.base_url}/opendata/{name}/",
        "sample": sample,
        "contributors": [{"title": agency.name_zh, "role": "publisher", "email": agency.email}],
        "datagovtw": {
            "identifier": identifier,
            "categoryCode": category,
            "type": "rawdata",
            "accrualPeriodicity": frequency,
            "license": LICENCE,
            "licenseURL": LICENCE_URL,
            "cost": "免費",
            "issued": issued,
            "modified": modified,
            "temporalCoverageFrom": temporal[0],
            "temporalCoverageTo": temporal[1],
            "language": "zh-TW",
            "spatial": "臺南市、嘉義縣市、雲林縣",
            "organization": agency.name_zh,
            "organizationContactName": contact["name"],
            "organizationContactPhone": contact["phone"],
            "organizationContactEmail": contact["email"],
            "publisher": agency.name_zh,
            "publisherOID": agency.oid,
            "publisherContactName": contact["name"],
            "publisherContactPhone": contact["phone"],
            "publisherContactEmail": contact["email"],
        },
        "resources": [{
            "name": name,
            "path": DATA_FILE,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": schema(columns, primary_key),
        }],
    }
    if extra:
        result.update(extra)
    return result


def write_package(folder: Path, package: dict[str, Any], rows: Iterable[Sequence[Any]]) -> Path:
    """Write datapackage.json and data.csv (UTF-8, no BOM, header = field names)."""
    folder.mkdir(parents=True, exist_ok=True)
    names = [f["name"] for f in package["resources"][0]["schema"]["fields"]]
    with (folder / DATA_FILE).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(rows)
    (folder / DESCRIPTOR).write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return folder
