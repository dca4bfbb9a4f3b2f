"""Reminders to update overdue documents (`gongkai remind`, run daily by deploy/gongkai-remind.timer).

Each author of a unit with documents past their update cycle gets one message per run, listing
the documents they have not been reminded of in this cycle; what was sent is recorded in
``reminders_sent`` (reminder_models), in the same transaction as the queued message and its
audit entry, so a reminder is queued once or not at all. The mail itself goes through the outbox.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gongkai.admin import (
    audit,
    dashboard_labels,  # noqa: F401 - registers dashboard.*, the subject among them
    mail,
)
from gongkai.admin.models import Account
from gongkai.admin.overdue import OverdueDocument, overdue_documents
from gongkai.admin.public_pages import public_url
from gongkai.admin.reminder_models import ReminderSent
from gongkai.admin.roles import Role
from gongkai.web.i18n import ZH
from gongkai.web.labels import label

ACTOR = "提醒排程（gongkai remind）"


@dataclass
class RemindReport:
    queued: list[tuple[str, int]] = field(default_factory=list)  # (account name, documents listed)
    already_reminded: int = 0  # overdue documents whose reminder this cycle was sent before
    without_email: list[str] = field(default_factory=list)  # authors with overdue documents and no address
    units_without_author: list[str] = field(default_factory=list)  # overdue documents, and no author to tell


def authors(db: Session) -> list[Account]:
    return list(db.scalars(select(Account).where(Account.role == Role.AUTHOR.value, Account.disabled.is_(False)).order_by(Account.name)))


def already_sent(db: Session, account: Account) -> set[tuple[str, dt.date]]:
    rows = db.execute(select(ReminderSent.document, ReminderSent.due).where(ReminderSent.account_id == account.id))
    return {(document, due) for document, due in rows}


def queue_reminders(db: Session, corpus: Any, config: Mapping[str, Any], today: dt.date | None = None) -> RemindReport:
    """Queue this run's reminders, committing each person's on its own: one failure stops no one else's."""
    report = RemindReport()
    overdue = overdue_documents(corpus, today=today)
    people = authors(db)
    told_units = {unit for person in people for unit in person.units}
    report.units_without_author = sorted({item.doc.unit for item in overdue} - told_units)
    for person in people:
        theirs = [item for item in overdue if item.doc.unit in person.units]
        if not theirs:
            continue
        if not person.email:
            report.without_email.append(person.name)
            continue
        sent = already_sent(db, person)
        new = [item for item in theirs if (item.key, item.due) not in sent]
        report.already_reminded += len(theirs) - len(new)
        if not new:
            continue
        try:
            message = mail.queue(db, person.email, label("dashboard.reminder_subject", ZH, count=len(new)),
                                 reminder_text(person, new, corpus, config))
            db.flush()
            db.add_all(ReminderSent(account_id=person.id, document=item.key, due=item.due, outbox_id=message.id) for item in new)
            audit.record(db, ACTOR, "reminder_queued", f"account:{person.name}", "",
                         f"{len(new)} document(s): " + ", ".join(f"{item.key} due {item.due}" for item in new))
            db.commit()
        except IntegrityError:  # another run recorded the same reminders a moment ago: it sent them
            db.rollback()
            report.already_reminded += len(new)
            continue
        report.queued.append((person.name, len(new)))
    return report


def reminder_text(person: Account, items: list[OverdueDocument], corpus: Any, config: Mapping[str, Any]) -> str:
    units = corpus.codes["units"]
    lines = [f"{person.name} 您好：", "",
             "您所屬單位的下列文件已超過更新週期，請確認內容並更新（更新後，「更新日期」也要改為當天）：", ""]
    for number, item in enumerate(items, 1):
        unit = units.get(item.doc.unit)
        lines += [f"{number}. {item.doc.title}（{unit.zh if unit else item.doc.unit}，{item.cycle_name}更新）",
                  f"   上次更新 {item.doc.updated.isoformat()}，應於 {item.due.isoformat()} 前更新，已逾期 {item.days} 天",
                  f"   {public_url(corpus, item.doc, config)}", ""]
    admin = str(config.get("ADMIN_BASE_URL") or "").rstrip("/")
    if admin:
        lines += [f"各單位的逾期文件與檢測結果也列在網站後台：{admin}/admin/", ""]
    lines += ["同一份文件在同一個更新週期只會提醒一次。", "這封信由網站後台自動寄出（gongkai remind），請勿直接回覆。"]
    return "\n".join(lines)
