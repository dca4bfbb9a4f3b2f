"""Where the suite finds the agency's content: GONGKAI_CONTENT_DIR when it is set — the app reads
the same variable, and tests/test_content_edits.py runs the whole suite against an edited copy
that way — else the shipped content/. Tests that need exact figures or texts use the small
fixture trees instead (tests/conftest.py, tests/fixtures/), never the demo's own words."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEMO_CONTENT = Path(os.environ.get("GONGKAI_CONTENT_DIR") or REPO / "content")
FIXTURE_CONTENT = REPO / "tests" / "fixtures" / "content"  # frozen test data (see its README)
