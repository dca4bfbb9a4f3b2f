"""常見問答, with schema.org FAQPage data."""

from __future__ import annotations

from flask import Blueprint

from gongkai.model.markdown import plain_text
from gongkai.web import current_corpus, document_info, document_or_404, lang, listing_info, lurl, render_page, t

bp = Blueprint("faq", __name__)


@bp.get("/faq/")
def index():
    questions = current_corpus().of_kind(lang(), "faq")
    return render_page("faq.html", listing_info(t("site.faq"), t("site.faq"), questions), breadcrumbs=[],
                       documents=questions, jsonld=[faq_page(questions)])


@bp.get("/faq/<doc_id>/")
def detail(doc_id: str):
    doc = document_or_404("faq", doc_id)
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
