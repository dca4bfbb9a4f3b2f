"""申辦業務: the list (filterable by unit and service classification) and each procedure."""

from __future__ import annotations

from flask import Blueprint

from gongkai.site.listing import filtered_list
from gongkai.web import current_corpus, document_info, document_or_404, lurl, render_page, t

bp = Blueprint("procedures", __name__)


@bp.get("/procedures/")
@bp.get("/procedures/unit/<unit>/", endpoint="by_unit")
@bp.get("/procedures/service/<service>/", endpoint="by_service")
def index(unit: str | None = None, service: str | None = None):
    return filtered_list("procedure", "procedures", unit=unit, service=service)


@bp.get("/procedures/<doc_id>/")
def detail(doc_id: str):
    corpus = current_corpus()
    doc = document_or_404("procedure", doc_id)
    forms = corpus.forms_of(doc)
    twin = corpus.twin(doc)
    # English procedures often have no English form: offer the Chinese twin's forms, marked as Chinese
    other_language_forms = corpus.forms_of(twin) if not forms and twin is not None else []
    return render_page("procedure.html", document_info(doc), doc=doc, forms=forms, other_language_forms=other_language_forms,
                       breadcrumbs=[(t("site.procedures"), lurl("procedures.index"))])
