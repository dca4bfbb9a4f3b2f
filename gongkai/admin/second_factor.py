"""The TOTP second factor (RFC 6238, pyotp): required for the webmaster, offered to everyone.

A code is accepted within one time step either side of now (clocks drift), and each time step
only once: a code seen over someone's shoulder, or replayed from a log, is refused."""

from __future__ import annotations

import hmac
import time
import unicodedata

import pyotp
import segno

from gongkai.admin.models import Account

STEP_SECONDS = 30
WINDOW = 1  # steps either side of now
ISSUER = "gongkai 後台"


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, account_name: str, issuer: str = ISSUER) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account_name, issuer_name=issuer)


def qr_code(uri: str) -> str:
    """The otpauth:// address as a QR code, an SVG data: URI for an <img> (the page's policy allows
    data: images): drawn on the server, so no script and no request to anyone else."""
    return segno.make(uri, error="m").svg_data_uri(scale=4, border=4, dark="#000", light="#fff")


def grouped(secret: str) -> str:
    """The secret in groups of four, as an authenticator app asks for it typed in."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def matching_step(secret: str, code: str, last_step: int, now: float | None = None) -> int | None:
    """The time step ``code`` belongs to, if it is right and newer than ``last_step``; else None."""
    # NFKC: a Chinese input method in full-width mode types １２３４５６, which means 123456;
    # then ASCII digits only (str.isdigit also takes ² or Arabic-Indic digits, which the
    # comparison below cannot take)
    code = "".join(unicodedata.normalize("NFKC", code).split())
    if not (code.isascii() and code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = time.time() if now is None else now
    current = int(now // STEP_SECONDS)
    for step in range(current - WINDOW, current + WINDOW + 1):
        if step > last_step and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def verify(account: Account, code: str, now: float | None = None) -> bool:
    """Check a code for an enrolled account and use it up (the caller commits)."""
    if not account.totp_secret:
        return False
    step = matching_step(account.totp_secret, code, account.totp_last_step, now)
    if step is None:
        return False
    account.totp_last_step = step
    return True
