"""One registry of interface labels for every part, with namespaced keys.

Each part registers its own table once, under its own namespace (``site``, ``search``,
``opendata`` …); a label is then asked for as ``namespace.key``. A key that is not registered
raises KeyError at once, so a typo cannot show an empty label to a visitor.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gongkai.web.i18n import EN, lang

_TABLES: dict[str, Mapping[str, tuple[str, str]]] = {}


def register(namespace: str, table: Mapping[str, tuple[str, str]]) -> None:
    """Add a part's labels: key → (Chinese, English). A namespace belongs to one table."""
    if "." in namespace:
        raise ValueError(f"label namespace {namespace!r} may not contain a dot")
    if _TABLES.get(namespace, table) is not table:
        raise ValueError(f"label namespace {namespace!r} is already registered by another table")
    _TABLES[namespace] = table


def label(key: str, language: str, **values: Any) -> str:
    namespace, _, name = key.partition(".")
    try:
        zh, en = _TABLES[namespace][name]
    except KeyError:
        raise KeyError(f"no label {key!r}: register it in the {namespace!r} label table") from None
    text = en if language == EN else zh
    return text.format(**values) if values else text


def t(key: str, **values: Any) -> str:
    """The label named ``namespace.key`` in the current request's language."""
    return label(key, lang(), **values)


def namespaces() -> dict[str, Mapping[str, tuple[str, str]]]:
    return dict(_TABLES)
