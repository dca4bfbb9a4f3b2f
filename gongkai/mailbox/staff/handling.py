"""What staff do to a case, without Flask: assign it to a unit, draft the reply, approve or
return it. Each function works in the caller's transaction with its audit entry and mail.

Two staff acting at once: every move is an ``UPDATE … WHERE id = … AND state = <the state the
actor saw>``; when no row changes, someone else moved the case first and the actor is told so
(StaleCase) instead of silently overwriting their work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import Session

from gongkai.admin import accounts, audit
from gongkai.admin.mail import queue
from gongkai.admin.models import Account
from gongkai.admin.permissions import can
from gongkai.clock import TAIWAN
from gongkai.mailbox.form import clean
from gongkai.mailbox.models import COMMENT_MAX, NUMBER_MAX, REPLY_MAX, Case
from gongkai.mailbox.states import CaseState, check_move

SECRETARIAT = "secretariat"


class HandlingError(ValueError):
    """A move refused, with the field it concerns (or None) and what to do instead."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message, self.field = message, field


class StaleCase(HandlingError):
    """The case moved since the actor loaded it (another person acted first)."""


def find(db: Session, number: str) -> Case | None:
    """The case with that number; None for anything no number can be (too long, a control
    character: PostgreSQL refuses NUL in a text parameter, which would be a 500)."""
    if len(number) > NUMBER_MAX or not number.isprintable():
        return None
    return db.scalar(select(Case).where(Case.number == number))


def move(db: Session, case: Case, seen: CaseState, *also: ColumnElement[bool], **values) -> None:
    """Change the case only if it is still in the state the actor saw (and, with ``also``, still
    has the other values the actor saw, e.g. its tier: a change that keeps the state)."""
    done = db.execute(update(Case).where(Case.id == case.id, Case.state == seen, *also).values(**values)
                      .execution_options(synchronize_session=False)).rowcount
    if done != 1:
        raise StaleCase("這件案件剛剛已由其他同仁處理（狀態已變更），請重新載入案件頁確認最新狀態後再操作。")
    db.refresh(case)


def assign(db: Session, actor: Account, case: Case, unit: str, reason: str, units: Mapping[str, object], address: str,
           now: dt.datetime) -> None:
    """The secretariat gives the case to a unit; moving it from one unit to another needs a reason."""
    if unit not in units:
        raise HandlingError("請從清單選擇承辦單位", "unit")
    reason = " ".join(reason.split())
    reassigning = case.state is not CaseState.RECEIVED
    if reassigning and not reason:
        raise HandlingError("改派承辦單位請填寫改派原因", "reason")
    if len(reason) > COMMENT_MAX:
        raise HandlingError(f"改派原因最多 {COMMENT_MAX} 個字元", "reason")
    check_move(case.state, CaseState.ASSIGNED)
    before = case.unit
    # a new unit is reminded of the deadline and its head told when it passes, whatever the old unit was sent
    marks = {"reminded_at": None, "escalated_at": None} if unit != before else {}
    move(db, case, case.state, state=CaseState.ASSIGNED, unit=unit, assigned_at=now, **marks)
    detail = f"{before} → {unit}" + (f"；原因：{reason}" if reason else "")
    audit.record(db, actor, "mailbox_case_reassigned" if reassigning else "mailbox_case_assigned", f"case:{case.number}", address, detail)
    queue(db, case.email, *_assigned_mail(case))
    for member in accounts.members(db, unit):
        if member.email:
            queue(db, member.email, f"意見信箱新案件：{case.number}",
                  f"{member.name} 您好：\n\n意見信箱案件 {case.number}「{case.subject}」已分派給貴單位，請於 {case.deadline.isoformat()} 前答復。\n")


def _assigned_mail(case: Case) -> tuple[str, str]:
    if case.language == "en":
        return (f"Your case {case.number} is being handled",
                f"Dear {case.name},\n\nYour case {case.number} “{case.subject}” has been passed to the unit in charge.\n"
                f"It will be answered by {case.deadline.isoformat()}.\n")
    return (f"案件 {case.number} 已分派承辦",
            f"{case.name} 您好：\n\n您的案件 {case.number}「{case.subject}」已分派承辦單位處理，預定於 {case.deadline.isoformat()} 前答復。\n")


def draft(db: Session, actor: Account, case: Case, text: str, address: str) -> None:
    """The unit's author or reviewer writes the reply; it waits for a second person's approval."""
    if not can(actor, "draft_case_reply", case):
        raise HandlingError("只有承辦單位的同仁可以撰寫答復")
    text = clean(text, REPLY_MAX + 1, multiline=True)  # as the citizen's message: line breaks kept, NUL and the like never sent
    if not text:
        raise HandlingError("請輸入答復內容", "reply")
    if len(text) > REPLY_MAX:
        raise HandlingError(f"答復內容最多 {REPLY_MAX} 個字元（目前 {len(text)} 個）", "reply")
    if case.state not in (CaseState.ASSIGNED, CaseState.REOPENED):
        raise StaleCase("這件案件目前不能撰寫答復（可能已由其他同仁送出），請重新載入案件頁。")
    check_move(case.state, CaseState.DRAFTED)
    move(db, case, case.state, state=CaseState.DRAFTED, draft_reply=text, drafted_by=actor.id)
    audit.record(db, actor, "mailbox_reply_drafted", f"case:{case.number}", address, f"{len(text)} 個字元")


