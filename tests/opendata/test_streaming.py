"""Streaming rows as CSV holds one batch at a time, whatever the table size (the benchmark
measures the server's RSS on a million rows; this checks the mechanism in process)."""

from __future__ import annotations

import tracemalloc
from dataclasses import dataclass
from pathlib import Path

import pytest

from gongkai.opendata.exports import csv_chunks
from gongkai.opendata.packages import Field
from gongkai.opendata.store import Filter, Query, Store, build_store

ROWS = 120_000
FIELDS = (Field("n", "integer", "序號", "序號"), Field("office", "string", "辦公處", "辦公處"), Field("note", "string", "說明", "說明"))


@dataclass
class FakeDataset:
    id: str
    fields: tuple
    descriptor: dict
    folder: Path = Path(".")

    def typed_rows(self):
        return ([n, ("臺南分局", "嘉義辦事處", "斗六辦事處")[n % 3], f"備註第 {n} 筆"] for n in range(ROWS))


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Store:
    return Store(build_store(tmp_path_factory.mktemp("big") / "big.sqlite", [FakeDataset("big", FIELDS, {})], "v1"))


def _peak_while_streaming(store: Store, limit: int | None) -> tuple[int, int]:
    tracemalloc.start()
    size = 0
    for chunk in csv_chunks(FIELDS, store.stream(1, Query(limit=limit), FIELDS)):
        size += len(chunk.encode("utf-8"))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return size, peak


def test_streaming_a_large_table_keeps_memory_flat(store: Store) -> None:
    small_size, small_peak = _peak_while_streaming(store, 20_000)
    size, peak = _peak_while_streaming(store, None)
    assert size > 5 * small_size  # six times the rows went through …
    assert peak < small_peak * 1.5 + 200_000, (small_peak, peak)  # … in about the same memory
    assert peak < 3_000_000, f"peak {peak} bytes"


def test_streamed_filter_matches_the_paged_filter(store: Store) -> None:
    query = Query(filters=(Filter("office", "exact", "嘉義辦事處"), Filter("n", "lt", 30)), limit=None)
    streamed = list(store.stream(1, query, FIELDS))
    paged, more, total = store.page(1, Query(query.filters, limit=100), FIELDS)
    assert streamed == paged and total == 10 and not more
