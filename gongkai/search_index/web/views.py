"""The search pages: results with facets and highlights, the advanced form (no syntax), the
zero-result page with a suggestion, and the 400 page for bad parameters."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, request
from markupsafe import Markup, escape

from gongkai.search_index.params import CODE_PARAMS, KINDS, SECTIONS, ParamError, SearchParams, parse_params
from gongkai.search_index.service import Response as SearchResponse
from gongkai.search_index.web.labels import kind_label
from gongkai.web import absolute, current_corpus, document_path, lang, listing_info, lurl, render_page, t

bp = Blueprint("search", __name__, template_folder="templates", static_folder="static", static_url_path="/search/static")
FACET_ORDER = ("theme", "policy", "service", "kind", "unit", "year")
FACET_LIMIT = 12


def sitemap_urls(corpus: Any, language: str):
    yield "search.results", {}


def service():
    return current_app.extensions["gongkai.search"]


@bp.get("/search/")
def results():
    corpus = current_corpus()
    try:
        params = parse_params(request.args, lang(), corpus.codes)
    except ParamError as error:
        return _bad_request(error, SearchParams(lang=lang()))
    index = service().index(corpus)
    if index is None:
        info = listing_info(t("search.unavailable"), t("search.unavailable_text"), [])
        return render_page("search/unavailable.html", info, status=503, status_code=503)
    if request.args.get("advanced") or (not params.has_text and not params.has_filters):
        return _page("search/advanced.html", t("search.advanced"), params, None)
    found = service().search(params, index)
    return _page("search/results.html", _title(params), params, found)


@bp.get("/search/opensearch.xml")
def opensearch():
    agency = current_corpus().agency.name(lang())
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">\n'
        f"  <ShortName>{escape(agency[:16])}</ShortName>\n"
        f"  <Description>{escape(t('search.opensearch_description', agency=agency))}</Description>\n"
        "  <InputEncoding>UTF-8</InputEncoding>\n"
        f"  <Language>{escape(lang())}</Language>\n"
        f'  <Url type="text/html" method="get" template="{escape(absolute(lurl("search.results")))}?q={{searchTerms}}&amp;page={{startPage?}}"/>\n'
        f'  <Url type="application/json" method="get" template="{escape(absolute("/api/search"))}?q={{searchTerms}}&amp;lang={escape(lang())}&amp;page={{startPage?}}"/>\n'
        f'  <Url type="application/opensearchdescription+xml" rel="self" template="{escape(absolute(lurl("search.opensearch")))}"/>\n'
        "</OpenSearchDescription>\n"
    )
    return Response(xml, mimetype="application/opensearchdescription+xml")


def _title(params: SearchParams) -> str:
    text = params.q or " ".join(p for p in (params.all, params.phrase, params.any) if p)
    if text:
        return t("search.results_for", q=text[:60])
    if params.section:
        return t("search.section_results", section=kind_label(params.section))
    return t("search.results")


def _bad_request(error: ParamError, params: SearchParams):
    info = listing_info(t("search.bad_query"), error.message, [])
    return _page("search/error.html", t("search.bad_query"), params, None, status=400, message=error.message,
                 parameter=error.parameter, status_code=400, info=info)


def _page(template: str, title: str, params: SearchParams, found: SearchResponse | None, status: int = 200,
          info: Any = None, **extra: Any):
    corpus = current_corpus()
    documents = [d for d in (corpus.get(r.hit.stored.get("lang", ""), r.hit.stored.get("id", "")) for r in (found.results if found else [])) if d]
    info = info or listing_info(title, t("search.advanced_intro") if found is None else title, documents)
    crumbs = [] if template == "search/advanced.html" else [(t("search.advanced"), lurl("search.results"))]
    context = {"params": params, "found": found, "kind_label": kind_label, "options": _options(corpus),
               "url_with": lambda **changes: lurl("search.results", **params.query_values(**changes)),
               "pieces": render_pieces, "extra_css": lurl("search.static", filename="search.css")}
    if found is not None:
        context.update(results=[_result(r, corpus) for r in found.results], facets=_facets(found, params, corpus),
                       active=_active_filters(params, corpus))
    return render_page(template, info, breadcrumbs=crumbs, status=status, **context, **extra)


def render_pieces(pieces: list[tuple[str, bool]]) -> Markup:
    """Highlighted text: every piece escaped, matches in <mark>."""
    return Markup("").join(Markup("<mark>{}</mark>").format(text) if hit else escape(text) for text, hit in pieces)


def _result(result: Any, corpus: Any) -> dict[str, Any]:
    stored = result.hit.stored
    unit = corpus.code("units", stored.get("unit", ""))
    return {"url": document_path(stored.get("kind", ""), stored.get("lang", ""), stored.get("id", "")),
            "title": render_pieces(result.title), "snippet": render_pieces(result.snippet),
            "kind": kind_label(stored.get("kind", "")), "unit": unit.name(lang()) if unit else "",
            "date": str(stored.get("date", ""))[:10], "tier": result.tier}


def _name(corpus: Any, field: str, value: str) -> str:
    if field == "kind":
        return kind_label(value)
    if field == "year":
        return value
    code = corpus.code(CODE_PARAMS[field], value)
    return code.name(lang()) if code else value


def _facets(found: SearchResponse, params: SearchParams, corpus: Any) -> list[dict[str, Any]]:
    groups = []
    for field in FACET_ORDER:
        counts = found.facets.get(field, {})
        if field == "kind" and params.section:
            counts = {k: v for k, v in counts.items() if k in SECTIONS[params.section]}
        if not counts:
            continue
        order = sorted(counts.items(), key=lambda kv: (-int(kv[0]), 0) if field == "year" else (-kv[1], kv[0]))
        entries = [{"label": _name(corpus, field, value), "count": count, "active": getattr(params, field) == value,
                    "url": lurl("search.results", **params.query_values(**{field: value, "page": 1}))}
                   for value, count in order[:FACET_LIMIT]]
        groups.append({"field": field, "title": t(f"search.facet_{field}"), "entries": entries})
    return groups


def _active_filters(params: SearchParams, corpus: Any) -> list[dict[str, str]]:
    active = []
    if params.section:
        active.append({"name": f"{t('search.section')}：{kind_label(params.section)}",
                       "url": lurl("search.results", **params.query_values(section="", page=1))})
    for field in FACET_ORDER:
        value = getattr(params, field)
        if value:
            active.append({"name": f"{t('search.facet_' + field)}：{_name(corpus, field, value)}",
                           "url": lurl("search.results", **params.query_values(**{field: "", "page": 1}))})
    return active


def _options(corpus: Any) -> dict[str, list[tuple[str, str]]]:
    language = lang()
    years = sorted({str(d.updated.year) for d in corpus.in_language(language)}, reverse=True)
    return {
        "section": [(k, kind_label(k)) for k in SECTIONS],
        "kind": [(k, kind_label(k)) for k in KINDS],
        "unit": [(c.code, c.name(language)) for c in corpus.codes["units"].values()],
        "year": [(y, y) for y in years],
    }
