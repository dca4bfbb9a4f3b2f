"""`gongkai cases remind` (gongkai.mailbox.deadlines): the unit's staff reminded once before a
deadline, counted in working days on the office calendar (content/mailbox/calendar/2026.yaml); the
unit's head told once after it, or the secretariat's head and the webmaster where the unit has no
head; closed cases never; two runs at once mail once. Mail is read at a real SMTP server
(aiosmtpd). On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
import yaml
from click.testing import CliRunner
from sqlalchemy import select

from gongkai.admin import accounts
from gongkai.admin.db import utcnow
from gongkai.admin.mail import send_pending
from gongkai.admin.models import AuditEntry, OutboxMessage
from gongkai.cli import main
from gongkai.clock import TAIWAN
from gongkai.mailbox import cases
from gongkai.mailbox.deadlines import remind
from gongkai.mailbox.models import Case
from gongkai.mailbox.states import CaseState
from gongkai.model.codes import Code
from tests.admin.support import PASSWORD
from tests.mailbox.test_lookup import answered, make_case

KNOWN = {code: Code(code=code, zh=name, en=code) for code, name in (("sec1", "第一課"), ("sec4", "第四課"), ("it", "資訊小組"),
                                                                     ("secretariat", "秘書室"))}
DEADLINE = dt.date(2026, 10, 12)  # the Monday after 國慶日 observed on Friday 2026-10-09


def taipei(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), TAIWAN).astimezone(dt.UTC)


@pytest.fixture
def staff(box):
    made = {}
    with box.sessions() as db:
        for name, role, units, heads in (("lin", "author", ("sec4",), ()), ("chen", "reviewer", ("sec4",), ("sec4",)),
                                         ("wang", "author", ("sec1",), ()), ("mei", "reviewer", ("secretariat",), ("secretariat",)),
                                         ("su", "author", ("secretariat",), ()), ("web", "webmaster", ("it",), ())):
            made[name] = accounts.create(db, name=name, role=role, units=units, password=PASSWORD, known_units=KNOWN, heads=heads,
                                         email=f"{name}@example.gov.tw", actor="test")
        db.query(OutboxMessage).delete()  # the accounts' own notices: not what these tests count
        db.commit()
    return made


def open_case(box, number: str, deadline: dt.date = DEADLINE, state: CaseState = CaseState.ASSIGNED, unit: str = "sec4") -> str:
    now = utcnow()
    with box.sessions() as db:
        db.add(Case(number=number, password_hash="x", confirmation_hash=number, state=state, tier="normal", unit=unit, submitted_at=now,
                    received_at=now, received_on=deadline - dt.timedelta(days=20), deadline=deadline, category="other",
                    subject="路燈不亮", message="中山路口的路燈壞了三天。", name="王小明", email="citizen@example.com", phone="",
                    language="zh-Hant-TW", address="203.0.113.9", attachment_name="", attachment_type="", attachment=None,
                    draft_reply="", reply="", satisfaction_comment="", reopen_reason="", reopen_count=0))
        db.commit()
    return number


def run(box, day: dt.date, working_days: int = 1):
    with box.sessions() as db:
        report = remind(db, taipei(day), box.data()[1], working_days, KNOWN, "https://admin.example.gov.tw")
        db.commit()
    return report


def queued(box) -> list[tuple[str, str]]:
    with box.sessions() as db:
        return [(m.recipient.split("@")[0], m.subject) for m in db.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]


def test_the_calendar_file_has_the_holiday_the_tests_rely_on(mailbox_content):
    days_off = yaml.safe_load((mailbox_content / "mailbox/calendar/2026.yaml").read_text(encoding="utf-8"))["days_off"]
    assert {"date": dt.date(2026, 10, 9), "name": "國慶日（補假）"} in days_off
    assert DEADLINE.weekday() == 0


def test_a_deadline_after_a_holiday_is_reminded_of_on_the_working_day_before_it_and_not_earlier(box, staff):
    open_case(box, "1151001-000001")
    assert run(box, dt.date(2026, 10, 7)).reminded == []  # Wednesday: two working days (Thursday, Monday) still to go
    assert queued(box) == []
    report = run(box, dt.date(2026, 10, 8))  # Thursday: the last working day before the deadline
    assert report.reminded == ["1151001-000001"] and report.escalated == []
    assert sorted(queued(box)) == [("chen", "意見信箱案件即將到期：1151001-000001（期限 2026-10-12）"),
                                   ("lin", "意見信箱案件即將到期：1151001-000001（期限 2026-10-12）")]
    with box.sessions() as db:
        case = db.scalar(select(Case))
        body = db.scalar(select(OutboxMessage.body).where(OutboxMessage.recipient == "lin@example.gov.tw"))
        entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "mailbox_case_reminded"))
    assert case.reminded_at == taipei(dt.date(2026, 10, 8)) and case.escalated_at is None
    assert "第四課的意見信箱案件 1151001-000001「路燈不亮」" in body and "https://admin.example.gov.tw/admin/cases/1151001-000001/" in body
    assert entry.target == "case:1151001-000001" and "chen、lin" in entry.detail and entry.actor_name.startswith("到期提醒排程")


def test_zero_working_days_reminds_on_the_deadlines_day_only(box, staff):
    open_case(box, "1151001-000002")
    assert run(box, dt.date(2026, 10, 8), working_days=0).reminded == []
    assert run(box, DEADLINE, working_days=0).reminded == ["1151001-000002"]


def test_a_second_run_mails_nothing_again(box, staff):
    open_case(box, "1151001-000003")
    run(box, dt.date(2026, 10, 8))
    before = queued(box)
    for day in (dt.date(2026, 10, 8), dt.date(2026, 10, 9), DEADLINE):
        again = run(box, day)
        assert (again.reminded, again.escalated) == ([], [])
    assert run(box, dt.date(2026, 10, 13)).escalated == ["1151001-000003"]
    assert run(box, dt.date(2026, 10, 14)).escalated == []
    assert len(queued(box)) == len(before) + 1  # the one escalation to chen, the head


def test_after_the_deadline_the_units_head_is_told_at_the_mail_server(box, staff, settings, smtp):
    inbox, _ = smtp
    open_case(box, "1151001-000004", state=CaseState.DRAFTED)
    report = run(box, dt.date(2026, 10, 13))
    assert report.escalated == ["1151001-000004"] and report.reminded == []  # past it: no reminder any more, the head is told
    sent = send_pending(box.sessions, box.mail)
    assert sent.sent == 1
    [message] = inbox.received
    assert message["To"] == "chen@example.gov.tw"  # the head; not lin, the unit's author
    assert message["Subject"] == "意見信箱案件逾期未答復：1151001-000004（期限 2026-10-12）"
    body = message.get_content()
    assert "第四課承辦的意見信箱案件 1151001-000004「路燈不亮」已超過答復期限 2026-10-12" in body and "答復待核可" in body
    assert "尚未設定單位主管" not in body
    with box.sessions() as db:
        assert db.scalar(select(Case.escalated_at)) == taipei(dt.date(2026, 10, 13))
        assert db.scalar(select(AuditEntry.detail).where(AuditEntry.action == "mailbox_case_escalated")) == "期限 2026-10-12；通知 chen"


def test_a_unit_without_a_head_has_the_secretariats_head_and_the_webmaster_told(box, staff, settings, smtp):
    inbox, _ = smtp
    open_case(box, "1151001-000005", unit="sec1")  # 第一課: wang, no head
    assert run(box, dt.date(2026, 10, 13)).escalated == ["1151001-000005"]
    send_pending(box.sessions, box.mail)
    assert sorted(message["To"] for message in inbox.received) == ["mei@example.gov.tw", "web@example.gov.tw"]  # not su, not wang
    assert all("第一課尚未設定單位主管" in message.get_content() for message in inbox.received)
    with box.sessions() as db:
        detail = db.scalar(select(AuditEntry.detail).where(AuditEntry.action == "mailbox_case_escalated"))
    assert detail == "期限 2026-10-12；通知 mei、web（sec1 未設主管，改通知秘書室主管與網站管理者）"


def test_a_case_waiting_for_triage_is_the_secretariats(box, staff):
    open_case(box, "1151001-000006", state=CaseState.RECEIVED, unit="sec4")  # sec4 is its category's unit, but no one assigned it yet
    assert run(box, dt.date(2026, 10, 8)).reminded == ["1151001-000006"]
    assert sorted(name for name, _ in queued(box)) == ["mei", "su"]
    with box.sessions() as db:
        assert all("請儘速分派承辦單位" in body for body in db.scalars(select(OutboxMessage.body)))


@pytest.mark.parametrize("state", [CaseState.ANSWERED, CaseState.MERGED, CaseState.NOT_HANDLED])
def test_answered_and_closed_cases_are_never_reminded_or_escalated(box, staff, state):
    open_case(box, "1151001-000007", state=state)
    open_case(box, "1151001-000008", state=state, deadline=dt.date(2026, 10, 1))
    for day in (dt.date(2026, 10, 8), DEADLINE, dt.date(2026, 10, 13)):
        report = run(box, day)
        assert (report.reminded, report.escalated) == ([], [])
    assert queued(box) == []


def test_two_runs_at_once_mail_once(box, staff):
    """The second run starts while the first has marked the case but not committed: its UPDATE waits
    for the first's commit, then finds the mark and mails nothing."""
    open_case(box, "1151001-000009")
    first = box.sessions()
    assert remind(first, taipei(dt.date(2026, 10, 8)), box.data()[1], 1, KNOWN).reminded == ["1151001-000009"]
    second: dict = {}

    def other_run() -> None:
        second["report"] = run(box, dt.date(2026, 10, 8))

    thread = threading.Thread(target=other_run)
    thread.start()
    time.sleep(1)
    assert thread.is_alive()  # waiting for the first run's lock
    first.commit()
    first.close()
    thread.join(30)
    assert second["report"].reminded == []
    assert sorted(name for name, _ in queued(box)) == ["chen", "lin"]


