"""The outbox and its sender, against a real SMTP server on loopback (aiosmtpd): what it
received is read back. Messages are queued with the change, sent once, retried with growing
waits, and a message whose delivery is uncertain is never sent again on its own."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from gongkai.admin import accounts
from gongkai.admin.db import utcnow
from gongkai.admin.mail import MailSettings, queue, send_pending
from gongkai.admin.mail.sender import backoff, requeue
from gongkai.admin.models import OutboxMessage
from gongkai.model.codes import Code
from tests.admin.conftest import free_port
from tests.smtp_inbox import Inbox


@pytest.fixture
def mail(smtp):
    _inbox, controller = smtp
    return MailSettings(host="127.0.0.1", port=controller.port, tls="none", user="", password="", sender="noreply@example.gov.tw")


def queued(office, count=1):
    with office.sessions() as db:
        for number in range(count):
            queue(db, f"person{number}@example.gov.tw", f"通知 {number}", f"您好，第 {number} 封。")
        db.commit()


def states(office):
    with office.sessions() as db:
        return [m.state for m in db.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]


def test_queued_mail_is_sent_once(office, smtp, mail):
    inbox, _ = smtp
    queued(office, 2)
    report = send_pending(office.sessions, mail)
    assert (report.sent, report.retrying, report.failed, report.uncertain) == (2, 0, 0, 0)
    assert sorted(m["To"] for m in inbox.received) == ["person0@example.gov.tw", "person1@example.gov.tw"]
    first = next(m for m in inbox.received if m["To"] == "person0@example.gov.tw")
    assert first["Subject"] == "通知 0" and "第 0 封" in first.get_content() and first["Message-ID"].startswith("<")
    assert send_pending(office.sessions, mail).sent == 0  # nothing twice
    assert len(inbox.received) == 2 and states(office) == ["sent", "sent"]


def test_chinese_in_the_sender_name_and_subject_arrives_readable(office, smtp, mail):
    inbox, _ = smtp
    named = MailSettings(mail.host, mail.port, "none", "", "", "經濟部標準檢驗局臺南分局 <noreply@example.gov.tw>")
    subject = "意見信箱：您的案件 1151203-123456 已答復，請上網查看答復內容並填寫滿意度調查"  # longer than one header line
    with office.sessions() as db:
        queue(db, "wang@example.com", subject, "您好：\n\n答復如下。")
        db.commit()
    assert send_pending(office.sessions, named).sent == 1
    received = inbox.received[0]
    assert received["From"].addresses[0].display_name == "經濟部標準檢驗局臺南分局"
    assert received["From"].addresses[0].addr_spec == "noreply@example.gov.tw"
    assert received["Subject"] == subject and received.get_content().replace("\r\n", "\n") == "您好：\n\n答復如下。"
    assert received.get_content_charset() == "utf-8" and received["Date"] and received["Message-ID"].startswith("<")


def test_a_long_message_arrives_whole(office, smtp, mail):
    """More than 1,000 bytes of Chinese in many lines: sent with CRLF line ends, not refused as one long line."""
    inbox, _ = smtp
    body = "\n".join(f"第 {number} 行：請更新水量計檢定的說明文件。" for number in range(100))
    with office.sessions() as db:
        queue(db, "lin@example.gov.tw", "很長的通知", body)
        db.commit()
    assert send_pending(office.sessions, mail).sent == 1
    assert inbox.received[0].get_content().replace("\r\n", "\n").rstrip("\n") == body  # MIME text: CRLF line ends


def test_mail_is_queued_with_its_change_or_not_at_all(office):
    known = {"sec4": Code(code="sec4", zh="第四課", en="Fourth Section")}
    with office.sessions() as db:
        accounts.create(db, name="lin", role="author", units=["sec4"], password="a long enough pass phrase", known_units=known,
                        email="lin@example.gov.tw", actor="test")
        db.rollback()  # the change did not happen: nor does its mail
    assert states(office) == []
    with office.sessions() as db:
        accounts.create(db, name="lin", role="author", units=["sec4"], password="a long enough pass phrase", known_units=known,
                        email="lin@example.gov.tw", actor="test")
        db.commit()
        assert [m.recipient for m in db.scalars(select(OutboxMessage))] == ["lin@example.gov.tw"]


def test_a_temporary_refusal_is_retried_later_with_growing_waits(office, smtp, mail):
    inbox, _ = smtp
    inbox.answers = ["451 4.3.0 try again later", "451 4.3.0 try again later"]
    queued(office)
    now = utcnow()
    assert send_pending(office.sessions, mail, now=now).retrying == 1
    assert send_pending(office.sessions, mail, now=now + dt.timedelta(minutes=1)).retrying == 0  # not due yet
    assert send_pending(office.sessions, mail, now=now + dt.timedelta(minutes=6)).retrying == 1
    with office.sessions() as db:
        message = db.scalar(select(OutboxMessage))
        assert message.attempts == 2 and message.next_attempt_at == now + dt.timedelta(minutes=6) + backoff(2)
    assert send_pending(office.sessions, mail, now=now + dt.timedelta(hours=1)).sent == 1
    assert len(inbox.received) == 1
    assert backoff(1) == dt.timedelta(minutes=5) and backoff(2) == dt.timedelta(minutes=15) and backoff(20) == dt.timedelta(days=1)


def test_a_permanent_refusal_fails_and_so_do_too_many_tries(office, smtp, mail):
    inbox, _ = smtp
    inbox.answers = ["550 5.1.1 no such user"]
    queued(office)
    assert send_pending(office.sessions, mail).failed == 1
    assert states(office) == ["failed"]
    one_try = MailSettings(mail.host, mail.port, "none", "", "", mail.sender, max_attempts=1)
    inbox.answers = ["451 later"]
    queued(office)
    assert send_pending(office.sessions, one_try).failed == 1


def test_a_recipient_smtp_cannot_carry_fails_alone_and_the_next_message_still_goes(office, smtp, mail):
    """smtplib writes commands in ASCII: a non-ASCII address (from before the form took the ASCII
    form, or typed into an account) once stopped the whole batch and left it claimed forever."""
    inbox, _ = smtp
    with office.sessions() as db:
        queue(db, "王小明@example.com", "通知", "您好。")
        queue(db, "lin@example.gov.tw", "通知", "您好。")
        db.commit()
    report = send_pending(office.sessions, mail)
    assert (report.sent, report.failed) == (1, 1) and "SMTPUTF8" in report.errors[0]
    assert states(office) == ["failed", "sent"] and [m["To"] for m in inbox.received] == ["lin@example.gov.tw"]


def test_no_server_means_retry_not_loss(office, mail):
    queued(office)
    closed = MailSettings("127.0.0.1", free_port(), "none", "", "", mail.sender)
    assert send_pending(office.sessions, closed).retrying == 1
    assert states(office) == ["queued"]


def test_a_broken_line_after_the_content_is_uncertain_and_not_sent_again(office, smtp, mail):
    inbox, _ = smtp
    inbox.answers = ["drop"]
    queued(office)
    report = send_pending(office.sessions, mail, now=utcnow())
    assert report.uncertain == 1 and states(office) == ["uncertain"]
    assert send_pending(office.sessions, mail, now=utcnow() + dt.timedelta(days=2)).sent == 0
    assert len(inbox.received) == 1
    with office.sessions() as db:  # a person checked the mail server's log: it never arrived
        assert requeue(db, db.scalar(select(OutboxMessage.id)))
        db.commit()
    assert send_pending(office.sessions, mail).sent == 1


def test_a_sender_that_died_mid_message_leaves_it_uncertain(office, smtp, mail):
    inbox, _ = smtp
    queued(office)
    with office.sessions() as db:
        message = db.scalar(select(OutboxMessage))
        message.state, message.claimed_at = "sending", utcnow() - dt.timedelta(hours=1)
        db.commit()
    assert send_pending(office.sessions, mail).uncertain == 1
    assert inbox.received == [] and states(office) == ["uncertain"]


def test_two_senders_at_once_send_each_message_once(office, smtp, mail):
    inbox, _ = smtp
    queued(office, 6)
    threads = [threading.Thread(target=send_pending, args=(office.sessions, mail)) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(m["To"] for m in inbox.received) == sorted(f"person{n}@example.gov.tw" for n in range(6))


def test_a_header_cannot_be_smuggled_in(office):
    with office.sessions() as db, pytest.raises(ValueError):
        queue(db, "a@example.gov.tw\nBcc: everyone@example.com", "subject", "body")


def test_the_password_setting_is_never_shown(mail):
    assert "password=" not in repr(MailSettings("h", 1, "none", "u", "s3cret", "f"))


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1, which the sender is told to trust (MAIL_CA_FILE)."""
    import subprocess

    folder = tmp_path_factory.mktemp("tls")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
                   check=True, capture_output=True)
    return folder / "cert.pem", folder / "key.pem"


