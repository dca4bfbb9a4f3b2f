"""Errors as data: every content problem has one shape, printed as one line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, with where it is and how to fix it."""

    file: str
    line: int
    field: str
    message: str
    fix: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message} — {self.fix}"


@dataclass
class Report:
    """The problems found while loading content. Valid when there are none."""

    root: Path
    problems: list[Problem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems

    def add(self, file: Path | str, line: int, field_name: str, message: str, fix: str) -> None:
        self.problems.append(Problem(self.relative(file), line, field_name, message, fix))

    def relative(self, file: Path | str) -> str:
        path = Path(file)
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    def lines(self) -> list[str]:
        return [str(p) for p in sorted(set(self.problems))]
