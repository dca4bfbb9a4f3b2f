"""The mailbox's entries in the back office's audit log. They are added to gongkai.admin.audit's
table from here, so the back office's own module is not edited by this part (the integrator may
move them into audit.ACTIONS)."""

from __future__ import annotations

from gongkai.admin import audit

ACTIONS: dict[str, str] = {
    "mailbox_message_submitted": "民眾送出意見（待確認）",
    "mailbox_case_received": "意見信箱案件成立（民眾確認）",
    "mailbox_case_rated": "民眾填寫滿意度",
    "mailbox_case_reopened": "民眾要求重新處理",
    "mailbox_case_viewed": "民眾查詢案件",
    "mailbox_purged": "清除逾期未確認訊息與逾保存期限個資",
}

audit.ACTIONS.update(ACTIONS)
