"""pa11y-ci (axe + HTML_CodeSniffer, WCAG2AA) over every page of the sitemap plus the 404 page.

The run itself is started in the background by the `pa11y_ci` fixture (conftest.py) when the
session begins; this test, sorted last, waits for it and fails with pa11y-ci's own report.
"""

from __future__ import annotations

import re

TIME_LIMIT = 20 * 60  # seconds; ~300 pages take a few minutes


def test_pa11y_ci_sitemap_and_404(pa11y_ci):
    code, output, seconds = pa11y_ci.wait(timeout=TIME_LIMIT)
    summary = re.findall(r"\d+/\d+ URLs passed", output)
    print(f"pa11y-ci: {summary[-1] if summary else 'no summary'} in {seconds:.0f} s")
    assert code == 0, f"pa11y-ci exited {code} after {seconds:.0f} s:\n{output.strip()}"
    assert summary, f"pa11y-ci printed no 'N/N URLs passed' line:\n{output.strip()}"
