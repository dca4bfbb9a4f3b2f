"""The webmaster's synonym file, content/search/synonyms.txt: one group of equivalent terms per
line, separated by commas (、 and ， work too); ``#`` starts a comment. Applied at query time,
so editing the file needs no re-index; the results page shows what was also searched."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.search_index.normalize import fold

SEPARATORS = re.compile(r"[,，、]")


@dataclass
class Synonyms:
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)  # folded term → its group, folded
    problems: list[str] = field(default_factory=list)
    longest: int = 0

    @classmethod
    def load(cls, path: Path) -> Synonyms:
        result = cls()
        if not path.is_file():
            return result
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            text = line.split("#", 1)[0].strip()
            if not text:
                continue
            terms = [t.strip() for t in SEPARATORS.split(text) if t.strip()]
            if len(terms) < 2:
                result.problems.append(f"{path}:{number}: a synonym line needs two or more terms separated by commas, e.g. 計量, 度量衡")
                continue
            group = tuple(dict.fromkeys(fold(t) for t in terms))
            for term in group:
                result.groups[term] = tuple(dict.fromkeys(result.groups.get(term, ()) + group))
                result.longest = max(result.longest, len(term))
        return result

    def of(self, folded_term: str) -> list[str]:
        """The other terms of the term's group(s)."""
        return [t for t in self.groups.get(folded_term, ()) if t != folded_term]

    def terms(self) -> list[str]:
        return list(self.groups)
