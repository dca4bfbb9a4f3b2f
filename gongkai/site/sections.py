"""The sections of the site, in menu order: used by the menu, the home page and 網站導覽."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app

from gongkai.web import doc_url, lang, lurl, t


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
    ("mailbox_menu", "mailbox.form"),
    ("browse", "browse.index"),
)


def menu() -> list[tuple[str, str]]:
    """The main menu; an entry appears when its package is installed (open data is optional)."""
    return [(t("site." + key), lurl(endpoint)) for key, endpoint in MENU if endpoint in current_app.view_functions]


def sections(corpus: Any) -> list[Section]:
    """Every section with its second-level entries, for the site map."""
    language = lang()

    def docs(kind: str) -> tuple[tuple[str, str], ...]:
        return tuple((d.title, doc_url(d)) for d in corpus.of_kind(language, kind))

    disclosure = tuple((c.name(language), lurl("disclosure.category", code=c.code)) for c in corpus.codes["disclosure"].values())
    browse = tuple((t("site." + s), lurl("browse.scheme", scheme=s)) for s in ("theme", "policy", "service"))
    return [
        Section(t("site.procedures"), lurl("procedures.index"), docs("procedure")),
        Section(t("site.forms"), lurl("forms.index"), docs("form")),
        Section(t("site.news"), lurl("news.index")),
        Section(t("site.faq"), lurl("faq.index")),
        Section(t("site.disclosure"), lurl("disclosure.index"), disclosure),
        Section(t("site.statistics"), lurl("disclosure.statistics_index"), docs("statistics")),
        Section(t("site.units"), lurl("units.index"), docs("unit")),
        *([Section(t("site.mailbox_menu"), lurl("mailbox.form"), ((t("site.mailbox_lookup"), lurl("mailbox.lookup")),))]
          if "mailbox.form" in current_app.view_functions else []),
        Section(t("site.browse"), lurl("browse.index"), browse),
        Section(t("site.about"), lurl("main.site_guide"), docs("page")),
    ]

