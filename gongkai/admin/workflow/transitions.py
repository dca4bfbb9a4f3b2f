"""The review workflow: draft → in review → published (now, or at a set time), or back to the
author with a comment (rejected); a published document withdrawn with a reason.

Every transition checks on the server who may make it (permissions.can, plus: no one reviews a
draft they wrote a revision of — the webmaster neither), records itself in the audit log and
queues its mail in the same transaction. The caller commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from gongkai.admin import audit
from gongkai.admin.db import utcnow
from gongkai.admin.editing.drafts import target, writers
from gongkai.admin.mail import queue
from gongkai.admin.models import COMMENT_MAX, Account, Draft
from gongkai.admin.permissions import can
from gongkai.admin.roles import Role
from gongkai.admin.text import one_line
from gongkai.problems import Problem


class WorkflowError(Exception):
    """A transition that may not be made, with what to do (zh-TW): shown beside the form's field."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message, self.field = message, field


@dataclass(frozen=True)
class Context:
    """What a transition needs from outside the database."""

    address: str = ""
    admin_url: str = ""  # the back office's address, for links in mail


def _refuse_writer(db: Session, actor: Account, draft: Draft, address: str) -> None:
    if actor.id in writers(draft) or actor.id == draft.author_id:
        audit.record(db, actor, "approve_refused", target(draft), address, "審稿人不可以是作者")
        db.commit()  # the refusal itself stays in the log
        raise WorkflowError("您寫過這份文件，不能審核或發布它；請由同單位的另一位審稿人審核（審稿不是上稿）。")


def submit(db: Session, actor: Account, draft: Draft, gate: Callable[[Draft], list[Problem]], ctx: Context) -> None:
    """Send for review. ``gate``: the draft's validation and accessibility problems; any refuses."""
    if not can(actor, "submit_for_review", draft):
        raise WorkflowError("您沒有送審這份文件的權限。")
    if draft.state not in ("draft", "rejected"):
        raise WorkflowError("這份文件已經送審或已處理，不需再送審。")
    if not writers(draft):  # only the published copy: nothing edited yet
        raise WorkflowError("這份草稿還沒有任何修改；請先編修並儲存。")
    problems = gate(draft)
    if problems:
        raise WorkflowError(f"還有 {len(problems)} 個問題要先修正（見預覽頁的檢查結果），修正後才能送審。")
    draft.state, draft.author_id, draft.comment = "in_review", actor.id, ""
    audit.record(db, actor, "submitted", target(draft), ctx.address, f"第 {draft.latest.number} 版")
    for reviewer in _reviewers(db, draft):
        if reviewer.email:
            queue(db, reviewer.email, f"待審稿：{draft.doc_id}",
                  f"{actor.name} 送審了「{draft.doc_id}」（{draft.path}）第 {draft.latest.number} 版，請至網站後台審核：\n{ctx.admin_url}")


def _reviewers(db: Session, draft: Draft) -> list[Account]:
    from sqlalchemy import select

    from gongkai.admin.models import Membership

    found = db.scalars(select(Account).join(Membership).where(Membership.unit == draft.unit, Account.role == Role.REVIEWER,
                                                               Account.disabled.is_(False)))
    return [a for a in found if a.id not in writers(draft) and a.id != draft.author_id]


def reject(db: Session, actor: Account, draft: Draft, comment: str, ctx: Context) -> None:
    comment = comment.strip()
    if not comment:
        raise WorkflowError("請寫下退回的理由與要修改的地方，作者會在後台首頁與電子郵件看到。", "comment")
    if len(comment) > COMMENT_MAX:
        raise WorkflowError(f"退回意見最多 {COMMENT_MAX} 個字元。", "comment")
    if draft.state not in ("in_review", "scheduled"):  # a scheduled one too: the way to stop it before its time
        raise WorkflowError("只有審稿中或排定發布的文件可以退回。")
    if not can(actor, "review_document", draft):
        _refuse_writer(db, actor, draft, ctx.address)
        raise WorkflowError("您沒有審核這份文件的權限。")
    _refuse_writer(db, actor, draft, ctx.address)
    draft.state, draft.comment, draft.reviewer_id, draft.publish_at = "rejected", comment, actor.id, None
    audit.record(db, actor, "rejected", target(draft), ctx.address, comment)
    if draft.author.email:
        queue(db, draft.author.email, f"文件退回修改：{draft.doc_id}",
              f"{actor.name} 退回了「{draft.doc_id}」第 {draft.latest.number} 版，意見如下：\n\n{comment}\n\n請至網站後台修改後重新送審：\n{ctx.admin_url}")


def approve(db: Session, actor: Account, draft: Draft, ctx: Context, *, publish_at: dt.datetime | None = None,
            force_reason: str = "") -> str:
    """Approve (from review), or force-publish (the webmaster, with a reason, from a draft not in
    review). Returns the new state: "scheduled" for a future time, else "approved" — the caller
    publishes it now. Neither is ever allowed on a draft the actor wrote."""
    force_reason = one_line(force_reason)  # it becomes a commit trailer: no line break, no NUL
    if draft.state not in ("in_review", "draft", "rejected"):
        raise WorkflowError("這份文件不在可核可的狀態。")
    forced = draft.state != "in_review"
    if forced:
        if actor.role != Role.WEBMASTER:
            raise WorkflowError("文件要先送審，才能核可發布。")
        if not force_reason:
            raise WorkflowError("未經審稿直接發布時，必須寫下理由（會記錄在稽核紀錄與內容庫的提交紀錄）。", "reason")
    if len(force_reason) > COMMENT_MAX:
        raise WorkflowError(f"理由最多 {COMMENT_MAX} 個字元。", "reason")
    _refuse_writer(db, actor, draft, ctx.address)
    if not can(actor, "publish_document", draft):
        raise WorkflowError("您沒有審核這份文件的權限。")
    if publish_at is not None and publish_at <= utcnow():
        publish_at = None
    draft.reviewer_id, draft.reason = actor.id, force_reason
    if forced:
        audit.record(db, actor, "force_published", target(draft), ctx.address, force_reason)
    else:
        audit.record(db, actor, "approved", target(draft), ctx.address, f"第 {draft.latest.number} 版")
    if publish_at is not None:
        draft.state, draft.publish_at = "scheduled", publish_at
        audit.record(db, actor, "scheduled", target(draft), ctx.address, publish_at.isoformat())
        return "scheduled"
    return "approved"
