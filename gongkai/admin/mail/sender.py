"""Sending the outbox over SMTP, each message at most once.

A message is *claimed* (queued → sending, a conditional UPDATE committed before any byte goes
out), so two senders — `gongkai admin send-mail` from cron and the opportunistic send after a
request — never both take it. What happens next decides its state:

- refused before its content was sent (connection, MAIL FROM, RCPT, DATA refused): nothing
  reached the server, so a 4xx or a network error is tried again later, with growing waits;
  a 5xx is a refusal for good (failed);
- after the content was sent, the server's answer decides: 250 sent, 4xx again later, 5xx failed;
- the connection broke while the server held the content, or the process died between the
  server's 250 and our commit: the server may have accepted the message. It is marked
  *uncertain* and **not** sent again — a person looks its Message-ID up in the mail server's
  log and, if it never arrived, queues it again (`gongkai admin send-mail --requeue ID`).

We chose at-most-once: a notice mailed twice to a citizen or an editor is worse for a government
office than one whose delivery a person confirms, and the window is one reply long.
"""

from __future__ import annotations

import datetime as dt
import functools
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.header import Header
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import format_datetime, formataddr, parseaddr
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from gongkai.admin.db import utcnow
from gongkai.admin.models import OutboxMessage

TLS_MODES = ("starttls", "implicit", "none")
FIRST_WAIT = dt.timedelta(minutes=5)
LONGEST_WAIT = dt.timedelta(days=1)
STALE_CLAIM = dt.timedelta(minutes=10)  # a claim this old belongs to a sender that died mid-message
TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    tls: str
    user: str
    password: str = field(repr=False)  # never in a log line or a traceback's locals
    sender: str
    max_attempts: int = 8
    ca_file: str = ""

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> MailSettings:
        tls = str(config["MAIL_TLS"]).lower()
        if tls not in TLS_MODES:
            raise ValueError(f"MAIL_TLS={tls!r} — use one of {', '.join(TLS_MODES)}")
        return cls(str(config["MAIL_HOST"]), int(config["MAIL_PORT"]), tls, str(config["MAIL_USER"]), str(config["MAIL_PASSWORD"]),
                   str(config["MAIL_FROM"]), int(config["MAIL_MAX_ATTEMPTS"]), str(config.get("MAIL_CA_FILE") or ""))


@dataclass
class SendReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    uncertain: int = 0
    errors: list[str] = field(default_factory=list)  # for the operator's command: names the recipient
    failed_ids: list[int] = field(default_factory=list)  # the outbox rows of those errors, for logs that must not


class _Refused(Exception):
    """The server answered a command with an error code: nothing of the message was accepted."""

    def __init__(self, code: int, text: str) -> None:
        super().__init__(f"{code} {text}")
        self.code = code


class _Uncertain(Exception):
    """The connection broke after the server had the message's content."""


class SmtpLink:
    """An SMTP session opened on the first message and reused for the next ones; a sending thread
    may keep it open between batches (connect, EHLO and QUIT per batch were most of a mail's
    latency). ``unreachable`` is set once the server cannot be reached: the rest of the batch waits
    for a later run instead of trying again message by message."""

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings
        self.smtp: smtplib.SMTP | None = None
        self.unreachable = ""

    def session(self) -> smtplib.SMTP | None:
        if self.smtp is None and not self.unreachable:
            try:
                self.smtp = _connect(self.settings)
            except (OSError, smtplib.SMTPException) as error:
                self.unreachable = (f"could not connect to {self.settings.host}:{self.settings.port} or sign in there: "
                                    f"{_describe(error)}")
        return self.smtp

    def check(self) -> None:
        """Before a new batch on a kept session: one NOOP, so a session the server closed while it was
        idle is replaced before a message is given to it (not after, when it would wait minutes to retry)."""
        self.unreachable = ""
        if self.smtp is not None:
            try:
                alive = self.smtp.noop()[0] == 250
            except (OSError, smtplib.SMTPException):
                alive = False
            if not alive:
                self.drop()

    def drop(self) -> None:
        if self.smtp is not None:
            _close(self.smtp)
            self.smtp = None  # the next message opens a new session

    def close(self) -> None:
        self.drop()
        self.unreachable = ""


