"""Changing one's own password: the current one first (a session left open is not enough), then
the new one twice. Wrong current passwords count towards the account's sign-in throttling."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, url_for

from gongkai.admin import accounts, audit, signin_sessions, throttle
from gongkai.admin.forms import PasswordForm, zh
from gongkai.admin.passwords import verify_password
from gongkai.admin.signin_sessions import client_address, current_account, db
from gongkai.admin.views.guard import requires
from gongkai.admin.views.pages import render
from gongkai.clock import local_minute

bp = Blueprint("password", __name__)


@bp.route("/password", methods=["GET", "POST"])
@requires("change_own_password")
def change():
    account = current_account()
    form = PasswordForm()
    if form.validate_on_submit():
        limits = current_app.extensions["gongkai.admin"].limits
        until = throttle.blocked_until(db(), limits, account.name, client_address())
        if until is not None:
            form.current.errors.append(zh("admin.throttled", until=local_minute(until)))
        elif not verify_password(account.password_hash, form.current.data)[0]:
            throttle.count_failure(db(), limits, account.name, client_address())
            audit.record(db(), account, "sign_in_failed", f"account:{account.name}", client_address(), "wrong current password")
            db().commit()
            form.current.errors.append(zh("admin.current_wrong"))
        else:
            try:
                accounts.set_password(db(), account, form.new.data, actor=account, address=client_address())
            except accounts.AccountError as error:
                form.new.errors.append(str(error))
            else:
                signin_sessions.start(account, "full")  # every other session of the account has ended
                db().commit()
                flash(zh("admin.password_changed"))
                return redirect(url_for("dashboard.index"))
    return render("admin/password.html", zh("admin.change_password"), form=form)
