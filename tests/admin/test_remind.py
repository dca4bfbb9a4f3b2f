"""`gongkai remind`: one message per author per run listing their units' overdue documents, never
the same reminder twice in one update cycle, audited; delivered through the outbox to a real SMTP
server on loopback (aiosmtpd), whose received messages are read back. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from gongkai import clock
from gongkai.admin.models import Account, AuditEntry, OutboxMessage
from gongkai.admin.reminder_models import ReminderSent
from gongkai.cli import main
from tests.admin.dashboard_content import DOCUMENTS, page, write_content
from tests.admin.support import make_account


@pytest.fixture
def content_dir(tmp_path):
    return write_content(tmp_path / "content")


@pytest.fixture
def people(office):
    return {"sec4": make_account(office, "lin", "author", ("sec4",), email="lin@example.gov.tw"),
            "sec1": make_account(office, "wang", "author", ("sec1",), email="wang@example.gov.tw"),
            "both": make_account(office, "chen", "author", ("sec1", "sec4"), email="chen@example.gov.tw"),
            "reviewer": make_account(office, "huang", "reviewer", ("sec4",), email="huang@example.gov.tw"),
            "no_email": make_account(office, "li", "author", ("sec4",))}


def remind(settings, smtp=None, *args: str):
    env = {f"GONGKAI_{name}": str(settings[name]) for name in ("DATABASE_URL", "CONTENT_DIR", "VAR_DIR")}
    env["GONGKAI_MAIL_HOST"] = ""
    if smtp is not None:
        env |= {"GONGKAI_MAIL_HOST": "127.0.0.1", "GONGKAI_MAIL_PORT": str(smtp[1].port), "GONGKAI_MAIL_TLS": "none",
                "GONGKAI_MAIL_FROM": "noreply@example.gov.tw"}
    result = CliRunner().invoke(main, ["remind", *args], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def reminders_in(inbox) -> list:
    """The reminders received (the account-created notices, sent by the same outbox, left out)."""
    return [message for message in inbox.received if "更新週期" in message["Subject"]]


def received(inbox) -> dict[str, str]:
    return {message["To"]: message.get_content() for message in reminders_in(inbox)}


def titles_in(body: str) -> list[str]:
    return [line.split(". ", 1)[1].split("（", 1)[0] for line in body.splitlines() if line[:1].isdigit() and ". " in line]


def test_each_author_gets_one_message_listing_their_overdue_documents(settings, office, people, smtp):
    inbox, _ = smtp
    result = remind(settings, smtp)
    mails = received(inbox)
    assert sorted(mails) == ["chen@example.gov.tw", "lin@example.gov.tw", "wang@example.gov.tw"]  # not the reviewer
    assert len(reminders_in(inbox)) == 3
    assert titles_in(mails["lin@example.gov.tw"]) == ["水量計檢定月報", "計程車計費表年報"]  # most overdue first
    assert titles_in(mails["wang@example.gov.tw"]) == ["第一課月報"]
    assert titles_in(mails["chen@example.gov.tw"]) == ["水量計檢定月報", "計程車計費表年報", "第一課月報"]
    lin = mails["lin@example.gov.tw"]
    assert page("meter-monthly") in lin and "已逾期 69 天" in lin
    assert f"應於 {(clock.today() - dt.timedelta(days=69)).isoformat()} 前更新" in lin
    subject = next(m["Subject"] for m in reminders_in(inbox) if m["To"] == "lin@example.gov.tw")
    assert subject == "【網站後台】2 份文件已超過更新週期，請更新"
    assert "li has overdue documents but no e-mail address" in result.output
    with office.sessions() as db:
        entries = db.scalars(select(AuditEntry).where(AuditEntry.action == "reminder_queued").order_by(AuditEntry.target)).all()
        assert [(e.actor_name, e.target) for e in entries] == [("提醒排程（gongkai remind）", f"account:{name}") for name in ("chen", "lin", "wang")]
        assert "zh-Hant-TW:news:meter-monthly" in entries[1].detail
        assert {m.state for m in db.scalars(select(OutboxMessage))} == {"sent"}
        assert [s.outbox_id is not None for s in db.scalars(select(ReminderSent))] == [True] * 6


def test_never_the_same_reminder_twice_in_one_cycle(settings, office, people, smtp, content_dir):
    inbox, _ = smtp
    remind(settings, smtp)
    again = remind(settings, smtp)
    assert len(reminders_in(inbox)) == 3
    assert "0 reminder(s) queued; 6 overdue document(s) reminded of before" in again.output
    # the monthly report is updated, but not since its next cycle also ran out: a new cycle, a new reminder
    write_content(content_dir, DOCUMENTS | {"meter-monthly": ("水量計檢定月報", "sec4", "monthly", 40)})
    remind(settings, smtp)
    later = reminders_in(inbox)[3:]
    assert sorted(m["To"] for m in later) == ["chen@example.gov.tw", "lin@example.gov.tw"]
    assert all(titles_in(m.get_content()) == ["水量計檢定月報"] for m in later)
    assert all("已逾期 9 天" in m.get_content() for m in later)


def test_without_a_mail_server_reminders_wait_in_the_outbox(settings, office, people):
    result = remind(settings)
    assert "wait in the outbox" in result.output
    with office.sessions() as db:
        reminders = select(OutboxMessage).where(OutboxMessage.subject.contains("更新週期"))
        assert sorted((m.recipient, m.state) for m in db.scalars(reminders)) == [
            ("chen@example.gov.tw", "queued"), ("lin@example.gov.tw", "queued"), ("wang@example.gov.tw", "queued")]
        assert db.query(ReminderSent).count() == 6


def test_a_dry_run_records_and_sends_nothing(settings, office, people, smtp):
    inbox, _ = smtp
    result = remind(settings, smtp, "--dry-run")
    assert "lin <lin@example.gov.tw>: 水量計檢定月報 (69 days), 計程車計費表年報 (14 days)" in result.output
    assert reminders_in(inbox) == []
    with office.sessions() as db:
        assert db.query(ReminderSent).count() == 0
        assert db.scalars(select(OutboxMessage).where(OutboxMessage.subject.contains("更新週期"))).all() == []


def test_disabled_authors_and_units_without_authors(settings, office, smtp):
    make_account(office, "gone", "author", ("sec4",), email="gone@example.gov.tw")
    with office.sessions() as db:
        db.scalar(select(Account).where(Account.name == "gone")).disabled = True
        db.commit()
    inbox, _ = smtp
    result = remind(settings, smtp)
    assert reminders_in(inbox) == []
    assert "unit sec1 has overdue documents and no enabled author" in result.output
    assert "unit sec4 has overdue documents and no enabled author" in result.output


def test_a_run_that_loses_the_race_queues_nothing(office, people, content_dir, monkeypatch):
    """Two runs at once: the one that records second rolls back its message instead of sending it again."""
    from gongkai.admin import reminders
    from gongkai.model import load_content

    corpus, _ = load_content(content_dir)
    with office.sessions() as db:
        reminders.queue_reminders(db, corpus, {"BASE_URL": ""})
        before = db.query(OutboxMessage).count()
    monkeypatch.setattr(reminders, "already_sent", lambda db, account: set())  # as read before the other run committed
    with office.sessions() as db:
        report = reminders.queue_reminders(db, corpus, {"BASE_URL": ""})
        assert report.queued == [] and report.already_reminded == 6
        assert db.query(OutboxMessage).count() == before
