"""A withdrawn document's page: 410 Gone with a notice saying when and why, and where to go on.

A withdrawal is published as the document's own file with ``review.status: withdrawn`` and
``withdrawal: {date, reason}`` (content/README.md); the corpus keeps such documents out of every
list, and ``document_or_404`` raises ``Gone`` for them, which this handler renders."""

from __future__ import annotations

from dataclasses import replace

from flask import Flask, Response

from gongkai.web import EN, ZH, absolute, current_corpus, doc_url, lang, listing_info, lurl, render_page, t
from gongkai.web.content import Gone

# the list page each kind's detail pages belong to
SECTION_OF_KIND = {"procedure": ("procedures", "procedures.index"), "form": ("forms", "forms.index"),
                   "news": ("news", "news.index"), "faq": ("faq", "faq.index"),
                   "disclosure": ("disclosure", "disclosure.index"), "statistics": ("statistics", "disclosure.statistics_index"),
                   "unit": ("units", "units.index"), "page": ("site_guide", "main.site_guide")}


def gone_page(error: Gone) -> Response:
    doc = error.doc
    corpus = current_corpus()
    other = EN if lang() == ZH else ZH
    twin = corpus.get(other, doc.translation) if doc.translation else None
    section_key, section_endpoint = SECTION_OF_KIND[doc.kind]
    date = doc.withdrawal.date.isoformat()
    text = t("site.gone_text", title=doc.title, date=date)
    # the language switch leads to the twin when it is still published, else to the other home page
    # the notice is dated by the withdrawal and owned by the document's unit, under its classification
    info = listing_info(t("site.gone"), text, [], alternates={other: absolute(doc_url(twin))} if twin else {},
                        when=doc.withdrawal.date, unit=corpus.code("units", doc.unit), keywords=doc.keywords)
    info = replace(info, themes=tuple(doc.theme), policies=tuple(doc.policy), services=tuple(doc.service))
    return render_page("gone.html", info, status=410, breadcrumbs=[], text=text, doc=doc, date=date, twin=twin,
                       section=(t("site.gone_section", section=t("site." + section_key)), lurl(section_endpoint)))


def init_app(app: Flask) -> None:
    app.register_error_handler(Gone, gone_page)
