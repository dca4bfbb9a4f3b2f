"""Load content/ into a Corpus, reporting every problem instead of stopping at the first."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from gongkai.model.codes import CODE_LISTS, Agency, Code
from gongkai.model.corpus import Corpus, attachments
from gongkai.model.crosscheck import cross_check
from gongkai.model.documents import Document
from gongkai.model.problems import Problem, Report
from gongkai.model.yamlfile import ContentSyntaxError, Parsed, read_front_matter, read_yaml

_DOCUMENT = TypeAdapter(Document)
_CODES = TypeAdapter(list[Code])


@dataclass(frozen=True)
class FileResult:
    """One document file as last read: its valid document (or None), the (lang, id, kind) its front
    matter declares (even when invalid), its own problems, and a digest of what it was read from."""

    doc: Any | None
    declared: tuple[Any, str, Any] | None
    problems: tuple[Problem, ...]
    digest: str
    attachments: tuple[str, ...] = ()  # content-relative paths of the files it offers (files/…)


@dataclass(frozen=True)
class ContentState:
    """What a load keeps so that the next change is read file by file (``load_changes``)."""

    root: Path
    agency: Agency
    codes: dict[str, dict[str, Code]]
    files: dict[str, FileResult]  # content-relative path of every docs/**/*.md → its result


def load_content(root: Path | str, version: str | None = None) -> tuple[Corpus | None, Report]:
    """Read and validate everything under ``root``.

    Returns the corpus of valid documents (None if the agency file or a code list is
    unusable, since nothing can be checked without them) and the report of problems.
    ``version`` names the build (a content repository's commit); default: a fingerprint of the files.
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
    files = {}
    for path in sorted((root / "docs").rglob("*.md")):
        relative = str(path.relative_to(root))
        files[relative] = _read_file(root, relative, codes)
    state = ContentState(root, agency, codes, files)
    return _assemble(state, version or content_version(root), report)


def load_changes(previous: Corpus, changed: Iterable[str], version: str) -> tuple[Corpus | None, Report]:
    """The corpus after a change of the files ``changed`` (content-relative paths, as
    ``ContentRepository.changed_paths`` names them), reading only those files and the documents
    whose validity depends on them; every cross-document check runs again over the whole set.
    Equivalent to ``load_content`` of the changed folder. A change of site.yaml or a code list,
    or a corpus loaded without its state, is read in full."""
    state: ContentState | None = getattr(previous, "state", None)
    changed = set(changed)
    if state is None or any(not (p.startswith("docs/") or p.startswith("files/")) and _shapes_corpus(p) for p in changed):
        return load_content(previous.root, version)
    files = dict(state.files)
    attachment_users: dict[str, set[str]] = {}
    for relative, result in files.items():
        for attachment in result.attachments:
            attachment_users.setdefault(attachment, set()).add(relative)
    again = {p for p in changed if p.startswith("docs/") and p.endswith(".md")}
    for path in changed:
        again |= attachment_users.get(path, set())
    # a file with problems may be mended by this change (an attachment it missed has arrived)
    again |= {relative for relative, result in files.items() if result.problems}
    for relative in sorted(again):
        if (state.root / relative).is_file():
            files[relative] = _read_file(state.root, relative, state.codes)
        else:
            files.pop(relative, None)
    return _assemble(ContentState(state.root, state.agency, state.codes, dict(sorted(files.items()))), version, Report(state.root))


def _shapes_corpus(relative: str) -> bool:
    """site.yaml and the code lists validate every document; other files (datasets, search word
    lists, READMEs) are not part of the corpus."""
    return relative == "site.yaml" or relative.startswith("codes/")


def _read_file(root: Path, relative: str, codes: dict[str, dict[str, Code]]) -> FileResult:
    report = Report(root)
    path = root / relative
    doc, parsed = _load_document(path, root, codes, report)
    declared = None
    if parsed is not None and isinstance(parsed.data, dict):
        # ids that exist even if their document is invalid, so one bad file does not
        # cascade into "no such form" lines on every document that links to it
        declared = (parsed.data.get("lang"), str(parsed.data.get("id")), parsed.data.get("kind"))
    offered = tuple(f"files/{a.file}" for a in attachments(doc)) if doc is not None else ()
    return FileResult(doc, declared, tuple(report.problems), _digest(path, doc, root), offered)


def _digest(path: Path, doc: Any, root: Path) -> str:
    """What the file was read from: its bytes and its attachments' sizes and times (a new
    version of an attachment changes what search finds in it)."""
    digest = hashlib.sha1(path.read_bytes(), usedforsecurity=False)
    for attachment in attachments(doc) if doc is not None else ():
        try:
            info = (root / "files" / attachment.file).stat()
            digest.update(f"|{attachment.file}:{info.st_size}:{info.st_mtime_ns}".encode())
        except OSError:
            digest.update(f"|{attachment.file}:missing".encode())
    return digest.hexdigest()[:16]


def _assemble(state: ContentState, version: str, report: Report) -> tuple[Corpus, Report]:
    """The corpus of a state: every file's own problems, then the checks between documents."""
    documents, declared = [], set()
    for result in state.files.values():
        report.problems.extend(result.problems)
        if result.declared is not None:
            declared.add(result.declared)
        if result.doc is not None:
            documents.append(result.doc)

    def line_of(doc: Any, path: tuple[Any, ...]) -> int:
        try:  # re-read only when a problem is found: never for a valid build
            return read_front_matter(state.root / doc.path).line_of(path)
        except (OSError, ContentSyntaxError):
            return 0

    documents = cross_check(documents, state.agency, state.root, report, line_of, declared)
    digests = {relative: result.digest for relative, result in state.files.items()}
    corpus = Corpus(agency=state.agency, codes=state.codes, documents=documents, root=state.root, version=version,
                    digests=digests)
    corpus.state = state
    return corpus, report


def content_version(root: Path) -> str:
    """A fingerprint of every content file's name, size and mtime: changes when content does."""
    digest = hashlib.sha1(usedforsecurity=False)
    for path in sorted(root.rglob("*")):
        if path.is_file() and ".git" not in path.relative_to(root).parts:
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