def authenticator(logins):
    from aiosmtpd.smtp import AuthResult, LoginPassword

    def check(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (b"mailer", b"s3cret")
        logins.append(ok)
        return AuthResult(success=ok)

    return check


@pytest.mark.parametrize("tls", ["starttls", "implicit"])
def test_tls_and_login(office, certificate, tls):
    import ssl

    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox, logins = Inbox(), []
    options = {"tls_context": context, "require_starttls": True} if tls == "starttls" else {"ssl_context": context}
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), authenticator=authenticator(logins),
                            auth_require_tls=tls == "starttls", **options)  # aiosmtpd sees only STARTTLS as TLS
    controller.start()
    try:
        queued(office)
        settings = MailSettings("127.0.0.1", controller.port, tls, "mailer", "s3cret", "noreply@example.gov.tw", ca_file=str(cert))
        assert send_pending(office.sessions, settings).sent == 1
        assert logins == [True] and len(inbox.received) == 1
        queued(office)
        untrusted = MailSettings("127.0.0.1", controller.port, tls, "mailer", "s3cret", "noreply@example.gov.tw")
        report = send_pending(office.sessions, untrusted)
        assert report.retrying == 1 and "CERTIFICATE_VERIFY_FAILED" in report.errors[0]  # an unverified server gets nothing
        assert len(inbox.received) == 1
    finally:
        controller.stop()


