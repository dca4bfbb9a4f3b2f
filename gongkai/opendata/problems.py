"""Problems as data: one shape for every finding of validation, the gate and metadata checks.

A problem prints as one line a person can act on:
``dataset / file / row / column: what was found — how to fix it``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    dataset: str
    file: str
    message: str
    fix: str
    row: int | None = None  # the spreadsheet row: the header is row 1, the first data row is row 2
    column: str = ""
    kind: str = "data"  # data | personal-data | metadata | package

    def line(self) -> str:
        where = [self.dataset, self.file or "-"]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(self.column)
        return f"{' / '.join(where)}: {self.message} — {self.fix}"

