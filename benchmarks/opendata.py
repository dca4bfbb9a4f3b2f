"""Open-data benchmark on a generated 1,000,000-row dataset, one run, figures beside a baseline.

    .venv/bin/python benchmarks/opendata.py [--rows 1000000] [--queries 300]

1. generates a data package (7 typed columns) in a temporary copy of content/;
2. runs the real build (frictionless validation, personal-data gate, the four exports, the
   SQLite store) and times each stage — CSV→ODS export time is one of them;
3. starts gunicorn (1 worker, 4 threads) on 127.0.0.1 with that store, streams every row
   as CSV through the API and samples the worker's RSS (target: peak < 200 MB);
4. times filtered, paged rows queries through HTTP (target: p95 < 100 ms), and the same
   with a sort on another column (reported, no target).

Baselines: ODS export beside the plain CSV export of the same rows; streaming RSS beside the
worker's idle RSS; filtered p95 beside the unfiltered first page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
import requests

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from gongkai.model import load_content  # noqa: E402
from gongkai.opendata.descriptor import Column, descriptor, write_package  # noqa: E402
from gongkai.opendata.exports import FORMAT_BY_KEY, export_dataset  # noqa: E402
from gongkai.opendata.gate import Allowances, scan_dataset  # noqa: E402
from gongkai.opendata.packages import load_datasets  # noqa: E402
from gongkai.opendata.service import exports_root, packages_version  # noqa: E402
from gongkai.opendata.store import build_store  # noqa: E402
from gongkai.opendata.validate import frictionless_problems, metadata_problems  # noqa: E402

OFFICES = ("臺南分局", "嘉義辦事處", "斗六辦事處")
KINDS = ("計程車計費表", "量桶", "水量計", "油量計", "衡器", "電度表", "氣量計", "耳溫槍", "血壓計", "體重計")
COLUMNS = [
    Column("case_no", "integer", "案件序號", "Case number", "產生之案件序號", True),
    Column("date", "date", "受理日期", "Date", "受理日期（西元年-月-日）", True),
    Column("office", "string", "辦公處", "Office", "受理之辦公處", True),
    Column("kind", "string", "器具種類", "Instrument", "度量衡器種類", True),
    Column("count", "integer", "數量", "Count", "檢定數量", True),
    Column("fee", "number", "規費", "Fee", "規費金額（新臺幣元）", True),
    Column("note", "string", "說明", "Note", "補充說明"),
]


def generate(root: Path, rows: int, agency) -> Path:
    rng = random.Random(20221231)
    start = dt.date(2022, 1, 1)
    package = descriptor(
        name="bench", identifier=f"{agency.oid}-999999", title="效能測試資料（產生）", title_en="Benchmark data (generated)",
        description="效能測試用之產生資料，非真實資料（範例）。", description_en="Generated benchmark data (sample).",
        keywords=["效能測試"], category="I00", frequency="不定期更新", issued="2022-01-01", modified="2022-12-31",
        temporal=("2022-01-01", "2022-12-31"), contact={"name": "第六課", "phone": "06-226-4116", "email": "sec6@tainan.example.gov.tw"},
        agency=agency, columns=COLUMNS, primary_key="case_no", sample=True)

    def rows_of():
        for n in range(1, rows + 1):
            yield [n, (start + dt.timedelta(days=rng.randrange(365))).isoformat(), rng.choice(OFFICES), rng.choice(KINDS),
                   rng.randrange(1, 1000), round(rng.uniform(50, 5000), 2), "" if rng.random() < 0.7 else f"備註 {n % 97}"]

    return write_package(root / "bench", package, rows_of())


def timed(label: str, results: dict, fn, *args, **kwargs):
    started = time.perf_counter()
    value = fn(*args, **kwargs)
    results[label] = time.perf_counter() - started
    print(f"  {label:<34} {results[label]:8.1f} s", flush=True)
    return value


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RssSampler(threading.Thread):
    """Peak resident memory of a process and its children, sampled every 20 ms."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.process = psutil.Process(pid)
        self.peak = 0
        self.running = True

    def current(self) -> int:
        processes = [self.process, *self.process.children(recursive=True)]
        return max(p.memory_info().rss for p in processes)  # the worker's (the master is small)

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, self.current())
            time.sleep(0.02)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="gongkai-bench-"))
    try:
        run(work, args.rows, args.queries)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(work: Path, rows: int, queries: int) -> None:
    content = work / "content"
    shutil.copytree(REPO / "content", content, ignore=shutil.ignore_patterns("datasets"))
    corpus, _ = load_content(content)
    times: dict[str, float] = {}
    print(f"open-data benchmark: {rows:,} rows, {os.cpu_count()} cores", flush=True)
    timed("generate CSV", times, generate, content / "datasets", rows, corpus.agency)
    dataset = load_datasets(content / "datasets")[0][0]
    size_mb = dataset.csv_path.stat().st_size / 1e6
    print(f"  CSV size                           {size_mb:8.1f} MB")

    # the stages of the real build (service.build), timed one by one
    problems = timed("frictionless validation", times, frictionless_problems, dataset)
    problems += metadata_problems(dataset, corpus.agency, set(corpus.codes["services"]))
    problems += timed("personal-data gate (every cell)", times, scan_dataset, dataset, Allowances.of_agency(corpus.agency))
    if problems:
        print("  problems:", *[p.line() for p in problems[:5]], sep="\n    ")
    db = work / "var" / "opendata.sqlite"
    version = packages_version(content / "datasets", corpus.agency)
    folder = exports_root(db) / version
    for key in ("csv", "csv-bom", "json", "ods"):
        timed(f"export {key}", times, export_dataset, dataset, folder, [FORMAT_BY_KEY[key]])
    ods_size = (folder / "bench.ods").stat().st_size / 1e6
    print(f"  ODS size                           {ods_size:8.1f} MB")
    built_at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    timed("SQLite store (rows + indexes)", times, build_store, db, [dataset], version, {"built_at": built_at, "problems": "[]"})

    env = dict(os.environ, GONGKAI_CONTENT_DIR=str(content), GONGKAI_VAR_DIR=str(work / "var"), GONGKAI_DATA_DB=str(db),
               GONGKAI_CONTENT_RELOAD_SECONDS="0")
    full = measure_server(["gongkai.wsgi:app"], env, queries)
    alone = measure_server(["--chdir", str(Path(__file__).parent), "opendata:opendata_only_app()"], env, queries)

    mb = 1024 * 1024
    print("\nresults (one run)")
    print(f"  CSV→ODS export of {rows:,} rows:      {times['export ods']:7.1f} s   (baseline: plain CSV export {times['export csv']:.1f} s)")
    for label, result in (("whole site", full), ("open-data-only app", alone)):
        print(f"  streaming all rows as CSV via API, {label}: peak RSS {result['peak'] / mb:6.1f} MB   "
              f"(baseline: same worker idle {result['idle'] / mb:.1f} MB; target < 200 MB); "
              f"{result['bytes'] / 1e6:.1f} MB in {result['seconds']:.1f} s")
    for label, result in (("whole site", full), ("open-data-only app", alone)):
        f, p_, s_ = result["filtered"], result["plain"], result["sorted"]
        print(f"  {label}: filtered paged query (3 filters) p50 {statistics.median(f):.1f} ms p95 {percentile(f, 0.95):.1f} ms "
              f"(baseline unfiltered page p50 {statistics.median(p_):.1f} ms p95 {percentile(p_, 0.95):.1f} ms; target p95 < 100 ms); "
              f"filtered + sorted p50 {statistics.median(s_):.1f} ms p95 {percentile(s_, 0.95):.1f} ms")
    print(f"  full build would take about {sum(v for k, v in times.items() if k != 'generate CSV'):.0f} s "
          "(validation + gate + 4 exports + store)")


