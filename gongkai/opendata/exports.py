"""Download files of a dataset: CSV (UTF-8), CSV with BOM (for spreadsheet programs that
guess the encoding), ODS (typed cells + 欄位說明 sheet) and JSON (metadata + typed records).

Every writer streams rows, so exporting a million rows needs no more memory than ten.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from gongkai.opendata.ods import write_ods
from gongkai.opendata.packages import Dataset, Field


@dataclass(frozen=True)
class ExportFormat:
    key: str
    suffix: str
    label: str
    mimetype: str
    label_zh: str
    label_en: str


FORMATS = (
    ExportFormat("csv", ".csv", "CSV", "text/csv; charset=utf-8", "CSV（UTF-8）", "CSV (UTF-8)"),
    ExportFormat("csv-bom", "-bom.csv", "CSV", "text/csv; charset=utf-8", "CSV（UTF-8 含 BOM，適用試算表軟體）",
                 "CSV (UTF-8 with BOM, for spreadsheet programs)"),
    ExportFormat("ods", ".ods", "ODS", "application/vnd.oasis.opendocument.spreadsheet", "ODS（開放文件試算表）",
                 "ODS (OpenDocument spreadsheet)"),
    ExportFormat("json", ".json", "JSON", "application/json", "JSON", "JSON"),
)
FORMAT_BY_KEY = {f.key: f for f in FORMATS}


def file_name(dataset_id: str, fmt: ExportFormat) -> str:
    return dataset_id + fmt.suffix


def csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def write_csv(handle: TextIO, fields: Iterable[Field], rows: Iterable[Iterable[Any]], bom: bool = False) -> None:
    if bom:
        handle.write("\ufeff")
    writer = csv.writer(handle, lineterminator="\r\n" if bom else "\n")
    writer.writerow([f.name for f in fields])
    for row in rows:
        writer.writerow([csv_text(v) for v in row])


def csv_chunks(fields: Iterable[Field], rows: Iterable[Iterable[Any]], chunk_rows: int = 1000) -> Iterator[str]:
    """CSV text in chunks of rows, for a streamed HTTP response."""

    class Sink:
        def __init__(self) -> None:
            self.parts: list[str] = []

        def write(self, text: str) -> None:
            self.parts.append(text)

    sink = Sink()
    writer = csv.writer(sink, lineterminator="\n")
    writer.writerow([f.name for f in fields])
    for count, row in enumerate(rows, start=1):
        writer.writerow([csv_text(v) for v in row])
        if count % chunk_rows == 0:
            yield "".join(sink.parts)
            sink.parts = []
    yield "".join(sink.parts)


def json_value(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def write_json(handle: TextIO, dataset: Dataset, rows: Iterable[Iterable[Any]]) -> None:
    """{"identifier", "title", …, "fields": [...], "data": [{field: value}, …]}, one record per line."""
    head = {
        "identifier": dataset.identifier, "name": dataset.id, "title": dataset.title(), "description": dataset.description(),
        "license": dataset.meta.get("license"), "licenseURL": dataset.meta.get("licenseURL"), "modified": dataset.meta.get("modified"),
        "fields": [{"name": f.name, "type": f.type, "title": f.title, "description": f.description} for f in dataset.fields],
    }
    text = json.dumps(head, ensure_ascii=False, indent=1)
    handle.write(text[:-2] + ',\n "data": [')
    names = [f.name for f in dataset.fields]
    for index, row in enumerate(rows):
        record = {n: json_value(v) for n, v in zip(names, row, strict=False)}
        handle.write(("\n  " if index == 0 else ",\n  ") + json.dumps(record, ensure_ascii=False))
    handle.write("\n ]\n}\n")


def export_dataset(dataset: Dataset, folder: Path, formats: Iterable[ExportFormat] = FORMATS,
                   rows: Any = None) -> dict[str, Path]:
    """Write the dataset in each format into ``folder`` (each file renamed into place when complete)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for fmt in formats:
        target = folder / file_name(dataset.id, fmt)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        typed = rows(dataset) if rows else dataset.typed_rows()
        if fmt.key == "ods":
            write_ods(temporary, dataset.fields, typed, title=dataset.title(), creator=dataset.meta.get("publisher", ""))
        else:
            with temporary.open("w", encoding="utf-8", newline="") as handle:
                if fmt.key == "json":
                    write_json(handle, dataset, typed)
                else:
                    write_csv(handle, dataset.fields, typed, bom=fmt.key == "csv-bom")
        os.replace(temporary, target)
        written[fmt.key] = target
    return written
