"""What a page offers the checker: its link targets, its anchors (ids), its title and headings."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

# (element, attribute) pairs whose value is a link target to check
LINK_ATTRIBUTES = (
    ("a", "href"), ("area", "href"), ("link", "href"), ("img", "src"), ("script", "src"),
    ("iframe", "src"), ("source", "src"), ("video", "src"), ("video", "poster"), ("audio", "src"),
    ("track", "src"), ("embed", "src"), ("object", "data"), ("input", "src"),
)
SRCSET_ELEMENTS = ("img", "source")
_ATTRIBUTES_OF: dict[str, tuple[str, ...]] = {}
for _element, _attribute in LINK_ATTRIBUTES:
    _ATTRIBUTES_OF[_element] = (*_ATTRIBUTES_OF.get(_element, ()), _attribute)
_WALKED = (*_ATTRIBUTES_OF, "meta", "base")  # the only elements the walk needs to see
# <link rel> values that name no resource a visitor loads
IGNORED_LINK_RELS = {"preconnect", "dns-prefetch"}
UPDATE_DATE = re.compile(r"(更新日期|最後更新|最近更新|異動日期|Last updated|Updated)\s*[:：]?\s*\d", re.IGNORECASE)
# Compiled once (an XPath given as a string is compiled again on every call), answering plain strings.
_IDS = etree.XPath("//@id | //a/@name", smart_strings=False)
_TITLE_TEXT = etree.XPath("//title//text()", smart_strings=False)
_H1_TEXT = etree.XPath("(//h1)[1]//text()", smart_strings=False)
# lxml.etree's parser, not lxml.html's: lxml.html gives every element a Python object through a
# Python class lookup, which made walking a page cost several times parsing it. A parser is
# reusable, one document at a time; one per encoding.
_PARSERS: dict[str, etree.HTMLParser] = {}


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
    encoding = encoding or "utf-8"
    parser = _PARSERS.get(encoding)
    try:
        if parser is None:
            parser = _PARSERS[encoding] = etree.HTMLParser(encoding=encoding, recover=True, no_network=True, collect_ids=False)
        return etree.fromstring(body, parser=parser)  # None for a document with no element
    except (etree.ParserError, etree.XMLSyntaxError, ValueError, LookupError):
        return None


def _text(node) -> str:
    """An element's text without its tail; most links hold only text, which needs no serialising."""
    if not len(node):
        return node.text or ""
    return etree.tostring(node, method="text", encoding=str, with_tail=False)


def _headings(root, facts: PageFacts) -> None:
    facts.title = " ".join(" ".join(_TITLE_TEXT(root)).split())
    facts.h1 = " ".join(" ".join(_H1_TEXT(root)).split())


def parse_target(body: bytes, encoding: str | None = None) -> PageFacts:
    """Another site's page: only its title, first heading and ids (for the soft-404 and #fragment
    checks). Its links are not collected: another site's pages are targets, not part of the crawl."""
    facts = PageFacts()
    root = _parse(body, encoding)
    if root is not None:
        facts.ids = set(_IDS(root))
        _headings(root, facts)
    return facts


def parse_page(body: bytes, encoding: str | None = None) -> PageFacts:
    """Parse an HTML document leniently; a page that cannot be parsed has no facts.

    One walk over the elements that can carry a link, a <base> or a <meta> collects them in
    document order; the ids come from one XPath query."""
    facts = PageFacts()
    root = _parse(body, encoding)
    if root is None:
        return facts
    references, meta = facts.references, facts.meta
    base = None
    for node in root.iter(*_WALKED):
        tag = node.tag
        if tag == "meta":
            if name := node.get("name"):
                meta.setdefault(name, node.get("content") or "")
            continue
        if tag == "base":
            if base is None and (href := node.get("href")) is not None:
                base = href.strip()
            continue
        attributes = _ATTRIBUTES_OF[tag]
        if tag == "link" and IGNORED_LINK_RELS & set((node.get("rel") or "").lower().split()):
            continue
        for attribute in attributes:
            value = node.get(attribute)
            if value is None or not value.strip():
                continue
            text = (node.get("alt") or _text(node)) if tag in ("a", "img") else ""
            references.append(Reference(value, tag, " ".join(text.split())[:120]))
        if tag in SRCSET_ELEMENTS and (srcset := node.get("srcset")):
            for candidate in srcset.split(","):
                if candidate.strip():
                    references.append(Reference(candidate.split()[0], tag))
    facts.base = base or ""
    facts.ids = set(_IDS(root))
    _headings(root, facts)
    body_node = root.find("body")
    facts.shows_update_date = body_node is not None and bool(UPDATE_DATE.search(_text(body_node)))
    return facts
