"""The sections of the site, in menu order: used by the menu, the home page and 網站導覽."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gongkai.site.i18n import lang, lurl, t


@dataclass(frozen=True)
class Section:
    label: str
    url: str
    children: tuple[tuple[str, str], ...] = ()


MENU = (
    ("procedures", "procedures.index"),
    ("forms", "forms.index"),
    ("news", "news.index"),
    ("faq", "faq.index"),
    ("disclosure", "disclosure.index"),
    ("units", "units.index"),
    ("open_data_menu", "opendata.index"),
    ("browse", "browse.index"),
)


def menu() -> list[tuple[str, str]]:
    """The main menu; an entry appears when its package is installed (open data is optional)."""
    from flask import current_app

    return [(t(key), lurl(endpoint)) for key, endpoint in MENU if endpoint in current_app.view_functions]


def sections(corpus: Any) -> list[Section]:
    """Every section with its second-level entries, for the site map."""
    language = lang()
    from gongkai.site.render import doc_url  # late import: render imports this module's users

    def docs(kind: str) -> tuple[tuple[str, str], ...]:
        return tuple((d.title, doc_url(d)) for d in corpus.of_kind(language, kind))

    disclosure = tuple((c.name(language), lurl("disclosure.category", code=c.code)) for c in corpus.codes["disclosure"].values())
    browse = tuple((t(s), lurl("browse.scheme", scheme=s)) for s in ("theme", "policy", "service"))
    return [
        Section(t("procedures"), lurl("procedures.index"), docs("procedure")),
        Section(t("forms"), lurl("forms.index"), docs("form")),
        Section(t("news"), lurl("news.index")),
        Section(t("faq"), lurl("faq.index")),
        Section(t("disclosure"), lurl("disclosure.index"), disclosure),
        Section(t("statistics"), lurl("disclosure.statistics_index"), docs("statistics")),
        Section(t("units"), lurl("units.index"), docs("unit")),
        Section(t("browse"), lurl("browse.index"), browse),
        Section(_pages_label(), lurl("main.site_guide"), docs("page")),
    ]


def _pages_label() -> str:
    return "About this site" if lang() == "en" else "關於本站"
