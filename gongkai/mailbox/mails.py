"""The mails the citizen gets, in the language they wrote in: the confirmation link, and the
receipt (收件回執) with the case number and query password."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from gongkai.clock import local_minute

if TYPE_CHECKING:
    from gongkai.mailbox.models import Case
    from gongkai.mailbox.rules import Rules


def confirmation_mail(language: str, name: str, subject: str, link: str, expires_at: dt.datetime) -> tuple[str, str]:
    if language == "en":
        return ("Please confirm your message to the opinion mailbox",
                f"Dear {name},\n\nWe have your message “{subject}”. It becomes a case only when you confirm it:\n\n{link}\n\n"
                f"The link works until {local_minute(expires_at)} (Taiwan time); an unconfirmed message is then deleted.\n"
                "If you did not write to us, ignore this mail: nothing will be done.\n")
    return ("請確認您寫給意見信箱的訊息",
            f"{name} 您好：\n\n我們收到您的訊息「{subject}」。請點選下列連結確認，確認後才會成立案件並開始處理：\n\n{link}\n\n"
            f"連結有效至 {local_minute(expires_at)}（臺灣時間）；逾期未確認的訊息將會刪除。\n"
            "如果您沒有寫信給我們，請忽略本信，我們不會做任何處理。\n")


def receipt_mail(case: Case, password: str, rules: Rules, lookup_link: str) -> tuple[str, str]:
    category = rules.categories.get(case.category)
    if case.language == "en":
        return (f"Receipt for your case {case.number}",
                f"Dear {case.name},\n\nYour message is now case {case.number}.\n\n"
                f"Case number: {case.number}\nQuery password: {password}\n"
                f"Category: {category.en if category else case.category}\nSubject: {case.subject}\n"
                f"Received: {local_minute(case.received_at)} (Taiwan time)\nAnswer due by: {case.deadline.isoformat()}\n\n"
                f"Follow the case with its number and password at {lookup_link}\n"
                "Keep this mail: the password is not kept in readable form and cannot be shown again.\n")
    return (f"收件回執：案件編號 {case.number}",
            f"{case.name} 您好：\n\n您的訊息已成立案件，收件回執如下。\n\n"
            f"案件編號：{case.number}\n查詢密碼：{password}\n"
            f"類別：{category.zh if category else case.category}\n主旨：{case.subject}\n"
            f"收件時間：{local_minute(case.received_at)}（臺灣時間）\n預定答復期限：{case.deadline.isoformat()}\n\n"
            f"請以案件編號與查詢密碼於 {lookup_link} 查詢處理情形。\n"
            "請妥善保存本信：查詢密碼不以可讀形式保存，無法再次顯示。\n")
