"""The back office's 意見信箱 statistics, /admin/cases/statistics/: one year's counts per month,
category and unit (gongkai.mailbox.statistics), and a bar chart of the cases received per month
drawn by gongkai.opendata.chart — an SVG with its text alternative, the same figures in the table
beside it. Counts only: no case, name or subject is on the page, so it is not in the audit log."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from flask import Blueprint, Response, current_app, render_template, request

from gongkai import clock
from gongkai.admin.editing.views import ErrorLink, Summary
from gongkai.admin.forms import zh
from gongkai.admin.signin_sessions import db
from gongkai.admin.views.guard import requires
from gongkai.admin.views.pages import render
from gongkai.mailbox import statistics
from gongkai.mailbox.office_calendar import CalendarError, OfficeCalendar, OutsideCalendar
from gongkai.mailbox.rules import RulesError, load_rules
from gongkai.mailbox.staff import labels as _labels  # noqa: F401 - registers the staff.* labels
from gongkai.mailbox.staff.views import unit_codes
from gongkai.opendata import chart as opendata_chart
from gongkai.opendata.chart import Chart, bar_chart

# the opendata templates folder: the chart is drawn by the open data pages' own chart.svg
bp = Blueprint("case_statistics", __name__, template_folder=str(Path(opendata_chart.__file__).parent / "templates"))
FIRST_YEAR = 2000
YEAR_MAX = 8  # characters of ?year= read; anything longer is refused anyway


class YearError(ValueError):
    """?year= is not a year the page can show; the message names the parameter and the fix."""


def parse_year(text: str, today: dt.date) -> int:
    """The year asked for (this year when empty), or YearError."""
    text = text.strip()
    if not text:
        return today.year
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        raise YearError(f"年份（year）請輸入 4 位數的西元年，例如 {today.year}")
    if not FIRST_YEAR <= int(text) <= today.year:
        raise YearError(f"年份（year）須介於 {FIRST_YEAR} 與 {today.year} 之間")
    return int(text)


def _months(year: int, today: dt.date) -> list[str]:
    last = today.month if year == today.year else 12
    return [f"{year}-{month:02d}" for month in range(1, last + 1)]


def _chart(year: int, by_month: dict[str, statistics.Counts]) -> Chart | None:
    items = [(f"{int(month[5:])} 月", float(counts.received)) for month, counts in by_month.items()]
    return bar_chart(zh("staff.stats_chart_title", year=year), zh("staff.stats_received"), items, "zh-Hant-TW")


def _counts(year: int, today: dt.date) -> dict[str, object]:
    content = Path(current_app.config["CONTENT_DIR"])
    rows = statistics.year(db(), OfficeCalendar.load(content), year, today=today)
    per_month = statistics.totals(rows, "month")
    by_month = {month: per_month.get(month, statistics.Counts()) for month in _months(year, today)}
    try:
        categories = {code: category.zh for code, category in load_rules(content).categories.items()}
    except RulesError:
        categories = {}
    return {"by_month": by_month, "by_category": statistics.totals(rows, "category"), "by_unit": statistics.totals(rows, "unit"),
            "total": statistics.grand_total(rows.values()), "categories": categories,
            "unit_names": {code: unit.zh for code, unit in unit_codes().items()}, "chart": _chart(year, by_month),
            "month_names": {month: f"{int(month[5:])} 月" for month in by_month}}


@bp.route("/cases/statistics/")
@requires("see_case_statistics")
def page():
    today = clock.today()
    typed = request.args.get("year", "")[:YEAR_MAX]
    years = statistics.years_with_cases(db())
    title = zh("staff.stats_title")
    try:
        year = parse_year(typed, today)
    except YearError as error:
        summary = Summary.of([(ErrorLink("stats-year"), str(error))])
        return render("staff/statistics.html", title, 422, form=summary, typed=typed, error=str(error), years=years, year=None)
    try:
        counts = _counts(year, today)
    except (OutsideCalendar, CalendarError) as error:
        # a calendar file missing for a year of answered cases: `gongkai check` names it; say so instead of failing
        return render("staff/statistics.html", title, typed=typed, years=years, year=year, calendar_problem=str(error))
    return render("staff/statistics.html", title, typed=typed or str(year), years=years, year=year, **counts)


@bp.route("/cases/statistics/chart.svg")
@requires("see_case_statistics")
def chart():
    """The chart as an SVG file, shown with <img alt>; the page has the same figures as a table."""
    today = clock.today()
    try:
        year = parse_year(request.args.get("year", "")[:YEAR_MAX], today)
        drawn = _counts(year, today)["chart"]
    except (YearError, OutsideCalendar, CalendarError) as error:
        return Response(str(error), 422 if isinstance(error, YearError) else 404, mimetype="text/plain")
    return Response(render_template("opendata/chart.svg", chart=drawn, html_lang="zh-Hant-TW"), mimetype="image/svg+xml")
