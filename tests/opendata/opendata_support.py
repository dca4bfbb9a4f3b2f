"""Paths shared by the open-data tests (importable: tests/ is not a package)."""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

from tests.demo_content import DEMO_CONTENT

REPO = Path(__file__).resolve().parents[2]
CONTENT = DEMO_CONTENT
DATASETS = CONTENT / "datasets"


@functools.cache
def demo_app():
    """One app on the demo content for the whole run, with its own store (tests that need
    another content tree start their app in a subprocess)."""
    from gongkai.app import create_app

    var = Path(tempfile.mkdtemp(prefix="gongkai-opendata-tests-"))
    return create_app({"TESTING": True, "VAR_DIR": str(var), "DATA_DB": str(var / "opendata.sqlite"), "CONTENT_RELOAD_SECONDS": 0})
