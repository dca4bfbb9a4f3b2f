"""What `gongkai remind` has sent: one row per person, document and update cycle, so a reminder
is never sent twice in one cycle. A document's cycle is named by its due date: once it is
updated, its next due date is another, and a new reminder can follow when that one passes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from gongkai.admin.db import Base, UTCDateTime, utcnow
from gongkai.admin.models import TARGET_MAX


class ReminderSent(Base):
    __tablename__ = "reminders_sent"

    # the primary key is the rule itself: a second run, even at the same moment, cannot record it again
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    document: Mapped[str] = mapped_column(String(TARGET_MAX), primary_key=True)  # language:kind:id
    due: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id", ondelete="SET NULL"))
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
