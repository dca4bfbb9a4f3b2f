"""Checks that need more than one document: codes, translations, links, attachments."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from gongkai.model.codes import Code
from gongkai.model.problems import Report
from gongkai.model.yamlfile import Parsed

_CLASSIFICATIONS = {"theme": "themes", "policy": "policies", "service": "services"}


def cross_check(documents: list[Any], codes: dict[str, dict[str, Code]], root: Path,
                report: Report, parsed: dict[str, Parsed]) -> list[Any]:
    """Report problems between documents and return the documents that have none."""
    bad: set[str] = set()

    def problem(doc: Any, path: tuple[Any, ...], message: str, fix: str) -> None:
        report.add(root / doc.path, parsed[doc.path].line_of(path), ".".join(map(str, path)), message, fix)
        bad.add(doc.path)

    ids = Counter((d.lang, d.id) for d in documents)
    by_key = {(d.lang, d.id): d for d in documents}
    for doc in documents:
        if ids[(doc.lang, doc.id)] > 1:
            problem(doc, ("id",), f"id {doc.id!r} is used by another {doc.lang} document", "give each document of a language its own id")
        if doc.unit not in codes["units"]:
            problem(doc, ("unit",), f"unknown unit {doc.unit!r}", f"use a code from codes/units.yaml: {', '.join(codes['units'])}")
        for field, listname in _CLASSIFICATIONS.items():
            for i, code in enumerate(getattr(doc, field)):
                if code not in codes[listname]:
                    problem(doc, (field, i), f"unknown code {code!r}", f"use a code listed in codes/{listname}.yaml")
        if doc.translation:
            other = "en" if doc.lang == "zh-Hant-TW" else "zh-Hant-TW"
            if (other, doc.translation) not in by_key:
                problem(doc, ("translation",), f"no {other} document with id {doc.translation!r}", f"create it or correct the id (translation names the id of the {other} twin)")
        category = getattr(doc, "category", None)
        if category is not None and category not in codes["disclosure"]:
            problem(doc, ("category",), f"unknown disclosure category {category!r}", "use a code from codes/disclosure.yaml")
        for i, form_id in enumerate(getattr(doc, "forms", [])):
            target = by_key.get((doc.lang, form_id))
            if target is None or target.kind != "form":
                problem(doc, ("forms", i), f"no form with id {form_id!r}", "list the id of a form document in the same language")
        if getattr(doc, "procedure", None):
            target = by_key.get((doc.lang, doc.procedure))
            if target is None or target.kind != "procedure":
                problem(doc, ("procedure",), f"no procedure with id {doc.procedure!r}", "use the id of a procedure document in the same language")
        for field, attachment in _attachments(doc):
            file = root / "files" / attachment.file
            if not file.is_file():
                problem(doc, field, f"attachment {attachment.file!r} not found in content/files/", "add the file or correct the path")
            elif not attachment.is_open_format:
                problem(doc, field, f"{attachment.file!r} is not an open format", "offer it as ODF (.odt/.ods), PDF, CSV or HTML (Freego ME1320200C)")
    return [d for d in documents if d.path not in bad]


def _attachments(doc: Any) -> list[tuple[tuple[Any, ...], Any]]:
    found = [(("attachments", i, "file"), a) for i, a in enumerate(getattr(doc, "attachments", []))]
    if getattr(doc, "example", None) is not None:
        found.append((("example", "file"), doc.example))
    return found
