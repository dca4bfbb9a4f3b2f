"""Mail: an outbox table filled in the transaction of the change (outbox.queue), and a sender
that delivers it over SMTP at most once per message (sender.send_pending)."""

from gongkai.admin.mail.outbox import queue, queued_ids
from gongkai.admin.mail.sender import MailSettings, SendReport, SmtpLink, send_pending, send_queued

__all__ = ["MailSettings", "SendReport", "SmtpLink", "queue", "queued_ids", "send_pending", "send_queued"]
