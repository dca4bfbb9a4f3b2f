"""What the editing and workflow views share: finding a document or draft, the back office's
preview site, and the gate a draft passes before it is submitted or published (the same
validation as `gongkai check`, then the accessibility checks on its preview)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import abort, current_app

from gongkai.admin.editing.checks import check_page
from gongkai.admin.editing.preview import PreviewSite, main_fragment
from gongkai.admin.models import Draft
from gongkai.admin.signin_sessions import db
from gongkai.model.single import split_front_matter, validate_document
from gongkai.problems import Problem
from gongkai.web import current_corpus


@dataclass(frozen=True)
class DocumentTarget:
    """A published document as a permission target: its unit; no author (a draft records that)."""

    unit: str
    author_id: int | None = None


def find_document(lang: str, doc_id: str) -> Any | None:
    return next((d for d in current_corpus().all_documents if (d.lang, d.id) == (lang, doc_id)), None)


@dataclass(frozen=True)
class NewDocument:
    """A document that exists only as a draft (never published): what the pages show of it."""

    kind: str
    lang: str
    id: str
    path: str
    unit: str
    title: str
    translation: str | None = None


def new_document(draft: Draft) -> NewDocument:
    data = split_front_matter(draft.latest.text).data
    data = data if isinstance(data, dict) else {}
    return NewDocument(draft.kind, draft.lang, draft.doc_id, draft.path, draft.unit, str(data.get("title") or draft.doc_id),
                       data.get("translation") if isinstance(data.get("translation"), str) else None)


def editable(lang: str, doc_id: str) -> Any | None:
    """The published document, or the new document an open draft holds, with this language and id."""
    from gongkai.admin.editing.drafts import open_draft_of

    doc = find_document(lang, doc_id)
    if doc is not None:
        return doc
    draft = open_draft_of(db(), lang, doc_id)
    return new_document(draft) if draft is not None else None


def document_target(lang: str, doc_id: str) -> Any:
    from gongkai.admin.editing.drafts import open_draft, open_draft_of

    doc = find_document(lang, doc_id)
    if doc is None:
        return open_draft_of(db(), lang, doc_id)
    return open_draft(db(), doc.path) or DocumentTarget(doc.unit)


def document_title(draft: Draft) -> str:
    doc = find_document(draft.lang, draft.doc_id)
    return doc.title if doc is not None else new_document(draft).title


def draft_or_404(draft_id: int) -> Draft:
    draft = db().get(Draft, draft_id)
    if draft is None:
        abort(404)
    return draft


def content_dir() -> Path:
    return Path(current_app.config["CONTENT_DIR"])


def preview_site() -> PreviewSite:
    site = current_app.extensions.get("gongkai.preview")
    if site is None:
        site = current_app.extensions["gongkai.preview"] = PreviewSite(current_app.config)
    return site


@dataclass(frozen=True)
class Preview:
    fragment: str  # the site page's <main>, ready to show
    problems: list[Problem]  # validation problems (then no fragment)
    findings: list[Problem]  # accessibility findings on the fragment

    @property
    def ok(self) -> bool:
        return not self.problems and not self.findings


def preview(draft: Draft, text: str | None = None) -> Preview:
    text = text if text is not None else draft.latest.text
    files = {f.name: f.data for f in draft.files}
    doc, problems = validate_document(text, draft.path, current_corpus(), extra_files=files)
    if doc is None:
        return Preview("", problems, [])
    status, page = preview_site().render(doc, files)
    if status != 200:  # no page, nothing checked: never "no problems found"
        failed = Problem(field="body", code="atag.preview-failed", message=f"網站無法產生這份文件的預覽頁（HTTP {status}）",
                         fix="請通知資訊小組；修正之前不能送審或發布", page=draft.path)
        return Preview("", [], [failed])
    fragment = main_fragment(page)
    body = split_front_matter(text).body
    return Preview(fragment, [], check_page(fragment, body))


def gate(draft: Draft) -> list[Problem]:
    result = preview(draft)
    return [*result.problems, *result.findings]


def gate_text(draft: Draft, text: str) -> list[Problem]:
    return preview(draft, text).findings
