"""Demo accounts for `make serve`: an author and a reviewer (its head) of 第四課 (sec4), the webmaster
and a reviewer (its head) of the secretariat, with new random passwords at every start. Refused when a public https address is set, both
when they are made and when they sign in (gongkai.admin.authentication)."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from gongkai.admin import accounts, audit, second_factor
from gongkai.admin.roles import Role
from gongkai.model.codes import Code

# demo-secretary: a reviewer of the secretariat (秘書室), who triages the 意見信箱 cases
DEMO_ACCOUNTS = (("demo-author", Role.AUTHOR, ("sec4",)), ("demo-reviewer", Role.REVIEWER, ("sec4",)),
                 ("demo-webmaster", Role.WEBMASTER, ("it",)), ("demo-secretary", Role.REVIEWER, ("secretariat",)))
# one head (主管) for each unit with demo staff who handle cases, to be told of its overdue 意見信箱
# cases (`gongkai cases remind`); 資訊小組's only demo account is the webmaster, told anyway
DEMO_HEADS = {"demo-reviewer": ("sec4",), "demo-secretary": ("secretariat",)}


class DemoRefused(RuntimeError):
    pass


@dataclass(frozen=True)
class DemoAccount:
    name: str
    role: Role
    units: tuple[str, ...]
    password: str
    totp_secret: str = ""


def reset_demo_accounts(db: Session, known_units: Mapping[str, Code], config: Mapping[str, Any]) -> list[DemoAccount]:
    """(Re)create the demo accounts with new passwords; the webmaster's with a second factor set up."""
    from gongkai.admin import demo_allowed

    if not demo_allowed(config):
        raise DemoRefused("demo accounts are refused when BASE_URL or ADMIN_BASE_URL is an https address (a public site): "
                          "create real accounts with 'gongkai admin create-user'")
    made = []
    for name, role, units in DEMO_ACCOUNTS:
        password = secrets.token_urlsafe(12)
        account = accounts.find(db, name)
        if account is None:
            account = accounts.create(db, name=name, role=role.value, units=units, password=password, known_units=known_units,
                                      actor="make serve", demo=True)
        else:
            account.role, account.disabled, account.demo = role.value, False, True
            accounts.set_units(db, account, units, known_units, actor="make serve")
            accounts.set_password(db, account, password, actor="make serve")
        accounts.set_heads(db, account, DEMO_HEADS.get(name, ()), known_units, actor="make serve")
        secret = ""
        if role == Role.WEBMASTER:
            secret = second_factor.new_secret()
            account.totp_secret, account.totp_enabled, account.totp_last_step = secret, True, 0
        else:
            account.totp_secret, account.totp_enabled = None, False
        made.append(DemoAccount(name, role, units, password, secret))
    audit.record(db, "make serve", "demo_accounts_reset", "accounts:demo", "", ", ".join(a.name for a in made))
    return made
