"""Three moves that change a case without a reply, without Flask: a new tier (its deadline
counted again), a merge into another case as a duplicate, and "not handled" under 行政程序法
§173. Like handling.py, each works in the caller's transaction with its audit entry and the
citizen's mail (in the citizen's language), and changes the case through ``handling.move``, so
of two staff acting at once the second gets StaleCase instead of overwriting the first.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from gongkai.admin import audit
from gongkai.admin.mail import queue
from gongkai.admin.models import Account
from gongkai.admin.permissions import can
from gongkai.clock import TAIWAN
from gongkai.mailbox.cases import deadline, normal_number, root_of
from gongkai.mailbox.models import COMMENT_MAX, NUMBER_MAX, Case
from gongkai.mailbox.office_calendar import OfficeCalendar
from gongkai.mailbox.rules import Rules, Tier
from gongkai.mailbox.staff.handling import HandlingError, StaleCase, find, move
from gongkai.mailbox.states import CLOSURE_TEXT, CaseState, ClosureReason, check_move

# A case is still open to these moves while nobody has answered or closed it, and while no reply
# waits for approval (a drafted reply would otherwise be approved for a case already ended).
OPEN = frozenset({CaseState.RECEIVED, CaseState.ASSIGNED, CaseState.REOPENED})
_MOVED = "這件案件剛剛已由其他同仁處理（已答復、撰寫答復中或已結案），請重新載入案件頁確認最新狀態。"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def count_start(case: Case) -> dt.date:
    """The day a deadline counts from: the day of receipt, or of the reopening for a reopened case
    (cases.reopen gives it a new deadline from that day; counting from receipt would put it in the past)."""
    return case.reopened_at.astimezone(TAIWAN).date() if case.reopened_at else case.received_on


def change_tier(db: Session, actor: Account, case: Case, tier: str, reason: str, rules: Rules, calendar: OfficeCalendar,
                address: str) -> None:
    """The secretariat (or the webmaster) puts the case in another tier: the deadline is counted
    again with the new tier's working days on the office calendar, and the citizen is told it."""
    if not can(actor, "triage_case", case):
        raise HandlingError("只有秘書室同仁或網站管理者可以變更處理時限類別")
    if tier not in rules.tiers:
        raise HandlingError("請從清單選擇處理時限類別", "tier")
    reason = _one_line(reason)
    if not reason:
        raise HandlingError("請填寫變更處理時限類別的原因，會記錄在處理紀錄", "tier_reason")
    if len(reason) > COMMENT_MAX:
        raise HandlingError(f"變更原因最多 {COMMENT_MAX} 個字元（目前 {len(reason)} 個），請刪減", "tier_reason")
    if tier == case.tier:
        raise HandlingError(f"本案已是「{rules.tiers[tier].zh}」，請選擇另一個類別", "tier")
    if case.state not in OPEN:
        raise StaleCase(_MOVED, "state")
    before, before_deadline = case.tier, case.deadline
    new_deadline = deadline(calendar, count_start(case), rules.tiers[tier].working_days)
    # the state stays: the tier seen is the other half of "what the actor saw". A new deadline is
    # reminded of and escalated anew (gongkai cases remind), as after a reopening.
    move(db, case, case.state, Case.tier == before, tier=tier, deadline=new_deadline, reminded_at=None, escalated_at=None)
    audit.record(db, actor, "mailbox_tier_changed", f"case:{case.number}", address,
                 f"{before} → {tier}；期限 {before_deadline.isoformat()} → {new_deadline.isoformat()}；原因：{reason}")
    queue(db, case.email, *_tier_mail(case, rules.tiers[tier]))


def _tier_mail(case: Case, tier: Tier) -> tuple[str, str]:
    if case.language == "en":
        return (f"New answer date for your case {case.number}",
                f"Dear {case.name},\n\nYour case {case.number} “{case.subject}” is now handled as “{tier.en}” "
                f"({tier.working_days} working days).\nIt will be answered by {case.deadline.isoformat()}.\n")
    return (f"案件 {case.number} 答復期限調整",
            f"{case.name} 您好：\n\n您的案件 {case.number}「{case.subject}」改依「{tier.zh}」（{tier.working_days} 個工作天）處理，"
            f"預定答復期限調整為 {case.deadline.isoformat()}。\n")


