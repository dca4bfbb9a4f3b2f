"""Checks that need more than one file: duplicate ids, translations, form/procedure links,
and unit contacts against the agency's published office numbers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gongkai.model.codes import Agency
from gongkai.model.corpus import field_values
from gongkai.model.problems import Report


def cross_check(documents: list[Any], agency: Agency, root: Path, report: Report,
                line_of: Callable[[Any, tuple[Any, ...]], int], declared: set[tuple[Any, str, Any]]) -> list[Any]:
    """Report problems between documents and return the documents that have none.

    ``declared`` holds (lang, id, kind) of every file with readable front matter, valid or not;
    ``line_of(doc, field path)`` finds the line of a field for a problem's message.
    """
    bad: set[str] = set()
    declared_ids = {(lang, i) for lang, i, _ in declared}  # a set: this runs over 50,000 documents per change

    def problem(doc: Any, path: tuple[Any, ...], code: str, message: str, fix: str) -> None:
        report.add(root / doc.path, line_of(doc, path), ".".join(map(str, path)), code, message, fix)
        bad.add(doc.path)

    ids = Counter((d.lang, d.id) for d in documents)
    for doc in documents:
        fields = field_values(doc)
        if ids[(doc.lang, doc.id)] > 1:
            problem(doc, ("id",), "content.duplicate-id", f"id {doc.id!r} is used by another {doc.lang} document", "give each document of a language its own id")
        if doc.translation:
            other = "en" if doc.lang == "zh-Hant-TW" else "zh-Hant-TW"
            if (other, doc.translation) not in declared_ids:
                problem(doc, ("translation",), "content.missing-translation", f"no {other} document with id {doc.translation!r}", f"create it or correct the id (translation names the id of the {other} twin)")
        for i, form_id in enumerate(fields.get("forms", ())):
            if (doc.lang, form_id, "form") not in declared:
                problem(doc, ("forms", i), "content.unknown-form", f"no form with id {form_id!r}", "list the id of a form document in the same language")
        if fields.get("procedure") and (doc.lang, doc.procedure, "procedure") not in declared:
            problem(doc, ("procedure",), "content.unknown-procedure", f"no procedure with id {doc.procedure!r}", "use the id of a procedure document in the same language")
        contact = fields.get("contact")
        for field in ("phone", "fax"):
            number = getattr(contact, field, "") if contact else ""
            if number and number not in agency.office_phones:
                problem(doc, ("contact", field), "content.not-office-number", f"{number} is not one of the agency's published office numbers",
                        "use a number listed under office_phones in site.yaml (public office numbers only, never a personal one)")
    return [d for d in documents if d.path not in bad]
