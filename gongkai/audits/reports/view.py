"""Everything a report shows about one run, computed once: findings marked new / still, the fixed
ones, each problem's history, the grouping by owner unit and page, and the monthly trend."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from gongkai.audits.results import WARNING_TAGS, Finding
from gongkai.audits.store import AuditStore

NO_UNIT = "(no owner unit)"
NO_PAGE = "(found without a page: sitemap or start address)"


@dataclass
class Row:
    finding: Finding
    change: str  # "new" or "still"
    first_seen: str = ""
    consecutive_failures: int = 1

    @property
    def kind(self) -> str:
        return "broken" if self.finding.broken else WARNING_TAGS[self.finding.tag].title if self.finding.tag in WARNING_TAGS else "warning"


@dataclass
class RunView:
    audit: str
    site: str
    run_id: int
    started: str
    checked: int
    rows: list[Row]
    fixed: list[Finding]
    trend: list[tuple[str, int]]
    previous_run: int | None
    note: str = ""
    groups: dict[str, dict[str, list[Row]]] = field(default_factory=dict)

    @property
    def broken(self) -> list[Row]:
        return [r for r in self.rows if r.finding.broken]

    @property
    def warnings(self) -> list[Row]:
        return [r for r in self.rows if not r.finding.broken]

    def count(self, change: str) -> int:
        return sum(1 for r in self.rows if r.change == change)


def build_view(store: AuditStore, run_id: int) -> RunView:
    audit, site, started, checked, note = store.db.execute(
        "SELECT audit, site, started, checked, note FROM runs WHERE id=?", (run_id,)).fetchone()
    comparison = store.compare(run_id)
    history = store.problem_history(audit, site)
    new_keys = {f.key for f in comparison.new}
    rows = []
    for finding in comparison.new + comparison.still:
        known = history.get(finding.key, {})
        rows.append(Row(finding, "new" if finding.key in new_keys else "still", known.get("first_seen", started),
                        known.get("consecutive_failures", 1)))
    rows.sort(key=lambda r: (not r.finding.broken, r.change != "new", r.finding.target))
    view = RunView(audit, site, run_id, started, checked, rows, comparison.fixed, store.trend(audit, site), comparison.previous_run, note)
    groups: dict[str, dict[str, list[Row]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        for page in row.finding.pages or [NO_PAGE]:
            groups[row.finding.page_units.get(page) or NO_UNIT][page].append(row)
    view.groups = {unit: dict(sorted(pages.items())) for unit, pages in sorted(groups.items())}
    return view

