"""Exports: the ODS opens with odfpy and pyexcel and holds the same values as the CSV
(typed cells, header row, 欄位說明 sheet); the BOM variant and JSON hold the same rows."""

from __future__ import annotations

import csv
import json

import pyexcel
import pytest
from odf.namespaces import OFFICENS
from odf.opendocument import load
from odf.table import Table, TableCell, TableRow
from opendata_support import DATASETS

from gongkai.opendata.exports import export_dataset
from gongkai.opendata.packages import load_datasets

ALL = load_datasets(DATASETS)[0]
ODF_TYPES = {"integer": "float", "number": "float", "date": "date", "string": "string", "boolean": "boolean"}


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("exports")
    return {d.id: export_dataset(d, folder) for d in ALL}


def _normal(value):
    if value == "" or value is None:
        return None
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


@pytest.mark.parametrize("dataset", ALL, ids=lambda d: d.id)
def test_ods_round_trips_to_the_csv_values_with_pyexcel(dataset, exported) -> None:
    book = pyexcel.get_book(file_name=str(exported[dataset.id]["ods"]))
    assert book.sheet_names() == ["data", "欄位說明"]
    table = book["data"].to_array()
    assert table[0] == [f.name for f in dataset.fields]
    width = len(dataset.fields)
    from_ods = [[_normal(v) for v in (row + [""] * width)[:width]] for row in table[1:]]
    from_csv = [[_normal(v) for v in row] for row in dataset.typed_rows()]
    assert from_ods == from_csv
    descriptions = book["欄位說明"].to_array()
    assert [row[3] for row in descriptions[1:]] == [f.description for f in dataset.fields]


@pytest.mark.parametrize("dataset", ALL, ids=lambda d: d.id)
def test_ods_opens_with_odfpy_with_typed_cells(dataset, exported) -> None:
    document = load(str(exported[dataset.id]["ods"]))
    tables = document.spreadsheet.getElementsByType(Table)
    assert [t.getAttribute("name") for t in tables] == ["data", "欄位說明"]
    rows = tables[0].getElementsByType(TableRow)
    assert len(rows) == dataset.row_count + 1
    header = [str(c) for c in rows[0].getElementsByType(TableCell)]
    assert header == [f.name for f in dataset.fields]
    first = rows[1].getElementsByType(TableCell)
    for field, cell, value in zip(dataset.fields, first, next(dataset.typed_rows()), strict=False):
        if value is not None:
            assert cell.attributes.get((OFFICENS, "value-type")) == ODF_TYPES[field.type], field.name


@pytest.mark.parametrize("dataset", ALL, ids=lambda d: d.id)
def test_csv_variants_and_json_hold_the_same_rows(dataset, exported) -> None:
    files = exported[dataset.id]
    plain = files["csv"].read_bytes()
    with_bom = files["csv-bom"].read_bytes()
    assert not plain.startswith(b"\xef\xbb\xbf") and with_bom.startswith(b"\xef\xbb\xbf")
    source = list(csv.reader(dataset.csv_path.open(encoding="utf-8-sig", newline="")))
    assert list(csv.reader(plain.decode("utf-8").splitlines())) == source
    assert list(csv.reader(with_bom.decode("utf-8-sig").splitlines())) == source
    body = json.loads(files["json"].read_text(encoding="utf-8"))
    assert body["identifier"] == dataset.identifier
    assert [f["name"] for f in body["fields"]] == source[0]
    assert len(body["data"]) == len(source) - 1


def test_odf_keeps_repeated_spaces_newlines_and_strips_control_characters(tmp_path) -> None:
    from gongkai.opendata.ods import write_ods
    from gongkai.opendata.packages import Field

    fields = [Field("text", "string", "文字", "說明")]
    write_ods(tmp_path / "t.ods", fields, [["a  b"], [" lead"], ["two\nlines"], ["bell\x07"]])
    values = [row[0] for row in pyexcel.get_book(file_name=str(tmp_path / "t.ods"))["data"].to_array()[1:]]
    assert values == ["a  b", " lead", "two\nlines", "bell"]
