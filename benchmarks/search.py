"""Search benchmark: tantivy and Whoosh (through the full gongkai query layer: segmentation,
synonyms, homophones, Zhuyin, typo map, highlighting, facets) beside a SQLite FTS5 baseline
(rjieba tokens, space-joined, bm25) — all in the same run, on a generated corpus.

    .venv/bin/python benchmarks/search.py --sizes 10000,50000 [--backends tantivy,whoosh,fts5]
    .venv/bin/python benchmarks/search.py --quick

The corpus is generated here (no downloads): Traditional-Chinese documents of 300–1,500
characters made of jieba's vocabulary converted with OpenCC s2twp plus the site's domain
terms. Each (backend, size) is built in one child process (docs/s, index size) and served in a
fresh child process (warm p50/p95 over 200 mixed queries, peak RSS of that serving process).
Build speed is the median of three builds (--build-runs).
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
KINDS = ("procedure", "form", "news", "faq", "disclosure", "statistics", "unit", "page")
UNITS = tuple(f"sec{i}" for i in range(1, 7))
THEMES = ("110", "210", "220", "310", "410")


def vocabulary(seed: int = 7) -> list[str]:
    import opencc

    from gongkai.search_index.dictionary import jieba_dict_path, read_term_list

    rows = [line.split(" ") for line in jieba_dict_path().read_text(encoding="utf-8").splitlines()]
    words = [w for w, f, _ in sorted(rows, key=lambda r: -int(r[1]))[:40000] if all("\u4e00" <= c <= "\u9fff" for c in w)]
    words = opencc.OpenCC("s2twp").convert("\n".join(words)).split("\n")
    return words + read_term_list(REPO / "content" / "search" / "terms.txt") * 20


def corpus(size: int, seed: int = 7):
    rng = random.Random(seed)
    words = vocabulary()
    cumulative, total = [], 0.0
    for i in range(len(words)):  # Zipf-like: common words are common
        total += 1 / (i + 10)
        cumulative.append(total)
    punct = "，。、；"
    for n in range(size):
        length = rng.randint(300, 1500)
        parts, total = [], 0
        for w in rng.choices(words, cum_weights=cumulative, k=length // 2 + 10):
            parts.append(w)
            total += len(w)
            if rng.random() < 0.12:
                parts.append(rng.choice(punct))
            if total >= length:
                break
        body = "".join(parts)[:length]
        title = "".join(rng.choices(words, cum_weights=cumulative, k=3))[:20]
        date = 20200101 + rng.randint(0, 5) * 10000 + rng.randint(1, 12) * 100 + rng.randint(1, 28)
        yield {"key": f"d{n}", "title": title, "body": body, "date": date, "kind": rng.choice(KINDS),
               "unit": rng.choice(UNITS), "theme": rng.sample(THEMES, 2), "year": str(date // 10000)}


def queries(size: int, count: int, seed: int = 11) -> list[dict]:
    """A mix: exact words, two words, typos, homophones, Zhuyin, Simplified, section-scoped, phrases."""
    import opencc
    from pypinyin import Style, lazy_pinyin

    rng = random.Random(seed)
    docs = list(corpus(min(size, 500)))
    words = [w for d in docs for w in _words(d["body"]) if len(w) >= 2]
    by_sound: dict[str, list[str]] = {}
    for ch in {c for w in words for c in w}:
        by_sound.setdefault(lazy_pinyin(ch, style=Style.TONE3)[0], []).append(ch)
    t2s = opencc.OpenCC("t2s")
    out = []
    mix = ["exact"] * 6 + ["two"] * 3 + ["typo"] * 3 + ["sound"] * 3 + ["zhuyin"] * 1 + ["simplified"] * 2 + ["section"] * 1 + ["phrase"] * 1
    while len(out) < count:
        kind, word = rng.choice(mix), rng.choice(words)
        if kind == "two":
            q = {"q": f"{word} {rng.choice(words)}"}
        elif kind == "typo" and len(word) >= 3:
            i = rng.randrange(len(word) - 1)
            q = {"q": word[:i] + word[i + 1] + word[i] + word[i + 2:]}
        elif kind == "sound":
            i = rng.randrange(len(word))
            same = [c for c in by_sound.get(lazy_pinyin(word[i], style=Style.TONE3)[0], []) if c != word[i]]
            q = {"q": word[:i] + rng.choice(same) + word[i + 1:]} if same else {"q": word}
        elif kind == "zhuyin":
            q = {"q": " ".join(lazy_pinyin(word, style=Style.BOPOMOFO))}
        elif kind == "simplified":
            q = {"q": t2s.convert(word)}
        elif kind == "section":
            q = {"q": word, "section": "form"}
        elif kind == "phrase":
            body = rng.choice(docs)["body"]
            start = rng.randrange(max(1, len(body) - 6))
            q = {"q": f'"{body[start:start + 4]}"'}
        else:
            q = {"q": word}
        q["kind"] = kind
        out.append(q)
    return out


@functools.cache
def _plain_jieba():
    import rjieba

    return rjieba.Jieba()  # its own instance: gongkai's segment module empties the default one


def _words(text: str) -> list[str]:
    return [w for w in _plain_jieba().cut(text[:300]) if w.strip() and w not in "，。、；"]


# -- child processes ----------------------------------------------------------------------------
def build(backend: str, size: int, folder: Path) -> dict:
    started = time.perf_counter()
    docs = list(corpus(size))
    generated = time.perf_counter() - started
    if backend == "fts5":
        from gongkai.search_index.dictionary import base_dictionary
        from gongkai.search_index.segment import Segmenter

        segmenter = Segmenter(base_dictionary(folder.parent / "dict"))
        started = time.perf_counter()
        (folder / "fts.sqlite").unlink(missing_ok=True)  # a repeated build starts afresh
        db = sqlite3.connect(folder / "fts.sqlite")
        db.execute("CREATE VIRTUAL TABLE docs USING fts5(key UNINDEXED, kind UNINDEXED, title, body, raw UNINDEXED, tokenize='unicode61')")
        db.executemany("INSERT INTO docs VALUES (?,?,?,?,?)", (
            (d["key"], d["kind"], " ".join(t for t, _, _ in segmenter.index_tokens(d["title"])),
             " ".join(t for t, _, _ in segmenter.index_tokens(d["body"])), d["body"]) for d in docs))
        db.commit()
        db.close()
        index_bytes = (folder / "fts.sqlite").stat().st_size
    else:
        from gongkai.search_index.index import build as build_index
        from gongkai.search_index.parallel import build_workers

        def analyse(analyzer, d):
            filters = {"lang": ["zh-Hant-TW"], "kind": [d["kind"]], "unit": [d["unit"]], "theme": d["theme"],
                       "policy": ["P20"], "service": ["E00"], "year": [d["year"]]}
            stored = {"key": d["key"], "lang": "zh-Hant-TW", "kind": d["kind"], "id": d["key"], "title": d["title"],
                      "summary": d["body"][:80], "text": d["body"], "date": f"{d['year']}-01-01", "unit": d["unit"]}
            return analyzer.analyse_plain(d["key"], d["title"], d["body"], filters, d["date"], stored)

        from gongkai.search_index.dictionary import base_dictionary

        base_dictionary(folder / "index")  # the dictionary is cached once per site, not per build
        started = time.perf_counter()
        built = build_index(folder / "index", backend, docs, analyse, {}, workers=build_workers())  # as `gongkai index` does
    seconds = time.perf_counter() - started
    if backend != "fts5":
        index_bytes = folder_size(built)  # this build only: a repeated build keeps the one before beside it
    return {"build_seconds": seconds, "docs_per_s": size / seconds, "generate_seconds": generated, "index_bytes": index_bytes}


def serve(backend: str, size: int, folder: Path, count: int) -> dict:
    # made by the parent: generating them here would load a second dictionary into the RSS measured
    mix = json.loads((folder / "queries.json").read_text(encoding="utf-8"))
    if backend == "fts5":
        from gongkai.search_index.dictionary import base_dictionary
        from gongkai.search_index.normalize import fold
        from gongkai.search_index.segment import Segmenter

        segmenter = Segmenter(base_dictionary(folder.parent / "dict"))
        db = sqlite3.connect(folder / "fts.sqlite", check_same_thread=False)

        def run(q: dict) -> None:
            words = segmenter.query_words(fold(q["q"].strip('"')))
            if not words:
                return
            match = " AND ".join('"' + w.replace('"', "") + '"' for w in words)
            where = "docs MATCH ?" + (" AND kind = 'form'" if q.get("section") else "")
            db.execute(f"SELECT count(*) FROM docs WHERE {where}", (match,)).fetchone()  # noqa: S608 - fixed text
            db.execute(f"SELECT key, title, snippet(docs, 3, '<mark>', '</mark>', '…', 20) FROM docs WHERE {where} "  # noqa: S608
                       "ORDER BY bm25(docs, 0, 0, 3.0, 1.0) LIMIT 10", (match,)).fetchall()
    else:
        from gongkai.search_index.index import current_build, open_build
        from gongkai.search_index.params import SearchParams
        from gongkai.search_index.service import SearchService

        root = folder / "index"
        index = open_build(root, current_build(root))
        service = SearchService(root, backend, REPO / "content")

        def run(q: dict) -> None:
            service.search(SearchParams(q=q["q"], section=q.get("section", "")), index)

    for q in mix:  # warm-up pass: caches, page cache, lazy tables
        run(q)
    times: dict[str, list[float]] = {}
    for q in mix:
        started = time.perf_counter()
        run(q)
        times.setdefault(q["kind"], []).append((time.perf_counter() - started) * 1000)
    every = sorted(t for ts in times.values() for t in ts)
    return {"p50_ms": statistics.median(every), "p95_ms": every[int(len(every) * 0.95) - 1],
            "p95_by_kind": {k: round(sorted(v)[max(0, int(len(v) * 0.95) - 1)], 2) for k, v in times.items()},
            "peak_rss_mb": _status_mb("VmHWM"), "anon_mb": _status_mb("RssAnon")}


def _status_mb(name: str) -> float:
    """A memory figure of this process from /proc/self/status: VmHWM, the peak RSS since this
    program started (getrusage's ru_maxrss would also count the benchmark parent's RSS at the
    fork that started this child); RssAnon, the process's own memory now, without the pages of
    mapped files (the index, libraries), which the kernel can drop and read again."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(name + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def compare_segmenters(count: int = 300) -> None:
    """rjieba against jieba, both with the Taiwan dictionary: same words? how fast?"""
    import jieba

    from gongkai.search_index.dictionary import base_dictionary
    from gongkai.search_index.segment import Segmenter

    with tempfile.TemporaryDirectory() as temp:
        path = base_dictionary(Path(temp))
        started = time.perf_counter()
        rust = Segmenter(path).engine
        rust_load = time.perf_counter() - started
        started = time.perf_counter()
        python = jieba.Tokenizer(dictionary=str(path))
        python.tmp_dir = temp
        python.initialize()
        python_load = time.perf_counter() - started
    texts = [d["body"] for d in corpus(count, seed=3)]
    chars = sum(len(t) for t in texts)
    results = {}
    for name, cut in (("rjieba", lambda t: rust.cut(t)), ("jieba", lambda t: python.lcut(t)),
                      ("rjieba search", lambda t: rust.cut_for_search(t)), ("jieba search", lambda t: python.lcut_for_search(t))):
        started = time.perf_counter()
        results[name] = [cut(t) for t in texts]
        print(f"{name:14} {chars / (time.perf_counter() - started) / 1000:8.0f} k chars/s")
    for mode in ("", " search"):
        same = sum(a == b for a, b in zip(results["rjieba" + mode], results["jieba" + mode], strict=True))
        words = sum(len(x) for x in results["jieba" + mode])
        agree = sum(len(set(a) & set(b)) for a, b in zip(results["rjieba" + mode], results["jieba" + mode], strict=True))
        print(f"default{mode or ''}: identical segmentation in {same}/{count} documents; "
              f"{agree / max(1, sum(len(set(x)) for x in results['jieba' + mode])):.1%} of jieba's distinct words per document also in rjieba's ({words} words)")
    print(f"dictionary load: rjieba {rust_load:.1f} s, jieba {python_load:.1f} s")


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def child(args: list[str]) -> dict:
    output = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=False)
    if output.returncode != 0:
        raise RuntimeError(output.stderr[-2000:])
    return json.loads(output.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000", help="comma-separated corpus sizes (default 10000)")
    parser.add_argument("--backends", default="tantivy,whoosh,fts5")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--build-runs", type=int, default=3,
                        help="builds per size and backend, the median reported: this machine's speed varies between runs "
                             "(Whoosh, which takes minutes and has no build target, builds once)")
    parser.add_argument("--quick", action="store_true", help="1,000 documents, 50 queries")
    parser.add_argument("--whoosh-max", type=int, default=10000, help="skip Whoosh above this size (it needs >2 GB at 100k)")
    parser.add_argument("--segmenters", action="store_true", help="compare rjieba with jieba (speed, same words) and exit")
    parser.add_argument("--child", nargs=4, metavar=("ACTION", "BACKEND", "SIZE", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        action, backend, size, folder = args.child
        result = build(backend, int(size), Path(folder)) if action == "build" else serve(backend, int(size), Path(folder), args.queries)
        print(json.dumps(result))
        return
    if args.segmenters:
        compare_segmenters()
        return
    sizes = [1000] if args.quick else [int(s) for s in args.sizes.split(",")]
    count = 50 if args.quick else args.queries
    print(f"{'backend':8} {'docs':>6} {'build docs/s':>12} {'index MB':>9} {'p50 ms':>8} {'p95 ms':>8} {'serve RSS MB':>12} "
          f"{'of it anon':>10}  p95 by query kind")
    mix: dict[int, list[dict]] = {}
    with tempfile.TemporaryDirectory(prefix="search-bench-") as temp:
        for size in sizes:
            for backend in args.backends.split(","):
                if backend == "whoosh" and size > args.whoosh_max:
                    print(f"{backend:8} {size:>6}  skipped: Whoosh above {args.whoosh_max} documents takes minutes to build and "
                          "≈2 GB to serve (docs/search-design.md §1: 508 ms p95, 2.1 GB at 100k); raise --whoosh-max to run it")
                    continue
                folder = Path(temp) / f"{backend}-{size}"
                folder.mkdir()
                runs = 1 if backend == "whoosh" or args.quick else max(1, args.build_runs)
                builds = [child(["--child", "build", backend, str(size), str(folder)]) for _ in range(runs)]
                speeds = [b["docs_per_s"] for b in builds]
                (folder / "queries.json").write_text(json.dumps(mix.setdefault(size, queries(size, count)), ensure_ascii=False), encoding="utf-8")
                served = child(["--queries", str(count), "--child", "serve", backend, str(size), str(folder)])
                index_mb = builds[-1]["index_bytes"] / 1e6
                print(f"{backend:8} {size:>6} {statistics.median(speeds):>12.0f} {index_mb:>9.1f} {served['p50_ms']:>8.2f} "
                      f"{served['p95_ms']:>8.2f} {served['peak_rss_mb']:>12.0f} {served['anon_mb']:>10.0f}  {served['p95_by_kind']}"
                      + (f"  builds: {', '.join(f'{s:.0f}' for s in speeds)} docs/s" if runs > 1 else ""), flush=True)


if __name__ == "__main__":
    main()
