"""Queueing mail: a row in the outbox, in the caller's transaction. A change that is rolled back
sends nothing, and a change that is committed has its message waiting, even if the process dies
before anything is sent."""

from __future__ import annotations

import uuid

from sqlalchemy import inspect
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
    db.info.setdefault("mail_queued", []).append(message)  # the request sends it once its response is out
    return message


def queued_ids(db: Session) -> list[int]:
    """The ids of the messages queued in ``db`` that are in the database (call it after the commit),
    so that a sender can take exactly those at once instead of looking for what is due."""
    # a message of a rolled-back transaction lost its identity (and is not in the table)
    return [message.id for message in db.info.get("mail_queued", ()) if inspect(message).has_identity]
