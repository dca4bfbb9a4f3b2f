"""The canonical list of every public page of the site: sitemap.xml, the metadata listing,
`gongkai freeze` and every check that walks the site start from it.

Other packages add their pages through ``app.extensions["gongkai.urls"]`` (a list of
callables taking the corpus and a language and yielding (endpoint, values)).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask import current_app

from gongkai.model.corpus import SCHEMES
from gongkai.web import EN, ZH, lurl
from gongkai.web.render import DOC_ENDPOINTS


def page_endpoints(corpus: Any, language: str) -> Iterator[tuple[str, dict[str, Any]]]:
    yield "main.home", {}
    yield "main.site_guide", {}
    yield "browse.index", {}
    for scheme, listname in SCHEMES.items():
        yield "browse.scheme", {"scheme": scheme}
        for code in corpus.codes[listname]:
            yield "browse.code", {"scheme": scheme, "code": code}
    for section, kind in (("procedures", "procedure"), ("forms", "form")):
        documents = corpus.of_kind(language, kind)
        yield f"{section}.index", {}
        for unit in sorted({d.unit for d in documents}):
            yield f"{section}.by_unit", {"unit": unit}
        for service in sorted({s for d in documents for s in d.service}):
            yield f"{section}.by_service", {"service": service}
    per_page = current_app.config["NEWS_PER_PAGE"]
    yield "news.index", {}
    for number in range(2, -(-len(corpus.of_kind(language, "news")) // per_page) + 1):
        yield "news.page", {"number": number}
    yield "faq.index", {}
    yield "disclosure.index", {}
    for code in corpus.codes["disclosure"]:
        yield "disclosure.category", {"code": code}
    yield "disclosure.statistics_index", {}
    yield "units.index", {}
    for doc in corpus.in_language(language):
        yield DOC_ENDPOINTS[doc.kind], {"doc_id": doc.id}
    for extra in current_app.extensions.get("gongkai.urls", []):
        yield from extra(corpus, language)


def sitemap_entries(corpus: Any) -> list[tuple[str, str]]:
    """(path, lastmod) of every HTML page, both languages: the canonical page list. A document's page
    carries its own update date; a list page none (it changes whenever what it lists does)."""
    entries = []
    for language in (ZH, EN):
        for endpoint, values in page_endpoints(corpus, language):
            doc = corpus.get(language, values["doc_id"]) if "doc_id" in values else None
            entries.append((lurl(endpoint, _lang=language, **values), doc.updated.isoformat() if doc else ""))
    return entries


def page_paths(corpus: Any) -> list[str]:
    """The path of every HTML page, both languages."""
    return [path for path, _ in sitemap_entries(corpus)]
