"""Validation of every dataset: frictionless (structure, types, constraints), the personal-data
gate, and metadata completeness (the data.gov.tw fields). Returns problems; never raises.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gongkai.opendata.gate import Allowances, scan_cell, scan_dataset
from gongkai.opendata.packages import DESCRIPTOR, FREQUENCIES, LICENCE, Dataset, load_datasets
from gongkai.opendata.problems import Problem, data_problem

REQUIRED_META = ("identifier", "categoryCode", "type", "accrualPeriodicity", "license", "licenseURL", "cost",
                 "issued", "modified", "temporalCoverageFrom", "temporalCoverageTo", "organization",
                 "organizationContactName", "organizationContactPhone", "organizationContactEmail",
                 "publisher", "publisherOID", "publisherContactName", "publisherContactPhone", "publisherContactEmail")
CONTACT_META = ("organizationContactPhone", "organizationContactEmail", "publisherContactPhone", "publisherContactEmail")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class Report:
    datasets: list[Dataset] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems

    def failing(self) -> set[str]:
        return {p.dataset for p in self.problems}

    def publishable(self) -> list[Dataset]:
        """Datasets with no problem of any kind: the only ones the site and exports serve."""
        bad = self.failing()
        return [d for d in self.datasets if d.id not in bad]

    def lines(self) -> list[str]:
        return [str(p) for p in sorted(set(self.problems))]


def validate_all(root: Path, agency: Any, service_codes: set[str] | None = None, structure: bool = True) -> Report:
    """Validate every package under ``root`` (content/datasets)."""
    datasets, problems = load_datasets(root)
    report = Report(datasets, list(problems))
    allow = Allowances.of_agency(agency)
    identifiers = Counter(d.identifier for d in datasets)
    for dataset in datasets:
        if structure:
            report.problems += frictionless_problems(dataset)
        report.problems += metadata_problems(dataset, agency, service_codes)
        if identifiers[dataset.identifier] > 1:
            report.problems.append(data_problem("data.duplicate-identifier", dataset.id, DESCRIPTOR, f"identifier {dataset.identifier} is used by another dataset",
                                                "give each dataset its own number (NNNNNN)"))
        report.problems += scan_dataset(dataset, allow)
        report.problems += _contact_problems(dataset, allow)
    return report


def frictionless_problems(dataset: Dataset) -> list[Problem]:
    """Structure, types and constraints, as frictionless sees them (one problem per error)."""
    from frictionless import validate  # imported late: it is slow to import and only validation needs it

    report = validate(str(dataset.folder / DESCRIPTOR))
    problems = []
    for task in report.tasks:
        for error in task.errors:
            row = getattr(error, "row_number", None)
            column = getattr(error, "field_name", "") or ""
            code = "data.invalid-cell" if row else "data.invalid-table"
            problems.append(data_problem(code, dataset.id, dataset.file_name if row else DESCRIPTOR, f"{error.type}: {error.message}",
                                         "correct the value or the schema in datapackage.json", row or 0, column))
    for error in report.errors:
        problems.append(data_problem("data.invalid-package", dataset.id, DESCRIPTOR, f"{error.type}: {error.message}", "fix datapackage.json"))
    return problems


def metadata_problems(dataset: Dataset, agency: Any, service_codes: set[str] | None) -> list[Problem]:
    """Completeness of the data.gov.tw metadata and of the 主要欄位說明."""
    meta, problems = dataset.meta, []

    def add(message: str, fix: str, column: str = "") -> None:
        missing = message.endswith(("is missing", "are missing", "has no fields")) or "has no Chinese title" in message
        problems.append(data_problem("data.metadata-missing" if missing else "data.metadata-invalid", dataset.id, DESCRIPTOR, message, fix,
                                     column=column))

    for key in ("title", "description"):
        if not str(dataset.descriptor.get(key, "")).strip():
            add(f"{key} is missing", f"write the dataset's {key} in Chinese")
    if not dataset.keywords:
        add("keywords are missing", "list a few keywords (關鍵字)")
    for key in REQUIRED_META:
        if not str(meta.get(key, "")).strip():
            add(f"datagovtw.{key} is missing", "fill in every data.gov.tw field (see an existing dataset)")
    if meta.get("identifier") and not re.fullmatch(rf"{re.escape(agency.oid)}-\d{{6}}", meta["identifier"]):
        add(f"identifier {meta['identifier']!r} is not <agency OID>-NNNNNN", f"write it like {agency.oid}-000009")
    if meta.get("publisherOID") and meta["publisherOID"] != agency.oid:
        add(f"publisherOID {meta['publisherOID']!r} is not the agency's OID", f"use {agency.oid} (content/site.yaml)")
    if service_codes is not None and meta.get("categoryCode") and meta["categoryCode"] not in service_codes:
        add(f"categoryCode {meta['categoryCode']!r} is not a 服務分類 code", f"use one of {', '.join(sorted(service_codes))}")
    if meta.get("accrualPeriodicity") and meta["accrualPeriodicity"] not in FREQUENCIES:
        add(f"accrualPeriodicity {meta['accrualPeriodicity']!r} is unknown", f"use one of {', '.join(FREQUENCIES)}")
    if meta.get("license") and meta["license"] != LICENCE:
        add(f"license {meta['license']!r} is not the open government data licence", f"use {LICENCE}")
    if meta.get("type") and meta["type"] not in ("rawdata", "tools", "services", "apps"):
        add(f"type {meta['type']!r} is unknown", "use rawdata, tools, services or apps")
    for key in ("issued", "modified", "temporalCoverageFrom", "temporalCoverageTo"):
        if meta.get(key) and (not DATE.match(str(meta[key])) or dataset.date(key) is None):
            add(f"datagovtw.{key} {meta[key]!r} is not a date", "write it as YYYY-MM-DD")
    if not dataset.fields:
        add("the schema has no fields", "describe each CSV column in resources[0].schema.fields")
    for f in dataset.fields:
        if not f.title.strip() or not f.description.strip():
            add("field has no Chinese title or description (主要欄位說明)", "give it a title and a description", f.name)
    return problems


def _contact_problems(dataset: Dataset, allow: Allowances) -> list[Problem]:
    """Contacts in the metadata are published too: they must be office numbers and agency mailboxes."""
    problems = []
    for key in CONTACT_META:
        for found in scan_cell(str(dataset.meta.get(key, "")), allow):
            problems.append(data_problem(found.code, dataset.id, DESCRIPTOR, found.message, found.fix, column=f"datagovtw.{key}"))
    return problems
