"""What a page offers the checker: its link targets, its anchors (ids), its title and headings."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import html as lxml_html
from lxml.etree import ParserError

# (element, attribute) pairs whose value is a link target to check
LINK_ATTRIBUTES = (
    ("a", "href"), ("area", "href"), ("link", "href"), ("img", "src"), ("script", "src"),
    ("iframe", "src"), ("source", "src"), ("video", "src"), ("video", "poster"), ("audio", "src"),
    ("track", "src"), ("embed", "src"), ("object", "data"), ("input", "src"),
)
SRCSET_ELEMENTS = ("img", "source")
# <link rel> values that name no resource a visitor loads
IGNORED_LINK_RELS = {"preconnect", "dns-prefetch"}
UPDATE_DATE = re.compile(r"(更新日期|最後更新|最近更新|異動日期|Last updated|Updated)\s*[:：]?\s*\d", re.IGNORECASE)


@dataclass
class Reference:
    href: str  # as written
    element: str  # "a", "img", …
    text: str = ""  # link text or alt, for the report


@dataclass
class PageFacts:
    references: list[Reference] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    title: str = ""
    h1: str = ""
    base: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    shows_update_date: bool = False  # the page says when it was last updated (更新日期)


def _parse(body: bytes, encoding: str | None):
    """The document's root, parsed leniently; None for a page that cannot be parsed."""
    if not body.strip():
        return None
    try:
        parser = lxml_html.HTMLParser(encoding=encoding or "utf-8", recover=True)
        return lxml_html.document_fromstring(body, parser=parser)
    except (ParserError, ValueError):
        return None


def _anchors_and_headings(root, facts: PageFacts) -> None:
    facts.ids = {value for value in root.xpath("//@id")} | {value for value in root.xpath("//a/@name")}
    facts.title = " ".join(" ".join(root.xpath("//title//text()")).split())
    facts.h1 = " ".join(" ".join(root.xpath("(//h1)[1]//text()")).split())


def parse_target(body: bytes, encoding: str | None = None) -> PageFacts:
    """Another site's page: only its title, first heading and ids (for the soft-404 and #fragment
    checks). Its links are not collected: another site's pages are targets, not part of the crawl."""
    facts = PageFacts()
    root = _parse(body, encoding)
    if root is not None:
        _anchors_and_headings(root, facts)
    return facts


def parse_page(body: bytes, encoding: str | None = None) -> PageFacts:
    """Parse an HTML document leniently; a page that cannot be parsed has no facts."""
    facts = PageFacts()
    root = _parse(body, encoding)
    if root is None:
        return facts
    for element, attribute in LINK_ATTRIBUTES:
        for node in root.iter(element):
            value = node.get(attribute)
            if value is None or not value.strip():
                continue
            if element == "link" and IGNORED_LINK_RELS & set((node.get("rel") or "").lower().split()):
                continue
            text = node.get("alt") or node.text_content() if element in ("a", "img") else ""
            facts.references.append(Reference(value, element, " ".join((text or "").split())[:120]))
    for element in SRCSET_ELEMENTS:
        for node in root.iter(element):
            for candidate in (node.get("srcset") or "").split(","):
                if candidate.strip():
                    facts.references.append(Reference(candidate.split()[0], element))
    _anchors_and_headings(root, facts)
    bases = root.xpath("//base/@href")
    facts.base = bases[0].strip() if bases else ""
    body = root.find("body")
    facts.shows_update_date = body is not None and bool(UPDATE_DATE.search(body.text_content()))
    for node in root.iter("meta"):
        if node.get("name"):
            facts.meta.setdefault(node.get("name"), node.get("content") or "")
    return facts
