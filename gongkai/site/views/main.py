"""Home, content pages and the 網站導覽 site map."""

from __future__ import annotations

from flask import Blueprint

from gongkai.site.sections import sections
from gongkai.web import current_corpus, document_info, document_or_404, lang, listing_info, render_page, t

bp = Blueprint("main", __name__)


@bp.get("/")
def home():
    corpus = current_corpus()
    news = corpus.of_kind(lang(), "news")[:5]
    procedures = corpus.of_kind(lang(), "procedure")[:8]
    agency = corpus.agency
    info = listing_info(agency.name(lang()), _home_description(agency), [*news, *procedures],
                        keywords=[agency.name(lang())])
    return render_page("home.html", info, breadcrumbs=[], news=news, procedures=procedures, sections=sections(corpus))


def _home_description(agency) -> str:
    if lang() == "en":
        return f"{agency.name_en}: services, forms, news, statistics and open information."
    return f"{agency.name_zh}全球資訊網：申辦業務、書表下載、新聞稿、業務統計與資訊公開。"


@bp.get("/page/<doc_id>/")
def page(doc_id: str):
    doc = document_or_404("page", doc_id)
    return render_page("document.html", document_info(doc), breadcrumbs=[], doc=doc)


@bp.get("/sitemap/")
def site_guide():
    corpus = current_corpus()
    intro = corpus.get(lang(), "site-guide", "page")
    info = listing_info(t("site.site_guide"), intro.summary if intro else t("site.site_guide"), [intro] if intro else [])
    return render_page("site_guide.html", info, breadcrumbs=[], intro=intro, sections=sections(corpus))
