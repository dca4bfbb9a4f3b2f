"""Accounts: creating them, changing role, units, password and state — each change audited and
its notice mailed in the same transaction. Used by the command line and the webmaster's pages."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from gongkai.admin import audit
from gongkai.admin.mail import queue
from gongkai.admin.mail.address import AddressError, mail_address
from gongkai.admin.models import EMAIL_MAX, NAME_MAX, Account, Membership, SignInSession
from gongkai.admin.passwords import hash_password, password_problem
from gongkai.admin.roles import ROLE_NAMES, Role, parse_role
from gongkai.model.codes import Code

NAME_PATTERN = re.compile(r"[^\s\x00-\x1f\x7f]+")


class AccountError(ValueError):
    """A change that cannot be made, with what to do instead."""


def load_units(content_dir: Path | str) -> dict[str, Code]:
    """The unit codes of content/codes/units.yaml, read through the content model."""
    from gongkai.model import load_content

    corpus, report = load_content(content_dir)
    if corpus is None:
        raise AccountError("the content cannot be read, so the unit list is unknown:\n" + "\n".join(report.lines()))
    return dict(corpus.codes["units"])


def clean_name(name: str) -> str:
    name = unicodedata.normalize("NFKC", name).strip()
    if not 1 <= len(name) <= NAME_MAX or not NAME_PATTERN.fullmatch(name):
        raise AccountError(f"帳號名稱須為 1 至 {NAME_MAX} 個字元，不含空白（the account name: 1–{NAME_MAX} characters, no spaces）")
    return name


def clean_email(email: str | None) -> str | None:
    email = (email or "").strip()
    if not email:
        return None
    if len(email) > EMAIL_MAX:
        raise AccountError(f"電子郵件地址最多 {EMAIL_MAX} 個字元（the e-mail address: at most {EMAIL_MAX} characters）")
    try:
        return mail_address(email)
    except AddressError as error:
        if error.not_ascii:
            raise AccountError(f"電子郵件地址 @ 前面只能用英文字母、數字與符號：{email[:60]!r}（the part before the @ must be ASCII: "
                               "mail cannot be delivered there）") from None
        raise AccountError(f"電子郵件地址格式不正確：{email[:60]!r}（write it as name@example.gov.tw）") from None


def clean_units(codes: Iterable[str], known: Mapping[str, Code]) -> list[str]:
    units = sorted({code.strip() for code in codes if code.strip()})
    if not units:
        raise AccountError("每個帳號至少屬於一個單位（give at least one --unit）；可用的單位：" + unit_list(known))
    unknown = [code for code in units if code not in known]
    if unknown:
        raise AccountError(f"沒有這個單位：{', '.join(c[:32] for c in unknown)}（unknown unit）；可用的單位：" + unit_list(known))
    return units


def clean_heads(codes: Iterable[str], units: Iterable[str], known: Mapping[str, Code]) -> list[str]:
    """The units an account heads: only units it belongs to (a head outside the unit would be
    told of cases they cannot open)."""
    heads = sorted({code.strip() for code in codes if code.strip()})
    outside = [code for code in heads if code not in set(units)]
    if outside:
        names = "、".join(f"{code[:32]} {known[code].zh}" if code in known else code[:32] for code in outside)
        raise AccountError(f"單位主管須為所屬單位：{names} 不是這個帳號的單位——請把它加入所屬單位，或不要設為主管"
                           f"（--head-of must be one of the account's --unit codes: {', '.join(sorted(units)) or 'none'}）")
    return heads


def unit_list(known: Mapping[str, Code]) -> str:
    return "、".join(f"{code} {entry.zh}" for code, entry in known.items())


def find(db: Session, name: str) -> Account | None:
    return db.scalar(select(Account).where(Account.name == unicodedata.normalize("NFKC", name).strip()))


def members(db: Session, unit: str, heads_only: bool = False) -> list[Account]:
    """The enabled accounts of a unit (only its heads, if asked), by name."""
    query = select(Account).join(Membership).where(Membership.unit == unit, Account.disabled.is_(False)).order_by(Account.name)
    return list(db.scalars(query.where(Membership.head.is_(True)) if heads_only else query))


def create(db: Session, *, name: str, role: str, units: Iterable[str], password: str, known_units: Mapping[str, Code],
           email: str | None = None, actor: Account | str | None, address: str = "", demo: bool = False,
           heads: Iterable[str] = ()) -> Account:
    name = clean_name(name)
    try:
        checked_role = parse_role(role)
    except ValueError as error:
        raise AccountError(str(error)) from None
    checked_units = clean_units(units, known_units)
    checked_heads = clean_heads(heads, checked_units, known_units)
    checked_email = clean_email(email)
    if problem := password_problem(password, name):
        raise AccountError(problem)
    if find(db, name) is not None:
        raise AccountError(f"已有名為 {name} 的帳號（an account of that name exists）：改用 set-role 或換一個名稱")
    account = Account(name=name, email=checked_email, role=checked_role.value, password_hash=hash_password(password), demo=demo,
                      disabled=False, totp_enabled=False, totp_last_step=0,
                      memberships=[Membership(unit=unit, head=unit in checked_heads) for unit in checked_units])
    db.add(account)
    db.flush()
    audit.record(db, actor, "account_created", f"account:{name}", address, f"role={checked_role.value} units={','.join(checked_units)}"
                 + (f" head_of={','.join(checked_heads)}" if checked_heads else ""))
    notify(db, account, "您的後台帳號已建立", f"您好：\n\n您的網站後台帳號「{name}」已建立，角色為{ROLE_NAMES[checked_role]}，"
           f"所屬單位：{'、'.join(known_units[u].zh for u in checked_units)}。\n密碼請向網站管理人員（資訊小組）當面領取。\n")
    return account


def set_role(db: Session, account: Account, role: str, *, actor: Account | str | None, address: str = "") -> None:
    try:
        new = parse_role(role)
    except ValueError as error:
        raise AccountError(str(error)) from None
    if new.value == account.role:
        return
    _keep_a_webmaster(db, account, new.value, account.disabled)
    old, account.role = account.role, new.value
    audit.record(db, actor, "role_changed", f"account:{account.name}", address, f"{old} → {new.value}")
    notify(db, account, "您的後台角色已變更", f"您好：\n\n您的網站後台帳號「{account.name}」角色已改為{ROLE_NAMES[new]}。\n")


def set_units(db: Session, account: Account, units: Iterable[str], known_units: Mapping[str, Code], *,
              actor: Account | str | None, address: str = "") -> None:
    new = clean_units(units, known_units)
    old = sorted(account.units)
    if new == old:
        return
    account.memberships = [m for m in account.memberships if m.unit in new] + [Membership(unit=u) for u in new if u not in old]
    audit.record(db, actor, "units_changed", f"account:{account.name}", address, f"{','.join(old)} → {','.join(new)}")


def set_heads(db: Session, account: Account, heads: Iterable[str], known_units: Mapping[str, Code], *,
              actor: Account | str | None, address: str = "") -> None:
    """Make the account the head of exactly ``heads`` (among its units); each change audited."""
    new = set(clean_heads(heads, account.units, known_units))
    old = set(account.head_of)
    if new == old:
        return
    for membership in account.memberships:
        membership.head = membership.unit in new
    changes = [f"{unit} 設為主管" for unit in sorted(new - old)] + [f"{unit} 取消主管" for unit in sorted(old - new)]
    audit.record(db, actor, "unit_head_changed", f"account:{account.name}", address, "；".join(changes))
    if new - old:
        notify(db, account, "您已設為單位主管", f"您好：\n\n您的網站後台帳號「{account.name}」已設為"
               f"{'、'.join(known_units[u].zh if u in known_units else u for u in sorted(new - old))}的主管："
               "所屬單位的意見信箱案件逾答復期限時，系統會通知您。\n")


def set_disabled(db: Session, account: Account, disabled: bool, *, actor: Account | str | None, address: str = "") -> None:
    if account.disabled == disabled:
        return
    _keep_a_webmaster(db, account, account.role, disabled)
    account.disabled = disabled
    if disabled:  # signed-in browsers of the account are signed out now, not at their idle timeout
        db.execute(delete(SignInSession).where(SignInSession.account_id == account.id))
    audit.record(db, actor, "account_disabled" if disabled else "account_enabled", f"account:{account.name}", address)
    notify(db, account, "您的後台帳號已" + ("停用" if disabled else "重新啟用"),
           f"您好：\n\n您的網站後台帳號「{account.name}」已{'停用' if disabled else '重新啟用'}。如有疑問請洽資訊小組。\n")


def set_password(db: Session, account: Account, password: str, *, actor: Account | str | None, address: str = "") -> None:
    if problem := password_problem(password, account.name):
        raise AccountError(problem)
    account.password_hash = hash_password(password)
    db.execute(delete(SignInSession).where(SignInSession.account_id == account.id))
    audit.record(db, actor, "password_set", f"account:{account.name}", address)


def reset_second_factor(db: Session, account: Account, *, actor: Account | str | None, address: str = "") -> None:
    account.totp_secret, account.totp_enabled = None, False  # totp_last_step stays: an old code stays used
    db.execute(delete(SignInSession).where(SignInSession.account_id == account.id))
    audit.record(db, actor, "second_factor_reset", f"account:{account.name}", address)
    notify(db, account, "您的第二道驗證已重設", f"您好：\n\n您的網站後台帳號「{account.name}」的第二道驗證已移除，下次登入時請重新設定。"
           "如果不是您要求的，請立即洽資訊小組。\n")


def notify(db: Session, account: Account, subject: str, body: str) -> None:
    if account.email:
        queue(db, account.email, subject, body + "\n（本信由系統自動寄出，請勿直接回覆。）\n")


def _keep_a_webmaster(db: Session, account: Account, new_role: str, new_disabled: bool) -> None:
    """The last enabled webmaster cannot be demoted or disabled: no one could manage accounts then."""
    if account.role != Role.WEBMASTER or account.disabled or (new_role == Role.WEBMASTER and not new_disabled):
        return
    others = db.scalar(select(Account.id).where(Account.role == Role.WEBMASTER, Account.disabled.is_(False), Account.id != account.id).limit(1))
    if others is None:
        raise AccountError("這是最後一個啟用中的網站管理帳號，不能變更角色或停用（the last enabled webmaster）：請先建立另一個網站管理帳號")
