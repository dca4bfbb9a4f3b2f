"""Link-check benchmark: `gongkai links` beside `linkinator@7.6.1 --recurse`, same synthetic site, one run.

    .venv/bin/python benchmarks/links.py [--pages 2000] [--links-per-page 10] [--broken 0.02] [--slow 100]

Builds a synthetic site (by default 2,000 pages, 20,000 link occurrences, 2 % of them to pages that
do not exist, 100 pages that answer after 200 ms), serves it on 127.0.0.1 from a separate process
(aiohttp), and runs both checkers against it from "/". Checks that each finds exactly the planted
broken set, and prints wall time and peak memory (RSS of the checker's whole process tree).
Targets: gongkai wall time <= 0.5 x linkinator's, peak memory <= 150 MB, every broken link found,
nothing falsely reported. linkinator comes from npm through npx (Node 20+); it is installed into
npx's cache before the timed run, so the download is not timed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
LINKINATOR = "linkinator@7.6.1"

SERVER = r'''
import asyncio, json, sys
from aiohttp import web
site = json.load(open(sys.argv[1]))
pages, slow = site["pages"], set(site["slow"])

async def handle(request):
    path = request.path
    if path not in pages:
        return web.Response(status=404, text="<!doctype html><title>找不到網頁</title><h1>找不到網頁</h1>", content_type="text/html")
    if path in slow:
        await asyncio.sleep(0.2)
    links = "".join(f'<li><a href="{href}">{href}</a></li>' for href in pages[path])
    body = (f'<!doctype html><html lang="zh-Hant-TW"><head><meta charset="utf-8"><title>頁面 {path}</title></head>'
            f'<body><h1>頁面 {path}</h1><p>更新日期 2026-11-01</p><ul>{links}</ul></body></html>')
    return web.Response(text=body, content_type="text/html")

app = web.Application()
app.router.add_route("*", "/{tail:.*}", handle)
runner = web.AppRunner(app, access_log=None)
async def main():
    await runner.setup()
    site_ = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)
    await site_.start()
    print(site_._server.sockets[0].getsockname()[1], flush=True)
    await asyncio.Event().wait()
asyncio.run(main())
'''


def build_site(pages: int, per_page: int, broken_share: float, slow: int, seed: int = 5) -> dict:
    """Every page reachable from "/" (page i links page i+1), the other links random; a share of all
    link occurrences goes to distinct pages that do not exist."""
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
    actually_linked = {href for links in site.values() for href in links if href.startswith("/missing/")}
    return {"pages": site, "slow": rng.sample(paths[1:], slow), "broken": sorted(actually_linked),
            "occurrences": sum(len(v) for v in site.values())}


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


def run_gongkai(base: str, work: Path) -> tuple[float, int, set[str]]:
    env = dict(os.environ, GONGKAI_VAR_DIR=str(work / "var"), GONGKAI_LINKS_DB=str(work / "var" / "bench.sqlite"), CI="1")
    command = [sys.executable, "-m", "gongkai", "links", base + "/", "--quiet", "--format", "json", "--out", str(work / "out"),
               "--cache-max-age", "0", "--no-external"]
    wall, peak, _, _ = peak_rss_of(command, env=env)
    report = json.loads((work / "out" / "links-report.json").read_text(encoding="utf-8"))
    return wall, peak, {f["target"].replace(base, "") for f in report["findings"] if f["broken"]}


def run_linkinator(base: str, work: Path) -> tuple[float, int, set[str]]:
    command = ["npx", "--yes", LINKINATOR, base + "/", "--recurse", "--format", "json", "--timeout", "20000"]
    wall, peak, stdout, _ = peak_rss_of(command, cwd=str(work))
    result = json.loads(stdout[stdout.index("{"):])
    return wall, peak, {link["url"].replace(base, "") for link in result["links"] if link["state"] == "BROKEN"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--links-per-page", type=int, default=10)
    parser.add_argument("--broken", type=float, default=0.02, help="share of link occurrences to missing pages")
    parser.add_argument("--slow", type=int, default=100, help="pages that answer after 200 ms")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each checker, alternating; medians are compared")
    parser.add_argument("--skip-linkinator", action="store_true")
    args = parser.parse_args()

    site = build_site(args.pages, args.links_per_page, args.broken, args.slow)
    expected = set(site["broken"])
    with tempfile.TemporaryDirectory(prefix="gongkai-bench-links-") as tmp:
        work = Path(tmp)
        (work / "site.json").write_text(json.dumps(site), encoding="utf-8")
        server = subprocess.Popen([sys.executable, "-c", SERVER, str(work / "site.json")], stdout=subprocess.PIPE, text=True)
        try:
            base = f"http://127.0.0.1:{server.stdout.readline().strip()}"
            print(f"site: {len(site['pages'])} pages, {site['occurrences']} link occurrences, {len(expected)} broken targets, "
                  f"{len(site['slow'])} slow pages (200 ms), served at {base}")
            if not args.skip_linkinator:  # put linkinator in npx's cache: the download is not part of the timing
                subprocess.run(["npx", "--yes", LINKINATOR, "--version"], cwd=tmp, capture_output=True, check=True)
            runs: dict[str, list] = {"gongkai links": []} if args.skip_linkinator else {"gongkai links": [], "linkinator --recurse": []}
            for number in range(args.repeat):  # alternate, so that a busy moment of the machine hits both
                for name in runs:
                    result = run_gongkai(base, work / f"g{number}") if name == "gongkai links" else run_linkinator(base, work)
                    runs[name].append(result)
                    print(f"  run {number + 1} {name:<22} {result[0]:7.2f} s {result[1] / 2**20:7.1f} MB", flush=True)
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
        print(f"{name:<22} {wall:9.2f} {peak / 2**20:8.1f} {len(found & expected):6d} {len(expected - found):7d} {len(found - expected):6d}"
              + ("" if consistent else "  (the runs disagreed)"))
    gongkai_wall, gongkai_peak, gongkai_found = summary["gongkai links"]
    ok = gongkai_found == expected and gongkai_peak <= 150 * 2**20 and all(r[2] == expected for r in runs["gongkai links"])
    if "linkinator --recurse" in summary:
        linkinator_wall, _, linkinator_found = summary["linkinator --recurse"]
        ratio = gongkai_wall / linkinator_wall
        print(f"gongkai / linkinator median wall time: {ratio:.2f} (target <= 0.50); same broken set: {gongkai_found == linkinator_found}")
        ok = ok and ratio <= 0.5
    print("targets met" if ok else "targets NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
