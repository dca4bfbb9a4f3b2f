"""組織與聯絡: the units, their duties, public contacts, services and forms."""

from __future__ import annotations

from flask import Blueprint

from gongkai.web import current_corpus, document_info, document_or_404, lang, listing_info, lurl, render_page, t

bp = Blueprint("units", __name__)


@bp.get("/units/")
def index():
    units = current_corpus().of_kind(lang(), "unit")
    return render_page("units.html", listing_info(t("site.units"), t("site.units"), units), breadcrumbs=[], documents=units)


@bp.get("/units/<doc_id>/")
def detail(doc_id: str):
    corpus = current_corpus()
    doc = document_or_404("unit", doc_id)
    return render_page("unit.html", document_info(doc), doc=doc,
                       procedures=corpus.by_unit(lang(), doc.unit, "procedure"),
                       forms=corpus.by_unit(lang(), doc.unit, "form"),
                       breadcrumbs=[(t("site.units"), lurl("units.index"))])