def test_mail_queued_by_a_request_goes_out_right_after_it(settings, smtp):
    """No cron needed for the common case: the back office sends what a request queued once it has answered."""
    import time

    from gongkai.admin import create_app
    from tests.admin.support import csrf_token, make_account, sign_in

    inbox, controller = smtp
    app = create_app(settings | {"MAIL_HOST": "127.0.0.1", "MAIL_PORT": controller.port, "MAIL_TLS": "none"})
    office = app.extensions["gongkai.admin"]
    webmaster = make_account(office, "webmaster", "webmaster", ("it",))
    author = make_account(office, "author", "author", email="author@example.gov.tw")
    client = app.test_client()
    sign_in(client, webmaster)
    path = f"/admin/accounts/{author.id}"
    response = client.post(path, data={"role": "reviewer", "units": ["sec4"], "csrf_token": csrf_token(client, path)})
    assert response.status_code == 302
    response.close()  # what a WSGI server does once the response is sent
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not any(m["Subject"] == "您的後台角色已變更" for m in inbox.received):
        time.sleep(0.2)
    assert [m["To"] for m in inbox.received if m["Subject"] == "您的後台角色已變更"] == ["author@example.gov.tw"]
    office.engine.dispose()


class SessionCounter(Inbox):
    """Counts the SMTP sessions opened (one EHLO each)."""

    def __init__(self) -> None:
        super().__init__()
        self.sessions = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.sessions += 1
        session.host_name = hostname
        return responses


def test_a_batch_goes_over_one_session_and_a_refused_message_is_retried_alone(office):
    counter = SessionCounter()
    controller = Controller(counter, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        settings = MailSettings("127.0.0.1", controller.port, "none", "", "", "noreply@example.gov.tw")
        counter.answers = ["250 OK", "451 4.3.0 try again later", "250 OK", "250 OK"]
        queued(office, 4)
        now = utcnow()
        report = send_pending(office.sessions, settings, now=now)
        assert (report.sent, report.retrying, counter.sessions) == (3, 1, 1)
        assert states(office) == ["sent", "queued", "sent", "sent"]
        assert send_pending(office.sessions, settings, now=now + dt.timedelta(minutes=6)).sent == 1
        assert counter.sessions == 2 and sorted(m["To"] for m in counter.received) == sorted(f"person{n}@example.gov.tw" for n in range(4))
    finally:
        controller.stop()


def test_messages_a_request_committed_go_by_id_over_a_kept_session_and_never_twice(office):
    """The mailbox's sending threads: send_queued takes exactly the ids given, leaves the session
    open for the next batch, and replaces one that broke while idle before giving it a message."""
    import socket

    from gongkai.admin.mail import SmtpLink, send_queued

    counter = SessionCounter()
    controller = Controller(counter, hostname="127.0.0.1", port=free_port())
    controller.start()
    link = SmtpLink(MailSettings("127.0.0.1", controller.port, "none", "", "", "noreply@example.gov.tw"))
    try:
        queued(office, 3)
        with office.sessions() as db:
            ids = list(db.scalars(select(OutboxMessage.id).order_by(OutboxMessage.id)))
        assert send_queued(office.sessions, link, ids[:2]).sent == 2
        assert states(office) == ["sent", "sent", "queued"]  # the third was not asked for
        assert send_queued(office.sessions, link, [ids[0], ids[2]]).sent == 1  # the first is not sent again
        assert counter.sessions == 1 and sorted(m["To"] for m in counter.received) == [f"person{n}@example.gov.tw" for n in range(3)]
        link.smtp.sock.shutdown(socket.SHUT_RDWR)  # the session broke while idle
        with office.sessions() as db:
            queue(db, "late@example.gov.tw", "通知", "您好。")
            db.commit()
            late = db.scalar(select(OutboxMessage.id).where(OutboxMessage.recipient == "late@example.gov.tw"))
        report = send_queued(office.sessions, link, [late])
        assert (report.sent, report.retrying, counter.sessions) == (1, 0, 2)  # a new session, not a retry in five minutes
        assert [m["To"] for m in counter.received].count("late@example.gov.tw") == 1
    finally:
        link.close()
        controller.stop()


def test_only_committed_messages_are_handed_to_the_sender(office):
    from gongkai.admin.mail import queued_ids

    with office.sessions() as db:
        queue(db, "gone@example.gov.tw", "通知", "您好。")
        db.flush()
        db.rollback()
        assert queued_ids(db) == []
        kept = queue(db, "kept@example.gov.tw", "通知", "您好。")
        db.commit()
        assert queued_ids(db) == [kept.id]
