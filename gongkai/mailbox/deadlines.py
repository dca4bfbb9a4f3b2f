"""Reminders before a case's deadline and escalation once it has passed (`gongkai cases remind`,
run daily by deploy/gongkai-cases.timer), without Flask.

An open case (assigned, drafted, reopened: its unit's; received: the secretariat's, whose triage it
waits for) is *due soon* when its deadline is no later than the N-th working day after today on the
office calendar (MAILBOX_REMIND_WORKING_DAYS): its unit's staff are mailed once. Working days, not
calendar days: a deadline on the Monday after a Friday holiday is reminded of on Thursday, the
last working day that leaves a working day to answer in. Past its deadline, the unit's heads
(Membership.head) are mailed once; a unit without a head has the secretariat's heads and the
webmasters told instead, so an overdue case always reaches someone who can act.

Once only, even with two runs at once: each mail is queued after a conditional
``UPDATE … SET reminded_at = now WHERE id = … AND reminded_at IS NULL AND state = <seen>`` in the
caller's transaction, with its audit entry; the second run's UPDATE waits for the first's commit,
then changes no row and mails nothing. A reopened case has a new deadline, and cases.reopen clears
both marks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from gongkai.admin import accounts, audit
from gongkai.admin.mail import queue
from gongkai.admin.models import Account
from gongkai.admin.roles import Role
from gongkai.clock import TAIWAN
from gongkai.mailbox.cases import deadline as working_days_after
from gongkai.mailbox.models import Case
from gongkai.mailbox.office_calendar import OfficeCalendar
from gongkai.mailbox.staff import labels as _labels  # noqa: F401 - registers staff.*, the state names among them
from gongkai.mailbox.staff.handling import SECRETARIAT
from gongkai.mailbox.states import CaseState
from gongkai.model.codes import Code
from gongkai.web.i18n import ZH
from gongkai.web.labels import label

ACTOR = "到期提醒排程（gongkai cases remind）"
OPEN = (CaseState.RECEIVED, CaseState.ASSIGNED, CaseState.DRAFTED, CaseState.REOPENED)


@dataclass
class RemindReport:
    reminded: list[str] = field(default_factory=list)  # case numbers whose staff were mailed
    escalated: list[str] = field(default_factory=list)  # case numbers whose heads (or stand-ins) were mailed
    no_one: list[str] = field(default_factory=list)  # "number (unit)": due, but no enabled member has an e-mail address


def in_charge(case: Case) -> str:
    """The unit that must act: the secretariat until the case is triaged, then the case's unit."""
    return SECRETARIAT if case.state is CaseState.RECEIVED else case.unit


def remind(db: Session, now: dt.datetime, calendar: OfficeCalendar, working_days: int = 1, units: Mapping[str, Code] | None = None,
           admin_url: str = "") -> RemindReport:
    """Queue this run's reminders and escalations in ``db``'s transaction (the caller commits)."""
    if working_days < 0:
        raise ValueError("MAILBOX_REMIND_WORKING_DAYS must be 0 or more")
    units = units or {}
    today = now.astimezone(TAIWAN).date()
    # no later than the N-th working day after today (Monday–Friday where a year has no calendar file)
    horizon = working_days_after(calendar, today, working_days) if working_days else today
    report = RemindReport()
    due = select(Case).where(Case.state.in_(OPEN), Case.reminded_at.is_(None), Case.deadline >= today, Case.deadline <= horizon)
    for case in db.scalars(due.order_by(Case.id)).all():  # .all(): done reading before the first UPDATE
        people = [person for person in accounts.members(db, in_charge(case)) if person.email]
        if not people:
            report.no_one.append(f"{case.number} ({in_charge(case)})")
        elif _mark(db, case, Case.reminded_at, now):
            for person in people:
                queue(db, person.email, *_reminder(case, person, units, admin_url))
            audit.record(db, ACTOR, "mailbox_case_reminded", f"case:{case.number}", "",
                         f"期限 {case.deadline.isoformat()}；通知 {_names(people)}")
            report.reminded.append(case.number)
    late = select(Case).where(Case.state.in_(OPEN), Case.escalated_at.is_(None), Case.deadline < today)
    for case in db.scalars(late.order_by(Case.id)).all():
        heads, stand_in = escalation_recipients(db, in_charge(case))
        if heads and _mark(db, case, Case.escalated_at, now):
            for person in heads:
                queue(db, person.email, *_escalation(case, person, units, admin_url, stand_in))
            audit.record(db, ACTOR, "mailbox_case_escalated", f"case:{case.number}", "",
                         f"期限 {case.deadline.isoformat()}；通知 {_names(heads)}"
                         + (f"（{in_charge(case)} 未設主管，改通知秘書室主管與網站管理者）" if stand_in else ""))
            report.escalated.append(case.number)
        elif not heads:
            report.no_one.append(f"{case.number} ({in_charge(case)})")
    return report


