"""新聞稿: paged list, detail, and RSS / Atom feeds."""

from __future__ import annotations

import datetime as dt

from feedgen.feed import FeedGenerator
from flask import Blueprint, Response, abort, current_app

from gongkai.web import EN, ZH, absolute, current_corpus, doc_url, document_info, document_or_404, lang, listing_info, lurl, render_page, t

bp = Blueprint("news", __name__)
TAIPEI = dt.timezone(dt.timedelta(hours=8))


@bp.get("/news/")
@bp.get("/news/page/<int:number>/", endpoint="page")
def index(number: int = 1):
    corpus = current_corpus()
    items = corpus.of_kind(lang(), "news")
    pages = _page_count(corpus, lang())
    if not 1 <= number <= pages:
        abort(404)
    per_page = current_app.config["NEWS_PER_PAGE"]
    shown = items[(number - 1) * per_page: number * per_page]
    title = t("site.news") if number == 1 else f"{t('site.news')} — {t('site.page_n', n=number)}"
    crumbs = [] if number == 1 else [(t("site.news"), lurl("news.index"))]
    # the other language has its own number of pages: page 3 may exist in one and not the other
    alternates = {language: absolute(_page_url(number if number <= _page_count(corpus, language) else 1, language))
                  for language in (ZH, EN)}
    return render_page("news_list.html", listing_info(title, t("site.news"), shown, alternates=alternates), breadcrumbs=crumbs,
                       documents=shown, number=number, pages=pages, page_url=_page_url)


def _page_count(corpus, language: str) -> int:
    return max(1, -(-len(corpus.of_kind(language, "news")) // current_app.config["NEWS_PER_PAGE"]))


def _page_url(number: int, language: str | None = None) -> str:
    return lurl("news.index", _lang=language) if number == 1 else lurl("news.page", _lang=language, number=number)


@bp.get("/news/<doc_id>/")
def detail(doc_id: str):
    doc = document_or_404("news", doc_id)
    return render_page("document.html", document_info(doc), doc=doc, breadcrumbs=[(t("site.news"), lurl("news.index"))])


@bp.get("/news/rss.xml")
def rss():
    return Response(_feed().rss_str(pretty=True), mimetype="application/rss+xml")


@bp.get("/news/atom.xml")
def atom():
    return Response(_feed().atom_str(pretty=True), mimetype="application/atom+xml")


def _feed() -> FeedGenerator:
    corpus = current_corpus()
    agency = corpus.agency
    feed = FeedGenerator()
    feed.id(absolute(lurl("news.index")))
    feed.title(f"{agency.name(lang())} — {t('site.news')}")
    feed.link(href=absolute(lurl("news.index")), rel="alternate")
    feed.link(href=absolute(lurl("news.atom")), rel="self")
    feed.description(t("site.news"))
    feed.language(lang())
    feed.author({"name": agency.name(lang()), "email": agency.email})
    for doc in reversed(corpus.of_kind(lang(), "news")[:30]):  # feedgen lists the last added first
        entry = feed.add_entry()
        entry.id(doc_url(doc, True))
        entry.title(doc.title)
        entry.link(href=doc_url(doc, True))
        entry.summary(doc.summary)
        entry.published(dt.datetime.combine(doc.published, dt.time(9), TAIPEI))
        entry.updated(dt.datetime.combine(doc.updated, dt.time(9), TAIPEI))
    return feed
