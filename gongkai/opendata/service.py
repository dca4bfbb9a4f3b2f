"""The data service of a running site: validate, gate, export and load the store when the
packages change; otherwise reuse the store already built (by this or another process).

A build runs under a file lock so that several gunicorn workers starting at once build once;
the store and each export file are renamed into place only when complete.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import logging
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from gongkai.opendata.exports import export_dataset
from gongkai.opendata.packages import Dataset, load_datasets
from gongkai.opendata.problems import Problem
from gongkai.opendata.store import Store, build_store
from gongkai.opendata.validate import validate_all

log = logging.getLogger("gongkai.opendata")
FORMAT_VERSION = "3"  # bump when the store or export layout changes


@dataclass(frozen=True)
class Built:
    version: str
    built_at: dt.datetime
    datasets: dict[str, Dataset]  # publishable only: passed validation and the personal-data gate
    tables: dict[str, tuple[int, int]]  # id → (table number, row count)
    problems: list[Problem]
    store: Store
    exports: Path

    def ordered(self) -> list[Dataset]:
        return sorted(self.datasets.values(), key=lambda d: (d.identifier, d.id))


def packages_version(root: Path, agency: Any) -> str:
    """Fingerprint of the packages (names, sizes, mtimes) and of what the gate allows."""
    digest = hashlib.sha1(FORMAT_VERSION.encode(), usedforsecurity=False)
    digest.update(repr((sorted(agency.office_phones), agency.phone, agency.fax, agency.email, agency.oid)).encode())
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file():
                stat = path.stat()
                digest.update(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def exports_root(db_path: Path) -> Path:
    return db_path.with_name(db_path.stem + "-exports")


def build(root: Path, db_path: Path, agency: Any, service_codes: set[str] | None, version: str) -> None:
    """Validate, gate and export every package, then swap in a new store of the publishable ones."""
    report = validate_all(root, agency, service_codes)
    for line in report.lines():
        log.error("dataset problem (not published): %s", line)
    publishable = report.publishable()
    folder = exports_root(db_path) / version
    for dataset in publishable:
        export_dataset(dataset, folder)
    problems = json.dumps([asdict(p) for p in report.problems], ensure_ascii=False)
    built_at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    build_store(db_path, publishable, version, {"built_at": built_at, "problems": problems})
    for old in exports_root(db_path).iterdir() if exports_root(db_path).is_dir() else ():  # none when nothing is publishable
        if old.is_dir() and old.name != version and time.time() - old.stat().st_mtime > 600:
            shutil.rmtree(old, ignore_errors=True)  # kept a while for processes still serving the previous build


def load_built(root: Path, db_path: Path) -> Built | None:
    store = Store(db_path)
    meta = store.meta()
    if "version" not in meta:
        return None
    tables = store.tables()
    datasets, _ = load_datasets(root)
    problems = [Problem(**p) for p in json.loads(meta.get("problems", "[]"))]
    return Built(meta["version"], dt.datetime.fromisoformat(meta["built_at"]), {d.id: d for d in datasets if d.id in tables},
                 tables, problems, store, exports_root(db_path) / meta["version"])


class DataService:
    def __init__(self, root: Path, db_path: Path, context: Callable[[], tuple[Any, set[str]]], reload_seconds: float) -> None:
        self.root, self.db_path, self.context, self.reload_seconds = root, db_path, context, reload_seconds
        self._built: Built | None = None
        self._checked = 0.0
        self._lock = threading.Lock()

    def current(self) -> Built:
        if self._built is None or (self.reload_seconds and time.monotonic() - self._checked > self.reload_seconds):
            with self._lock:
                self._refresh()
        return self._built

    def _refresh(self) -> None:
        self._checked = time.monotonic()
        agency, codes = self.context()
        version = packages_version(self.root, agency)
        if self._built is not None and self._built.version == version:
            return
        built = load_built(self.root, self.db_path) if self.db_path.exists() else None
        if built is None or built.version != version or not built.exports.is_dir():
            self.db_path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.db_path.with_name(self.db_path.name + ".lock"), "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)  # another worker may be building the same version
                built = load_built(self.root, self.db_path) if self.db_path.exists() else None
                if built is None or built.version != version or not built.exports.is_dir():
                    log.info("building the open-data store %s from %s", self.db_path, self.root)
                    build(self.root, self.db_path, agency, codes, version)
                    built = load_built(self.root, self.db_path)
        self._built = built
