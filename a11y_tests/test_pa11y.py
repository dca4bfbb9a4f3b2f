"""pa11y-ci (axe + HTML_CodeSniffer, WCAG2AA) over every page of the sitemap plus the 404 and 410 pages.

The run itself is started in the background by the `pa11y_ci` fixture (conftest.py) when the
session begins; this test, sorted last, waits for it and fails with pa11y-ci's own report.
"""

from __future__ import annotations

import re

from a11y_tests.support import gone_paths, sitemap_paths

TIME_LIMIT = 20 * 60  # seconds; ~350 pages take 3-4 minutes on an idle 2-core machine


def test_pa11y_ci_sitemap_and_404(pa11y_ci):
    code, output, seconds = pa11y_ci.wait(timeout=TIME_LIMIT)
    summary = re.findall(r"(\d+)/(\d+) URLs passed", output)
    print(f"pa11y-ci: {'/'.join(summary[-1]) if summary else 'no summary'} URLs passed in {seconds:.0f} s")
    assert code == 0, f"pa11y-ci exited {code} after {seconds:.0f} s:\n{output.strip()}"
    assert summary, f"pa11y-ci printed no 'N/N URLs passed' line:\n{output.strip()}"
    expected = len(sitemap_paths()) + 1 + len(gone_paths())  # + the 404 page and the withdrawn documents' 410 pages
    assert int(summary[-1][1]) == expected, (
        f"pa11y-ci checked {summary[-1][1]} URLs, expected {expected} (the sitemap's pages, the 404 and 410 pages):\n{output.strip()}"
    )
