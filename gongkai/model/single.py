"""One document, validated as `gongkai check` validates the content folder: for the back office's
editing forms, which hold a document's text before it is a file.

The checks are the loader's and the cross-checks' own (the same pydantic models, the same
explanations, the same problem codes); what a whole-folder load would know from the other files
(which ids, forms and procedures exist) comes from the corpus the site serves. On top, the rule an
editing form adds for text typed into a browser: no markup or script address in a title, summary
or body. Whether a kind requires 資料來源 is the model's to say (``sources`` with ``min_length``):
the form marks it required and this validation refuses it missing, beside the field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter

from gongkai.model.corpus import Corpus
from gongkai.model.crosscheck import cross_check
from gongkai.model.documents import Document
from gongkai.model.loader import _validate
from gongkai.model.problems import Problem, Report
from gongkai.model.yamlfile import FENCE, ContentSyntaxError, Parsed, _load

_DOCUMENT = TypeAdapter(Document)
# a tag, a comment or a script address: what a browser would run or a sanitiser would silently drop
MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?][^>]*>|javascript\s*:|vbscript\s*:|data\s*:\s*text/html", re.IGNORECASE)
PLAIN_FIELDS = ("title", "summary")


def split_front_matter(text: str) -> Parsed:
    """The front matter and body of a document's text (what yamlfile.read_front_matter reads from a file)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != FENCE:
        raise ContentSyntaxError("content.no-front-matter", 1, "no front matter", f"start the text with a '{FENCE}' line")
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == FENCE), None)
    if end is None:
        raise ContentSyntaxError("content.front-matter-open", 1, "front matter is never closed", f"add a '{FENCE}' line after the last field")
    data, node = _load("".join(lines[1:end]), 2)
    return Parsed(data, node, 2, body="".join(lines[end + 1:]))


def validate_document(text: str, path: str, corpus: Corpus, extra_files: Iterable[str] = ()) -> tuple[BaseModel | None, list[Problem]]:
    """The document ``text`` would be at content-relative ``path``, and its problems (none: valid).

    ``extra_files``: attachment paths (under files/) that will be published with it, so an
    attachment uploaded to the draft is not reported missing from content/files/.
    """
    root = Path(corpus.root)
    report = Report(root)
    try:
        parsed = split_front_matter(text)
    except ContentSyntaxError as error:
        report.add(root / path, error.line, "front matter", error.code, error.message, error.fix)
        return None, report.problems
    if not isinstance(parsed.data, dict):
        report.add(root / path, 2, "front matter", "content.front-matter-shape", "front matter is not a list of 'field: value' lines",
                   "write one 'field: value' per line")
        return None, report.problems
    data = {**parsed.data, "body": parsed.body, "path": path}
    _markup_rules(data, root / path, report)
    extra = frozenset(extra_files)
    context = {"codes": corpus.codes, "files_root": _FilesRoot(corpus.files_root, extra)}
    doc = _validate(Parsed(data, parsed.node, parsed.first_line), root / path, _DOCUMENT, report, context)
    if doc is None:
        return None, report.problems
    others = [d for d in corpus.all_documents if d.path != path]
    if any((d.lang, d.id) == (doc.lang, doc.id) for d in others):
        report.add(root / path, parsed.line_of(("id",)), "id", "content.duplicate-id", f"id {doc.id!r} is used by another {doc.lang} document",
                   "give each document of a language its own id")
    declared = {(d.lang, d.id, d.kind) for d in others} | {(doc.lang, doc.id, doc.kind)}
    cross_check([doc], corpus.agency, root, report, lambda _doc, field: parsed.line_of(field), declared)
    return (doc if report.valid else None), report.problems


def _markup_rules(data: dict[str, Any], file: Path, report: Report) -> None:
    for name in PLAIN_FIELDS:
        value = data.get(name)
        if isinstance(value, str) and MARKUP.search(value):
            report.add(file, 0, name, "content.markup-in-text", "contains HTML markup or a script address",
                       "write plain text: remove the part in < > (the page shows the text as typed)")
    if MARKUP.search(data.get("body") or ""):
        report.add(file, 0, "body", "content.markup-in-text", "the body contains HTML markup or a script address",
                   "write it in Markdown instead: **bold**, [link text](https://…), ## heading, | table |")


class _FilesRoot:
    """content/files/ as the model's attachment check sees it, plus the draft's own uploads."""

    def __init__(self, root: Path, extra: frozenset[str]) -> None:
        self.root, self.extra = root, extra

    def __truediv__(self, name: str) -> _FileCheck:
        return _FileCheck(name in self.extra or (self.root / name).is_file())


class _FileCheck:
    def __init__(self, exists: bool) -> None:
        self.exists = exists

    def is_file(self) -> bool:
        return self.exists


def problems_by_field(problems: Iterable[Problem]) -> dict[str, list[Problem]]:
    found: dict[str, list[Problem]] = {}
    for problem in problems:
        found.setdefault(problem.field, []).append(problem)
    return found
