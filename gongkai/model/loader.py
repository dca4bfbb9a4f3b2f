"""Load content/ into a Corpus, reporting every problem instead of stopping at the first."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from gongkai.model.codes import CODE_LISTS, Agency, Code
from gongkai.model.corpus import Corpus
from gongkai.model.crosscheck import cross_check
from gongkai.model.documents import Document
from gongkai.model.problems import Report
from gongkai.model.yamlfile import ContentSyntaxError, Parsed, read_front_matter, read_yaml

_DOCUMENT = TypeAdapter(Document)
_CODES = TypeAdapter(list[Code])


def load_content(root: Path | str) -> tuple[Corpus | None, Report]:
    """Read and validate everything under ``root``.

    Returns the corpus of valid documents (None if the agency file or a code list is
    unusable, since nothing can be checked without them) and the report of problems.
    """
    root = Path(root).resolve()
    report = Report(root)
    if not root.is_dir():
        report.add(root, 0, "content", "content.folder-missing", "content folder not found", "pass the folder holding site.yaml, codes/ and docs/ (setting GONGKAI_CONTENT_DIR)")
        return None, report
    agency = _load_model(root / "site.yaml", TypeAdapter(Agency), report)
    codes = {name: _load_codes(root / "codes" / f"{name}.yaml", report) for name in CODE_LISTS}
    if agency is None or any(c is None for c in codes.values()):
        return None, report
    if agency.webmaster_unit not in codes["units"]:
        report.add(root / "site.yaml", 0, "webmaster_unit", "content.unknown-code", f"unknown unit {agency.webmaster_unit!r}", "use a code from codes/units.yaml")
        return None, report
    documents, parsed_files, declared = [], {}, set()
    for path in sorted((root / "docs").rglob("*.md")):
        doc, parsed = _load_document(path, root, codes, report)
        if parsed is not None and isinstance(parsed.data, dict):
            # ids that exist even if their document is invalid, so one bad file does not
            # cascade into "no such form" lines on every document that links to it
            declared.add((parsed.data.get("lang"), str(parsed.data.get("id")), parsed.data.get("kind")))
        if doc is not None:
            documents.append(doc)
            parsed_files[doc.path] = parsed
    documents = cross_check(documents, agency, root, report, parsed_files, declared)
    corpus = Corpus(agency=agency, codes=codes, documents=documents, root=root, version=content_version(root))
    return corpus, report


def content_version(root: Path) -> str:
    """A fingerprint of every content file's name, size and mtime: changes when content does."""
    digest = hashlib.sha1(usedforsecurity=False)
    for path in sorted(root.rglob("*")):
        if path.is_file():
            stat = path.stat()
            digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:12]


def _load_codes(path: Path, report: Report) -> dict[str, Code] | None:
    codes = _load_model(path, _CODES, report)
    if codes is None:
        return None
    seen: dict[str, Code] = {}
    for code in codes:
        if code.code in seen:
            report.add(path, 0, "code", "content.duplicate-code", f"code {code.code!r} appears twice", "keep one entry per code")
        seen[code.code] = code
    return seen


def _load_model(path: Path, adapter: TypeAdapter, report: Report) -> Any:
    if not path.is_file():
        report.add(path, 0, "file", "content.file-missing", "required file is missing", f"create {path.name} (see content/README.md)")
        return None
    try:
        parsed = read_yaml(path)
    except ContentSyntaxError as exc:
        report.add(path, exc.line, "yaml", exc.code, exc.message, exc.fix)
        return None
    return _validate(parsed, path, adapter, report)


def _load_document(path: Path, root: Path, codes: dict[str, dict[str, Code]], report: Report) -> tuple[BaseModel | None, Parsed | None]:
    try:
        parsed = read_front_matter(path)
    except ContentSyntaxError as exc:
        report.add(path, exc.line, "front matter", exc.code, exc.message, exc.fix)
        return None, None
    if not isinstance(parsed.data, dict):
        report.add(path, 2, "front matter", "content.front-matter-shape", "front matter is not a list of 'field: value' lines", "write one 'field: value' per line between the '---' lines")
        return None, None
    for reserved in ("body", "path"):
        if reserved in parsed.data:
            report.add(path, parsed.line_of((reserved,)), reserved, "content.unknown-field", "unknown field", "remove it: the body is the text after the front matter")
            return None, parsed
    data = {**parsed.data, "body": parsed.body, "path": str(path.relative_to(root))}
    context = {"codes": codes, "files_root": root / "files"}
    return _validate(Parsed(data, parsed.node, parsed.first_line), path, _DOCUMENT, report, context), parsed


def _validate(parsed: Parsed, path: Path, adapter: TypeAdapter, report: Report, context: dict | None = None) -> Any:
    try:
        return adapter.validate_python(parsed.data, context=context)
    except ValidationError as exc:
        kind = parsed.data.get("kind") if isinstance(parsed.data, dict) else None
        for error in exc.errors():
            loc = tuple(error["loc"])
            if kind and loc and loc[0] == kind:  # the discriminated union prefixes the tag
                loc = loc[1:]
            field = ".".join(str(p) for p in loc) or "document"
            code, message, fix = explain(error)
            report.add(path, parsed.line_of(loc), field, code, message, fix)
        return None


def explain(error: dict[str, Any]) -> tuple[str, str, str]:
    """Turn a pydantic error into (problem code, what is wrong, how to fix it) for an editor."""
    kind = error["type"]
    ctx = error.get("ctx", {})
    if kind == "missing":
        return "content.missing-field", "required field is missing", f"add '{error['loc'][-1]}:' with a value"
    if kind == "extra_forbidden":
        return "content.unknown-field", "unknown field", "remove it or correct its spelling (the fields are listed in content/README.md)"
    if kind in ("literal_error", "enum"):
        return "content.not-allowed", f"{error['input']!r} is not allowed", f"use one of {ctx.get('expected', '')}"
    if kind == "union_tag_invalid":
        return "content.unknown-kind", f"unknown kind {ctx.get('tag')!r}", f"use one of {ctx.get('expected_tags')}"
    if kind == "union_tag_not_found":
        return "content.unknown-kind", "no 'kind' field", "add 'kind:' (page, procedure, form, news, faq, disclosure, unit or statistics)"
    if kind.startswith("date"):
        return "content.bad-date", f"{error['input']!r} is not a date", "write the date as YYYY-MM-DD"
    if kind == "string_pattern_mismatch":
        return "content.bad-id", f"{error['input']!r} is not a valid id", "use lower-case letters, digits and '-' only"
    if kind in ("too_short", "string_too_short"):
        return "content.empty-field", "is empty", "give it a value"
    if kind == "value_error":
        raised = ctx.get("error")
        text = str(raised if raised is not None else error["msg"])
        message, _, fix = text.partition(" — ")
        return getattr(raised, "code", "content.invalid-value"), message, fix or "correct the value"
    return "content.invalid-value", error["msg"], "correct the value (see content/README.md)"
