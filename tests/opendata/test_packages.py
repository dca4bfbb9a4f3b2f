"""The shipped data packages: frictionless-valid, complete metadata, ≥ 8 datasets."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from frictionless import validate
from opendata_support import DATASETS

from gongkai.cli import main
from gongkai.opendata.packages import LICENCE, load_datasets
from gongkai.opendata.validate import validate_all

PACKAGES = sorted(DATASETS.glob("*/datapackage.json"))


def test_at_least_eight_datasets_with_unique_identifiers(corpus) -> None:
    datasets, problems = load_datasets(DATASETS)
    assert not problems
    assert len(datasets) >= 8
    identifiers = [d.identifier for d in datasets]
    assert len(set(identifiers)) == len(identifiers)
    for d in datasets:
        assert re.fullmatch(rf"{corpus.agency.oid}-\d{{6}}", d.identifier)
        assert d.meta["license"] == LICENCE
        assert d.category in corpus.codes["services"]
        assert all(f.title and f.description for f in d.fields), f"{d.id}: every field needs 主要欄位說明"


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.parent.name)
def test_frictionless_validates_every_package(package) -> None:
    report = validate(str(package))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])


def test_sample_figures_are_marked_in_the_description() -> None:
    datasets, _ = load_datasets(DATASETS)
    for d in datasets:
        if d.sample:
            assert "範例" in d.description() or "示範" in d.description(), d.id


def test_validate_command_passes_on_the_demo(corpus) -> None:
    report = validate_all(DATASETS, corpus.agency, set(corpus.codes["services"]))
    assert report.valid, report.lines()
    result = CliRunner().invoke(main, ["data", "validate"])
    assert result.exit_code == 0, result.output


def test_metadata_problems_are_one_line_each_and_fail_the_command(content_copy) -> None:
    package = content_copy / "datasets" / "news" / "datapackage.json"
    text = package.read_text(encoding="utf-8").replace('"accrualPeriodicity": "不定期更新"', '"accrualPeriodicity": "sometimes"')
    package.write_text(text.replace('"categoryCode": "I00"', '"categoryCode": "ZZZ"'), encoding="utf-8")
    result = CliRunner().invoke(main, ["data", "validate", "--content", str(content_copy)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("news / ")]
    assert any("accrualPeriodicity 'sometimes'" in line and " — use one of " in line for line in lines), lines
    assert any("categoryCode 'ZZZ'" in line for line in lines), lines


def test_catalogue_build_regenerates_the_four_catalogues(content_copy) -> None:
    for name in ("forms", "procedures", "unit-contacts", "news"):
        (content_copy / "datasets" / name / "data.csv").unlink()
    result = CliRunner().invoke(main, ["data", "build", "--content", str(content_copy)])
    assert result.exit_code == 0, result.output
    for name in ("forms", "procedures", "unit-contacts", "news"):
        assert validate(str(content_copy / "datasets" / name / "datapackage.json")).valid


def test_overdue_lists_late_datasets_for_the_webmaster() -> None:
    result = CliRunner().invoke(main, ["data", "overdue"])
    late = [d for d in load_datasets(DATASETS)[0] if d.overdue()]
    assert result.exit_code == int(bool(late))
    for d in late:
        assert d.id in result.output
