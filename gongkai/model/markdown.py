"""Markdown bodies → sanitised HTML. Raw HTML in content is not passed through."""

from __future__ import annotations

import re
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
_TAGS = {"p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "a", "strong", "em", "code", "pre", "blockquote",
         "table", "thead", "tbody", "tr", "th", "td", "br", "hr", "caption", "abbr", "span"}
_ATTRS = {"a": {"href", "title", "hreflang", "lang"}, "th": {"scope"}, "td": set(), "span": {"lang"}, "abbr": {"title"}}


@lru_cache(maxsize=4096)
def render_markdown(text: str) -> str:
    """Sanitised HTML; header cells get scope="col" so data tables are accessible."""
    html = _md.render(text)
    html = re.sub(r"<th(?=[ >])(?![^>]*scope)", '<th scope="col"', html)
    return nh3.clean(html, tags=_TAGS, attributes=_ATTRS, url_schemes={"http", "https", "mailto", "tel"}, link_rel="noopener noreferrer")


def plain_text(text: str) -> str:
    """The body as plain text (for JSON-LD, feeds and search snippets)."""
    return re.sub(r"\s+", " ", nh3.clean(_md.render(text), tags=set())).strip()
