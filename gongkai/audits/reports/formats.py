"""Machine and circulation formats of a run: JSON (everything), CSV and ODS (one row per problem and
page, for e-mail to the units), JUnit XML (one test case per problem, for CI)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from xml.etree import ElementTree as ET

from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

from gongkai.audits.reports.view import NO_PAGE, NO_UNIT, RunView

COLUMNS = ("unit", "page", "change", "result", "target", "selector", "criterion", "freego", "message", "fix",
           "first_seen", "runs_in_a_row", "status")


def view_to_dict(view: RunView) -> dict:
    return {
        "audit": view.audit, "site": view.site, "run": view.run_id, "started": view.started, "checked": view.checked,
        "previous_run": view.previous_run, "note": view.note,
        "counts": {"broken": len(view.broken), "warnings": len(view.warnings), "new": view.count("new"),
                   "still": view.count("still"), "fixed": len(view.fixed)},
        "findings": [dict(row.finding.to_dict(), change=row.change, first_seen=row.first_seen,
                          consecutive_failures=row.consecutive_failures) for row in view.rows],
        "fixed": [f.to_dict() for f in view.fixed],
        "trend": [{"month": month, "broken": count} for month, count in view.trend],
    }


def flat_rows(view: RunView) -> list[list[str]]:
    rows = []
    for unit, pages in view.groups.items():
        for page, page_rows in pages.items():
            for row in page_rows:
                f = row.finding
                rows.append([unit if unit != NO_UNIT else "", page if page != NO_PAGE else "", row.change,
                             "broken" if f.broken else f.tag, f.target, f.selector, f.criterion, f.freego, f.message, f.fix,
                             row.first_seen, str(row.consecutive_failures), "" if f.status is None else str(f.status)])
    for f in view.fixed:
        rows.append(["", " ".join(f.pages), "fixed", "broken" if f.broken else f.tag, f.target, f.selector, f.criterion,
                     f.freego, f.message, "", "", "0", ""])
    return rows


def write_json(view: RunView, path: Path) -> None:
    path.write_text(json.dumps(view_to_dict(view), ensure_ascii=False, indent=2), encoding="utf-8")


def write_csv(view: RunView, path: Path) -> None:
    # UTF-8 with BOM: Excel and LibreOffice on Taiwanese Windows then read the Chinese correctly
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(flat_rows(view))


def write_ods(view: RunView, path: Path) -> None:
    document = OpenDocumentSpreadsheet()
    table = Table(name=f"{view.audit} {view.started[:10]}")
    for values in [list(COLUMNS), *flat_rows(view)]:
        row = TableRow()
        for value in values:
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    document.save(str(path))


def write_junit(view: RunView, path: Path) -> None:
    suite = ET.Element("testsuite", name=f"gongkai {view.audit} {view.site}", tests=str(max(view.checked, len(view.rows))),
                       failures=str(len(view.broken)), skipped="0", timestamp=view.started)
    for row in view.rows:
        f = row.finding
        case = ET.SubElement(suite, "testcase", classname=f"{view.audit}.{f.check}", name=f.target + (f" {f.selector}" if f.selector else ""))
        if f.broken:
            failure = ET.SubElement(case, "failure", message=f.message, type=f.check)
            failure.text = f"{f.message}\nFix: {f.fix}\nPages: {', '.join(f.pages)}"
        else:
            ET.SubElement(case, "system-out").text = f"warning [{f.tag}] {f.message} Fix: {f.fix}"
    tree = ET.ElementTree(ET.Element("testsuites"))
    tree.getroot().append(suite)
    ET.indent(tree)
    tree.write(path, encoding="utf-8", xml_declaration=True)
