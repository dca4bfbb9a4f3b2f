"""The agency edits content/ all the time: the suite must not depend on the demo's own words.

This test copies content/, changes a document's title and removes a document, checks that the
copy is valid content, and runs the rest of the suite against the copy (GONGKAI_CONTENT_DIR, which
the app and tests/demo_content.py both read). Tests that need exact figures or texts use the small
fixture trees under tests/ instead.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.demo_content import DEMO_CONTENT, REPO

SUITE_MINUTES = 20


def unreferenced_news(content: Path) -> Path:
    """A news item no other document names (its id appears in no other file): safe to delete."""
    everything = {path: path.read_text(encoding="utf-8") for path in (content / "docs").rglob("*.md")}
    for path in sorted((content / "docs").rglob("news/*.md")):
        doc_id = re.search(r"^id:\s*(\S+)", everything[path], re.M).group(1)
        if "translation:" not in everything[path] and not any(doc_id in text for other, text in everything.items() if other != path):
            return path
    raise AssertionError("the content has no news item that nothing refers to")


def test_the_suite_passes_against_an_edited_copy_of_the_content(tmp_path: Path) -> None:
    copy = tmp_path / "content"
    shutil.copytree(DEMO_CONTENT, copy)
    procedure = next(p for p in sorted((copy / "docs" / "zh").rglob("*.md")) if "kind: procedure" in p.read_text(encoding="utf-8"))
    text = procedure.read_text(encoding="utf-8")
    procedure.write_text(re.sub(r"^title: .*$", "title: 本項業務已更名（編輯測試）", text, count=1, flags=re.M), encoding="utf-8")
    unreferenced_news(copy).unlink()

    env = {**os.environ, "GONGKAI_CONTENT_DIR": str(copy), "GONGKAI_VAR_DIR": str(tmp_path / "var")}
    check = subprocess.run([sys.executable, "-m", "gongkai", "check"], env=env, capture_output=True, text=True, cwd=REPO)
    assert check.returncode == 0, check.stdout + check.stderr
    # Two workers (pytest-xdist): the second run of the suite is the slowest single test of CI, and
    # most of it waits on one core while the other is idle.
    suite = subprocess.run([sys.executable, "-m", "pytest", "tests", "-q", "-x", "-p", "no:cacheprovider", "-n", "2",
                            "--ignore", str(Path(__file__).relative_to(REPO))],
                           env=env, capture_output=True, text=True, cwd=REPO, timeout=SUITE_MINUTES * 60)
    assert suite.returncode == 0, "the suite fails against an edited copy of content/:\n" + "\n".join(suite.stdout.splitlines()[-40:])
