"""Enrolling the TOTP second factor: the secret as text (grouped, to type into an app) and as an
otpauth:// address; one right code turns it on. Required for the webmaster before anything else."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for

from gongkai.admin import audit, second_factor, signin_sessions
from gongkai.admin.forms import CodeForm, zh
from gongkai.admin.roles import Role
from gongkai.admin.signin_sessions import client_address, db
from gongkai.admin.views.guard import after_password
from gongkai.admin.views.pages import render
from gongkai.admin.views.sign_in import finish_sign_in

bp = Blueprint("second_factor", __name__)


@bp.route("/second-factor", methods=["GET", "POST"])
@after_password
def enrol():
    signed = signin_sessions.current()
    account = signed.account
    if account.totp_enabled:
        if signed.stage != "full":
            return redirect(url_for("sign_in.code"))  # enrolled already: its code, not a new enrolment
        return render("admin/second_factor.html", zh("admin.second_factor"), enrolled=True)
    if signed.stage != "full" and account.role != Role.WEBMASTER:
        return redirect(url_for("sign_in.form"))
    if not account.totp_secret:
        account.totp_secret = second_factor.new_secret()  # kept until enrolled, so a reload shows the same one
        db().commit()
    form = CodeForm()
    if form.validate_on_submit():
        step = second_factor.matching_step(account.totp_secret, form.code.data, account.totp_last_step)
        if step is not None:
            account.totp_enabled, account.totp_last_step = True, step
            audit.record(db(), account, "second_factor_enrolled", f"account:{account.name}", client_address())
            flash("第二道驗證已啟用。之後登入時，請輸入驗證器 App 顯示的驗證碼。")
            if signed.stage != "full":
                return finish_sign_in(account, request.args.get("next"))
            db().commit()
            return redirect(url_for("dashboard.index"))
        audit.record(db(), account, "second_factor_failed", f"account:{account.name}", client_address(), "enrolment")
        db().commit()
        form.code.errors.append(zh("admin.code_wrong"))
    uri = second_factor.provisioning_uri(account.totp_secret, account.name)
    return render("admin/second_factor.html", zh("admin.second_factor"), form=form, enrolled=False,
                  secret=second_factor.grouped(account.totp_secret), uri=uri, qr_code=second_factor.qr_code(uri),
                  required=account.role == Role.WEBMASTER)
