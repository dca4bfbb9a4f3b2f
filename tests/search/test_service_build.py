"""A serving process builds a missing index with `gongkai index` in a child process, so it never
holds the build's tables (pypinyin, the vocabulary) in its own memory."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from gongkai.search_index.index import current_build

REPO = Path(__file__).resolve().parents[2]

SERVE_ONCE = """
import json, sys
from gongkai.app import create_app
app = create_app({"VAR_DIR": sys.argv[1], "CONTENT_RELOAD_SECONDS": 0})
body = app.test_client().get("/api/search?q=計程車計費表").get_json()
print(json.dumps({"total": body["total"], "pypinyin": "pypinyin" in sys.modules,
                  "first": body["results"][0]["id"] if body["results"] else None}))
"""


def test_a_site_without_an_index_builds_it_in_a_child_process(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", SERVE_ONCE, str(tmp_path)], capture_output=True, text=True,
                          cwd=REPO, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    assert current_build(tmp_path / "index") is not None
    assert answer["total"] > 0 and answer["first"]
    assert answer["pypinyin"] is False, "the serving process loaded the build's pypinyin tables"
    assert "gongkai index" in done.stderr  # the child's summary is logged
