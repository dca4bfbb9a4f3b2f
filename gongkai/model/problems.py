"""The problems found while loading content, in the project's one problem shape (gongkai.problems)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from gongkai.problems import Problem

__all__ = ["Problem", "Report"]


@dataclass
class Report:
    """The problems found while loading content. Valid when there are none."""

    root: Path
    problems: list[Problem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems

    def add(self, file: Path | str, line: int, field_name: str, code: str, message: str, fix: str) -> None:
        self.problems.append(Problem(file=self.relative(file), line=line, field=field_name, code=code, message=message, fix=fix))

    def relative(self, file: Path | str) -> str:
        path = Path(file)
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    def lines(self) -> list[str]:
        return [str(p) for p in sorted(set(self.problems))]
