"""The open dataset datasets/complaints-petitions/ written from statistics.py's counts, one row per
month × category × unit, and published into the content repository as one commit — only after
frictionless validation and the personal-data gate passed on exactly the files to be committed.

Flask-free: `gongkai cases publish-statistics` calls ``publish``. A month is published once it is
over (the timer runs on the first of the month), so a row never changes because the month is
still running. The descriptor's metadata (identifier, contacts, category code …) stays the
agency's; the command owns the title, description, schema, coverage, frequency and chart.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from gongkai.content_repo import ContentRepository, Person
from gongkai.mailbox import statistics
from gongkai.mailbox.office_calendar import OfficeCalendar
from gongkai.opendata.descriptor import DATA_FILE, Column, schema, write_package
from gongkai.opendata.packages import DESCRIPTOR
from gongkai.opendata.validate import validate_all

DATASET = "complaints-petitions"
FOLDER = f"datasets/{DATASET}"
PUBLISHER = Person("gongkai cases publish-statistics", "backoffice@gongkai.invalid")
COLUMNS = (
    Column("month", "string", "收件年月", "Month received", "民眾確認意見之年月（YYYY-MM，臺灣時間）", required=True),
    Column("category", "string", "案件類別代碼", "Category code", "意見信箱案件類別代碼（content/mailbox/categories.yaml）", required=True),
    Column("category_name", "string", "案件類別", "Category", "案件類別名稱（檢舉、申訴、陳情、建議、詢問等）"),
    Column("unit", "string", "承辦單位代碼", "Unit code", "承辦單位代碼（codes/units.yaml）", required=True),
    Column("unit_name", "string", "承辦單位", "Unit", "承辦單位名稱"),
    Column("received", "integer", "收件數", "Received", "該月收件（民眾確認）之案件數", required=True),
    Column("answered", "integer", "已答復件數", "Answered", "其中已答復之案件數", required=True),
    Column("answered_on_time", "integer", "依限答復件數", "Answered on time", "於答復期限內答復之案件數", required=True),
    Column("overdue", "integer", "逾期件數", "Overdue", "逾答復期限仍未答復，或逾期後才答復之案件數", required=True),
    Column("not_handled", "integer", "不予處理件數", "Not handled", "依行政程序法第 173 條不予處理之案件數", required=True),
    Column("merged", "integer", "併案件數", "Merged", "與其他案件合併處理之案件數", required=True),
    Column("mean_working_days", "number", "平均處理工作天數", "Mean working days",
           "收件至答復之平均工作天數（依辦公日曆，收件當日不計）；無已答復案件時留空"),
    Column("ratings", "integer", "滿意度填答件數", "Ratings", "民眾填寫滿意度之案件數", required=True),
    Column("satisfaction_mean", "number", "滿意度平均", "Satisfaction mean", "滿意度平均分數（1 非常不滿意至 5 非常滿意）；無人填答時留空"),
)
HEADER = [c.name for c in COLUMNS]
TITLE = ("意見信箱案件處理統計（每月）", "Opinion mailbox cases handled, monthly")
DESCRIPTION = ("本分局意見信箱每月收件數，依案件類別與承辦單位列出已答復、依限答復、逾期、不予處理、併案件數、平均處理工作天數與滿意度。"
               "由後台案件資料統計（gongkai cases publish-statistics，每月 1 日更新上個月），不含任何陳情人資料。",
               "Cases received by the opinion mailbox each month, by category and unit: answered, on time, overdue, not handled, "
               "merged, mean working days and satisfaction. Counted from the back office's cases on the first of each month; "
               "no personal data.")


class StatisticsRefused(RuntimeError):
    """Nothing was committed: the dataset failed validation or the gate, or cannot be built."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


@dataclass(frozen=True)
class Outcome:
    commit: str | None  # None: the counts were the same as the published ones
    rows: int
    last_month: str


def last_complete_month(today: dt.date) -> dt.date:
    """The last day of the month before ``today``'s: the newest month that is over."""
    return today.replace(day=1) - dt.timedelta(days=1)


def count_rows(db: Session, calendar: OfficeCalendar, *, years: list[int], end: dt.date, today: dt.date,
               categories: Mapping[str, str], units: Mapping[str, str]) -> list[list[str]]:
    """The CSV rows (as text) of the given years, up to ``end``."""
    rows = []
    for year in years:
        counted = statistics.monthly(db, calendar, start=dt.date(year, 1, 1), end=min(dt.date(year, 12, 31), end), today=today)
        for key, c in counted.items():
            rows.append([key.month, key.category, categories.get(key.category, key.category), key.unit, units.get(key.unit, key.unit),
                         *(str(n) for n in (c.received, c.answered, c.answered_on_time, c.overdue, c.not_handled, c.merged)),
                         _number(c.mean_working_days), str(c.rating_count), _number(c.satisfaction_mean)])
    return rows


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(sorted(rows, key=lambda row: (row[0], row[1], row[3])))
    return out.getvalue()


