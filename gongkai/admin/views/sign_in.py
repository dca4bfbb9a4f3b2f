"""Signing in (password, then the second factor where there is one) and out."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, request, url_for
from werkzeug.wrappers import Response

from gongkai.admin import audit, signin_sessions
from gongkai.admin.authentication import Outcome, check_code, check_password
from gongkai.admin.forms import CodeForm, ConfirmForm, SignInForm, zh
from gongkai.admin.models import Account
from gongkai.admin.roles import Role
from gongkai.admin.signin_sessions import client_address, db
from gongkai.admin.views.guard import after_password, public
from gongkai.admin.views.pages import render
from gongkai.clock import local_minute

bp = Blueprint("sign_in", __name__)


def _office():
    return current_app.extensions["gongkai.admin"]


def _refusal_text(outcome: Outcome) -> str:
    if outcome.until is not None:
        return zh(outcome.refusal, until=local_minute(outcome.until))
    return zh(outcome.refusal)


def _safe_next(target: str | None) -> str:
    """Only a back-office path of this site (never //elsewhere or a full URL) is followed after sign-in."""
    # and printable: a line break in a Location header is refused by werkzeug (it was a 500)
    if (target and target.startswith("/admin/") and not target.startswith("//") and "\\" not in target and len(target) <= 500
            and target.isprintable()):
        return target.rstrip("?")
    return url_for("dashboard.index")


def finish_sign_in(account: Account, next_url: str | None) -> Response:
    signin_sessions.start(account, "full")
    audit.record(db(), account, "sign_in", f"account:{account.name}", client_address(),
                 "with second factor" if account.totp_enabled else "password only")
    db().commit()
    return redirect(_safe_next(next_url))


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def form():
    form = SignInForm()
    if form.validate_on_submit():
        office = _office()
        outcome = check_password(db(), office.limits, form.name.data, form.password.data, client_address(),
                                 demo_allowed=office.demo_allowed)
        account = outcome.account
        if account is None:
            db().commit()  # the failure is counted and audited
            form.password.errors.append(_refusal_text(outcome))
            return render("admin/sign_in.html", zh("admin.sign_in"), 200, form=form)
        if account.totp_enabled or account.role == Role.WEBMASTER:
            signin_sessions.start(account, "password")
            db().commit()
            endpoint = "sign_in.code" if account.totp_enabled else "second_factor.enrol"
            return redirect(url_for(endpoint, next=request.args.get("next")))
        return finish_sign_in(account, request.args.get("next"))
    return render("admin/sign_in.html", zh("admin.sign_in"), 200, form=form)


@bp.route("/sign-in/code", methods=["GET", "POST"])
@after_password
def code():
    signed = signin_sessions.current()
    if signed.stage == "full":
        return redirect(url_for("dashboard.index"))
    account = signed.account
    if not account.totp_enabled:
        return redirect(url_for("second_factor.enrol"))
    form = CodeForm()
    if form.validate_on_submit():
        outcome = check_code(db(), _office().limits, account, form.code.data, client_address())
        if outcome.account is not None:
            return finish_sign_in(account, request.args.get("next"))
        db().commit()
        form.code.errors.append(_refusal_text(outcome))
    return render("admin/code.html", zh("admin.code"), 200, form=form)


@bp.route("/sign-out", methods=["POST"])
@after_password
def sign_out():
    ConfirmForm()  # the CSRF check itself is CSRFProtect's, before this view
    account = signin_sessions.current().account
    audit.record(db(), account, "sign_out", f"account:{account.name}", client_address())
    signin_sessions.end()
    db().commit()
    flash(zh("admin.signed_out"))
    return redirect(url_for("sign_in.form"))
