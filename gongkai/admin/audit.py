"""The audit log: who did what, when, from which address, on what. Append-only (the database's
triggers refuse UPDATE and DELETE, see migrations/versions/0001_back_office.py).

Every part records through ``record``, in the transaction of the change itself, so a change
and its entry are committed together or not at all.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from gongkai.admin.models import ACTION_MAX, ADDRESS_MAX, DETAIL_MAX, NAME_MAX, TARGET_MAX, Account, AuditEntry
from gongkai.clock import TAIWAN, local_time

# Actions and their names on the audit page; a later part adds its own here
# (edits, submissions, reviews, publications, withdrawals, uploads).
ACTIONS: dict[str, str] = {
    "sign_in": "登入",
    "sign_in_failed": "登入失敗",
    "sign_in_throttled": "登入遭暫停（失敗次數過多）",
    "sign_out": "登出",
    "second_factor_failed": "第二道驗證碼錯誤",
    "second_factor_enrolled": "啟用第二道驗證",
    "second_factor_reset": "重設第二道驗證",
    "account_created": "建立帳號",
    "role_changed": "變更角色",
    "units_changed": "變更所屬單位",
    "unit_head_changed": "變更單位主管",
    "account_disabled": "停用帳號",
    "account_enabled": "啟用帳號",
    "password_set": "設定密碼",
    "demo_accounts_reset": "重設示範帳號",
    "reminder_queued": "寄出逾期文件更新提醒",
    "draft_started": "開始編修文件",
    "revision_saved": "儲存文件版本",
    "revision_refused": "儲存被拒（他人已先儲存新版本）",
    "revision_restored": "還原舊版本為新版本",
    "file_uploaded": "上傳附件",
    "upload_refused": "拒絕上傳附件",
    "file_removed": "移除附件",
    "submitted": "送審",
    "approved": "審稿核可",
    "approve_refused": "拒絕審稿（審稿人是作者）",
    "rejected": "退回修改",
    "scheduled": "排定發布時間",
    "published": "發布",
    "force_published": "網站管理者強制發布",
    "withdrawn": "下架",
    "publish_failed": "發布失敗",
    # 意見信箱 (gongkai.mailbox): the citizen's steps, then the staff's
    "mailbox_message_submitted": "民眾送出意見（待確認）",
    "mailbox_case_received": "意見信箱案件成立（民眾確認）",
    "mailbox_case_rated": "民眾填寫滿意度",
    "mailbox_case_reopened": "民眾要求重新處理",
    "mailbox_case_viewed": "民眾查詢案件",
    "mailbox_purged": "清除逾期未確認訊息與逾保存期限個資",
    "mailbox_case_opened": "同仁檢視意見信箱案件",
    "mailbox_attachment_downloaded": "同仁下載意見信箱附件",
    "mailbox_case_assigned": "分派意見信箱案件",
    "mailbox_case_reassigned": "改派意見信箱案件",
    "mailbox_reply_drafted": "撰寫意見信箱答復",
    "mailbox_reply_approved": "核可並寄出意見信箱答復",
    "mailbox_approve_refused": "拒絕核可答復（核可人是撰寫人）",
    "mailbox_reply_returned": "退回意見信箱答復",
    "mailbox_tier_changed": "變更意見信箱案件處理時限類別",
    "mailbox_case_merged": "併案（本案併入他案）",
    "mailbox_case_merged_in": "併案（他案併入本案）",
    "mailbox_case_not_handled": "依行政程序法第 173 條不予處理",
    "mailbox_case_reminded": "寄出意見信箱案件到期提醒",
    "mailbox_case_escalated": "意見信箱案件逾期，通知單位主管",
    "mailbox_cases_exported": "匯出意見信箱案件（個資已遮罩）",
    "mailbox_statistics_published": "發布意見信箱統計開放資料",
    "mailbox_statistics_refused": "意見信箱統計開放資料未發布（驗證或個資檢查未通過）",
}


def record(db: Session, actor: Account | str | None, action: str, target: str = "", address: str = "", detail: str = "") -> AuditEntry:
    """Add one entry to the log in ``db``'s transaction (the caller commits it with the change).

    ``actor``: the account, a name for the command line or the system, or None for someone not
    signed in; ``target``: what it was done to, as ``kind:name`` (e.g. ``account:lin``).
    """
    if action not in ACTIONS:
        raise KeyError(f"unknown audit action {action!r}: add it to gongkai.admin.audit.ACTIONS")
    if isinstance(actor, Account):
        actor_id, actor_name = actor.id, actor.name
    else:
        actor_id, actor_name = None, actor or "（未登入）"
    entry = AuditEntry(actor_id=actor_id, actor_name=_text(actor_name, NAME_MAX), action=action[:ACTION_MAX],
                       target=_text(target, TARGET_MAX), address=_text(address, ADDRESS_MAX), detail=_text(detail, DETAIL_MAX))
    db.add(entry)
    return entry


def _text(value: str, limit: int) -> str:
    """What someone typed, as the log can hold it: no NUL (PostgreSQL refuses it), within the column."""
    return value.replace("\x00", "")[:limit]


@dataclass(frozen=True)
class AuditFilter:
    """What the webmaster filters the log by; every field optional."""

    person: str = ""
    action: str = ""
    since: dt.date | None = None
    until: dt.date | None = None  # inclusive: the whole day
    target: str = ""

    def query(self) -> Select[tuple[AuditEntry]]:
        query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        if self.person:
            query = query.where(AuditEntry.actor_name == self.person)
        if self.action:
            query = query.where(AuditEntry.action == self.action)
        if self.since:
            query = query.where(AuditEntry.at >= _start_of(self.since))
        if self.until:
            query = query.where(AuditEntry.at < _start_of(self.until + dt.timedelta(days=1)))
        if self.target:
            query = query.where(AuditEntry.target.contains(self.target, autoescape=True))
        return query


def _start_of(day: dt.date) -> dt.datetime:
    """Days are Taiwan's days: a filter for 12 月 2 日 means midnight to midnight in Taipei."""
    return dt.datetime.combine(day, dt.time(), TAIWAN)


def entries(db: Session, where: AuditFilter, limit: int | None = None, offset: int = 0) -> list[AuditEntry]:
    query = where.query().offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return list(db.scalars(query))


# --------------------------------------------------------------------------- export

COLUMNS = (("at", "時間（臺北）"), ("actor", "人員"), ("action", "動作"), ("action_name", "動作說明"), ("target", "對象"),
           ("address", "來源位址"), ("detail", "說明"))


def rows(db: Session, where: AuditFilter) -> Iterator[list[Any]]:
    for entry in db.scalars(where.query().execution_options(yield_per=500)):
        yield [local_time(entry.at), entry.actor_name, entry.action, ACTIONS.get(entry.action, entry.action), entry.target,
               entry.address, entry.detail]


def no_formula(text: str) -> str:
    """A spreadsheet runs a cell starting with = + - @ as a formula; a typed name must stay text."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_csv(db: Session, where: AuditFilter) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([title for _, title in COLUMNS])
    for row in rows(db, where):
        writer.writerow([no_formula(str(value)) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # with a BOM: spreadsheets on Taiwanese Windows read it right


def export_ods(db: Session, where: AuditFilter) -> bytes:
    from gongkai.opendata.ods import write_ods  # the one streaming ODS writer of the project
    from gongkai.opendata.packages import Field

    fields = [Field(name=title, type="string", title=title, description=key) for key, title in COLUMNS]
    out = io.BytesIO()
    write_ods(out, fields, rows(db, where), title="稽核紀錄", sheet="稽核紀錄", creator="gongkai")
    return out.getvalue()
