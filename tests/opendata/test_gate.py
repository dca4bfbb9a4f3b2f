"""The personal-data gate: planted personal data is named, masked, and blocks publication;
masked names and the agency's own office numbers and mailboxes pass."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from gongkai.cli import main
from gongkai.model import load_content
from gongkai.opendata.gate import Allowances, scan_cell, valid_id_checksum
from gongkai.opendata.validate import validate_all


def with_check_digit(first9: str) -> str:
    """Complete a 9-character prefix with the digit that makes the checksum valid."""
    return next(first9 + d for d in "0123456789" if valid_id_checksum(first9 + d))


NATIONAL_ID = with_check_digit("F12345678")
RESIDENT_NEW = with_check_digit("A80000001")
RESIDENT_OLD = with_check_digit("AC1234567")
MOBILE = "0912-345-678"
PERSONAL_EMAIL = "wang.ming@gmail.com"


def test_checksum_of_known_numbers() -> None:
    assert valid_id_checksum("A123456789")  # the textbook example
    assert not valid_id_checksum("A123456788")
    assert not valid_id_checksum("A323456789")  # third-gender digit not issued
    assert valid_id_checksum(RESIDENT_NEW) and valid_id_checksum(RESIDENT_OLD)
    assert not valid_id_checksum("AZ12345678")


@pytest.fixture
def allow(corpus) -> Allowances:
    return Allowances.of_agency(corpus.agency)


@pytest.mark.parametrize("text", [
    "06-226-4101", "(06)226-4112", "05-532-1111", "sec1@tainan.example.gov.tw", "service@tainan.example.gov.tw",
    "A15010100H-000001", "2022-01-10", "2,313,124", "111年1月", "A12345678",  # no checksum-valid ID in a 9-digit string
    "A123456788",
])
def test_agency_numbers_and_ordinary_values_pass(text, allow) -> None:
    assert list(scan_cell(text, allow)) == []


@pytest.mark.parametrize("text, kind", [
    (f"申請人 {NATIONAL_ID}", "national ID"), (RESIDENT_NEW, "resident certificate"), (RESIDENT_OLD.lower(), "resident certificate"),
    (MOBILE, "mobile"), ("0912345678", "mobile"), ("+886 912 345 678", "mobile"), ("02-2345-6789", "telephone"),
    ("(07)345-6789", "telephone"), (PERSONAL_EMAIL, "e-mail"),
])
def test_personal_data_is_found_and_masked(text, kind, allow) -> None:
    found = list(scan_cell(text, allow))
    assert len(found) == 1 and kind in found[0].message, found
    assert NATIONAL_ID not in found[0].message and "345-678" not in found[0].message and "wang.ming" not in found[0].message


def _plant(content, allow_masked_column: bool = True) -> None:
    """Add a personal column and planted values to a copy of the complaints dataset."""
    folder = content / "datasets" / "complaints-petitions"
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    package["resources"][0]["schema"]["fields"].append(
        {"name": "handler", "type": "string", "title": "承辦人", "title_en": "Handler", "description": "承辦人姓名（遮蔽）", "personal": True})
    (folder / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False, indent=2), encoding="utf-8")
    with (folder / "data.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    extra = [*rows[1][:14], "林○"]  # row 4: a copy of row 2 in another month
    extra[0], extra[2] = "2030-01", f"居留證 {RESIDENT_NEW}"
    rows[0].append("handler")
    rows[1][2] = f"申請人 {NATIONAL_ID} 之申訴"  # row 2, column category_name
    rows[1].append("王○明")  # masked: passes
    rows[2][2] = f"請洽 {MOBILE} 或 {PERSONAL_EMAIL}，或本分局 06-226-4116"  # row 3: office number passes
    rows[2].append("陳大文")  # unmasked name in a personal column: blocked
    rows = [*rows[:3], extra]  # the package's first two rows and the planted one
    with (folder / "data.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def test_planted_personal_data_is_named_and_blocks_publication(content_copy, tmp_path) -> None:
    _plant(content_copy)
    corpus, _ = load_content(content_copy)
    report = validate_all(content_copy / "datasets", corpus.agency, set(corpus.codes["services"]), structure=False)
    lines = report.lines()
    prefix = "complaints-petitions / data.csv / "
    expected = [
        (prefix + "row 2 / category_name: data.national-id: national ID number", NATIONAL_ID),
        (prefix + "row 3 / category_name: data.personal-phone: mobile number", MOBILE),
        (prefix + "row 3 / category_name: data.personal-email: e-mail address w***@gmail.com", PERSONAL_EMAIL),
        (prefix + "row 3 / handler: data.unmasked-column: unmasked value in personal column", "陳大文"),
        (prefix + "row 4 / category_name: data.national-id: resident certificate number", RESIDENT_NEW),
    ]
    for start, secret in expected:
        hits = [line for line in lines if line.startswith(start)]
        assert len(hits) == 1, (start, lines)
        assert " — " in hits[0] and secret not in hits[0], hits[0]
    assert len(lines) == len(expected), lines  # the masked name and the office number pass
    assert "complaints-petitions" not in {d.id for d in report.publishable()}

    result = CliRunner().invoke(main, ["data", "validate", "--content", str(content_copy)])
    assert result.exit_code == 1 and prefix + "row 2 / category_name: data.national-id: national ID number" in result.output
    as_json = CliRunner().invoke(main, ["data", "validate", "--content", str(content_copy), "--format", "json"])
    document = json.loads(as_json.stdout)
    assert as_json.exit_code == 1 and document["ok"] is False
    national = next(p for p in document["problems"] if p["code"] == "data.national-id" and p["where"].get("row") == 2)
    assert national["where"] == {"file": "data.csv", "dataset": "complaints-petitions", "row": 2, "column": "category_name"}
    assert NATIONAL_ID not in as_json.stdout
    exported = CliRunner().invoke(main, ["data", "export", str(tmp_path / "out"), "--content", str(content_copy)])
    assert exported.exit_code == 1
    assert not (tmp_path / "out" / "complaints-petitions.csv").exists()
    assert (tmp_path / "out" / "forms.csv").exists()

    served = subprocess.run([sys.executable, "-c", SITE_CHECK, str(content_copy), str(tmp_path / "var")],
                            capture_output=True, text=True, timeout=300)
    assert served.returncode == 0, served.stdout + served.stderr


# run in its own process: the site on the planted content tree, beside the demo app of the other tests
SITE_CHECK = """
import sys
from gongkai.app import create_app
app = create_app({"TESTING": True, "CONTENT_DIR": sys.argv[1], "VAR_DIR": sys.argv[2], "CONTENT_RELOAD_SECONDS": 0})
client = app.test_client()
listed = {d["id"] for d in client.get("/api/v1/datasets").get_json()["datasets"]}
assert "complaints-petitions" not in listed and "forms" in listed, listed
assert client.get("/api/v1/datasets/complaints-petitions/rows").status_code == 404
assert client.get("/opendata/complaints-petitions/").status_code == 404
assert client.get("/opendata/files/complaints-petitions.csv").status_code == 404
assert "complaints-petitions" not in client.get("/api/v1/catalog.jsonld").get_data(as_text=True)
"""


def test_personal_contact_in_metadata_is_refused(content_copy, corpus) -> None:
    package = content_copy / "datasets" / "news" / "datapackage.json"
    text = package.read_text(encoding="utf-8").replace('"organizationContactPhone": "06-226-4116"', '"organizationContactPhone": "0933-123-456"')
    package.write_text(text, encoding="utf-8")
    report = validate_all(content_copy / "datasets", corpus.agency, None, structure=False)
    assert [line for line in report.lines() if line.startswith("news / datapackage.json / datagovtw.organizationContactPhone: data.personal-phone: mobile number")]
