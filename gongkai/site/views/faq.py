"""常見問答, with schema.org FAQPage data."""

from __future__ import annotations

from flask import Blueprint, abort

from gongkai.model.markdown import plain_text
from gongkai.web import current_corpus, document_info, lang, listing_info, lurl, render_page, t

bp = Blueprint("faq", __name__)


@bp.get("/faq/")
def index():
    questions = current_corpus().of_kind(lang(), "faq")
    return render_page("faq.html", listing_info(t("site.faq"), t("site.faq"), questions), breadcrumbs=[],
                       documents=questions, jsonld=[faq_page(questions)])


@bp.get("/faq/<doc_id>/")
def detail(doc_id: str):
    doc = current_corpus().get(lang(), doc_id, "faq")
    if doc is None:
        abort(404)
    return render_page("document.html", document_info(doc), doc=doc, jsonld=[faq_page([doc])],
                       breadcrumbs=[(t("site.faq"), lurl("faq.index"))])


def faq_page(questions: list) -> dict:
    return {
        "@type": "FAQPage",
        "mainEntity": [
            {"@type": "Question", "name": q.title, "acceptedAnswer": {"@type": "Answer", "text": plain_text(q.body)}}
            for q in questions
        ],
    }