def send_pending(sessions: sessionmaker[Session], settings: MailSettings, now: dt.datetime | None = None, limit: int = 100) -> SendReport:
    """Send the messages that are due, up to ``limit``; returns what became of them.

    The batch is claimed in one transaction and sent over one SMTP session: a connection, TLS and
    log-in per message bounded the 意見信箱 at a few confirmed submissions a second. Each outcome is
    still committed as soon as the server has answered for that message, so the window in which a
    message's fate is unknown stays one reply long."""
    now = now or utcnow()
    report = SendReport()
    link = SmtpLink(settings)
    with sessions() as db:
        report.uncertain += _give_up_stale_claims(db, now)
        due = list(db.scalars(select(OutboxMessage.id).where(OutboxMessage.state == "queued", OutboxMessage.next_attempt_at <= now)
                              .order_by(OutboxMessage.id).limit(limit)))
        try:
            _send_claimed(db, link, _claim(db, due, now), now, report)
        finally:
            link.close()
    return report


def send_queued(sessions: sessionmaker[Session], link: SmtpLink, message_ids: list[int], now: dt.datetime | None = None) -> SendReport:
    """Send these messages, just queued and committed by a request, over ``link``, which stays open
    for the caller's next batch. Claimed as send_pending claims, so a message another sender (the
    cron job) took meanwhile is left to it; a stale claim or a retry that is due is its job."""
    now = now or utcnow()
    report = SendReport()
    link.check()
    with sessions() as db:
        _send_claimed(db, link, _claim(db, message_ids, now), now, report)
    return report


def _send_claimed(db: Session, link: SmtpLink, messages: list[OutboxMessage], now: dt.datetime, report: SendReport) -> None:
    for message in messages:
        smtp = link.session()
        if smtp is None:
            outcome, error = "retrying", link.unreachable
        else:
            outcome, error, usable = _deliver(smtp, link.settings, message)
            if not usable:
                link.drop()
        outcome = _settle(db, message, outcome, error, now, link.settings.max_attempts)
        db.commit()
        setattr(report, outcome, getattr(report, outcome) + 1)
        if error:
            report.errors.append(f"{message.message_id} to {message.recipient}: {error}")
            report.failed_ids.append(message.id)


def requeue(db: Session, message_id: int) -> bool:
    """Put a failed or uncertain message back in the queue (after checking the mail server's log)."""
    result = db.execute(update(OutboxMessage).where(OutboxMessage.id == message_id, OutboxMessage.state.in_(("failed", "uncertain")))
                        .values(state="queued", attempts=0, next_attempt_at=utcnow(), last_error=""))
    return result.rowcount == 1


def _give_up_stale_claims(db: Session, now: dt.datetime) -> int:
    result = db.execute(update(OutboxMessage).where(OutboxMessage.state == "sending", OutboxMessage.claimed_at < now - STALE_CLAIM)
                        .values(state="uncertain", last_error="the sender stopped while this message was being sent"))
    db.commit()
    return result.rowcount


def _claim(db: Session, message_ids: list[int], now: dt.datetime) -> list[OutboxMessage]:
    """Take the messages still queued among ``message_ids`` (one conditional UPDATE, committed before
    any byte goes out); those another sender took in the meantime are left to it."""
    if not message_ids:
        return []
    claimed = list(db.scalars(update(OutboxMessage).where(OutboxMessage.id.in_(message_ids), OutboxMessage.state == "queued")
                              .values(state="sending", claimed_at=now, attempts=OutboxMessage.attempts + 1)
                              .returning(OutboxMessage), execution_options={"synchronize_session": False}))
    db.commit()
    return sorted(claimed, key=lambda message: message.id)  # the rows come back with the claim: no second query


def _settle(db: Session, message: OutboxMessage, outcome: str, error: str, now: dt.datetime, max_attempts: int) -> str:
    """Write the outcome to the message; returns it ("retrying" becomes "failed" after the last try)."""
    message.last_error = error[:500]
    if outcome == "retrying" and message.attempts >= max_attempts:
        outcome = "failed"
    if outcome == "sent":
        message.state, message.sent_at = "sent", now
    elif outcome == "retrying":
        message.state, message.next_attempt_at = "queued", now + backoff(message.attempts)
    else:
        message.state = outcome
    return outcome


def backoff(attempts: int) -> dt.timedelta:
    """5 minutes after the first try, then three times longer each time, at most a day."""
    return min(FIRST_WAIT * 3 ** max(0, attempts - 1), LONGEST_WAIT)


