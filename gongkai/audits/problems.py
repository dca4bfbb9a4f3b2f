"""A link or content finding in the project's one problem shape (gongkai.problems), for what
`gongkai links` prints: the page it is on, the link, its code, what is wrong and the fix."""

from __future__ import annotations

from gongkai.audits.results import Finding
from gongkai.problems import Problem


def finding_problem(finding: Finding) -> Problem:
    """The first page that links the target stands for all of them (the reports list every page)."""
    others = len(finding.pages) - 1
    message = finding.message + (f" (also linked from {others} other page{'s' if others > 1 else ''})" if others > 0 else "")
    page, link = (finding.pages[0] if finding.pages else "", finding.target)
    if finding.check == "content":
        page, link = finding.target, ""  # a content finding is about the page itself
    return Problem(page=page, link=link, code=finding.code, message=message, fix=finding.fix)
