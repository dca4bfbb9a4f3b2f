"""Queueing mail: a row in the outbox, in the caller's transaction. A change that is rolled back
sends nothing, and a change that is committed has its message waiting, even if the process dies
before anything is sent."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from gongkai.admin.models import BODY_MAX, EMAIL_MAX, SUBJECT_MAX, OutboxMessage


def queue(db: Session, recipient: str, subject: str, body: str, domain: str = "gongkai.localhost") -> OutboxMessage:
    """Add a message to ``db``'s transaction. Its Message-ID is fixed now, so the mail server's log
    can tell whether a message whose delivery is uncertain arrived."""
    if "\n" in recipient or "\r" in recipient or "\n" in subject or "\r" in subject:
        raise ValueError("a recipient or subject with a line break would let its text add mail headers")
    message = OutboxMessage(recipient=recipient[:EMAIL_MAX], subject=subject[:SUBJECT_MAX], body=body[:BODY_MAX],
                            message_id=f"<{uuid.uuid4().hex}@{domain}>")
    db.add(message)
    db.info["mail_queued"] = True  # the back office sends it once the request's response is out
    return message
