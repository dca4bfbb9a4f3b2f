"""What an audit produces: a binary verdict per target, plus warnings that carry a registered tag.

One shape for every finding (link, content or accessibility), so that the store and every report
handle them alike. Warnings are tags a webmaster can silence per URL pattern (see silence.py);
broken results cannot be silenced, only fixed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from gongkai.problem_codes import CODES


@dataclass(frozen=True)
class Tag:
    name: str
    title: str
    why: str


# The warnings a webmaster may silence: the warning codes of the one table (gongkai.problem_codes),
# without their "links." prefix.
WARNING_TAGS: dict[str, Tag] = {code.code.removeprefix("links."): Tag(code.code.removeprefix("links."), code.title, code.meaning)
                                for code in CODES.values() if code.code.startswith("links.") and code.severity == "warning"}


@dataclass
class Finding:
    """One problem on one target, found on one or more pages.

    `key` identifies the same problem across runs (for new / still / fixed); `broken` is the binary
    verdict; warnings carry `tag` (a WARNING_TAGS name). `message` is a human sentence, `fix` the
    suggested repair.
    """

    audit: str  # "links" or "a11y"
    check: str  # the check class that produced it, e.g. "http", "fragment", "mailto", "content", "axe"
    key: str
    target: str
    broken: bool
    message: str
    fix: str
    tag: str = ""
    status: int | None = None
    pages: list[str] = field(default_factory=list)
    code: str = ""  # the problem code (gongkai.problem_codes) of a link or content finding
    units: list[str] = field(default_factory=list)
    page_units: dict[str, str] = field(default_factory=dict)  # page -> its owner unit
    selector: str = ""
    excerpt: str = ""
    criterion: str = ""
    freego: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})

    def add_page(self, page: str, unit: str = "") -> None:
        if page and page not in self.pages:
            self.pages.append(page)
        if unit and unit not in self.units:
            self.units.append(unit)
        if page and unit:
            self.page_units[page] = unit


@dataclass
class Outcome:
    """The result of checking one URL (before it is attached to the pages that link it)."""

    url: str
    broken: bool
    status: int | None = None
    message: str = ""
    fix: str = ""
    warnings: list[tuple[str, str, str]] = field(default_factory=list)  # (tag, message, fix)
    final_url: str = ""
    content_type: str = ""
    transient: bool = False  # 5xx, 429, timeouts, connection errors: never cached
    from_cache: bool = False
    code: str = ""  # why it is broken: a links.* problem code

    def fail(self, code: str, message: str, fix: str, transient: bool = False) -> None:
        """The URL is broken, for the reason ``code`` names (a links.* problem code)."""
        self.broken, self.code, self.message, self.fix, self.transient = True, code, message, fix, transient

    def warn(self, tag: str, message: str, fix: str = "") -> None:
        assert tag in WARNING_TAGS, f"unregistered warning tag {tag!r}"
        self.warnings.append((tag, message, fix))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Outcome:
        data = dict(data)
        data["warnings"] = [tuple(w) for w in data.get("warnings", [])]
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})
