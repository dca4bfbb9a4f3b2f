"""Reports of one run: HTML for the webmaster, JSON, CSV and ODS for circulation, JUnit XML for CI."""

from __future__ import annotations

from pathlib import Path

from gongkai.audits.reports.formats import write_csv, write_json, write_junit, write_ods
from gongkai.audits.reports.html import write_html
from gongkai.audits.reports.view import RunView

WRITERS = {"html": write_html, "json": write_json, "csv": write_csv, "ods": write_ods, "junit": write_junit}
SUFFIXES = {"html": "html", "json": "json", "csv": "csv", "ods": "ods", "junit": "junit.xml"}


def write_reports(view: RunView, folder: Path, formats: list[str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in formats:
        path = folder / f"{view.audit}-report.{SUFFIXES[name]}"
        WRITERS[name](view, path)
        written.append(path)
    return written
