"""From a content document to what the index stores: the text a citizen can find it by
(title, summary, body, kind-specific fields, keywords, and the text of its attached ODF
forms), its classifications for facets, and the display fields for results."""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

from gongkai.model.markdown import plain_text

log = logging.getLogger("gongkai.search")
ODF_SUFFIXES = (".odt", ".ods", ".odp")
MAX_ATTACHMENT_CHARS = 4000  # a form's words are short; a long table would drown the page's own text


def searchable_text(doc: Any, files_root: Path) -> str:
    """Everything a document can be found by except its title, as one plain text."""
    parts = [doc.summary, plain_text(doc.body)]
    for name in ("eligibility", "time_limit", "fee", "period"):
        value = getattr(doc, name, None)
        if value:
            parts.append(str(value))
    for name in ("steps", "documents", "duties"):
        parts.extend(getattr(doc, name, None) or [])
    for figure in getattr(doc, "figures", None) or []:
        parts.append(f"{figure.item} {figure.value:g} {figure.unit} {figure.note}".strip())
    parts.append("、".join(doc.keywords))
    for attachment in [*(getattr(doc, "attachments", None) or []), *([doc.example] if getattr(doc, "example", None) else [])]:
        parts.append(attachment.title)
        if attachment.file.lower().endswith(ODF_SUFFIXES):
            parts.append(odf_text(files_root / attachment.file))
    return "\n".join(p for p in parts if p)


@lru_cache(maxsize=512)
def _odf_text_cached(path: str, mtime: int) -> str:
    from odf import teletype
    from odf import text as odf_text_elements
    from odf.opendocument import load

    try:
        document = load(path)
    except Exception as error:  # a broken file must not stop the index: log it and index the rest
        log.warning("search: cannot read the text of %s (%s); indexed without it", path, error)
        return ""
    lines = []
    for paragraph in document.getElementsByType(odf_text_elements.P):
        line = teletype.extractText(paragraph).strip()
        if line and (not lines or lines[-1] != line):
            lines.append(line)
    return "\n".join(lines)[:MAX_ATTACHMENT_CHARS]


def odf_text(path: Path) -> str:
    """The paragraphs and cell texts of an ODF file (cached per file version)."""
    if not path.is_file():
        return ""
    return _odf_text_cached(str(path), path.stat().st_mtime_ns)


def doc_key(doc: Any) -> str:
    return f"{doc.lang}/{doc.kind}/{doc.id}"


def facet_values(doc: Any) -> dict[str, list[str]]:
    return {"lang": [doc.lang], "kind": [doc.kind], "unit": [doc.unit], "theme": list(doc.theme),
            "policy": list(doc.policy), "service": list(doc.service), "year": [str(doc.updated.year)]}
