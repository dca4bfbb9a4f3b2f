"""Helpers of the back-office tests: accounts in each role, signing in through the real forms."""

from __future__ import annotations

import re
import time

import pyotp

from gongkai.admin import accounts
from gongkai.admin.models import Account

PASSWORD = "correct horse battery staple"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def make_account(office, name: str, role: str, units: tuple[str, ...] = ("sec4",), totp: bool | None = None,
                 email: str | None = None) -> Account:
    """An account; a webmaster gets a second factor unless ``totp`` says otherwise."""
    from gongkai.model.codes import Code

    known = {code: Code(code=code, zh=code, en=code) for code in ("sec1", "sec4", "it")}
    with office.sessions() as db:
        account = accounts.create(db, name=name, role=role, units=units, password=PASSWORD, known_units=known, email=email, actor="test")
        if totp if totp is not None else role == "webmaster":
            account.totp_secret, account.totp_enabled = pyotp.random_base32(), True
        db.commit()
        db.refresh(account)
        return account


def csrf_token(client, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    match = CSRF.search(page)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def code_for(secret: str, offset_steps: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30 * offset_steps)


def forget_used_codes(office, account: Account) -> None:
    """As if a time step had passed: each code is good once, and tests sign in more often than every 30 s."""
    with office.sessions() as db:
        db.get(Account, account.id).totp_last_step = 0
        db.commit()


def sign_in(client, account: Account, password: str = PASSWORD):
    """Sign in through the forms (with the second factor when the account has one); returns the last response."""
    if account.totp_enabled:
        forget_used_codes(client.application.extensions["gongkai.admin"], account)
    response = client.post("/admin/sign-in", data={"name": account.name, "password": password,
                                                   "csrf_token": csrf_token(client, "/admin/sign-in")})
    if account.totp_enabled and response.status_code == 302 and "/sign-in/code" in response.headers["Location"]:
        token = csrf_token(client, "/admin/sign-in/code")
        response = client.post("/admin/sign-in/code", data={"code": code_for(account.totp_secret), "csrf_token": token})
    return response