def test_reopening_gives_a_new_deadline_reminded_of_again(box, staff):
    number, _ = make_case(box, **answered(days_ago=1))
    rules, calendar = box.data()
    now = utcnow()
    with box.sessions() as db:
        case = db.scalar(select(Case).where(Case.number == number))
        case.reminded_at = case.escalated_at = now - dt.timedelta(days=3)
        cases.reopen(db, case, "還是不亮", rules, calendar, now)
        db.commit()
        db.refresh(case)
        assert (case.state, case.reminded_at, case.escalated_at) == (CaseState.REOPENED, None, None)
        new_deadline = case.deadline
    assert new_deadline > now.astimezone(TAIWAN).date()
    with box.sessions() as db:
        report = remind(db, taipei(new_deadline), calendar, 1, KNOWN)
    assert report.reminded == [number]  # the secretariat's (the case's unit): mei and su


def test_the_remind_and_purge_commands_on_a_real_database(box, staff, settings, smtp):
    inbox, controller = smtp
    today = utcnow().astimezone(TAIWAN).date()
    open_case(box, "1151001-000010", deadline=today)
    open_case(box, "1151001-000011", deadline=today - dt.timedelta(days=1))
    old, _ = make_case(box, **answered(days_ago=400))
    env = {f"GONGKAI_{name}": str(settings[name]) for name in ("DATABASE_URL", "CONTENT_DIR", "VAR_DIR")}
    env |= {"GONGKAI_MAIL_HOST": "127.0.0.1", "GONGKAI_MAIL_PORT": str(controller.port), "GONGKAI_MAIL_TLS": "none",
            "GONGKAI_MAIL_FROM": "noreply@example.gov.tw", "GONGKAI_MAILBOX_RETENTION_DAYS": "365"}
    result = CliRunner().invoke(main, ["cases", "remind"], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "reminded the staff of 1 case(s) due within 1 working day(s); told the heads of 1 overdue case(s)" in result.output
    assert "mail: sent 5" in result.output  # and the old case's confirmation and receipt, queued when it was made
    assert sorted((m["To"], m["Subject"][:8]) for m in inbox.received if m["To"] != "wang@example.com") == [("chen@example.gov.tw", "意見信箱案件即將"),
                                                                          ("chen@example.gov.tw", "意見信箱案件逾期"),
                                                                          ("lin@example.gov.tw", "意見信箱案件即將")]
    again = CliRunner().invoke(main, ["cases", "remind"], env=env, catch_exceptions=False)
    assert "reminded the staff of 0 case(s)" in again.output and "told the heads of 0 overdue case(s)" in again.output
    assert len(inbox.received) == 5
    purged = CliRunner().invoke(main, ["cases", "purge"], env=env, catch_exceptions=False)
    assert purged.exit_code == 0 and "of 1 closed case(s)" in purged.output
    with box.sessions() as db:
        assert db.scalar(select(Case.name).where(Case.number == old)) == ""
        assert db.scalar(select(Case.name).where(Case.number == "1151001-000010")) == "王小明"


def test_a_negative_setting_is_refused_plainly(settings):
    env = {f"GONGKAI_{name}": str(settings[name]) for name in ("DATABASE_URL", "CONTENT_DIR", "VAR_DIR")}
    result = CliRunner().invoke(main, ["cases", "remind"], env=env | {"GONGKAI_MAILBOX_REMIND_WORKING_DAYS": "-1"})
    assert result.exit_code == 1 and "MAILBOX_REMIND_WORKING_DAYS is -1" in result.output
