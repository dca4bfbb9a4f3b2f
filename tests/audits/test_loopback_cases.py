"""Every case of the loopback server, reported exactly as expected_results.json says."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from urllib.parse import unquote

import pytest

from gongkai.audits.links.crawler import Crawler, CrawlSettings
from gongkai.audits.links.fetch import FetchSettings
from gongkai.audits.links.findings import link_findings
from gongkai.audits.links.politeness import HostLimits
from gongkai.audits.silence import Silencer

from .loopback_server import serve_pair

EXPECTED = json.loads((Path(__file__).parent / "expected_results.json").read_text(encoding="utf-8"))
EXPECTED.pop("_comment")
EXTERNAL_INTERVAL = 0.2  # seconds between two requests to another host (1 s in real runs)


def settings_for(site_base: str) -> CrawlSettings:
    return CrawlSettings(
        start_urls=[site_base + "/"],
        external=HostLimits(concurrency=2, interval=EXTERNAL_INTERVAL),
        fetch=FetchSettings("gongkai-linkcheck/test (+https://example.gov.tw/contact)", timeout=1.5, attempts=3,
                            max_body=1024 * 1024, max_retry_after=5),
        run_timeout=60,
    )


@pytest.fixture(scope="module")
def audited():
    with serve_pair() as (site, site_base, other, other_base):
        crawl = asyncio.run(Crawler(settings_for(site_base)).run())
        findings = link_findings(crawl)

        def label(url: str) -> str:
            return unquote(url.replace(site_base, "site:").replace(other_base, "other:").replace(site.agency_base, "agency:"))

        yield crawl, findings, site, other, label


def test_every_finding_is_expected_and_every_expected_problem_is_found(audited):
    crawl, findings, site, other, label = audited
    got: dict[str, dict] = {}
    for finding in findings:
        entry = got.setdefault(label(finding.target), {"broken": False, "tags": []})
        entry["broken"] |= finding.broken
        if finding.tag:
            entry["tags"].append(finding.tag)
    for target, expected in EXPECTED.items():
        if expected["broken"] or expected["tags"]:
            assert target in got, f"{target}: expected {expected}, no finding"
            assert got[target]["broken"] == expected["broken"], f"{target}: {got[target]}"
            assert sorted(got[target]["tags"]) == sorted(expected["tags"]), f"{target}: {got[target]}"
        else:
            assert target not in got, f"{target}: expected no finding, got {got[target]}"
    unexpected = set(got) - set(EXPECTED)
    assert not unexpected, f"findings on targets not in expected_results.json: {sorted(unexpected)}"


def test_details_status_message_fix_and_pages(audited):
    crawl, findings, site, other, label = audited
    by_target = {label(f.target): f for f in findings}
    for target, expected in EXPECTED.items():
        finding = by_target.get(target)
        if "status" in expected:
            assert finding.status == expected["status"], target
        if "message_has" in expected:
            assert expected["message_has"] in finding.message, (target, finding.message)
        if "fix_names" in expected:
            assert expected["fix_names"] in label(finding.fix), (target, finding.fix)
        if finding is not None:
            assert finding.message and finding.fix, f"{target}: every finding carries a sentence and a fix"
            if not target.startswith(("mailto:", "tel:")) and finding.pages:
                assert [label(p) for p in finding.pages] == ["site:/"], target
                assert finding.units == ["資訊小組"]


def test_hits_never_twice_and_robots_respected(audited):
    crawl, findings, site, other, label = audited
    for target, expected in EXPECTED.items():
        if "hits" in expected:
            server = {"site": site, "other": other, "agency": site.agency}[target.split(":", 1)[0]]
            path = target.split(":", 1)[1].split("#", 1)[0]
            hits = sum(count for (method, p), count in server.hits.items() if p == path)
            assert hits == expected["hits"], f"{target}: fetched {hits} times, expected {expected['hits']}"
    assert max(crawl.fetches.values()) == 1, "no URL is checked twice in a run"
    target_50 = [url for url in crawl.links_from if url.endswith("/target-50")][0]
    assert list(crawl.links_from[target_50].values()) == [50], "the 50 occurrences are all recorded against one check"


def test_user_agent_names_gongkai_and_head_fallback(audited):
    crawl, findings, site, other, label = audited
    assert other.hits[("HEAD", "/files/report.pdf")] == 1 and other.hits[("GET", "/files/report.pdf")] == 1, "HEAD refused: GET"
    assert other.hits[("HEAD", "/head-hostile")] == 0 and other.hits[("GET", "/head-hostile")] == 1, \
        "another site's page is read with GET straight away (its title and ids are checked), so HEAD is never asked"
    assert other.hits[("HEAD", "/challenge")] + other.hits[("GET", "/challenge")] == 1, "a challenge is asked once"
    assert other.hits[("GET", "/robots.txt")] == 1, "robots.txt is read once per host"
    assert site.hits[("HEAD", "/fifty")] == 0, "the site's own pages are read with GET straight away"
    assert site.hits[("HEAD", "/logo.png")] == 1 and site.hits[("GET", "/logo.png")] == 0, "files: HEAD is enough"
    assert site.user_agents | other.user_agents == {"gongkai-linkcheck/test (+https://example.gov.tw/contact)"}


def test_other_agency_pages_read_once_bounded_polite_and_not_followed(audited):
    crawl, findings, site, other, label = audited
    agency = site.agency
    assert agency.hits[("GET", "/sections")] == 1 and agency.hits[("HEAD", "/sections")] == 0, "4 #fragments, one GET"
    assert agency.hits[("GET", "/not-followed")] == 0, "links on another site's page are not followed"
    assert agency.hits[("HEAD", "/report.pdf")] == 1 and agency.hits[("GET", "/report.pdf")] == 0, \
        "a file's #page=2 names no id: HEAD is enough"
    deep = next(f for f in findings if label(f.target) == "agency:/long#deep")
    assert "first 256 KiB" in deep.message and not deep.broken, "an id past the part read is not verified, not missing"
    starts = sorted(agency.starts)
    assert len(starts) == 6, "robots.txt and the five addresses, each once"
    # Measured where the requests arrive, so a stall of the checker's event loop between the gate and
    # the socket shows. A request delayed on a loaded machine shortens the gap after it, so one gap may
    # lose up to half the interval; a burst (the defect: two requests 4 ms apart) may not, and the
    # requests as a whole keep the rate.
    gaps = [later - earlier for earlier, later in zip(starts, starts[1:], strict=False)]
    assert min(gaps) >= 0.5 * EXTERNAL_INTERVAL, f"the per-host interval held: {gaps}"
    assert starts[-1] - starts[0] >= 0.9 * EXTERNAL_INTERVAL * (len(starts) - 1), f"one request per interval: {gaps}"
    assert agency.peak_in_flight <= 2


def test_warning_tags_can_be_silenced_per_url_pattern(audited, tmp_path):
    crawl, findings, site, other, label = audited
    rules = tmp_path / "silence.txt"
    rules.write_text("# silence the challenge\nblocked  http://127.0.0.1:*/challenge\n", encoding="utf-8")
    silenced = link_findings(crawl, Silencer.from_file(rules))
    assert not [f for f in silenced if f.tag == "blocked"]
    assert len(silenced) == len(findings) - 1
    rules.write_text("no-such-tag http://x/*\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown warning tag 'no-such-tag'"):
        Silencer.from_file(rules)


def test_whole_run_time_limit_reports_what_was_not_checked():
    with serve_pair() as (site, site_base, other, other_base):
        settings = settings_for(site_base)
        settings.start_urls = [site_base + "/slow"]
        settings.fetch = FetchSettings("gongkai-linkcheck/test", timeout=30)
        settings.run_timeout = 1.0
        crawl = asyncio.run(Crawler(settings).run())
    assert crawl.timed_out and [url.replace(site_base, "") for url in crawl.not_checked] == ["/slow"]
    findings = link_findings(crawl)
    assert [(f.tag, f.broken) for f in findings] == [("not-checked", False)]
