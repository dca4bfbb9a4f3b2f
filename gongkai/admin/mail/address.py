"""An e-mail address as typed, checked once for every part that mails someone (the 意見信箱's
form, the back office's accounts): email-validator's syntax check, and the ASCII form kept.

The ASCII form is what SMTP and the mail headers carry: an internationalized domain becomes its
xn-- name. A non-ASCII part before the @ would need SMTPUTF8, which few relays offer and
smtplib's plain commands cannot carry, so it is refused with a reason of its own."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email


class AddressError(ValueError):
    """``not_ascii``: the part before the @ holds other characters than ASCII; else the syntax is wrong."""

    def __init__(self, message: str, not_ascii: bool) -> None:
        super().__init__(message)
        self.not_ascii = not_ascii


def mail_address(typed: str) -> str:
    """The address in its ASCII form, or AddressError."""
    typed = typed.strip()
    try:
        return validate_email(typed, check_deliverability=False, allow_smtputf8=False).ascii_email or typed
    except EmailNotValidError as error:
        local = typed.rpartition("@")[0]
        raise AddressError(str(error), not_ascii=bool(local) and not local.isascii()) from None
