"""Rendering a page: its template, its per-page metadata and JSON-LD, in one place.

Every view of every package renders through ``render_page`` so that no HTML page can go
out without its Dublin Core / MyEGov tags.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from flask import current_app, make_response, render_template, request
from flask.wrappers import Response
from markupsafe import Markup

from gongkai.model.metadata import PageInfo, dublin_core
from gongkai.web.content import current_corpus
from gongkai.web.i18n import EN, EN_SUFFIX, ZH, endpoint_for, lang, lurl
from gongkai.web.labels import t

DOC_ENDPOINTS = {
    "page": "main.page",
    "procedure": "procedures.detail",
    "form": "forms.detail",
    "news": "news.detail",
    "faq": "faq.detail",
    "disclosure": "disclosure.item",
    "statistics": "disclosure.statistics",
    "unit": "units.detail",
}
SECTION_ENDPOINTS = {  # the list a document belongs to: its DC.Relation
    "page": "main.site_guide",
    "procedure": "procedures.index",
    "form": "forms.index",
    "news": "news.index",
    "faq": "faq.index",
    "disclosure": "disclosure.index",
    "statistics": "disclosure.statistics_index",
    "unit": "units.index",
}
# (themes, policies, services) for pages that list nothing of their own
SITE_CODES = (("110",), ("P50",), ("I00",))


def absolute(path: str) -> str:
    base = current_app.config["BASE_URL"].rstrip("/") or request.url_root.rstrip("/")
    return base + path


def document_path(kind: str, language: str, doc_id: str) -> str:
    """The path of a document's page, from its kind, language and id (as the search index stores them)."""
    return lurl(DOC_ENDPOINTS.get(kind, "main.page"), _lang=language, doc_id=doc_id)


def doc_url(doc: Any, external: bool = False) -> str:
    path = document_path(doc.kind, doc.lang, doc.id)
    return absolute(path) if external else path


def document_info(doc: Any, **extra: Any) -> PageInfo:
    corpus = current_corpus()
    twin = corpus.twin(doc)
    alternates = {doc.lang: doc_url(doc, True)}
    if twin is not None:
        alternates[twin.lang] = doc_url(twin, True)
    extra.setdefault("relation", absolute(lurl(SECTION_ENDPOINTS[doc.kind], _lang=doc.lang)))
    return PageInfo.for_document(doc, doc_url(doc, True), corpus.code("units", doc.unit), alternates=alternates, **extra)


def listing_info(title: str, description: str, documents: Iterable[Any], **extra: Any) -> PageInfo:
    """Metadata of a page in both languages at the same endpoint (lists, browses, home)."""
    if "alternates" not in extra:
        extra["alternates"] = {language: absolute(_same_page_in(language)) for language in (ZH, EN)}
    return PageInfo.for_listing(title, description, lang(), absolute(request.path), documents, SITE_CODES, **extra)


def _same_page_in(language: str) -> str:
    endpoint = (request.endpoint or "").replace(EN_SUFFIX + ".", ".")
    if request.url_rule is None or endpoint_for(endpoint, EN) not in current_app.view_functions:
        return lurl("main.home", _lang=language)
    return lurl(endpoint, _lang=language, **(request.view_args or {}))


def render_page(template: str, info: PageInfo, breadcrumbs: list[tuple[str, str]] | None = None,
                status: int = 200, jsonld: Iterable[dict[str, Any]] = (), **context: Any) -> Response:
    corpus = current_corpus()
    crumbs = [(t("site.home"), lurl("main.home")), *(breadcrumbs or [])]
    rights_url = absolute(lurl("main.page", doc_id="open-data-declaration"))
    meta = dublin_core(info, corpus.agency, corpus.codes, rights_url)
    other = EN if info.lang == ZH else ZH
    switch_url = info.alternates.get(other) or absolute(lurl("main.home", _lang=other))
    graph = [organization(corpus), breadcrumb_list(crumbs, info), *jsonld]
    html = render_template(
        template, info=info, meta=meta, breadcrumbs=crumbs, corpus=corpus, switch_url=switch_url,
        is_home=request.endpoint in ("main.home", endpoint_for("main.home", EN)),
        jsonld=Markup(json.dumps({"@context": "https://schema.org", "@graph": graph}, ensure_ascii=False).replace("<", "\\u003c")),
        **context,
    )
    response = make_response(html, status)
    response.headers["Content-Language"] = info.lang
    return response


def organization(corpus: Any) -> dict[str, Any]:
    agency = corpus.agency
    return {
        "@type": "GovernmentOrganization",
        "@id": agency.base_url + "#organization",
        "name": agency.name(lang()),
        "url": absolute(lurl("main.home")),
        "telephone": agency.phone,
        "faxNumber": agency.fax,
        "email": agency.email,
        "address": agency.address_en if lang() == EN else agency.address_zh,
        "parentOrganization": {"@type": "GovernmentOrganization", "name": agency.parent_en if lang() == EN else agency.parent_zh},
    }


def breadcrumb_list(crumbs: list[tuple[str, str]], info: PageInfo) -> dict[str, Any]:
    items = [{"@type": "ListItem", "position": i, "name": label, "item": absolute(url)} for i, (label, url) in enumerate(crumbs, 1)]
    items.append({"@type": "ListItem", "position": len(items) + 1, "name": info.title})
    return {"@type": "BreadcrumbList", "itemListElement": items}