def merge(db: Session, actor: Account, case: Case, typed_number: str, address: str, now: dt.datetime) -> Case:
    """Close the case as a duplicate of the case with the number typed (or of the case that one
    was merged into). Returns the case it joined. The citizen is told only its number."""
    if not can(actor, "merge_case", case):
        raise HandlingError("只有秘書室同仁、承辦單位的審稿人或網站管理者可以併案")
    number = normal_number(typed_number)
    if not number:
        raise HandlingError("請輸入要併入的案件編號，例如 1151202-482913", "merge_into")
    if len(number) > NUMBER_MAX:
        raise HandlingError(f"案件編號最多 {NUMBER_MAX} 個字元，請寫成 1151202-482913 的形式", "merge_into")
    target = find(db, number)
    # a case the actor may not see is "not found": the form is no way to learn which numbers exist
    if target is None or not can(actor, "see_case", target):
        raise HandlingError(f"找不到您可檢視的案件 {number}，請確認要併入的案件編號", "merge_into")
    root = root_of(db, target)
    if root.id == case.id:
        raise HandlingError("不能併入本案自己（或已併入本案的案件），請輸入另一件案件的編號", "merge_into")
    if case.state not in OPEN:
        raise StaleCase(_MOVED, "state")
    check_move(case.state, CaseState.MERGED)
    # Two staff merging A into B and B into A at once would close both, each into the other, and
    # neither citizen would be answered. Lock both rows (in id order: no deadlock) and look again.
    # PostgreSQL: FOR UPDATE waits for the other merge's commit. SQLite ignores it, but its write
    # lock, taken by this UPDATE, does the same: the root is read again only after.
    db.execute(select(Case.id).where(Case.id.in_((case.id, root.id))).order_by(Case.id).with_for_update())
    move(db, case, case.state, state=CaseState.MERGED, merged_into=root.id, closed_at=now)
    db.refresh(root)
    if root.merged_into is not None:  # merged meanwhile (into this case, or elsewhere: merge again into that one)
        raise StaleCase("要併入的案件剛剛已由其他同仁併案或結案，請重新載入兩件案件確認後再操作。", "merge_into")
    via = f"（輸入 {target.number}，該案已併入 {root.number}）" if root.id != target.id else ""
    audit.record(db, actor, "mailbox_case_merged", f"case:{case.number}", address, f"併入 {root.number}{via}")
    audit.record(db, actor, "mailbox_case_merged_in", f"case:{root.number}", address, f"案件 {case.number} 併入本案")
    queue(db, case.email, *_merged_mail(case, root.number))
    return root


def _merged_mail(case: Case, other: str) -> tuple[str, str]:
    if case.language == "en":
        return (f"Your case {case.number} is handled with case {other}",
                f"Dear {case.name},\n\nYour case {case.number} “{case.subject}” concerns the same matter as case {other}, "
                f"and is handled together with it.\n")
    return (f"案件 {case.number} 併案處理",
            f"{case.name} 您好：\n\n您的案件 {case.number}「{case.subject}」與案件 {other} 為同一事由，已併入該案一併處理。\n")


def close_not_handled(db: Session, actor: Account, case: Case, reason: str, note: str, address: str, now: dt.datetime) -> None:
    """Not handled under 行政程序法 §173, for one of its reasons: a decision for a reviewer of the
    unit or of the secretariat, or the webmaster, never an author alone. The citizen is mailed
    the law's text; the optional note stays in the history (it is for colleagues)."""
    if not can(actor, "close_case", case):
        raise HandlingError("依行政程序法第 173 條不予處理，須由承辦單位或秘書室的審稿人、或網站管理者決定")
    try:
        closure = ClosureReason(reason)
    except ValueError:
        raise HandlingError("請從清單選擇不予處理的理由（行政程序法第 173 條各款）", "closure_reason") from None
    note = _one_line(note)
    if len(note) > COMMENT_MAX:
        raise HandlingError(f"說明最多 {COMMENT_MAX} 個字元（目前 {len(note)} 個），請刪減", "closure_note")
    if case.state not in OPEN:
        raise StaleCase(_MOVED, "state")
    check_move(case.state, CaseState.NOT_HANDLED)
    move(db, case, case.state, state=CaseState.NOT_HANDLED, closure_reason=closure, closed_at=now)
    audit.record(db, actor, "mailbox_case_not_handled", f"case:{case.number}", address,
                 CLOSURE_TEXT[closure][0] + (f"；說明：{note}" if note else ""))
    queue(db, case.email, *_closure_mail(case, closure))


def _closure_mail(case: Case, closure: ClosureReason) -> tuple[str, str]:
    zh, en = CLOSURE_TEXT[closure]
    if case.language == "en":
        return (f"Your case {case.number}: not handled", f"Dear {case.name},\n\nYour case {case.number} “{case.subject}”:\n\n{en}\n")
    return (f"案件 {case.number} 不予處理通知", f"{case.name} 您好：\n\n您的案件 {case.number}「{case.subject}」：\n\n{zh}\n")
