"""Mail: an outbox table filled in the transaction of the change (outbox.queue), and a sender
that delivers it over SMTP at most once per message (sender.send_pending)."""

from gongkai.admin.mail.outbox import queue
from gongkai.admin.mail.sender import MailSettings, SendReport, send_pending

__all__ = ["MailSettings", "SendReport", "queue", "send_pending"]