def _published_rows(repo: ContentRepository) -> list[list[str]]:
    """The rows of the current CSV, when it has this command's columns (else none: a new shape)."""
    data = repo.read(f"{FOLDER}/{DATA_FILE}")
    if data is None:
        return []
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    return rows[1:] if rows and rows[0] == HEADER else []


def build_descriptor(current: dict[str, Any], *, coverage: tuple[str, str], modified: str) -> dict[str, Any]:
    """The agency's descriptor with what this command owns replaced."""
    package = json.loads(json.dumps(current))  # a deep copy
    # the chart: the newest month's cases received, one bar per category and unit (the table has every month)
    package.update(title=TITLE[0], title_en=TITLE[1], description=DESCRIPTION[0], description_en=DESCRIPTION[1], sample=False,
                   chart={"category": ["category_name", "unit_name"], "value": "received", "where": {"month": coverage[1][:7]}})
    meta = package.setdefault("datagovtw", {})
    meta.update(accrualPeriodicity="每月", modified=modified, temporalCoverageFrom=coverage[0], temporalCoverageTo=coverage[1])
    resource = package["resources"][0]
    resource.update(path=DATA_FILE, format="csv", mediatype="text/csv", encoding="utf-8", profile="tabular-data-resource")
    resource["schema"] = schema(COLUMNS)
    resource["schema"]["fields"][0]["constraints"]["pattern"] = r"^\d{4}-(0[1-9]|1[0-2])$"
    resource["schema"]["primaryKey"] = ["month", "category", "unit"]
    return package


def _coverage(rows: list[list[str]], end: dt.date) -> tuple[str, str]:
    first = min((row[0] for row in rows), default=end.strftime("%Y-%m"))
    return f"{first}-01", end.isoformat()


def check(package: dict[str, Any], text: str, agency: Any, service_codes: set[str]) -> list[str]:
    """Frictionless, metadata and the personal-data gate on the very files to be committed."""
    with tempfile.TemporaryDirectory(prefix="gongkai-statistics-") as temporary:
        folder = Path(temporary) / DATASET
        write_package(folder, package, [])
        (folder / DATA_FILE).write_text(text, encoding="utf-8")
        return validate_all(Path(temporary), agency, service_codes).lines()


def publish(db: Session, repo: ContentRepository, calendar: OfficeCalendar, *, agency: Any, service_codes: set[str],
            categories: Mapping[str, str], units: Mapping[str, str], today: dt.date, year: int | None = None) -> Outcome:
    """Count, check and commit the dataset. ``year``: recount only that year, keeping the other
    years' published rows; else every year with cases. Raises StatisticsRefused (nothing committed)."""
    end = last_complete_month(today)
    if year is not None and year > end.year:
        raise StatisticsRefused(f"--year {year}: no month of {year} is over yet (the newest complete month is {end:%Y-%m}); "
                                f"use {end.year} or earlier")
    current = repo.read(f"{FOLDER}/{DESCRIPTOR}")
    if current is None:
        raise StatisticsRefused(f"{FOLDER}/{DESCRIPTOR} is missing from the content repository: restore it from the shipped "
                                "content/ (its identifier and contacts are the agency's)")
    years = [year] if year is not None else [y for y in statistics.years_with_cases(db) if y <= end.year]
    rows = count_rows(db, calendar, years=years, end=end, today=today, categories=categories, units=units)
    if year is not None:
        rows += [row for row in _published_rows(repo) if not row[0].startswith(f"{year}-")]
    text = csv_text(rows)
    old = json.loads(current.decode("utf-8"))
    coverage = _coverage(rows, end)
    unchanged = build_descriptor(old, coverage=coverage, modified=str(old.get("datagovtw", {}).get("modified", "")))
    if unchanged == old and repo.read(f"{FOLDER}/{DATA_FILE}") == text.encode("utf-8"):
        return Outcome(None, len(rows), end.strftime("%Y-%m"))
    package = build_descriptor(old, coverage=coverage, modified=today.isoformat())
    problems = check(package, text, agency, service_codes)
    if problems:
        raise StatisticsRefused(f"{DATASET}: {len(problems)} problem(s) — nothing was committed", problems)
    commit = repo.publish({f"{FOLDER}/{DATA_FILE}": text.encode("utf-8"),
                           f"{FOLDER}/{DESCRIPTOR}": (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode("utf-8")},
                          subject=f"意見信箱統計：更新至 {end:%Y-%m}", author=PUBLISHER,
                          trailers={"Action": "publish-statistics", "Reason": f"{len(rows)} 列，至 {end:%Y-%m}"})
    return Outcome(commit, len(rows), end.strftime("%Y-%m"))
