"""The one table of problem codes: documented as it is, and every code the checks use is in it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from gongkai.problem_codes import CODES, markdown_table
from gongkai.problems import Problem

REPO = Path(__file__).resolve().parent.parent
CODE_LITERAL = re.compile(r"""["']((?:content|data|links)\.(?!(?:xml|csv|json|yaml|html|txt|md|sqlite)["'])[a-z0-9-]+)["']""")  # not file names


def test_the_documented_table_is_the_table() -> None:
    written = (REPO / "docs" / "problem-codes.md").read_text(encoding="utf-8")
    assert written == markdown_table(), "run: python -m gongkai.problem_codes > docs/problem-codes.md"
    printed = subprocess.run([sys.executable, "-m", "gongkai.problem_codes"], capture_output=True, text=True, check=True).stdout
    assert printed == written


def test_every_code_written_in_the_checks_is_in_the_table() -> None:
    used = {match for path in (REPO / "gongkai").rglob("*.py") if path.name != "problem_codes.py"
            for match in CODE_LITERAL.findall(path.read_text(encoding="utf-8"))}
    assert used, "the checks name their codes"
    assert used <= set(CODES), f"codes used but not in gongkai/problem_codes.py: {sorted(used - set(CODES))}"


def test_a_problem_with_an_unknown_code_cannot_be_made() -> None:
    with pytest.raises(ValueError, match="problem_codes"):
        Problem(file="x.md", code="content.no-such-code", message="m", fix="f")


def test_the_three_places_print_alike() -> None:
    content = Problem(file="docs/zh/a.md", line=3, field="unit", code="content.unknown-code", message="unknown unit 'x'", fix="use a code")
    data = Problem(dataset="d", file="d.csv", row=4, column="name", code="data.personal-name", message="王○明", fix="mask it")
    link = Problem(page="https://x/a/", link="https://y/b", code="links.not-found", message="404", fix="remove the link")
    assert str(content) == "docs/zh/a.md:3: unit: content.unknown-code: unknown unit 'x' — use a code"
    assert str(data) == "d / d.csv / row 4 / name: data.personal-name: 王○明 — mask it"
    assert str(link) == "https://x/a/ → https://y/b: links.not-found: 404 — remove the link"
    assert link.to_json() == {"code": "links.not-found", "severity": "error", "message": "404", "fix": "remove the link",
                              "where": {"page": "https://x/a/", "link": "https://y/b"}}
