"""The history store (new / still / fixed, consecutive failures, trend, --since), the result cache,
the report formats, and the CLI's exit codes."""

from __future__ import annotations

import csv
import json
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

from click.testing import CliRunner

from gongkai.audits.cli import COMMANDS
from gongkai.audits.links.runner import LinkAuditOptions, run_link_audit
from gongkai.audits.reports import write_reports
from gongkai.audits.reports.view import build_view
from gongkai.audits.results import Finding, Outcome
from gongkai.audits.store import AuditStore

from .loopback_server import serve_pair


def broken(target: str, page: str = "https://site/a/", unit: str = "第一課") -> Finding:
    finding = Finding("links", "http", f"broken {target}", target, True, f"{target} is gone.", "Remove the link.", status=404)
    finding.add_page(page, unit)
    return finding


def test_new_still_fixed_and_consecutive_failures(tmp_path):
    store = AuditStore(tmp_path / "audits.sqlite")
    first = store.record_run("links", "https://site", [broken("https://x/1"), broken("https://x/2")], 10, "2026-10-01T02:00:00+00:00")
    second = store.record_run("links", "https://site", [broken("https://x/2"), broken("https://x/3", "https://site/b/", "第二課")], 10,
                              "2026-11-01T02:00:00+00:00")
    comparison = store.compare(second)
    assert [f.target for f in comparison.new] == ["https://x/3"]
    assert [f.target for f in comparison.still] == ["https://x/2"]
    assert [f.target for f in comparison.fixed] == ["https://x/1"]
    assert comparison.previous_run == first
    history = store.problem_history("links", "https://site")
    assert history["broken https://x/2"]["consecutive_failures"] == 2
    assert history["broken https://x/1"]["fixed_at"] and history["broken https://x/1"]["consecutive_failures"] == 0
    assert store.trend("links", "https://site") == [("2026-10", 2), ("2026-11", 2)]
    since = store.problems_since("links", "2026-10-15")
    assert {p["key"] for p in since} == {"broken https://x/1", "broken https://x/2", "broken https://x/3"}
    view = build_view(store, second)
    assert set(view.groups) == {"第一課", "第二課"}
    assert view.count("new") == 1 and view.count("still") == 1 and len(view.fixed) == 1
    store.close()


def test_every_report_format(tmp_path):
    store = AuditStore(tmp_path / "audits.sqlite")
    store.record_run("links", "https://site", [broken("https://x/1")], 5, "2026-10-01T02:00:00+00:00")
    run = store.record_run("links", "https://site", [broken("https://x/2")], 5, "2026-11-01T02:00:00+00:00")
    paths = write_reports(build_view(store, run), tmp_path / "out", ["html", "json", "csv", "ods", "junit"])
    assert [p.name for p in paths] == ["links-report.html", "links-report.json", "links-report.csv", "links-report.ods",
                                       "links-report.junit.xml"]
    html = paths[0].read_text(encoding="utf-8")
    assert "<svg" in html and 'role="img"' in html and "<caption>" in html and "第一課" in html and 'style="' not in html
    data = json.loads(paths[1].read_text(encoding="utf-8"))
    assert data["counts"] == {"broken": 1, "warnings": 0, "new": 1, "still": 0, "fixed": 1}
    rows = list(csv.reader(paths[2].open(encoding="utf-8-sig")))
    assert rows[0][:3] == ["unit", "page", "change"] and {r[2] for r in rows[1:]} == {"new", "fixed"}
    with zipfile.ZipFile(paths[3]) as ods:
        assert "https://x/2" in ods.read("content.xml").decode("utf-8")
    suite = ET.parse(paths[4]).getroot().find("testsuite")
    assert suite.get("failures") == "1" and suite.find("testcase/failure") is not None
    store.close()


def test_cache_reuses_definite_results_and_never_transient_ones(tmp_path):
    store = AuditStore(tmp_path / "audits.sqlite")
    fine, blocked = Outcome("https://x/fine", False, 200), Outcome("https://x/blocked", False, 403, transient=True)
    gone = Outcome("https://x/gone", True, 404, message="gone")
    store.cache([fine, blocked, gone])
    assert store.cached("https://x/fine", 3600).status == 200 and store.cached("https://x/fine", 3600).from_cache
    assert store.cached("https://x/gone", 3600).broken
    assert store.cached("https://x/blocked", 3600) is None
    assert store.cached("https://x/fine", -1) is None, "older than the maximum age"
    store.close()


def invoke(tmp_path: Path, name: str, *args: str):
    command = next(c for c in COMMANDS if c.name == name)
    env = {"GONGKAI_LINKS_DB": str(tmp_path / "audits.sqlite"), "GONGKAI_VAR_DIR": str(tmp_path)}
    return CliRunner().invoke(command, list(args), env=env, catch_exceptions=False)


