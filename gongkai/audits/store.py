"""The SQLite history of audits (LINKS_DB): runs, their findings, each problem's life across runs,
and the result cache of external links.

For every problem: when it was first seen, last seen and last checked, how many runs in a row it
has failed, and which pages and owner units contain it. A problem that was not found again is
marked fixed. new / still / fixed are always relative to the previous run of the same audit of
the same site.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from gongkai.audits.results import Finding, Outcome

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY, audit TEXT NOT NULL, site TEXT NOT NULL, started TEXT NOT NULL, finished TEXT NOT NULL,
  checked INTEGER NOT NULL, broken INTEGER NOT NULL, warnings INTEGER NOT NULL, note TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS findings (
  run_id INTEGER NOT NULL REFERENCES runs(id), key TEXT NOT NULL, broken INTEGER NOT NULL, data TEXT NOT NULL,
  PRIMARY KEY (run_id, key));
CREATE TABLE IF NOT EXISTS problems (
  audit TEXT NOT NULL, site TEXT NOT NULL, key TEXT NOT NULL, target TEXT NOT NULL, broken INTEGER NOT NULL,
  first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, last_checked TEXT NOT NULL,
  consecutive_failures INTEGER NOT NULL, fixed_at TEXT, pages TEXT NOT NULL, units TEXT NOT NULL,
  PRIMARY KEY (audit, site, key));
CREATE TABLE IF NOT EXISTS cache (url TEXT PRIMARY KEY, checked_at REAL NOT NULL, outcome TEXT NOT NULL);
"""


@dataclass
class Comparison:
    new: list[Finding]
    still: list[Finding]
    fixed: list[Finding]
    previous_run: int | None


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


class AuditStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(path)
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.close()

    # ------------------------------------------------------------------ runs and problems
    def record_run(self, audit: str, site: str, findings: list[Finding], checked: int, started: str, note: str = "") -> int:
        finished = now_iso()
        broken = sum(f.broken for f in findings)
        with self.db:
            run_id = self.db.execute(
                "INSERT INTO runs (audit, site, started, finished, checked, broken, warnings, note) VALUES (?,?,?,?,?,?,?,?)",
                (audit, site, started, finished, checked, broken, len(findings) - broken, note)).lastrowid
            self.db.executemany("INSERT OR REPLACE INTO findings (run_id, key, broken, data) VALUES (?,?,?,?)",
                                [(run_id, f.key, int(f.broken), json.dumps(f.to_dict(), ensure_ascii=False)) for f in findings])
            for finding in findings:
                self._update_problem(audit, site, finding, finished)
            keys = {f.key for f in findings}
            open_rows = self.db.execute("SELECT key FROM problems WHERE audit=? AND site=? AND fixed_at IS NULL", (audit, site)).fetchall()
            for (key,) in open_rows:
                if key not in keys:
                    self.db.execute("UPDATE problems SET fixed_at=?, last_checked=?, consecutive_failures=0 "
                                    "WHERE audit=? AND site=? AND key=?", (finished, finished, audit, site, key))
        return run_id

    def _update_problem(self, audit: str, site: str, finding: Finding, when: str) -> None:
        row = self.db.execute("SELECT consecutive_failures, fixed_at FROM problems WHERE audit=? AND site=? AND key=?",
                              (audit, site, finding.key)).fetchone()
        pages, units = json.dumps(finding.pages, ensure_ascii=False), json.dumps(finding.units, ensure_ascii=False)
        if row is None or row[1] is not None:  # new, or back after having been fixed
            self.db.execute("INSERT OR REPLACE INTO problems VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                            (audit, site, finding.key, finding.target, int(finding.broken), when, when, when, 1, None, pages, units))
        else:
            self.db.execute("UPDATE problems SET last_seen=?, last_checked=?, consecutive_failures=?, broken=?, pages=?, units=? "
                            "WHERE audit=? AND site=? AND key=?",
                            (when, when, row[0] + 1, int(finding.broken), pages, units, audit, site, finding.key))

    def findings_of(self, run_id: int) -> list[Finding]:
        rows = self.db.execute("SELECT data FROM findings WHERE run_id=? ORDER BY key", (run_id,)).fetchall()
        return [Finding.from_dict(json.loads(data)) for (data,) in rows]

    def previous_run(self, run_id: int) -> int | None:
        row = self.db.execute("SELECT audit, site FROM runs WHERE id=?", (run_id,)).fetchone()
        if row is None:
            return None
        found = self.db.execute("SELECT MAX(id) FROM runs WHERE audit=? AND site=? AND id<?", (row[0], row[1], run_id)).fetchone()
        return found[0] if found else None

    def compare(self, run_id: int) -> Comparison:
        current = self.findings_of(run_id)
        previous_id = self.previous_run(run_id)
        previous = {f.key: f for f in self.findings_of(previous_id)} if previous_id else {}
        keys = {f.key for f in current}
        return Comparison(
            new=[f for f in current if f.key not in previous],
            still=[f for f in current if f.key in previous],
            fixed=[f for key, f in previous.items() if key not in keys],
            previous_run=previous_id,
        )

    def problem_history(self, audit: str, site: str) -> dict[str, dict]:
        rows = self.db.execute("SELECT key, first_seen, last_seen, last_checked, consecutive_failures, fixed_at FROM problems "
                               "WHERE audit=? AND site=?", (audit, site)).fetchall()
        return {r[0]: {"first_seen": r[1], "last_seen": r[2], "last_checked": r[3], "consecutive_failures": r[4], "fixed_at": r[5]}
                for r in rows}

    def trend(self, audit: str, site: str, months: int = 12) -> list[tuple[str, int]]:
        """(YYYY-MM, broken count of that month's last run), oldest first."""
        rows = self.db.execute(
            "SELECT substr(started, 1, 7) AS month, broken FROM runs WHERE id IN "
            "(SELECT MAX(id) FROM runs WHERE audit=? AND site=? GROUP BY substr(started, 1, 7)) ORDER BY month",
            (audit, site)).fetchall()
        return [(month, broken) for month, broken in rows][-months:]

    def runs_since(self, audit: str, since: str, site: str | None = None) -> list[dict]:
        query = "SELECT id, site, started, checked, broken, warnings, note FROM runs WHERE audit=? AND started>=?"
        args: list = [audit, since]
        if site:
            query += " AND site=?"
            args.append(site)
        rows = self.db.execute(query + " ORDER BY id", args).fetchall()
        return [dict(zip(("id", "site", "started", "checked", "broken", "warnings", "note"), r, strict=True)) for r in rows]

    def problems_since(self, audit: str, since: str, site: str | None = None) -> list[dict]:
        query = ("SELECT site, key, target, broken, first_seen, last_seen, consecutive_failures, fixed_at, pages, units FROM problems "
                 "WHERE audit=? AND (first_seen>=? OR fixed_at>=? OR fixed_at IS NULL)")
        args: list = [audit, since, since]
        if site:
            query += " AND site=?"
            args.append(site)
        names = ("site", "key", "target", "broken", "first_seen", "last_seen", "consecutive_failures", "fixed_at", "pages", "units")
        out = []
        for row in self.db.execute(query + " ORDER BY first_seen, key", args).fetchall():
            item = dict(zip(names, row, strict=True))
            item["pages"], item["units"] = json.loads(item["pages"]), json.loads(item["units"])
            out.append(item)
        return out

    # ------------------------------------------------------------------ the result cache
    def cached(self, url: str, max_age: float) -> Outcome | None:
        row = self.db.execute("SELECT checked_at, outcome FROM cache WHERE url=?", (url,)).fetchone()
        if row is None or time.time() - row[0] > max_age:
            return None
        outcome = Outcome.from_dict(json.loads(row[1]))
        outcome.from_cache = True
        return outcome

    def cache(self, outcomes: list[Outcome]) -> None:
        """Remember definite results only: transient failures (5xx, 429, timeouts, blocks) are checked again next time."""
        rows = [(o.url, time.time(), json.dumps(o.to_dict(), ensure_ascii=False)) for o in outcomes if not o.transient and not o.from_cache]
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO cache (url, checked_at, outcome) VALUES (?,?,?)", rows)
