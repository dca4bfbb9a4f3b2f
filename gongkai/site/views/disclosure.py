"""資訊公開: the 16-category directory, each category, its items and statistics reports."""

from __future__ import annotations

from flask import Blueprint, abort

from gongkai.web import current_corpus, document_info, document_or_404, lang, listing_info, lurl, render_page, t

bp = Blueprint("disclosure", __name__)


@bp.get("/disclosure/")
def index():
    corpus = current_corpus()
    categories = [(c, len(corpus.disclosure_items(lang(), c.code))) for c in corpus.codes["disclosure"].values()]
    everything = [d for code in corpus.codes["disclosure"] for d in corpus.disclosure_items(lang(), code)]
    description = "依政府資訊公開法第7條主動公開之16項資訊目錄。" if lang() != "en" else "The 16 categories of information published proactively under Article 7 of the Freedom of Government Information Law."
    return render_page("disclosure_index.html", listing_info(t("site.disclosure"), description, everything),
                       breadcrumbs=[], categories=categories)


@bp.get("/disclosure/<code>/")
def category(code: str):
    corpus = current_corpus()
    entry = corpus.code("disclosure", code)
    if entry is None:
        abort(404)
    items = corpus.disclosure_items(lang(), code)
    info = listing_info(entry.name(lang()), entry.description(lang()) or entry.name(lang()), items)
    return render_page("disclosure_category.html", info, entry=entry, documents=items,
                       breadcrumbs=[(t("site.disclosure"), lurl("disclosure.index"))])


@bp.get("/disclosure/item/<doc_id>/")
def item(doc_id: str):
    corpus = current_corpus()
    doc = document_or_404("disclosure", doc_id)
    entry = corpus.code("disclosure", doc.category)
    return render_page("document.html", document_info(doc), doc=doc, breadcrumbs=[
        (t("site.disclosure"), lurl("disclosure.index")), (entry.name(lang()), lurl("disclosure.category", code=entry.code))])


@bp.get("/statistics/")
def statistics_index():
    reports = current_corpus().of_kind(lang(), "statistics")
    return render_page("list.html", listing_info(t("site.statistics"), t("site.statistics"), reports), breadcrumbs=[
        (t("site.disclosure"), lurl("disclosure.index"))], documents=reports, section="statistics", search_kind="disclosure")


@bp.get("/statistics/<doc_id>/")
def statistics(doc_id: str):
    doc = document_or_404("statistics", doc_id)
    return render_page("statistics.html", document_info(doc), doc=doc, breadcrumbs=[
        (t("site.disclosure"), lurl("disclosure.index")), (t("site.statistics"), lurl("disclosure.statistics_index"))])
