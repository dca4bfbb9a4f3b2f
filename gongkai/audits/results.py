"""What an audit produces: a binary verdict per target, plus warnings that carry a registered tag.

One shape for every finding (link, content or accessibility), so that the store and every report
handle them alike. Warnings are tags a webmaster can silence per URL pattern (see silence.py);
broken results cannot be silenced, only fixed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Tag:
    name: str
    title: str
    why: str


WARNING_TAGS: dict[str, Tag] = {t.name: t for t in (
    Tag("permanent-redirect", "Moved permanently", "The link works through a 301/308 redirect; point it at the new address."),
    Tag("blocked", "Cannot verify, blocked", "The server answered with a bot challenge (e.g. cf-mitigated: challenge); check it by hand in a browser."),
    Tag("robots-disallowed", "Not checked, robots.txt", "The other site's robots.txt asks crawlers not to fetch this address."),
    Tag("rate-limited", "Rate limited", "The server kept answering 429/503 and asked to wait longer than the run allows."),
    Tag("body-truncated", "Page too large", "Only the first part of a very large page was read; links further down were not checked."),
    Tag("not-checked", "Not checked", "The run's time limit ran out before this address was checked."),
    Tag("unsupported-scheme", "Other scheme", "The link uses a scheme (ftp:, …) the checker does not verify."),
    # content correctness (content_pass.py)
    Tag("overdue", "Past its update cycle", "A monthly / quarterly / yearly page has not been updated within its cycle."),
    Tag("no-update-date", "No 更新日期", "The page does not show when it was last updated."),
    Tag("no-source-link", "Cited data without a source link", "The page cites others' data but gives no link to the source."),
    Tag("not-open-format", "Attachment not in an open format", "Offer the file also as ODF (odt/ods/odp) or PDF."),
    Tag("orphan", "Orphan page", "No other page links to this page, so visitors cannot find it by browsing."),
    Tag("empty-title", "Empty title", "The page's <title> or heading is empty."),
    Tag("duplicate-title", "Duplicate title", "Several pages share the same <title>; give each a title that says what it is."),
)}


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
