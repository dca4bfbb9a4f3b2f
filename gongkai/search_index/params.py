"""Search parameters, shared by the pages and the JSON API: validated once, with errors that
name the parameter and the fix (one shape: ParamError → 400 page or JSON)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from gongkai.search_index.normalize import clean

MAX_QUERY = 200  # characters; the header form says maxlength=200 too
MAX_PAGE = 100
PER_PAGE = 10
MAX_PER_PAGE = 50
SECTIONS: dict[str, tuple[str, ...]] = {  # section → the kinds it lists
    "procedure": ("procedure",), "form": ("form",), "news": ("news",), "faq": ("faq",),
    "disclosure": ("disclosure", "statistics"), "statistics": ("statistics",), "unit": ("unit",), "page": ("page",),
}
KINDS = ("procedure", "form", "news", "faq", "disclosure", "statistics", "unit", "page")
CODE_PARAMS = {"theme": "themes", "policy": "policies", "service": "services", "unit": "units"}
TEXT_PARAMS = ("q", "all", "phrase", "any", "none")


class ParamError(Exception):
    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter, self.message = parameter, message


@dataclass
class SearchParams:
    q: str = ""
    all: str = ""  # advanced form: all of these words
    phrase: str = ""  # this exact phrase
    any: str = ""  # any of these words
    none: str = ""  # none of these words
    section: str = ""
    kind: str = ""
    unit: str = ""
    theme: str = ""
    policy: str = ""
    service: str = ""
    year: str = ""
    sort: str = "relevance"
    page: int = 1
    per_page: int = PER_PAGE
    exact: bool = False  # turn off homophones and typos
    lang: str = "zh-Hant-TW"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def has_text(self) -> bool:
        return any(getattr(self, name) for name in TEXT_PARAMS)

    @property
    def has_filters(self) -> bool:
        return any(getattr(self, name) for name in ("section", "kind", "unit", "theme", "policy", "service", "year"))

    def query_values(self, **changes: Any) -> dict[str, Any]:
        """The parameters as URL query values (defaults left out), with ``changes`` applied."""
        values = {name: getattr(self, name) for name in (*TEXT_PARAMS, "section", "kind", "unit", "theme", "policy",
                                                          "service", "year", "sort", "page", "exact")}
        values.update(changes)
        defaults = {"sort": "relevance", "page": 1, "exact": False}
        return {k: ("1" if v is True else v) for k, v in values.items() if v not in ("", None, False) and defaults.get(k) != v}


def parse_params(args: Mapping[str, str], lang: str, codes: Mapping[str, Mapping[str, Any]], api: bool = False) -> SearchParams:
    """Validate request arguments; raise ParamError naming the first bad parameter."""
    params = SearchParams(lang=lang)
    for name in TEXT_PARAMS:
        value = clean(args.get(name, "") or "")
        if len(value) > MAX_QUERY:
            raise ParamError(name, f"{name}: the search text is {len(value)} characters long; "
                                   f"use at most {MAX_QUERY} characters (搜尋字詞請勿超過 {MAX_QUERY} 字)")
        setattr(params, name, value)
    section = args.get("section", "")
    if section and section not in SECTIONS:
        raise ParamError("section", f"section: unknown section {section[:40]!r}; use one of {', '.join(SECTIONS)}")
    params.section = section
    kind = args.get("kind", "")
    if kind and kind not in KINDS:
        raise ParamError("kind", f"kind: unknown document kind {kind[:40]!r}; use one of {', '.join(KINDS)}")
    params.kind = kind
    for name, listname in CODE_PARAMS.items():
        value = args.get(name, "")
        if value and value not in codes[listname]:
            raise ParamError(name, f"{name}: unknown code {value[:40]!r}; use a code from the {listname} list "
                                   f"(e.g. {', '.join(list(codes[listname])[:5])})")
        setattr(params, name, value)
    year = args.get("year", "")
    if year and not (year.isascii() and year.isdigit() and len(year) == 4):
        raise ParamError("year", f"year: {year[:40]!r} is not a year; use four digits, e.g. 2024")
    params.year = year
    sort = args.get("sort", "") or "relevance"
    if sort not in ("relevance", "date"):
        raise ParamError("sort", f"sort: {sort[:40]!r} is not a sort order; use relevance or date")
    params.sort = sort
    params.page = _number(args, "page", 1, MAX_PAGE)
    params.per_page = _number(args, "per_page", PER_PAGE, MAX_PER_PAGE) if api else PER_PAGE
    params.exact = args.get("exact", "") in ("1", "true", "on", "yes")
    return params


def _number(args: Mapping[str, str], name: str, default: int, highest: int) -> int:
    raw = args.get(name, "")
    if raw == "":
        return default
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw[:6]) <= highest:
        raise ParamError(name, f"{name}: {raw[:40]!r} is not a number from 1 to {highest}")
    return int(raw)
