"""Paths shared by the open-data tests (importable: tests/ is not a package)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CONTENT = REPO / "content"
DATASETS = CONTENT / "datasets"
