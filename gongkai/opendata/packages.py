"""Datasets as frictionless data packages: content/datasets/<id>/datapackage.json + one CSV.

The descriptor is a Tabular Data Package (Table Schema with Chinese field titles and
descriptions = 主要欄位說明) plus a ``datagovtw`` object holding the data.gov.tw metadata
fields that Data Package has no name for (identifier, 服務分類 code, update frequency, cost …).
Reading a package never raises: what cannot be read becomes a Problem.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from gongkai import clock
from gongkai.opendata.problems import Problem, data_problem

DESCRIPTOR = "datapackage.json"
# data.gov.tw update frequencies (更新頻率) → days until the next update is due
FREQUENCIES: dict[str, int | None] = {"每日": 1, "每週": 7, "每月": 31, "每季": 92, "每半年": 183, "每年": 366, "不定期更新": None}
FREQUENCY_EN = {"每日": "Daily", "每週": "Weekly", "每月": "Monthly", "每季": "Quarterly", "每半年": "Every six months",
                "每年": "Yearly", "不定期更新": "As needed"}
DCAT_FREQUENCY = {"每日": "DAILY", "每週": "WEEKLY", "每月": "MONTHLY", "每季": "QUARTERLY", "每半年": "ANNUAL_2",
                  "每年": "ANNUAL", "不定期更新": "IRREG"}
LICENCE = "政府資料開放授權條款-第1版"
LICENCE_URL = "https://data.gov.tw/license"


@dataclass(frozen=True)
class Field:
    """One column: its Table Schema type, Chinese title and 主要欄位說明."""

    name: str
    type: str
    title: str
    description: str
    title_en: str = ""
    personal: bool = False  # the schema marks the column as personal data (e.g. 姓名): values must be masked

    def label(self, lang: str) -> str:
        return (self.title_en or self.name) if lang == "en" else (self.title or self.name)

    def cast(self, text: str) -> Any:
        """The typed value of one CSV cell (None for an empty cell)."""
        if text == "":
            return None
        if self.type in ("integer", "year"):
            return int(text)
        if self.type == "number":
            return float(text)
        if self.type == "boolean":
            if text.lower() not in ("true", "false", "1", "0"):
                raise ValueError(f"not a boolean: {text!r}")
            return text.lower() in ("true", "1")
        if self.type == "date":
            return dt.date.fromisoformat(text)
        return text


@dataclass(frozen=True)
class Dataset:
    """A data package as the rest of opendata sees it; the raw descriptor stays available."""

    id: str
    folder: Path
    descriptor: dict[str, Any]
    fields: tuple[Field, ...]

    @property
    def meta(self) -> dict[str, Any]:
        return self.descriptor.get("datagovtw", {})

    @property
    def resource(self) -> dict[str, Any]:
        return self.descriptor["resources"][0]

    @property
    def csv_path(self) -> Path:
        return self.folder / self.resource["path"]

    @property
    def file_name(self) -> str:
        return self.resource["path"]

    @property
    def identifier(self) -> str:
        return self.meta.get("identifier", "")

    @property
    def category(self) -> str:
        return self.meta.get("categoryCode", "")

    @property
    def frequency(self) -> str:
        return self.meta.get("accrualPeriodicity", "不定期更新")

    @property
    def is_statistics(self) -> bool:
        return "chart" in self.descriptor

    @property
    def sample(self) -> bool:
        return bool(self.descriptor.get("sample"))

    @property
    def keywords(self) -> list[str]:
        return list(self.descriptor.get("keywords", []))

    def title(self, lang: str = "zh-Hant-TW") -> str:
        return (self.descriptor.get("title_en") if lang == "en" else None) or self.descriptor.get("title", self.id)

    def description(self, lang: str = "zh-Hant-TW") -> str:
        return (self.descriptor.get("description_en") if lang == "en" else None) or self.descriptor.get("description", "")

    def date(self, key: str) -> dt.date | None:
        value = self.meta.get(key)
        try:
            return dt.date.fromisoformat(str(value)[:10]) if value else None
        except ValueError:
            return None

    @property
    def modified(self) -> dt.date:
        return self.date("modified") or dt.date(1970, 1, 1)

    @property
    def issued(self) -> dt.date:
        return self.date("issued") or self.modified

    @property
    def next_update_due(self) -> dt.date | None:
        days = FREQUENCIES.get(self.frequency)
        return self.modified + dt.timedelta(days=days) if days else None

    def overdue(self, today: dt.date | None = None) -> bool:
        """Past its update frequency (更新頻率): flagged to visitors and listed for the webmaster."""
        due = self.next_update_due
        return due is not None and due < (today or clock.today())

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    def raw_rows(self) -> Iterator[list[str]]:
        """The CSV's data rows as strings (header skipped), streamed."""
        with self.csv_path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            next(reader, None)
            yield from reader

    def typed_rows(self) -> Iterator[list[Any]]:
        for row in self.raw_rows():
            yield [f.cast(v) for f, v in zip(self.fields, row, strict=False)]

    @cached_property
    def row_count(self) -> int:
        return sum(1 for _ in self.raw_rows())



def load_datasets(root: Path) -> tuple[list[Dataset], list[Problem]]:
    """Every package under ``root`` (content/datasets), sorted by identifier, and what could not be read."""
    datasets, problems = [], []
    if not root.is_dir():
        return [], []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        dataset, problem = load_dataset(folder)
        if problem is not None:
            problems.append(problem)
        else:
            datasets.append(dataset)
    return sorted(datasets, key=lambda d: (d.identifier, d.id)), problems


def load_dataset(folder: Path) -> tuple[Dataset | None, Problem | None]:
    name = folder.name
    path = folder / DESCRIPTOR
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, data_problem("data.no-descriptor", name, DESCRIPTOR, "no datapackage.json", "add one (copy another dataset's and edit it)")
    except (ValueError, UnicodeDecodeError) as exc:
        return None, data_problem("data.bad-descriptor", name, DESCRIPTOR, f"not valid UTF-8 JSON ({exc})", "fix the JSON syntax")
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not resources or not isinstance(resources, list) or not isinstance(resources[0], dict) or "path" not in resources[0]:
        return None, data_problem("data.no-resource", name, DESCRIPTOR, "no resource with a path", "describe the CSV file in resources[0].path")
    if descriptor.get("name") != name:
        return None, data_problem("data.name-mismatch", name, DESCRIPTOR, f"name {descriptor.get('name')!r} differs from the folder name",
                             f"set \"name\": \"{name}\" (the folder name is the dataset id in URLs)")
    resource = resources[0]
    if "/" in str(resource["path"]) or not (folder / str(resource["path"])).is_file():
        return None, data_problem("data.file-missing", name, str(resource["path"]), "data file not found next to datapackage.json",
                             "put the CSV in the dataset's folder and name it in resources[0].path")
    raw_fields = (resource.get("schema") or {}).get("fields") or []
    fields = tuple(
        Field(name=f.get("name", ""), type=f.get("type", "string"), title=f.get("title", ""), description=f.get("description", ""),
              title_en=f.get("title_en", ""), personal=bool(f.get("personal")))
        for f in raw_fields if isinstance(f, dict)
    )
    return Dataset(id=name, folder=folder, descriptor=descriptor, fields=fields), None
