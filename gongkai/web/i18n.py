"""The two languages, and URLs in the current or the other language.

Chinese pages live at /, English at /en/: every page blueprint is registered twice, the
English copy named ``<blueprint>_en``. ``lurl`` picks the copy for the language wanted.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, g, url_for

ZH, EN = "zh-Hant-TW", "en"
EN_SUFFIX = "_en"


def lang() -> str:
    """The language of the current request (set from its path or blueprint)."""
    return getattr(g, "lang", ZH)


def endpoint_for(endpoint: str, language: str) -> str:
    if language != EN or "." not in endpoint:
        return endpoint
    blueprint, view = endpoint.split(".", 1)
    return f"{blueprint}{EN_SUFFIX}.{view}"


def lurl(endpoint: str, _lang: str | None = None, **values: Any) -> str:
    """url_for in the current language (or ``_lang``)."""
    return url_for(endpoint_for(endpoint, _lang or lang()), **values)


def language_of_path(path: str) -> str:
    """For requests no blueprint answers (404s): English under /en/, Chinese elsewhere."""
    return EN if path == "/en" or path.startswith("/en/") else ZH


def html_lang(language: str) -> str:
    return "zh-Hant-TW" if language == ZH else "en"


def register_localized(app: Flask, blueprint: Blueprint, cache: bool = True) -> None:
    """Register a page blueprint at / (Chinese) and /en/ (English, named <name>_en).

    ``cache``: its GET pages depend only on the content build, the day and the address, so the
    page cache may keep them (see gongkai.web.http).
    """
    app.register_blueprint(blueprint)
    app.register_blueprint(blueprint, url_prefix="/en", name=blueprint.name + EN_SUFFIX)
    if cache:
        cacheable = app.extensions.setdefault("gongkai.cacheable", set())
        for rule in list(app.url_map.iter_rules()):
            if rule.endpoint.split(".")[0] in (blueprint.name, blueprint.name + EN_SUFFIX):
                cacheable.add(rule.endpoint)


def set_language() -> None:
    """before_request: the language from the blueprint that answers, or the path when none does."""
    from flask import request

    blueprint = request.blueprint
    g.lang = language_of_path(request.path) if blueprint is None else EN if blueprint.endswith(EN_SUFFIX) else ZH
