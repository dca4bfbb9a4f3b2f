"""The HTML report a webmaster reads: grouped by owner unit and page, new / still / fixed since the
previous run, and the trend. It must itself pass WCAG 2.2 AA (the same gate as the site)."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, select_autoescape

from gongkai.audits.reports.chart import trend_svg
from gongkai.audits.reports.template import TEMPLATE
from gongkai.audits.reports.view import RunView

TITLES = {"links": ("連結有效性與內容正確性檢查報告", "Link and content audit"),
          "a11y": ("無障礙檢測報告", "Accessibility audit")}


def render_html(view: RunView) -> str:
    environment = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    zh, en = TITLES[view.audit]
    trend_desc = "；".join(f"{month}：{count} 個" for month, count in view.trend)
    chart = trend_svg(view.trend, f"每月失效數 Broken per month ({view.site})", trend_desc)
    return environment.from_string(TEMPLATE).render(view=view, title_zh=zh, title_en=en, chart=chart)


def write_html(view: RunView, path: Path) -> None:
    path.write_text(render_html(view), encoding="utf-8")
