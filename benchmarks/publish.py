"""Publication benchmark: the time from a publication (the commit ``ContentRepository.publish``
makes, as the back office's "approve" does) to the new text on the public page and to the new
wording found by /search, beside a full rebuild (full content load + full index build, what
`gongkai index` does) — in the same run, on the demo content and on 50,000 generated documents.

    .venv/bin/python benchmarks/publish.py                       # demo and 50,000
    .venv/bin/python benchmarks/publish.py --sizes demo,5000 --publications 5 --backend whoosh

For each size: a content repository is made (the shipped content/, plus that many generated
news documents of 300–1,500 characters from benchmarks/search.py's generator); `gongkai index`
builds its index in a child process (timed: the full rebuild); gunicorn serves it as
`gongkai serve` does (two workers, --preload); then each publication changes one document's
title and body, and the page and /search are polled every 50 ms until both show it (a
publication is timed from just before the commit). Target: ≤ 10 s for both at 50,000.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
TARGET_SECONDS = 10.0
POLL_SECONDS = 0.05
GIVE_UP_SECONDS = 120.0


def generated_document(number: int, fields: dict, codes: dict[str, list[str]], rng: random.Random) -> str:
    """One valid news document in the content format (JSON strings are YAML strings)."""
    date = f"{2020 + number % 5}-{1 + number % 12:02d}-{1 + number % 28:02d}"
    front = {
        "kind": "news", "id": f"gen-{number:05d}", "lang": "zh-Hant-TW", "title": fields["title"] or f"公告{number}",
        "summary": fields["body"][:60], "unit": rng.choice(codes["units"]), "theme": [rng.choice(codes["themes"])],
        "policy": [rng.choice(codes["policies"])], "service": [rng.choice(codes["services"])], "keywords": ["公告"],
        "published": date, "updated": date, "update_cycle": "as-needed", "sample": True,
    }
    lines = ["---", *(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in front.items()),
             "review:", "  author: 林上稿", "  reviewer: 陳審稿", f"  date: {date}", "  status: published", "---", "",
             fields["body"], ""]
    return "\n".join(lines)


def make_repository(size: int, work: Path) -> Path:
    """The shipped content plus ``size`` generated documents, as a content repository."""
    from benchmarks.search import corpus
    from gongkai.content_repo import ContentRepository
    from gongkai.model.yamlfile import read_yaml

    staging = work / "staging"
    shutil.copytree(REPO / "content", staging)
    codes = {name: [entry["code"] for entry in read_yaml(staging / "codes" / f"{name}.yaml").data if not entry.get("retired")]
             for name in ("units", "themes", "policies", "services")}
    rng = random.Random(11)
    folder = staging / "docs" / "zh" / "generated"
    folder.mkdir(parents=True)
    for number, fields in enumerate(corpus(size)):
        (folder / f"gen-{number:05d}.md").write_text(generated_document(number, fields, codes, rng), encoding="utf-8")
    repo = ContentRepository.create(work / "content", staging)
    shutil.rmtree(staging)
    return repo.path


def full_rebuild(content: Path, var: Path, backend: str) -> dict:
    """`gongkai index` in a child process: the full content load, then the full index build."""
    env = {**os.environ, "GONGKAI_CONTENT_REPO": str(content), "GONGKAI_VAR_DIR": str(var), "GONGKAI_SEARCH_BACKEND": backend}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "gongkai", "index"], capture_output=True, text=True, env=env, check=False)
    total = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-3000:])
    indexed = re.search(r"Indexed (\d+) documents with \w+ in ([\d.]+) s", done.stderr)
    build = float(indexed.group(2)) if indexed else float("nan")
    return {"documents": int(indexed.group(1)) if indexed else 0, "total_s": total, "index_build_s": build,
            "load_s": total - build}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - our own loopback server
            return response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.read().decode("utf-8", "replace")


def serve(content: Path, var: Path, backend: str, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "GONGKAI_CONTENT_REPO": str(content), "GONGKAI_VAR_DIR": str(var), "GONGKAI_SEARCH_BACKEND": backend}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "2",
                               "--threads", "8", "--worker-class", "gthread", "--preload", "--timeout", "600",
                               "gongkai.wsgi:app"], cwd=REPO, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    return server, f"http://127.0.0.1:{port}"


def wait_until_served(server: subprocess.Popen, base: str, path: str, log: Path) -> float:
    started = time.perf_counter()
    while True:
        try:
            if "<html" in get(base + path):
                return time.perf_counter() - started
        except OSError:
            pass
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped:\n" + log.read_text()[-3000:])
        time.sleep(0.5)


def publish_and_wait(content: Path, base: str, relative: str, url: str, number: int) -> tuple[float, float]:
    """Publish a new title and body for one document; seconds until the page, and search, show it."""
    from gongkai.content_repo import ContentRepository, Person

    repo = ContentRepository(content)
    word = f"gongkaibench{number}x{random.randrange(10**6)}"  # a word no document holds: found only once indexed
    text = (content / relative).read_text(encoding="utf-8")
    head, _, body = text.partition("\n---\n")
    new = re.sub(r"^title: .*$", f'title: "更新公告 {word}"', head, count=1, flags=re.M) + f"\n---\n本次更新：{word}。\n{body}"
    started = time.perf_counter()
    repo.publish({relative: new.encode("utf-8")}, subject=f"發布 {relative}", author=Person("林上稿"),
                 trailers={"Author": "林上稿", "Reviewed-by": "陳審稿", "Unit": "sec4"})
    on_page = found = None
    search = f"{base}/search/?{urllib.parse.urlencode({'q': word})}"
    while (on_page is None or found is None) and time.perf_counter() - started < GIVE_UP_SECONDS:
        if on_page is None and word in get(base + url):
            on_page = time.perf_counter() - started
        if found is None and f'href="{url}"' in get(search):
            found = time.perf_counter() - started
        time.sleep(POLL_SECONDS)
    return on_page if on_page is not None else float("inf"), found if found is not None else float("inf")


def run_size(label: str, size: int, backend: str, publications: int, work: Path) -> dict:
    work.mkdir(parents=True)
    started = time.perf_counter()
    content = make_repository(size, work)
    generated = time.perf_counter() - started
    var = work / "var"
    rebuild = full_rebuild(content, var, backend)
    log = work / "gunicorn.log"
    server, base = serve(content, var, backend, log)
    target = ("docs/zh/generated/gen-00000.md", "/news/gen-00000/") if size else \
        ("docs/zh/procedure/taxi-meter-verification.md", "/procedures/taxi-meter-verification/")
    try:
        start_s = wait_until_served(server, base, target[1], log)
        for _ in range(4):  # both workers have answered a page and a search
            get(base + target[1])
            get(f"{base}/search/?{urllib.parse.urlencode({'q': '檢定'})}")
        timings = [publish_and_wait(content, base, target[0], target[1], n) for n in range(publications)]
    finally:
        server.terminate()
        server.wait(timeout=60)
    updates = [float(s) for s in re.findall(r"'seconds': ([\d.]+)\}", log.read_text())]
    reads = [float(s) for s in re.findall(r"changed file\(s\) read in (\d+) ms", log.read_text())]
    return {"label": label, "documents": rebuild["documents"], "generate_s": generated, "rebuild": rebuild, "start_s": start_s,
            "page_s": [t[0] for t in timings], "search_s": [t[1] for t in timings],
            "content_read_ms": statistics.median(reads) if reads else float("nan"),
            "index_update_s": statistics.median(updates) if updates else float("nan")}


def show(result: dict) -> None:
    page, found, rebuild = result["page_s"], result["search_s"], result["rebuild"]
    verdict = "ok" if max(page + found) <= TARGET_SECONDS else f"OVER the {TARGET_SECONDS:.0f} s target"
    print(f"{result['label']:>8} {result['documents']:>7} {statistics.median(page):>8.2f} {max(page):>8.2f} "
          f"{statistics.median(found):>8.2f} {max(found):>8.2f} {result['content_read_ms']:>9.0f} {result['index_update_s']:>9.2f}   "
          f"{rebuild['load_s']:>8.1f} {rebuild['index_build_s']:>8.1f} {rebuild['total_s']:>8.1f}   {verdict}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="demo,50000", help="comma-separated: demo (the shipped content) or a number of generated documents")
    parser.add_argument("--backend", default="tantivy", choices=["tantivy", "whoosh"])
    parser.add_argument("--publications", type=int, default=3, help="publications timed per size (median and worst shown)")
    args = parser.parse_args()
    print(f"backend {args.backend}; seconds from the commit, {args.publications} publications per size (median, worst); "
          "server-side medians of reading the change and updating the index; beside the full rebuild")
    print(f"{'content':>8} {'docs':>7} {'page p50':>8} {'page max':>8} {'srch p50':>8} {'srch max':>8} {'read ms':>9} "
          f"{'index s':>9}   {'load s':>8} {'build s':>8} {'total s':>8}")
    with tempfile.TemporaryDirectory(prefix="publish-bench-") as temp:
        for label in args.sizes.split(","):
            size = 0 if label == "demo" else int(label)
            show(run_size(label, size, args.backend, args.publications, Path(temp) / label))


if __name__ == "__main__":
    main()
