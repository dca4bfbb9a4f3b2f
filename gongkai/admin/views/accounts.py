"""The webmaster's account pages: the list, and each account's role, units, the units it heads
(主管) and state.

New accounts and passwords are made on the command line (gongkai admin create-user), so a
password is never typed into, or shown by, a web page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Blueprint, abort, flash, redirect, url_for
from sqlalchemy import select

from gongkai.admin import accounts
from gongkai.admin.forms import AccountForm, ConfirmForm, zh
from gongkai.admin.models import Account
from gongkai.admin.roles import ROLE_NAMES
from gongkai.admin.signin_sessions import client_address, current_account, db
from gongkai.admin.views.guard import requires
from gongkai.admin.views.pages import render
from gongkai.model.codes import Code
from gongkai.web import current_corpus

bp = Blueprint("accounts", __name__)


def role_names() -> dict[str, str]:
    return {role.value: name for role, name in ROLE_NAMES.items()}


@bp.route("/accounts/")
@requires("see_accounts")
def index():
    everyone = db().scalars(select(Account).order_by(Account.disabled, Account.name))
    return render("admin/accounts.html", zh("admin.accounts"), accounts=list(everyone), role_names=role_names(),
                  units=current_corpus().codes["units"])


def _account(account_id: int) -> Account:
    account = db().get(Account, account_id)
    if account is None:
        abort(404)
    return account


@bp.route("/accounts/<int:account_id>", methods=["GET", "POST"])
@requires("manage_accounts")
def detail(account_id: int):
    account = _account(account_id)
    known = current_corpus().codes["units"]
    form = _account_form(account, known)
    if form.validate_on_submit():
        try:  # the heads are checked against the units chosen, before anything changes
            accounts.clean_heads(form.heads.data or [], form.units.data, known)
        except accounts.AccountError as error:
            form.heads.errors = [*form.heads.errors, str(error)]
        else:
            try:
                accounts.set_role(db(), account, form.role.data, actor=current_account(), address=client_address())
                accounts.set_units(db(), account, form.units.data, known, actor=current_account(), address=client_address())
                accounts.set_heads(db(), account, form.heads.data or [], known, actor=current_account(), address=client_address())
            except accounts.AccountError as error:
                db().rollback()
                form.role.errors = [*form.role.errors, str(error)]
            else:
                db().commit()
                flash(zh("admin.saved"))
                return redirect(url_for("accounts.detail", account_id=account.id))
    return render("admin/account.html", account.name, 422 if form.is_submitted() else 200, form=form, subject=account,
                  state_form=ConfirmForm(prefix="state"), role_names=role_names(), units=known)


def _account_form(account: Account, known: Mapping[str, Code], **more: Any) -> AccountForm:
    """The role, units and heads form, filled with the account's (or with what was posted)."""
    return AccountForm([(code, f"{entry.zh}（{code}）") for code, entry in known.items()],
                       data={"role": account.role, "units": sorted(account.units), "heads": sorted(account.head_of)}, **more)


@bp.route("/accounts/<int:account_id>/state", methods=["POST"])
@requires("manage_accounts")
def state(account_id: int):
    account = _account(account_id)
    form = ConfirmForm(prefix="state")
    try:
        accounts.set_disabled(db(), account, not account.disabled, actor=current_account(), address=client_address())
    except accounts.AccountError as error:
        db().rollback()
        known = current_corpus().codes["units"]
        details = _account_form(account, known, formdata=None)
        details.role.errors = [str(error)]
        return render("admin/account.html", account.name, 409, form=details, subject=account, state_form=form,
                      role_names=role_names(), units=known)
    db().commit()
    flash(zh("admin.saved"))
    return redirect(url_for("accounts.detail", account_id=account.id))
