"""Demo cases for `gongkai admin serve --demo`: one in each of the staff's main states, so the
queue and the case page have content (received, assigned to 第四課, drafted by demo-author, answered,
merged into the assigned one, not handled under 行政程序法 §173)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from gongkai.admin.db import utcnow
from gongkai.admin.models import Account
from gongkai.clock import TAIWAN
from gongkai.mailbox import query_password
from gongkai.mailbox.models import Case
from gongkai.mailbox.states import CaseState, ClosureReason

DEMO_CASES = (("received", CaseState.RECEIVED, "secretariat", "公園廁所需要整修"),
              ("assigned", CaseState.ASSIGNED, "sec4", "水量計檢定排程詢問"),
              ("drafted", CaseState.DRAFTED, "sec4", "加油站計量器疑似不準"),
              ("answered", CaseState.ANSWERED, "sec4", "申請檢定的文件有哪些"),
              ("merged", CaseState.MERGED, "sec4", "水量計檢定排程（再次詢問）"),
              ("not_handled", CaseState.NOT_HANDLED, "sec4", "（內容空白）"))
MERGED_INTO = "1151201-900002"  # the merged demo case is a duplicate of the assigned one


def add_demo_cases(db: Session, now: dt.datetime | None = None) -> int:
    """Add the demo cases that are missing (numbers 1151201-90000N); returns how many were added."""
    now = now or utcnow()
    today = now.astimezone(TAIWAN).date()
    author = db.scalar(select(Account).where(Account.name == "demo-author"))
    reviewer = db.scalar(select(Account).where(Account.name == "demo-reviewer"))
    added = 0
    for index, (kind, state, unit, subject) in enumerate(DEMO_CASES, start=1):
        number = f"1151201-90000{index}"
        if db.scalar(select(Case.id).where(Case.number == number)) is not None:
            continue
        drafted = state in (CaseState.DRAFTED, CaseState.ANSWERED)
        answered = state is CaseState.ANSWERED
        closed = state in (CaseState.ANSWERED, CaseState.MERGED, CaseState.NOT_HANDLED)
        db.flush()  # the assigned case's id, for the merged one
        merged_into = db.scalar(select(Case.id).where(Case.number == MERGED_INTO)) if state is CaseState.MERGED else None
        db.add(Case(number=number, password_hash=query_password.hash_password(query_password.new()), confirmation_hash=f"demo-{kind}",
                    state=state, tier="normal", unit=unit, submitted_at=now, received_at=now, received_on=today,
                    deadline=today + dt.timedelta(days=7 * index - 10), assigned_at=now if state is not CaseState.RECEIVED else None,
                    category="complaint" if kind == "drafted" else "question", subject=subject, message=f"（示範案件）{subject}，請協助說明。", name="示範民眾",
                    email="demo-citizen@example.com", phone="", language="zh-Hant-TW", address="127.0.0.1",
                    draft_reply="（示範答復）已請同仁處理，謝謝您的意見。" if drafted else "",
                    drafted_by=author.id if drafted and author else None, approved_by=reviewer.id if answered and reviewer else None,
                    reply="（示範答復）已請同仁處理，謝謝您的意見。" if answered else "", answered_at=now if answered else None,
                    answered_on=today if answered else None, closed_at=now if closed else None, merged_into=merged_into,
                    closure_reason=ClosureReason.NO_CONCRETE_CONTENT if state is CaseState.NOT_HANDLED else None,
                    satisfaction_comment="", reopen_reason="", reopen_count=0))
        added += 1
    return added