def _deliver(smtp: smtplib.SMTP, settings: MailSettings, message: OutboxMessage) -> tuple[str, str, bool]:
    """("sent" | "retrying" | "failed" | "uncertain", what went wrong, whether the session can carry the next message)."""
    try:
        _send(smtp, settings, message)
        return "sent", "", True
    except _Refused as refusal:
        outcome = "failed" if refusal.code >= 500 else "retrying"
        try:  # the refusal ended this message's transaction, not the session
            usable = smtp.rset()[0] == 250
        except (OSError, smtplib.SMTPException):
            usable = False
        return outcome, str(refusal), usable
    except _Uncertain as error:
        return "uncertain", str(error), False
    except (OSError, smtplib.SMTPException) as error:  # before the content was sent
        return "retrying", _describe(error), False


def _close(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()


def _connect(settings: MailSettings) -> smtplib.SMTP:
    """Connect, with TLS and log-in as set; a refused or dropped connection is tried three times."""
    def attempt() -> smtplib.SMTP:
        if settings.tls == "implicit":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=TIMEOUT_SECONDS,
                                                  context=_tls_context(settings.ca_file))
        else:
            smtp = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS)
        try:
            smtp.ehlo()
            if settings.tls == "starttls":
                smtp.starttls(context=_tls_context(settings.ca_file))
                smtp.ehlo()
            if settings.user:
                smtp.login(settings.user, settings.password)
        except BaseException:
            smtp.close()
            raise
        return smtp

    retrying = Retrying(stop=stop_after_attempt(3), wait=wait_exponential(multiplier=0.2, max=2), reraise=True,
                        retry=retry_if_exception_type((ConnectionError, TimeoutError, smtplib.SMTPServerDisconnected)))
    return retrying(attempt)


@functools.lru_cache(maxsize=4)
def _tls_context(ca_file: str) -> ssl.SSLContext:
    """Made once per CA file and process (a new MAIL_CA_FILE takes a restart): loading the system's
    certificates took more time than sending a message, and a relay without TLS never needs them."""
    return ssl.create_default_context(cafile=ca_file or None)


def _send(smtp: smtplib.SMTP, settings: MailSettings, message: OutboxMessage) -> None:
    code, text = smtp.mail(settings.sender)
    if code != 250:
        raise _Refused(code, text.decode("utf-8", "replace"))
    try:
        code, text = smtp.rcpt(message.recipient)
    except UnicodeEncodeError:  # smtplib encodes commands as ASCII: nothing of this one was sent
        raise _Refused(553, "the recipient's address is not ASCII and this sender does not use SMTPUTF8") from None
    if code not in (250, 251):
        raise _Refused(code, text.decode("utf-8", "replace"))
    try:
        # CRLF line ends (_WIRE): smtplib fixes bare LFs only in str messages, and a server
        # reading LF-only bytes sees one line, refused once past 1,000 bytes (RFC 5321 §4.5.3.1.6)
        code, text = smtp.data(_as_email(settings, message).as_bytes(policy=_WIRE))
    except smtplib.SMTPDataError as refusal:  # DATA itself refused: the content was never sent
        raise _Refused(refusal.smtp_code, refusal.smtp_error.decode("utf-8", "replace")) from None
    except (OSError, smtplib.SMTPException) as error:
        raise _Uncertain(f"the connection broke while the server had the message: {_describe(error)}") from None
    if code != 250:
        raise _Refused(code, text.decode("utf-8", "replace"))


# The message is built with the email package's compat32 API (MIMEText, Header): the default
# policy's EmailMessage parsed every header it was given and cost ~0.9 ms a message against ~0.2,
# which two mails per confirmed 意見信箱 submission paid on every one. Written with CRLF line ends.
_WIRE = compat32.clone(linesep="\r\n")


def _as_email(settings: MailSettings, message: OutboxMessage) -> MIMEText:
    email = MIMEText(message.body, "plain", "utf-8")
    email["From"] = _address(settings.sender)
    email["To"] = _address(message.recipient)
    email["Subject"] = Header(message.subject, "utf-8") if not message.subject.isascii() else message.subject
    email["Message-ID"] = message.message_id
    email["Date"] = format_datetime(message.created_at)
    return email


def _address(text: str) -> str:
    """An address header; a display name that is not ASCII (臺南分局 <noreply@…>) as an RFC 2047 word."""
    name, address = parseaddr(text)
    return formataddr((name, address), charset="utf-8") if name else text


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:300]
