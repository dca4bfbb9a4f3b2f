"""Link-check benchmark: `gongkai links` beside `linkinator@7.6.1 --recurse --check-fragments`, same synthetic site.

    .venv/bin/python benchmarks/links.py [--pages 2000] [--links-per-page 10] [--broken 0.02] [--slow 100]
                                         [--agencies 12] [--external 0.02]

Builds a synthetic site (by default 2,000 pages, 20,000 link occurrences, 2 % of them to pages that
do not exist, 100 pages that answer after 200 ms, and 2 % to the pages of 12 other agencies, each
on a host of its own: 127.0.0.2, 127.0.0.3, … where they bind, else other ports of 127.0.0.1),
serves it from a separate process (aiohttp), and runs both checkers against it from "/". An agency
has a page with ids (linked with existing and with missing #fragments), a plain page, and for every
third agency a page that answers 404 and a soft 404 (a 200 page titled 找不到網頁). Checks that each
checker finds exactly the broken set it can see (linkinator does not look for soft 404s), and prints
wall time and peak memory (RSS of the checker's whole process tree) for each run and their ratio.
gongkai runs with its defaults for other hosts (2 in flight, one request a second, robots.txt),
so each agency costs it at least one second per distinct address; linkinator has no such limit.
Targets: gongkai wall time <= 0.5 x linkinator's, peak memory <= 150 MB, every broken link found,
nothing falsely reported. linkinator comes from npm through npx (Node 20+); it is installed into
npx's cache before the timed run, so the download is not timed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import unquote

import psutil

REPO = Path(__file__).resolve().parent.parent
LINKINATOR = "linkinator@7.6.1"
AGENCY = "//agency{}"  # written in the site's links; the server puts each agency's real base there
LINKINATOR_NAME = "linkinator --recurse"

SERVER = r'''
import asyncio, json, re, sys
from aiohttp import web
site = json.load(open(sys.argv[1]))
pages, slow, hosts = site["pages"], set(site["slow"]), sys.argv[2:]
bases = {}
AGENCY = re.compile(r"//agency([0-9]+)")

async def handle(request):
    path = request.path
    if path not in pages:
        return web.Response(status=404, text="<!doctype html><title>找不到網頁</title><h1>找不到網頁</h1>", content_type="text/html")
    if path in slow:
        await asyncio.sleep(0.2)
    links = "".join(f'<li><a href="{href}">{href}</a></li>' for href in pages[path])
    links = AGENCY.sub(lambda m: bases[int(m.group(1))], links)
    body = (f'<!doctype html><html lang="zh-Hant-TW"><head><meta charset="utf-8"><title>頁面 {path}</title></head>'
            f'<body><h1>頁面 {path}</h1><p>更新日期 2026-11-01</p><ul>{links}</ul></body></html>')
    return web.Response(text=body, content_type="text/html")

def agency_page(title, body, status=200):
    return web.Response(status=status, content_type="text/html", text=(
        f'<!doctype html><html lang="zh-Hant-TW"><head><meta charset="utf-8"><title>{title}</title></head>'
        f'<body><h1>{title}</h1>{body}<p><a href="/elsewhere">not to be followed</a></p></body></html>'))

async def agency(request):
    path = request.path
    if path == "/about":
        return agency_page("機關簡介", '<h2 id="contact">聯絡我們</h2>' + "<p>簡介文字。</p>" * 200 + '<h2 id="業務">業務</h2>')
    if path == "/news":
        return agency_page("最新消息", "<p>消息。</p>" * 100)
    if path == "/gone":
        return agency_page("找不到網頁", "<p>您要找的網頁不存在。</p>")
    return agency_page("404", "<p>not here</p>", 404)

app = web.Application()
app.router.add_route("*", "/{tail:.*}", handle)
other = web.Application()
other.router.add_route("*", "/{tail:.*}", agency)
runner, other_runner = web.AppRunner(app, access_log=None), web.AppRunner(other, access_log=None)
async def main():
    await runner.setup()
    await other_runner.setup()
    site_ = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)
    await site_.start()
    for number, host in enumerate(hosts):
        agency_site = web.TCPSite(other_runner, host, 0, backlog=128)
        await agency_site.start()
        bases[number] = f"http://{host}:{agency_site._server.sockets[0].getsockname()[1]}"
    print(json.dumps({"base": f"http://127.0.0.1:{site_._server.sockets[0].getsockname()[1]}", "agencies": bases}), flush=True)
    await asyncio.Event().wait()
asyncio.run(main())
'''


def agency_hosts(count: int) -> list[str]:
    """127.0.0.2, 127.0.0.3, … where the machine routes all of 127.0.0.0/8 to loopback (Linux does);
    else 127.0.0.1, whose other ports are other hosts to gongkai too (it keys politeness by host:port)."""
    try:
        with socket.socket() as probe:
            probe.bind(("127.0.0.2", 0))
    except OSError:
        return ["127.0.0.1"] * count
    return [f"127.0.0.{2 + number}" for number in range(count)]


def agency_links(agencies: int) -> tuple[list[str], list[str], list[str]]:
    """(links that work, links broken for both checkers, soft 404s that only gongkai looks for)."""
    fine, broken, soft = [], [], []
    for number in range(agencies):
        base = AGENCY.format(number)
        fine += [f"{base}/about#contact", f"{base}/about#%E6%A5%AD%E5%8B%99", f"{base}/news"]
        broken.append(f"{base}/about#no-such-section")
        if number % 3 == 0:
            broken.append(f"{base}/removed")
            soft.append(f"{base}/gone")
    return fine, broken, soft


def politeness_floor(external: list[str]) -> int:
    """Seconds gongkai needs at least for the busiest other host: robots.txt and then one request a
    second, one per distinct address (the #fragments of one page share its request)."""
    addresses: dict[str, set[str]] = {}
    for href in external:
        host, _, path = href[2:].partition("/")
        addresses.setdefault(host, set()).add(path.split("#")[0])
    return max((len(paths) for paths in addresses.values()), default=0)


def build_site(pages: int, per_page: int, broken_share: float, slow: int, agencies: int = 0, external_share: float = 0.0,
               seed: int = 5) -> dict:
    """Every page reachable from "/" (page i links page i+1), the other links random; a share of all
    link occurrences goes to distinct pages that do not exist, another share to other agencies' pages
    (each of those linked at least once)."""
    rng = random.Random(seed)
    paths = ["/"] + [f"/p/{i}/" for i in range(1, pages)]
    total = pages * per_page
    broken_slots = set(rng.sample(range(total), int(total * broken_share)))
    site: dict[str, list[str]] = {}
    broken: list[str] = []
    for index, path in enumerate(paths):
        links = [paths[(index + 1) % pages]]
        for slot in range(index * per_page + 1, index * per_page + per_page):
            if slot in broken_slots:
                broken.append(f"/missing/{len(broken)}/")
                links.append(broken[-1])
            else:
                links.append(rng.choice(paths))
        site[path] = links
    # the slots of each page's first link were never planted broken: plant the missing ones elsewhere
    extra = [s for s in broken_slots if s % per_page == 0]
    for number, _ in enumerate(extra):
        page = paths[rng.randrange(pages)]
        broken.append(f"/missing/{len(broken)}/")
        site[page][-1 - number % (per_page - 1)] = broken[-1]
    fine, broken_external, soft = agency_links(agencies)
    external = fine + broken_external + soft
    if external:  # in slots other than the first (the chain that makes every page reachable)
        slots = rng.sample([(p, i) for p in paths for i in range(1, per_page)], max(len(external), int(total * external_share)))
        for number, (page, index) in enumerate(slots):
            site[page][index] = external[number] if number < len(external) else rng.choice(external)
    actually_linked = {href for links in site.values() for href in links if href.startswith("/missing/")}
    return {"pages": site, "slow": rng.sample(paths[1:], slow), "broken": sorted(actually_linked),
            "broken_external": broken_external, "soft_404": soft, "agencies": agencies, "politeness_floor": politeness_floor(external),
            "occurrences": sum(len(v) for v in site.values()), "external_occurrences": len(slots) if external else 0}


def peak_rss_of(command: list[str], env: dict | None = None, cwd: str | None = None) -> tuple[float, int, str, int]:
    """(wall seconds, peak RSS in bytes of the process tree, stdout, exit code).

    stdout goes to a file, not a pipe: Node writes to a pipe asynchronously and linkinator's exit
    can cut a large JSON report short."""
    out = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 - closed below, after the process ends
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=out, stderr=subprocess.PIPE, text=True, env=env, cwd=cwd)
    peak = 0
    done = threading.Event()

    def sample():
        nonlocal peak
        root = psutil.Process(process.pid)
        while not done.is_set():
            try:
                tree = [root, *root.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    wall = time.monotonic() - started
    out.seek(0)
    stdout = out.read()
    out.close()
    done.set()
    sampler.join()
    if process.returncode not in (0, 1):
        print(f"{command[0]} exited {process.returncode}:\n{stderr[-2000:]}", file=sys.stderr)
    return wall, peak, stdout, process.returncode


def labeller(base: str, agencies: dict[int, str]):
    """A reported URL as the site's plan writes it: a path of the site, or //agencyN/path#fragment."""
    def label(url: str) -> str:
        for number, agency_base in agencies.items():
            url = url.replace(agency_base, AGENCY.format(number))
        return unquote(url.replace(base, ""))
    return label


def run_gongkai(base: str, work: Path, label) -> tuple[float, int, set[str]]:
    env = dict(os.environ, GONGKAI_VAR_DIR=str(work / "var"), GONGKAI_LINKS_DB=str(work / "var" / "bench.sqlite"), CI="1")
    command = [sys.executable, "-m", "gongkai", "links", base + "/", "--quiet", "--report", "json", "--out", str(work / "out"),
               "--cache-max-age", "0"]
    wall, peak, _, _ = peak_rss_of(command, env=env)
    report = json.loads((work / "out" / "links-report.json").read_text(encoding="utf-8"))
    return wall, peak, {label(f["target"]) for f in report["findings"] if f["broken"]}


def run_linkinator(base: str, work: Path, label) -> tuple[float, int, set[str]]:
    command = ["npx", "--yes", LINKINATOR, base + "/", "--recurse", "--check-fragments", "--format", "json", "--timeout", "20000"]
    wall, peak, stdout, _ = peak_rss_of(command, cwd=str(work))
    result = json.loads(stdout[stdout.index("{"):])
    return wall, peak, {label(link["url"]) for link in result["links"] if link["state"] == "BROKEN"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--links-per-page", type=int, default=10)
    parser.add_argument("--broken", type=float, default=0.02, help="share of link occurrences to missing pages")
    parser.add_argument("--slow", type=int, default=100, help="pages that answer after 200 ms")
    parser.add_argument("--agencies", type=int, default=12, help="other agencies' hosts the site links (0: none)")
    parser.add_argument("--external", type=float, default=0.02, help="share of link occurrences to other agencies' pages")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each checker, alternating; medians are compared")
    parser.add_argument("--skip-linkinator", action="store_true")
    args = parser.parse_args()

    site = build_site(args.pages, args.links_per_page, args.broken, args.slow, args.agencies, args.external)
    both = set(site["broken"]) | set(site["broken_external"])
    expected = {"gongkai links": both | set(site["soft_404"]), LINKINATOR_NAME: both}  # linkinator has no soft-404 check
    with tempfile.TemporaryDirectory(prefix="gongkai-bench-links-") as tmp:
        work = Path(tmp)
        (work / "site.json").write_text(json.dumps(site), encoding="utf-8")
        server = subprocess.Popen([sys.executable, "-c", SERVER, str(work / "site.json"), *agency_hosts(args.agencies)],
                                  stdout=subprocess.PIPE, text=True)
        try:
            started = json.loads(server.stdout.readline())
            base, agencies = started["base"], {int(k): v for k, v in started["agencies"].items()}
            label = labeller(base, agencies)
            print(f"site: {len(site['pages'])} pages, {site['occurrences']} link occurrences, {len(site['broken'])} broken targets, "
                  f"{len(site['slow'])} slow pages (200 ms), served at {base}; {site['external_occurrences']} links to "
                  f"{args.agencies} other agencies' hosts ({', '.join(list(agencies.values())[:2])}, …): "
                  f"{len(site['broken_external'])} broken, {len(site['soft_404'])} soft 404s; gongkai's politeness floor: "
                  f">= {site['politeness_floor']} s after its first request to the busiest of them")
            if not args.skip_linkinator:  # put linkinator in npx's cache: the download is not part of the timing
                subprocess.run(["npx", "--yes", LINKINATOR, "--version"], cwd=tmp, capture_output=True, check=True)
            runs: dict[str, list] = {"gongkai links": []} if args.skip_linkinator else {"gongkai links": [], LINKINATOR_NAME: []}
            for number in range(args.repeat):  # alternate, so that a busy moment of the machine hits both
                for name in runs:
                    run = run_gongkai if name == "gongkai links" else run_linkinator
                    result = run(base, work / f"g{number}" if name == "gongkai links" else work, label)
                    runs[name].append(result)
                    print(f"  run {number + 1} {name:<22} {result[0]:7.2f} s {result[1] / 2**20:7.1f} MB", flush=True)
                if len(runs) == 2:
                    print(f"  run {number + 1} gongkai / linkinator: {runs['gongkai links'][-1][0] / runs[LINKINATOR_NAME][-1][0]:.2f}")
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"{'checker':<22} {'median s':>9} {'peak MB':>8} {'found':>6} {'missed':>7} {'false':>6}")
    summary = {}
    for name, results in runs.items():
        wall = statistics.median(r[0] for r in results)
        peak = max(r[1] for r in results)
        found = results[0][2]
        consistent = all(r[2] == found for r in results)
        summary[name] = (wall, peak, found)
        want = expected[name]
        print(f"{name:<22} {wall:9.2f} {peak / 2**20:8.1f} {len(found & want):6d} {len(want - found):7d} {len(found - want):6d}"
              + ("" if consistent else "  (the runs disagreed)"))
        for missed in sorted(want - found)[:5]:
            print(f"    missed: {missed}")
        for false in sorted(found - want)[:5]:
            print(f"    falsely reported: {false}")
    gongkai_wall, gongkai_peak, gongkai_found = summary["gongkai links"]
    want = expected["gongkai links"]
    ok = gongkai_found == want and gongkai_peak <= 150 * 2**20 and all(r[2] == want for r in runs["gongkai links"])
    if LINKINATOR_NAME in summary:
        linkinator_wall, _, linkinator_found = summary[LINKINATOR_NAME]
        ratios = [g[0] / lk[0] for g, lk in zip(runs["gongkai links"], runs[LINKINATOR_NAME], strict=True)]
        ratio = gongkai_wall / linkinator_wall
        print(f"gongkai / linkinator median wall time: {ratio:.2f} (target <= 0.50); median of the runs' ratios: "
              f"{statistics.median(ratios):.2f}; same broken set but the soft 404s: {gongkai_found - set(site['soft_404']) == linkinator_found}")
        ok = ok and ratio <= 0.5
    print("targets met" if ok else "targets NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