def opendata_only_app():
    """gunicorn factory: a Flask app with the content store and open data only (no search), to
    separate what streaming costs from what the other packages hold in memory."""
    from flask import Flask

    from gongkai.config import load_settings
    from gongkai.opendata import web
    from gongkai.web.content import ContentStore

    app = Flask("opendata-only")
    app.config.update(load_settings())
    app.extensions["gongkai.content"] = ContentStore(Path(app.config["CONTENT_DIR"]), 0)
    web.init_app(app)
    return app


def measure_server(target: list[str], env: dict, queries: int) -> dict:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "4",
                               "--worker-class", "gthread", "--timeout", "600", *target],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}/api/v1/datasets/bench"
    result: dict = {}
    try:
        for _ in range(600):  # the whole site builds its search index at start too: wait up to ~5 minutes
            try:
                if requests.get(base, timeout=30).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.5)
        else:
            raise SystemExit("the server did not start: " + server.stderr.read().decode()[-2000:])
        sampler = RssSampler(server.pid)
        requests.get(base + "/rows?_limit=10", timeout=30)
        result["idle"] = sampler.current()
        sampler.start()
        started, received = time.perf_counter(), 0
        with requests.get(base + "/rows.csv", stream=True, timeout=600) as response:
            for chunk in response.iter_content(1 << 16):
                received += len(chunk)
        result["seconds"], result["bytes"] = time.perf_counter() - started, received
        sampler.running = False
        sampler.join()
        result["peak"] = sampler.peak

        session = requests.Session()
        rng = random.Random(7)

        def latency(params: dict) -> float:
            began = time.perf_counter()
            reply = session.get(base + "/rows", params=params, timeout=30)
            assert reply.status_code == 200, reply.text
            return (time.perf_counter() - began) * 1000

        def filters() -> dict:
            return {"kind": rng.choice(KINDS), "office": rng.choice(OFFICES), "count__gte": rng.randrange(1, 900),
                    "_limit": 50, "_offset": rng.randrange(0, 20) * 50}

        for _ in range(10):
            latency({"_limit": 50})  # warm-up
        result["plain"] = [latency({"_limit": 50, "_offset": rng.randrange(0, 20) * 50}) for _ in range(queries)]
        result["filtered"] = [latency(filters()) for _ in range(queries)]
        result["sorted"] = [latency({**filters(), "_sort": rng.choice(["-date", "fee", "-count"])}) for _ in range(queries // 3)]
    finally:
        server.terminate()
        server.wait(timeout=30)
    return result


if __name__ == "__main__":
    main()
