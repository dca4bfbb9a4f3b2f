"""Dublin Core + MyEGov classification metadata for one page (行政機關電子資料流通詮釋資料).

All 15 DC elements are mandatory, and every value is the page's own (never one fixed date
site-wide). The same record feeds the <meta> tags, the harvest listing and JSON-LD.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from gongkai import clock
from gongkai.conventions import META_TAGS
from gongkai.model.codes import Agency, Code

DC_TYPES = {"procedure": "服務", "form": "表單"}
LANGUAGE_NAMES = {"zh-Hant-TW": "中文", "en": "英文"}


@dataclass(frozen=True)
class PageInfo:
    """What the metadata of one HTML page is made of."""

    title: str
    description: str
    lang: str
    url: str
    published: dt.date
    updated: dt.date
    themes: tuple[str, ...]
    policies: tuple[str, ...]
    services: tuple[str, ...]
    keywords: tuple[str, ...]
    unit: Code | None = None
    kind: str = "page"
    coverage_max: dt.date | None = None
    source: str = ""
    relation: str = ""
    alternates: dict[str, str] = field(default_factory=dict)  # lang → URL of the twin page

    @classmethod
    def for_document(cls, doc: Any, url: str, unit: Code | None, **extra: Any) -> PageInfo:
        return cls(
            title=doc.title, description=doc.summary, lang=doc.lang, url=url,
            published=doc.published, updated=doc.updated,
            themes=tuple(doc.theme), policies=tuple(doc.policy), services=tuple(doc.service),
            keywords=tuple(doc.keywords), unit=unit, kind=doc.kind,
            coverage_max=doc.next_update_due or doc.updated,
            source=doc.sources[0].url if doc.sources else "", **extra,
        )

    @classmethod
    def for_listing(cls, title: str, description: str, lang: str, url: str, documents: Iterable[Any],
                    fallback: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]], keywords: Iterable[str] = (),
                    when: dt.date | None = None, **extra: Any) -> PageInfo:
        """A page listing documents takes its dates and codes from what it lists."""
        docs = list(documents)
        themes, policies, services = (
            _most_common(docs, "theme") or fallback[0],
            _most_common(docs, "policy") or fallback[1],
            _most_common(docs, "service") or fallback[2],
        )
        updated = max((d.updated for d in docs), default=when or clock.today())
        published = min((d.published for d in docs), default=updated)
        words = tuple(dict.fromkeys([*keywords, *(k for d in docs[:5] for k in d.keywords)]))[:12] or (title,)
        return cls(title=title, description=description, lang=lang, url=url, published=published,
                   updated=updated, themes=themes, policies=policies, services=services, keywords=words, **extra)


def _most_common(docs: list[Any], attr: str, limit: int = 3) -> tuple[str, ...]:
    counts = Counter(code for d in docs for code in getattr(d, attr))
    return tuple(code for code, _ in counts.most_common(limit))


def dublin_core(info: PageInfo, agency: Agency, codes: dict[str, dict[str, Code]], rights_url: str) -> list[tuple[str, str]]:
    """The (name, content) pair of every tag of META_TAGS, in its order."""
    publisher = agency.name_zh
    creator = f"{publisher}{info.unit.zh}" if info.unit else publisher
    theme_names = [codes["themes"][c].zh for c in info.themes if c in codes["themes"]]
    values = (
        info.title,
        creator,
        "、".join(theme_names) or info.title,
        info.description,
        info.unit.zh if info.unit else publisher,
        DC_TYPES.get(info.kind, "網頁"),
        "text/html",
        info.source or info.url,
        LANGUAGE_NAMES[info.lang],
        info.published.isoformat(),
        (info.coverage_max or info.updated).isoformat(),
        publisher,
        info.updated.isoformat(),
        agency.oid,
        info.relation or agency.base_url,
        f"{publisher}；依政府網站資料開放宣告提供利用 {rights_url}",
        ";".join(info.themes),
        ";".join(info.policies),
        ";".join(info.services),
        ",".join(info.keywords),
    )
    return list(zip(META_TAGS, values, strict=True))
