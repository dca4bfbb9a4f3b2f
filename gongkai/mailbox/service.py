"""What the mailbox's views share, kept in ``app.extensions["gongkai.mailbox"]``: the database
(the back office's), its rules and calendar from content/ (read again when their files change),
the rate limits, the form's signer and the mail settings."""

from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from gongkai.admin.mail import MailSettings
from gongkai.config import stored_secret
from gongkai.mailbox.attempts import BlockedCache, Limits
from gongkai.mailbox.office_calendar import CALENDAR_FOLDER, CalendarError, OfficeCalendar
from gongkai.mailbox.rules import RULES_FILE, Rules, RulesError, load_rules

log = logging.getLogger(__name__)
FORM_MAX_AGE = 24 * 3600  # a form older than a day gets a fresh start time


SENDING_THREADS = 4  # per process: sessions a burst of confirmations is spread over
BATCH_MAX = 4  # messages one thread takes at once: more would make the others wait behind it
IDLE_SECONDS = 10  # a kept SMTP session is closed after this long without mail


class MailSender:
    """A few threads per process that send the messages a request has just committed, right after
    its response is out: the request's own thread is free at once, messages are claimed by id (no
    look for what is due) and each thread keeps its SMTP session open while mail keeps coming.
    One thread sending one message after the other had the citizens wait for each other's mails.
    Started on the first kick, so after gunicorn's fork. A message whose id is lost here (the
    process ended) is still queued in the outbox: `gongkai admin send-mail` sends it."""

    def __init__(self, sessions: sessionmaker[Session], mail: MailSettings) -> None:
        self.sessions, self.mail = sessions, mail
        self._ids: queue.SimpleQueue[int] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def kick(self, message_ids: list[int]) -> None:
        with self._lock:
            self._threads = [thread for thread in self._threads if thread.is_alive()]
            while len(self._threads) < SENDING_THREADS:
                thread = threading.Thread(target=self._run, name=f"mailbox-mail-{len(self._threads)}", daemon=True)
                thread.start()
                self._threads.append(thread)
        for message_id in message_ids:
            self._ids.put(message_id)

    def _run(self) -> None:
        from gongkai.admin.mail import SmtpLink, send_queued

        link = SmtpLink(self.mail)
        while True:
            try:
                batch = [self._ids.get(timeout=IDLE_SECONDS)]
            except queue.Empty:
                link.close()
                continue
            while len(batch) < BATCH_MAX:
                try:
                    batch.append(self._ids.get_nowait())
                except queue.Empty:
                    break
            try:
                report = send_queued(self.sessions, link, batch)
                if report.errors:
                    # ids only: an error line names the citizen's address, which stays in the outbox row, not in the log
                    log.warning("mailbox: %d mail(s) not sent yet (outbox ids %s); `gongkai admin send-mail` retries them",
                                len(report.errors), ", ".join(map(str, report.failed_ids)))
            except Exception:  # noqa: BLE001 - the outbox keeps the message for `gongkai admin send-mail`
                log.exception("mailbox: sending queued mail failed")
                link.close()


class DataUnavailable(RuntimeError):
    """The mailbox's categories or calendar have never been readable in this process."""


@dataclass
class Mailbox:
    engine: Engine
    sessions: sessionmaker[Session]
    content_dir: Path
    limits: Limits
    mail: MailSettings
    signer: URLSafeTimedSerializer
    min_fill_seconds: int
    retention_days: int
    blocked_lookups: BlockedCache = field(default_factory=BlockedCache)
    sender: MailSender = field(init=False)
    _data: tuple[tuple[float, ...], Rules, OfficeCalendar] | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self.sender = MailSender(self.sessions, self.mail)

    def data(self) -> tuple[Rules, OfficeCalendar]:
        """The categories and calendar, read again when one of their files changed (the agency
        edits them). An edit that breaks a file keeps the last good data, as the site keeps its
        last good content build; with none, DataUnavailable (the pages answer 503)."""
        stamp = self._stamp()
        with self._lock:
            if self._data is None or self._data[0] != stamp:
                try:
                    self._data = (stamp, load_rules(self.content_dir), OfficeCalendar.load(self.content_dir))
                except (RulesError, CalendarError) as error:
                    log.error("mailbox: %s (gongkai check lists it); keeping the last good data", error)
                    if self._data is None:
                        raise DataUnavailable(str(error)) from None
                    self._data = (stamp, self._data[1], self._data[2])
            return self._data[1], self._data[2]

    def _stamp(self) -> tuple[float, ...]:
        paths = [self.content_dir / RULES_FILE, *sorted((self.content_dir / CALENDAR_FOLDER).glob("*.yaml"))]
        return tuple(p.stat().st_mtime_ns for p in paths if p.exists()) + (len(paths),)

    def start_token(self) -> str:
        return self.signer.dumps(time.time())

    def seconds_since(self, token: str) -> float | None:
        """Seconds since the form with this start token was served; None if it is not ours or too old."""
        try:
            started = self.signer.loads(token, max_age=FORM_MAX_AGE)
        except (BadSignature, SignatureExpired):
            return None
        if not isinstance(started, (int, float)):
            return None
        elapsed = time.time() - float(started)
        return elapsed if elapsed <= FORM_MAX_AGE else None


def secret_key(config: Any) -> str:
    return str(config.get("MAILBOX_SECRET_KEY") or stored_secret(Path(config["VAR_DIR"]), "mailbox-secret-key"))
