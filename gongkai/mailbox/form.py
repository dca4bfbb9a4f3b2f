"""The public form's fields, checked: each problem is a message naming the field and the fix,
shown in the error summary and beside the field, and whatever was typed comes back.

The form has no session (the public site sets no cookie), so no CSRF token: what it carries is a
signed start time, for the minimum fill time, and a honeypot field people never see."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from werkzeug.datastructures import FileStorage

from gongkai.admin.mail.address import AddressError, mail_address
from gongkai.conventions import OPEN_FORMATS
from gongkai.mailbox.models import ATTACHMENT_MAX, EMAIL_MAX, FILENAME_MAX, MESSAGE_MAX, NAME_MAX, PHONE_MAX, SUBJECT_MAX
from gongkai.mailbox.rules import Rules
from gongkai.web.labels import t

TEXT_FIELDS = {"subject": SUBJECT_MAX, "message": MESSAGE_MAX, "name": NAME_MAX, "email": EMAIL_MAX, "phone": PHONE_MAX}
HONEYPOT = "website"  # a name bots like to fill; people never see the field
# What an attachment may be: the project's open document formats (gongkai.conventions.OPEN_FORMATS)
# that can be recognised by their first bytes, and photos in the two ISO image formats (a 檢舉
# often comes with one). The suffix and the first bytes must agree.
SIGNATURES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", (b"PK\x03\x04",)),
    ".odp": ("application/vnd.oasis.opendocument.presentation", (b"PK\x03\x04",)),
    ".odg": ("application/vnd.oasis.opendocument.graphics", (b"PK\x03\x04",)),
    ".txt": ("text/plain", ()),
    ".csv": ("text/csv", ()),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
}
IMAGES = frozenset({".png", ".jpg", ".jpeg"})
ACCEPTED = {suffix: SIGNATURES[suffix] for suffix in SIGNATURES if suffix in OPEN_FORMATS or suffix in IMAGES}
TEXT_SUFFIXES = frozenset({".txt", ".csv"})


@dataclass
class Checked:
    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)  # field → message, in the form's order
    attachment_name: str = ""
    attachment_type: str = ""
    attachment: bytes | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def clean(text: str, limit: int, multiline: bool = False) -> str:
    """Control characters removed (a NUL would stop PostgreSQL), line ends kept only in the
    message, and the text cut at the field's limit, which the page also states."""
    kept = []
    for char in text.replace("\r\n", "\n"):
        # a line end only where lines belong; other control and format characters never (ZWJ stays: emoji)
        if (char == "\n" and multiline) or unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co") or char == "\u200d":
            kept.append(char)
    return "".join(kept).strip()[:limit]


def check(form: Any, files: Any, rules: Rules) -> Checked:
    values = {name: clean(form.get(name, ""), limit + 1, multiline=name == "message") for name, limit in TEXT_FIELDS.items()}
    values["category"] = form.get("category", "")[:32]
    values["consent"] = "yes" if form.get("consent") == "yes" else ""
    checked = Checked(values)
    errors = checked.errors
    if values["category"] not in rules.categories:
        errors["category"] = t("mailbox.error_category")
    for name in ("subject", "message", "name"):
        if not values[name]:
            errors[name] = t(f"mailbox.error_{name}_missing")
        elif len(values[name]) > TEXT_FIELDS[name]:
            errors[name] = t("mailbox.error_too_long", field=t(f"mailbox.field_{name}"), limit=TEXT_FIELDS[name])
    email = values["email"]
    if not email:
        errors["email"] = t("mailbox.error_email_missing")
    else:
        try:
            values["email"] = mail_address(email)
        except AddressError as error:
            errors["email"] = t("mailbox.error_email_ascii" if error.not_ascii else "mailbox.error_email_invalid")
    # full-width (０９１２－３４５６７８, typed in a Chinese input method's full-width mode) as ASCII;
    # then ASCII digits only: str.isdigit also takes other scripts' digits (٠١٢), which no phone dials
    phone = values["phone"] = unicodedata.normalize("NFKC", values["phone"])
    if phone and (len(phone) > PHONE_MAX or not all((c.isascii() and c.isdigit()) or c in "+-() #" for c in phone)
                  or sum(c.isdigit() for c in phone) < 6):
        errors["phone"] = t("mailbox.error_phone")
    upload: FileStorage | None = files.get("attachment")
    if upload is not None and upload.filename:
        _attachment(upload, checked)
    if not values["consent"]:
        errors["consent"] = t("mailbox.error_consent")
    return checked


def _attachment(upload: FileStorage, checked: Checked) -> None:
    whole = clean(upload.filename or "", 10 * FILENAME_MAX).replace("/", "_").replace("\\", "_")
    suffix = "." + whole.rsplit(".", 1)[-1].lower() if "." in whole else ""
    # a long name is shortened before its suffix, which says the format: cut at the end it lost it
    name = whole if len(whole) <= FILENAME_MAX else whole[:FILENAME_MAX - len(suffix)] + suffix
    data = upload.read(ATTACHMENT_MAX + 1)
    if suffix not in ACCEPTED:
        checked.errors["attachment"] = t("mailbox.error_attachment_format")
        return
    if len(data) > ATTACHMENT_MAX:
        checked.errors["attachment"] = t("mailbox.error_attachment_size", limit=ATTACHMENT_MAX // (1024 * 1024))
        return
    media_type, signatures = ACCEPTED[suffix]
    if not data or (signatures and not data.startswith(signatures)) or (suffix in TEXT_SUFFIXES and not _is_text(data)):
        checked.errors["attachment"] = t("mailbox.error_attachment_content", extension=suffix[1:].upper())
        return
    checked.attachment_name, checked.attachment_type, checked.attachment = name, media_type, data


def _is_text(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
