"""What the loopback SMTP server (aiosmtpd, the `smtp` fixture of tests/conftest.py) received, for the
tests that send mail: the back office's outbox, reminders and the 意見信箱. They never mock smtplib."""

from __future__ import annotations

import email
import threading
from email.policy import default


class Inbox:
    """An aiosmtpd handler: keeps what it accepts; can refuse, or drop the line after the content."""

    def __init__(self) -> None:
        self.received: list[email.message.EmailMessage] = []
        self.answers: list[str] = []  # the next DATA replies, in order; "drop" = close without replying
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            answer = self.answers.pop(0) if self.answers else "250 OK"
        if answer == "drop":
            self.received.append(email.message_from_bytes(envelope.content, policy=default))  # it did get here
            server.transport.close()
            return "250 OK"  # never reaches the client
        if answer.startswith("250"):
            self.received.append(email.message_from_bytes(envelope.content, policy=default))
        return answer
