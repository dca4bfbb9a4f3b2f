"""The data service: builds the store when missing or stale (under a lock, renamed into
place), reuses a current one, and rebuilds when a package changes."""

from __future__ import annotations

import os
import shutil
import time

from gongkai.opendata.service import DataService
from gongkai.opendata.store import Query


def test_store_is_built_when_missing_reused_when_current_and_rebuilt_on_change(tmp_path, corpus, content_copy) -> None:
    root = content_copy / "datasets"
    for extra in ("forms", "procedures", "unit-contacts", "news", "service-performance-111"):
        shutil.rmtree(root / extra)  # three packages are enough here
    db = tmp_path / "var" / "opendata.sqlite"

    def context():
        return corpus.agency, set(corpus.codes["services"])

    first = DataService(root, db, context, reload_seconds=0).current()
    assert db.is_file() and sorted(first.datasets) == ["complaints-petitions", "instrument-verifications", "online-applications-monthly"]
    assert not list(db.parent.glob(".*.tmp")), "temporary files are renamed into place"
    assert (first.exports / "complaints-petitions.ods").is_file()
    built_mtime = db.stat().st_mtime_ns

    again = DataService(root, db, context, reload_seconds=0).current()  # another worker, same packages
    assert again.version == first.version and db.stat().st_mtime_ns == built_mtime

    time.sleep(0.01)
    data = root / "complaints-petitions" / "data.csv"
    shipped = first.tables["complaints-petitions"][1]
    data.write_text(data.read_text(encoding="utf-8") + "2030-01,other,其他陳情案件,sec4,第四課,10,9,9,0,1,0,2,5,4.2\n", encoding="utf-8")
    os.utime(data)
    service = DataService(root, db, context, reload_seconds=0.001)
    assert service.current().tables["complaints-petitions"][1] == shipped + 1
    state = service.current()
    fields = state.datasets["complaints-petitions"].fields
    rows, more, total = state.store.page(state.tables["complaints-petitions"][0], Query(limit=shipped + 10), fields)
    assert total == shipped + 1 and not more and rows[-1][2] == "其他陳情案件"


def test_exports_folder_missing_triggers_a_rebuild(tmp_path, corpus, content_copy) -> None:
    root = content_copy / "datasets"
    db = tmp_path / "opendata.sqlite"

    def context():
        return corpus.agency, set(corpus.codes["services"])

    built = DataService(root, db, context, reload_seconds=0).current()
    shutil.rmtree(built.exports)
    assert (DataService(root, db, context, reload_seconds=0).current().exports / "forms.csv").is_file()
