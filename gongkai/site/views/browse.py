"""Browse by the three national classifications: 主題 (topic), 施政 (policy), 服務 (service)."""

from __future__ import annotations

from flask import Blueprint, abort

from gongkai.model.corpus import SCHEMES
from gongkai.web import current_corpus, lang, listing_info, lurl, render_page, t

bp = Blueprint("browse", __name__)
SCHEME_RULE = "<any(theme, policy, service):scheme>"


@bp.get("/browse/")
def index():
    corpus = current_corpus()
    schemes = [(s, t("site." + s), _rows(corpus, s)) for s in SCHEMES]
    info = listing_info(t("site.browse"), _describe(), corpus.in_language(lang()))
    return render_page("browse_index.html", info, breadcrumbs=[], schemes=schemes)


@bp.get(f"/browse/{SCHEME_RULE}/")
def scheme(scheme: str):
    corpus = current_corpus()
    info = listing_info(t("site." + scheme), _describe(scheme), corpus.in_language(lang()))
    return render_page("browse_scheme.html", info, breadcrumbs=[(t("site.browse"), lurl("browse.index"))],
                       scheme=scheme, rows=_rows(corpus, scheme))


@bp.get(f"/browse/{SCHEME_RULE}/<code>/")
def code(scheme: str, code: str):
    corpus = current_corpus()
    entry = corpus.code(SCHEMES[scheme], code)
    if entry is None:
        abort(404)
    documents = corpus.classified(lang(), scheme, code)
    title = f"{t('site.' + scheme)}：{entry.name(lang())}" if lang() != "en" else f"{t('site.' + scheme)}: {entry.name(lang())}"
    info = listing_info(title, _describe(scheme), documents)
    return render_page("browse_code.html", info, entry=entry, scheme=scheme, documents=documents,
                       breadcrumbs=[(t("site.browse"), lurl("browse.index")), (t("site." + scheme), lurl("browse.scheme", scheme=scheme))])


def _rows(corpus, scheme: str) -> list[tuple[object, int, str]]:
    counts = corpus.counts(lang(), scheme)
    return [(entry, counts.get(code, 0), lurl("browse.code", scheme=scheme, code=code))
            for code, entry in corpus.codes[SCHEMES[scheme]].items()]


def _describe(scheme: str | None = None) -> str:
    if lang() == "en":
        return "Find pages by the national topic, policy and service classifications." if scheme is None else f"Pages {t('site.' + scheme).lower()} classification, with the number of pages in each class."
    return "依主題、施政及服務三種分類瀏覽本站資訊。" if scheme is None else f"依{t('site.' + scheme)}瀏覽本站資訊，並列出各分類的文件數。"
