"""A horizontal bar chart as plain SVG geometry, for statistics datasets.

No inline style (the CSP forbids it): the template draws shapes with classes styled in
opendata.css. Each bar's label sits above it, so long Chinese labels never overlap; the
text alternative names the largest and smallest values, and the page shows the same
figures in a table beside the chart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gongkai.opendata.packages import Dataset

WIDTH = 640
LABEL_HEIGHT = 20
BAR_HEIGHT = 18
GAP = 14
BAR_SPACE = 480  # the rest of the width holds the value after the longest bar


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    y_label: int
    y_bar: int
    width: float
    shown: str


@dataclass(frozen=True)
class Chart:
    title: str
    value_label: str
    bars: tuple[Bar, ...]
    height: int
    summary: str


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def chart_items(dataset: Dataset, rows: list[list[Any]]) -> list[tuple[str, float]]:
    """(label, value) pairs chosen by the package's ``chart`` spec: category fields, value field, optional equality filter."""
    spec = dataset.descriptor.get("chart") or {}
    names = [f.name for f in dataset.fields]
    try:
        categories = [names.index(c) for c in spec.get("category", [])]
        value = names.index(spec["value"])
        where = {names.index(k): v for k, v in (spec.get("where") or {}).items()}
    except (KeyError, ValueError):
        return []
    items = []
    for row in rows:
        if all(row[i] == v for i, v in where.items()) and row[value] is not None:
            items.append(("／".join(str(row[i]) for i in categories), float(row[value])))
    return items


def bar_chart(title: str, value_label: str, items: list[tuple[str, float]], lang: str) -> Chart | None:
    if not items:
        return None
    top = max(v for _, v in items) or 1.0
    bars, y = [], 8
    for label, value in items:
        width = max(1.0, BAR_SPACE * value / top) if value > 0 else 0.0
        bars.append(Bar(label, value, y + 14, y + LABEL_HEIGHT, round(width, 1), _number(value)))
        y += LABEL_HEIGHT + BAR_HEIGHT + GAP
    high = max(items, key=lambda i: i[1])
    low = min(items, key=lambda i: i[1])
    if lang == "en":
        summary = (f"Bar chart of {value_label} for {len(items)} items. Highest: {high[0]} ({_number(high[1])}); "
                   f"lowest: {low[0]} ({_number(low[1])}). The same figures are in the table after the chart.")
    else:
        summary = (f"{value_label}長條圖，共 {len(items)} 項。最高：{high[0]}（{_number(high[1])}）；"
                   f"最低：{low[0]}（{_number(low[1])}）。圖中數值同下方表格。")
    return Chart(title, value_label, tuple(bars), y, summary)
