"""The latest monthly audits' findings, per unit: the broken links and accessibility problems
that `gongkai links` and `gongkai a11y` stored in their history (LINKS_DB), handed to the
people who must fix them.

Each finding names the pages it was found on; a page that is a published document's public page
belongs to that document's ``unit`` (looked up in the current content, so a document moved to
another unit is that unit's at once). Findings on pages that are no document's (lists, the home
page) are the webmaster's and counted apart."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from gongkai import clock
from gongkai.admin.public_pages import LOCAL_SITE, PublicPages, public_pages
from gongkai.audits.results import Finding
from gongkai.audits.store import AuditStore

AUDITS = ("links", "a11y")


@dataclass(frozen=True)
class AuditRun:
    audit: str
    run_id: int
    site: str
    started: str  # ISO time, UTC
    checked: int  # pages (a11y) or links (links) checked

    @property
    def when(self) -> str:
        """When it started, in Taipei time, to the minute."""
        return clock.local_minute(dt.datetime.fromisoformat(self.started))


@dataclass(frozen=True)
class UnitFinding:
    finding: Finding
    documents: tuple[Any, ...]  # the unit's documents whose pages have the problem

    @property
    def broken(self) -> bool:
        return self.finding.broken


@dataclass
class LatestFindings:
    runs: dict[str, AuditRun] = field(default_factory=dict)  # audit → its latest run
    by_unit: dict[str, dict[str, list[UnitFinding]]] = field(default_factory=dict)  # unit → audit → findings
    on_other_pages: int = 0  # findings on no document's page

    def of(self, unit: str, audit: str) -> list[UnitFinding]:
        return self.by_unit.get(unit, {}).get(audit, [])

    def broken_links(self, unit: str) -> int:
        return sum(item.broken for item in self.of(unit, "links"))

    def accessibility_problems(self, unit: str) -> int:
        return len(self.of(unit, "a11y"))


def site_of(base_url: str) -> str | None:
    """The audits' name for the public site (scheme://host), or None to take the latest run of any site."""
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def latest_findings(history: Path, corpus: Any, site: str | None = None) -> LatestFindings:
    """The findings of the latest run of each audit (of ``site`` when given), grouped by unit.

    Read again only when the history file or the content changed: an audit runs once a month,
    and a run of a whole site holds thousands of findings to decode. Treat the result as read-only."""
    try:
        stat = history.stat()
    except FileNotFoundError:  # no audit has run yet; opening the store would create an empty one
        return LatestFindings()
    return _read(history, stat.st_mtime_ns, stat.st_size, corpus, site)


@lru_cache(maxsize=1)  # one history and one content per process; an old corpus is let go
def _read(history: Path, _mtime_ns: int, _size: int, corpus: Any, site: str | None) -> LatestFindings:
    result = LatestFindings()
    pages = public_pages(corpus, site or LOCAL_SITE)  # matched by path: the host does not matter
    store = AuditStore(history)
    try:
        for audit in AUDITS:
            runs = [run for run in store.runs_since(audit, "") if site is None or run["site"] == site]
            if not runs:
                continue
            latest = runs[-1]
            result.runs[audit] = AuditRun(audit, latest["id"], latest["site"], latest["started"], latest["checked"])
            for finding in store.findings_of(latest["id"]):
                _attach(result, audit, finding, pages)
    finally:
        store.close()
    for audits in result.by_unit.values():
        for items in audits.values():
            items.sort(key=lambda item: (not item.broken, item.finding.target))  # broken first
    return result


def _attach(result: LatestFindings, audit: str, finding: Finding, pages: PublicPages) -> None:
    per_unit: dict[str, list[Any]] = defaultdict(list)
    for page in finding.pages or [finding.target]:
        doc = pages.document_at(page)
        if doc is not None and doc not in per_unit[doc.unit]:
            per_unit[doc.unit].append(doc)
    if not per_unit:
        result.on_other_pages += 1
    for unit, documents in per_unit.items():
        result.by_unit.setdefault(unit, {}).setdefault(audit, []).append(UnitFinding(finding, tuple(documents)))
