"""Drafts and their revisions: every explicit save is a new revision, kept forever (no autosave),
and a save carries the revision it was based on — one made against a stale revision is refused,
so two people editing one document never overwrite each other (optimistic locking).

Revision 1 of a draft is the published file it started from, word for word (author: none), so
the first diff shows exactly what the editor changed.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gongkai.admin import audit
from gongkai.admin.models import REVISION_TEXT_MAX, SUBJECT_MAX, Account, Draft, Revision

OPEN_STATES = ("draft", "in_review", "rejected", "scheduled")
STATE_NAMES = {"draft": "草稿", "in_review": "審稿中", "rejected": "已退回", "scheduled": "已核可，待排定時間發布",
               "published": "已發布", "withdrawn": "已下架"}


class StaleRevision(Exception):
    """Someone saved a newer revision since this form was opened."""

    def __init__(self, draft: Draft, base: int) -> None:
        super().__init__(f"revision {base} is not the latest of draft {draft.id} ({draft.latest.number})")
        self.draft, self.base = draft, base


class DraftLocked(Exception):
    """The draft is in review or approved: it changes only after it is sent back."""


def open_draft(db: Session, path: str) -> Draft | None:
    return db.scalars(select(Draft).where(Draft.open_path == path)).first()


def published_text(content_dir: Path, path: str) -> str | None:
    """The file as published, or None for a document that has never been."""
    file = Path(content_dir) / path
    return file.read_text(encoding="utf-8") if file.is_file() else None


def open_draft_of(db: Session, lang: str, doc_id: str) -> Draft | None:
    return db.scalars(select(Draft).where(Draft.lang == lang, Draft.doc_id == doc_id, Draft.open_path.is_not(None))).first()


def content_path(kind: str, lang: str, doc_id: str) -> str:
    """Where a new document's file goes: docs/<zh|en>/<kind>/<id>.md, as the shipped content is laid out."""
    return f"docs/{'zh' if lang == 'zh-Hant-TW' else 'en'}/{kind}/{doc_id}.md"


def target(document: object) -> str:
    return f"document:{getattr(document, 'lang', '')}/{getattr(document, 'doc_id', None) or getattr(document, 'id', '')}"


def save(db: Session, actor: Account, *, path: str, kind: str, lang: str, doc_id: str, unit: str, text: str, base: int,
         start_text: str | None, address: str = "", note: str = "") -> Revision:
    """Save ``text`` as the next revision of the open draft of ``path`` (a new draft when there is
    none, starting from ``start_text``). ``base``: the revision number the form was opened on (0:
    the published file, no draft yet). Raises StaleRevision when that is no longer the latest."""
    if len(text) > REVISION_TEXT_MAX:
        raise ValueError(f"a document's text is at most {REVISION_TEXT_MAX} characters")
    draft = open_draft(db, path)
    if draft is None:
        if base != 0:
            # the draft the form was based on has been published or withdrawn since
            raise StaleRevision(last_draft(db, path), base)
        draft = Draft(kind=kind, lang=lang, doc_id=doc_id, unit=unit, path=path, open_path=path, state="draft", author_id=actor.id)
        db.add(draft)
        audit.record(db, actor, "draft_started", target(draft), address, path)
        if start_text is None:  # a new document: its first revision is the first save, by its writer
            draft.revisions.append(Revision(number=1, text=text, author_id=actor.id, note=note[:SUBJECT_MAX] or "新文件"))
            db.flush()
            return draft.revisions[0]
        draft.revisions.append(Revision(number=1, text=start_text, author_id=None, note="從已發布的版本開始"))
        base = 1
    elif draft.state not in ("draft", "rejected"):
        raise DraftLocked(draft.state)
    if draft.latest.number != base:
        raise StaleRevision(draft, base)
    if draft.latest.text == text:
        return draft.latest  # nothing changed: no empty revision in the history
    revision = Revision(number=draft.latest.number + 1, text=text, author_id=actor.id, note=note[:SUBJECT_MAX])
    draft.revisions.append(revision)
    draft.unit = unit
    if draft.state == "rejected":
        draft.state = "draft"  # fixed after a rejection: a draft again, to be resubmitted
    audit.record(db, actor, "revision_saved", target(draft), address, f"第 {revision.number} 版" + (f"：{note}" if note else ""))
    try:
        db.flush()  # the unique (draft, number) pair: a save racing this one on the same base fails here
    except IntegrityError:
        db.rollback()
        fresh = open_draft(db, path)
        raise StaleRevision(fresh, base) from None
    return revision


def last_draft(db: Session, path: str) -> Draft | None:
    """The newest draft of ``path``, open or closed; None if it never had one."""
    return db.scalars(select(Draft).where(Draft.path == path).order_by(Draft.id.desc())).first()


def last_closed(db: Session, path: str) -> Draft | None:
    """The latest published draft of a document, whose revisions can be restored as a new draft."""
    return db.scalars(select(Draft).where(Draft.path == path, Draft.state == "published").order_by(Draft.id.desc())).first()


def restore(db: Session, actor: Account, draft: Draft, revision: Revision, address: str = "",
            published: str | None = None) -> tuple[Draft, Revision]:
    """An old revision's text as the newest one ("restore as a new draft"): nothing is rewritten.

    On an open draft it is that draft's next revision; on a closed one (published, withdrawn) it
    starts a new draft from the file as published now (``published``), the old text its revision 2.
    """
    if draft.open_path is None:
        if open_draft(db, draft.path) is not None:
            raise DraftLocked("open")  # one open draft per document: restore into that one
        fresh = Draft(kind=draft.kind, lang=draft.lang, doc_id=draft.doc_id, unit=draft.unit, path=draft.path,
                      open_path=draft.path, state="draft", author_id=actor.id)
        db.add(fresh)
        if published is not None:
            fresh.revisions.append(Revision(number=1, text=published, author_id=None, note="從已發布的版本開始"))
        audit.record(db, actor, "draft_started", target(fresh), address, draft.path)
        draft = fresh
    elif draft.state not in ("draft", "rejected"):
        raise DraftLocked(draft.state)
    number = draft.revisions[-1].number + 1 if draft.revisions else 1
    restored = Revision(number=number, text=revision.text, author_id=actor.id, note=f"還原第 {revision.number} 版")
    draft.revisions.append(restored)
    if draft.state == "rejected":
        draft.state = "draft"
    audit.record(db, actor, "revision_restored", target(draft), address, f"第 {revision.number} 版 → 第 {restored.number} 版")
    db.flush()
    return draft, restored


def writers(draft: Draft) -> set[int]:
    """Everyone who wrote a revision of the draft: none of them may review it."""
    return {r.author_id for r in draft.revisions if r.author_id is not None}


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed"
    old: int | None  # line numbers, 1-based
    new: int | None
    text: str


def diff(old: str, new: str) -> list[DiffLine]:
    """Line by line, with context: what a table of 刪除／新增 lines shows (difflib's opcodes)."""
    a, b = old.splitlines(), new.splitlines()
    lines: list[DiffLine] = []
    for group in difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(3):
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [DiffLine("same", i + 1, j + 1, a[i]) for i, j in zip(range(i1, i2), range(j1, j2), strict=True)]
                continue
            lines += [DiffLine("removed", i + 1, None, a[i]) for i in range(i1, i2)]
            lines += [DiffLine("added", None, j + 1, b[j]) for j in range(j1, j2)]
        lines.append(DiffLine("gap", None, None, "…"))
    return lines[:-1] if lines else []
