"""Problems of the data packages, in the project's one problem shape (gongkai.problems):
``dataset / file / row / column: code: what was found — how to fix it``."""

from __future__ import annotations

from gongkai.problems import Problem

__all__ = ["Problem", "data_problem"]


def data_problem(code: str, dataset: str, file: str, message: str, fix: str, row: int = 0, column: str = "") -> Problem:
    """A problem of one dataset: its file, and the spreadsheet row (header = 1) and column where it is."""
    return Problem(dataset=dataset, file=file, row=row or 0, column=column, code=code, message=message, fix=fix)