def escalation_recipients(db: Session, unit: str) -> tuple[list[Account], bool]:
    """The unit's heads with an e-mail address; with none, the secretariat's heads and the
    webmasters (True: they stand in for a missing head)."""
    heads = [person for person in accounts.members(db, unit, heads_only=True) if person.email]
    if heads:
        return heads, False
    stand_ins = [*accounts.members(db, SECRETARIAT, heads_only=True),
                 *db.scalars(select(Account).where(Account.role == Role.WEBMASTER.value, Account.disabled.is_(False)).order_by(Account.name))]
    unique = {person.email: person for person in stand_ins if person.email}  # one mail to a secretariat head who is also a webmaster
    return list(unique.values()), True


def _mark(db: Session, case: Case, column: InstrumentedAttribute, now: dt.datetime) -> bool:
    """Set the mark if no run set it first and the case is still as seen (not answered meanwhile)."""
    done = db.execute(update(Case).where(Case.id == case.id, column.is_(None), Case.state == case.state, Case.deadline == case.deadline)
                      .values({column: now}).execution_options(synchronize_session=False)).rowcount
    return done == 1


def _names(people: list[Account]) -> str:
    return "、".join(person.name for person in people)


def _unit_name(units: Mapping[str, Code], code: str) -> str:
    return units[code].zh if code in units else code


def _link(admin_url: str, case: Case) -> str:
    return f"{admin_url.rstrip('/')}/admin/cases/{case.number}/\n\n" if admin_url else ""


def _reminder(case: Case, person: Account, units: Mapping[str, Code], admin_url: str) -> tuple[str, str]:
    state = label(f"staff.state_{case.state.value}", ZH)
    task = "請儘速分派承辦單位" if case.state is CaseState.RECEIVED else "請於期限前完成答復"
    return (f"意見信箱案件即將到期：{case.number}（期限 {case.deadline.isoformat()}）",
            f"{person.name} 您好：\n\n{_unit_name(units, in_charge(case))}的意見信箱案件 {case.number}「{case.subject}」"
            f"（{state}）答復期限為 {case.deadline.isoformat()}，{task}。\n\n{_link(admin_url, case)}"
            "每件案件的每個期限只提醒一次；逾期未答復時，系統會通知單位主管。\n這封信由網站後台自動寄出（gongkai cases remind），請勿直接回覆。\n")


def _escalation(case: Case, person: Account, units: Mapping[str, Code], admin_url: str, stand_in: bool) -> tuple[str, str]:
    unit = _unit_name(units, in_charge(case))
    why = (f"{unit}尚未設定單位主管，因此通知秘書室主管與網站管理者；請網站管理者在帳號管理設定{unit}的主管。\n\n" if stand_in else "")
    return (f"意見信箱案件逾期未答復：{case.number}（期限 {case.deadline.isoformat()}）",
            f"{person.name} 您好：\n\n{unit}承辦的意見信箱案件 {case.number}「{case.subject}」已超過答復期限 "
            f"{case.deadline.isoformat()}，目前狀態：{label(f'staff.state_{case.state.value}', ZH)}。請督導儘速處理。\n\n{why}"
            f"{_link(admin_url, case)}這封信由網站後台自動寄出（gongkai cases remind），每件案件的每個期限只通知一次，請勿直接回覆。\n")