def approve(db: Session, actor: Account, case: Case, address: str, now: dt.datetime) -> None:
    """A second person sends the drafted reply to the citizen: never the person who wrote it."""
    if case.drafted_by == actor.id:
        audit.record(db, actor, "mailbox_approve_refused", f"case:{case.number}", address, "核可人是撰寫人")
        raise HandlingError("答復須由撰寫人以外的第二位同仁核可，您不能核可自己撰寫的答復。")
    if not can(actor, "approve_case_reply", case):
        raise HandlingError("只有承辦單位或秘書室的審稿人、或網站管理者可以核可答復")
    if case.state is not CaseState.DRAFTED:
        raise StaleCase("這件案件目前沒有待核可的答復（可能已由其他同仁核可或退回），請重新載入案件頁。")
    check_move(case.state, CaseState.ANSWERED)
    move(db, case, CaseState.DRAFTED, state=CaseState.ANSWERED, reply=case.draft_reply, approved_by=actor.id, answered_at=now,
          answered_on=now.astimezone(TAIWAN).date(), closed_at=now)
    joined = merged_into(db, case)
    audit.record(db, actor, "mailbox_reply_approved", f"case:{case.number}", address,
                 "答復已寄給民眾" + (f"，及併入本案的 {len(joined)} 件案件的陳情人" if joined else ""))
    queue(db, case.email, *_reply_mail(case))
    for duplicate in joined:  # a duplicate's writer is answered too, with their own case number
        queue(db, duplicate.email, *_joined_reply_mail(duplicate, case))


def merged_into(db: Session, case: Case) -> list[Case]:
    """The cases merged into this one, and those merged into them (a merge into a case that was
    itself merged later points at the older case): each writer is owed this case's answer."""
    found: list[Case] = []
    ids = [case.id]
    while ids:
        children = list(db.scalars(select(Case).where(Case.merged_into.in_(ids), Case.state == CaseState.MERGED).order_by(Case.id)))
        children = [child for child in children if child.id != case.id and child not in found]
        found += children
        ids = [child.id for child in children]
    return found


def _joined_reply_mail(duplicate: Case, case: Case) -> tuple[str, str]:
    if duplicate.language == "en":
        return (f"Answer to your case {duplicate.number}",
                f"Dear {duplicate.name},\n\nYour case {duplicate.number} “{duplicate.subject}” was handled together with case "
                f"{case.number}. Our answer:\n\n{case.reply}\n")
    return (f"案件 {duplicate.number} 答復", f"{duplicate.name} 您好：\n\n您的案件 {duplicate.number}「{duplicate.subject}」已併入案件 "
            f"{case.number} 一併處理，答復如下：\n\n{case.reply}\n")


def _reply_mail(case: Case) -> tuple[str, str]:
    if case.language == "en":
        return (f"Answer to your case {case.number}", f"Dear {case.name},\n\nOur answer to your case {case.number} “{case.subject}”:\n\n"
                f"{case.reply}\n\nYou may rate the answer, or ask us to look again within 14 days, with the case number and query password.\n")
    return (f"案件 {case.number} 答復", f"{case.name} 您好：\n\n您的案件 {case.number}「{case.subject}」答復如下：\n\n{case.reply}\n\n"
            "您可於 14 日內以案件編號與查詢密碼填寫滿意度，或要求重新處理。\n")


def send_back(db: Session, actor: Account, case: Case, comment: str, address: str) -> None:
    """The second person returns the draft with a comment: the case goes back to the unit (assigned)."""
    if case.drafted_by == actor.id or not can(actor, "approve_case_reply", case):
        raise HandlingError("答復須由撰寫人以外的審稿人退回")
    comment = " ".join(comment.split())
    if not comment:
        raise HandlingError("退回時請填寫意見，讓撰寫人知道要修改什麼", "comment")
    if len(comment) > COMMENT_MAX:
        raise HandlingError(f"退回意見最多 {COMMENT_MAX} 個字元", "comment")
    if case.state is not CaseState.DRAFTED:
        raise StaleCase("這件案件目前沒有待核可的答復（可能已由其他同仁處理），請重新載入案件頁。")
    move(db, case, CaseState.DRAFTED, state=CaseState.ASSIGNED)
    audit.record(db, actor, "mailbox_reply_returned", f"case:{case.number}", address, f"退回意見：{comment}")
