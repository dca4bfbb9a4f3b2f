"""組織與聯絡: the units, their duties, public contacts, services and forms."""

from __future__ import annotations

from flask import Blueprint, abort

from gongkai.site.i18n import lang, lurl, t
from gongkai.site.render import document_info, listing_info, render_page
from gongkai.site.state import current_corpus

bp = Blueprint("units", __name__)


@bp.get("/units/")
def index():
    units = current_corpus().of_kind(lang(), "unit")
    return render_page("units.html", listing_info(t("units"), t("units"), units), breadcrumbs=[], documents=units)


@bp.get("/units/<doc_id>/")
def detail(doc_id: str):
    corpus = current_corpus()
    doc = corpus.get(lang(), doc_id, "unit")
    if doc is None:
        abort(404)
    return render_page("unit.html", document_info(doc), doc=doc,
                       procedures=corpus.by_unit(lang(), doc.unit, "procedure"),
                       forms=corpus.by_unit(lang(), doc.unit, "form"),
                       breadcrumbs=[(t("units"), lurl("units.index"))])