def test_cli_exit_codes_history_and_cache_between_runs(tmp_path):
    with serve_pair() as (site, site_base, other, other_base):
        args = [site_base + "/", "--timeout", "1.5", "--out", str(tmp_path / "out"), "--quiet"]
        first = invoke(tmp_path, "links", *args)
        second = invoke(tmp_path, "links", *args)
    assert first.exit_code == 1 and re.search(r"^\S+ → \S+/gone-404: links\.not-found: .+ — .+$", first.output, re.M), first.output
    assert second.exit_code == 1 and "still" in second.output
    assert other.hits[("GET", "/public")] == 1, "the second run took /public from the cache"
    assert other.hits[("GET", "/challenge")] == 2, "a challenge is never cached"
    assert site.agency.hits[("GET", "/sections")] == 1, "the verdicts on its #fragments came from the cache too"
    assert second.output.count("/sections#") == 2, "the two missing #fragments are still reported from the cache"
    assert len(re.findall(r"/sections#\S*: links\.missing-fragment: ", second.output)) == 2
    history = invoke(tmp_path, "links", "--since", "2000-01-01")
    assert history.exit_code == 0 and "2 runs" not in history.output and history.output.count("broken, ") == 2
    assert (tmp_path / "out" / "links-report.html").is_file()


def test_links_prints_the_one_problem_shape_as_json(tmp_path):
    with serve_pair() as (site, site_base, other, other_base):
        result = invoke(tmp_path, "links", site_base + "/", "--timeout", "1.5", "--out", str(tmp_path / "out"), "--quiet",
                        "--no-external", "--format", "json", "--report", "json")
    document = json.loads(result.stdout)
    assert result.exit_code == 1 and document["ok"] is False and document["count"] == len(document["problems"])
    gone = next(p for p in document["problems"] if p["where"].get("link", "").endswith("/gone-404"))
    assert gone["code"] == "links.not-found" and gone["severity"] == "error" and gone["where"]["page"].startswith(site_base)
    assert {p["severity"] for p in document["problems"]} <= {"error", "warning"}
    assert sorted((tmp_path / "out").iterdir()) and all(path.suffix == ".json" for path in (tmp_path / "out").iterdir())


def test_cli_bad_input_is_a_clear_error_not_a_traceback(tmp_path):
    result = invoke(tmp_path, "links", "www.example.gov.tw")
    assert result.exit_code == 2 and "is not an http(s) address" in result.output
    result = invoke(tmp_path, "links", "--since", "last month")
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output
    result = invoke(tmp_path, "links", "http://127.0.0.1:9/", "--content", str(tmp_path))
    assert result.exit_code == 2 and "site.yaml" in result.output
    result = invoke(tmp_path, "a11y", "http://127.0.0.1:9/", "--engines", "wave")
    assert result.exit_code == 2 and "unknown engine" in result.output


def test_cache_keeps_other_sites_fragment_verdicts_and_reads_again_for_a_new_fragment(tmp_path):
    with serve_pair() as (site, site_base, other, other_base):
        agency = site.agency

        def run():
            options = LinkAuditOptions(url=site_base + "/", db=tmp_path / "audits.sqlite", timeout=1.5, external_interval=0.05)
            result = run_link_audit(options)
            assert max(result.crawl.fetches.values()) == 1
            return {f.target.replace(site.agency_base, "agency:"): f for f in result.findings if site.agency_base in f.target}

        first = run()
        second = run()
        assert agency.hits[("GET", "/sections")] == 1 and agency.hits[("GET", "/soft-404")] == 1, "both from the cache"
        assert set(second) == set(first) and second["agency:/soft-404"].broken
        assert second["agency:/sections#no-such-section"].broken and not second["agency:/long#deep"].broken
        # A new #fragment linked from the home page (known before its page is checked), and one on a
        # page read later, after its target /fine was already taken from the cache.
        site.extra_links = [f"{site.agency_base}/sections#%E6%96%B0%E7%9A%84%E4%B8%80%E7%AF%80"]
        site.more_links = [f"{site.agency_base}/fine#業務"]
        third = run()
        assert agency.hits[("GET", "/sections")] == 2 and agency.hits[("GET", "/fine")] == 2, "a new #fragment: read again"
        assert agency.hits[("GET", "/long")] == 1 and agency.hits[("GET", "/soft-404")] == 1, "the others stay cached"
        assert third["agency:/sections#新的一節"].broken and third["agency:/fine#業務"].broken
        assert third["agency:/sections#no-such-section"].broken and "agency:/sections#contact" not in third
        fourth = run()
        assert agency.hits[("GET", "/sections")] == 2 and agency.hits[("GET", "/fine")] == 2, "now all cached"
        assert set(fourth) == set(third)
