"""The filterable list shared by procedures and forms (filter by unit or 服務分類).

Filters are plain links to their own URLs, so they work without JavaScript and in the
frozen static site.
"""

from __future__ import annotations

from flask import abort

from gongkai.web import current_corpus, lang, listing_info, lurl, render_page, t


def filtered_list(kind: str, section: str, unit: str | None = None, service: str | None = None):
    corpus = current_corpus()
    everything = corpus.of_kind(lang(), kind)
    documents = everything
    active = None
    if unit is not None:
        entry = corpus.code("units", unit)
        if entry is None:
            abort(404)
        documents = [d for d in everything if d.unit == unit]
        active = entry.name(lang())
    elif service is not None:
        entry = corpus.code("services", service)
        if entry is None:
            abort(404)
        documents = [d for d in everything if service in d.service]
        active = entry.name(lang())
    units = _facet(corpus, everything, "units", lambda d: [d.unit], f"{section}.by_unit", "unit")
    services = _facet(corpus, everything, "services", lambda d: d.service, f"{section}.by_service", "service")
    title = t("site." + section) if active is None else f"{t('site.' + section)}：{active}" if lang() != "en" else f"{t('site.' + section)}: {active}"
    description = t("site." + section) + ("" if active is None else f" — {active}")
    crumbs = [] if active is None else [(t("site." + section), lurl(f"{section}.index"))]
    return render_page("list.html", listing_info(title, description, documents), breadcrumbs=crumbs,
                       documents=documents, section=section, units=units, services=services,
                       all_url=lurl(f"{section}.index"), active=active, search_kind=kind)


def _facet(corpus, documents, listname, codes_of, endpoint, arg):
    """(label, count, url, code) for each code that has at least one document."""
    counts: dict[str, int] = {}
    for doc in documents:
        for code in codes_of(doc):
            counts[code] = counts.get(code, 0) + 1
    return [(entry.name(lang()), counts[code], lurl(endpoint, **{arg: code}), code)
            for code, entry in corpus.codes[listname].items() if code in counts]
