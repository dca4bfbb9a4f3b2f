"""One problem shape for every check gongkai makes — `gongkai check` (content), `gongkai data
validate` (datasets) and `gongkai links` (the link and content audit): where it is, a stable code
from the one table of codes (gongkai.problem_codes), what is wrong and how to fix it.

Where is one of: a content file, its line and field; a dataset, its file, row and column; a page
and the link on it. Every command prints a problem the same way, one line each,

    where: code: what is wrong — how to fix it

or, with ``--format json``, as ``{"ok": …, "count": …, "problems": [{"code", "severity",
"message", "fix", "where": {…}}]}``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import IO, Any

import click

from gongkai.problem_codes import CODES

FORMATS = ("text", "json")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong, with where it is and how to fix it. Sorted by where, then code."""

    file: str = ""  # a content or dataset file, relative to its folder
    line: int = 0  # 1-based; 0 = the whole file
    field: str = ""  # a front-matter field, dotted (review.reviewer, forms.0)
    dataset: str = ""
    row: int = 0  # spreadsheet numbering: the header is row 1; 0 = the whole file
    column: str = ""
    page: str = ""  # the page a link is on
    link: str = ""  # the link's target
    code: str = ""
    message: str = ""
    fix: str = ""

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"problem code {self.code!r} is not in gongkai.problem_codes.CODES — add it there, with its meaning")

    @property
    def severity(self) -> str:
        return CODES[self.code].severity

    def where(self) -> str:
        if self.dataset:
            parts = [self.dataset, self.file or "-"]
            if self.row:
                parts.append(f"row {self.row}")
            if self.column:
                parts.append(self.column)
            return " / ".join(parts)
        if self.page or self.link:
            return f"{self.page} → {self.link}" if self.page and self.link else self.page or self.link
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}" if self.field else where

    def __str__(self) -> str:
        return f"{self.where()}: {self.code}: {self.message} — {self.fix}"

    def to_json(self) -> dict[str, Any]:
        place = {f.name: getattr(self, f.name) for f in fields(self)
                 if f.name not in ("code", "message", "fix") and getattr(self, f.name) not in ("", 0, None)}
        return {"code": self.code, "severity": self.severity, "message": self.message, "fix": self.fix, "where": place}


def problems_document(problems: Iterable[Problem]) -> dict[str, Any]:
    found = sorted(set(problems))
    return {"ok": not any(p.severity == "error" for p in found), "count": len(found), "problems": [p.to_json() for p in found]}


def write_problems(problems: Iterable[Problem], output_format: str, stream: IO[str]) -> None:
    """Print the problems in the one shape: a line each (text), or one JSON document."""
    if output_format == "json":
        stream.write(json.dumps(problems_document(problems), ensure_ascii=False, indent=1) + "\n")
        return
    for problem in sorted(set(problems)):
        stream.write(f"{problem}\n")


def format_option(function: Any) -> Any:
    """--format text|json: the one problem shape, as lines or as one JSON document (gongkai.problems)."""
    return click.option("--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True,
                        help="text: one line per problem, 'where: code: what is wrong — how to fix it'; json: one document.")(function)
