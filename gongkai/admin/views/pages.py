"""Rendering a back-office page: its template with the signed-in account, the menu and the
error summary of its form."""

from __future__ import annotations

from typing import Any

from flask import current_app, render_template
from flask_wtf import FlaskForm

from gongkai.admin import signin_sessions
from gongkai.admin.forms import errors_of
from gongkai.admin.permissions import can
from gongkai.admin.roles import ROLE_NAMES, Role
from gongkai.web import current_corpus

# (label key, endpoint, action that shows it in the menu)
MENU = (("admin.dashboard", "dashboard.index", "see_dashboard"), ("editing.documents", "editing.index", "see_dashboard"),
        ("staff.menu", "cases.queue", "see_case_queue"),
        ("admin.accounts", "accounts.index", "see_accounts"),
        ("admin.audit_log", "audit_log.index", "see_audit_log"), ("admin.second_factor", "second_factor.enrol", "manage_own_second_factor"),
        ("admin.change_password", "password.change", "change_own_password"))


def render(template: str, title: str, status: int = 200, form: FlaskForm | None = None, **context: Any) -> tuple[str, int]:
    account = signin_sessions.current_account()
    errors = errors_of(form) if form is not None else []
    menu = [(key, endpoint) for key, endpoint, action in MENU if account is not None and can(account, action)]
    html = render_template(template, title=title, account=account, role_name=ROLE_NAMES.get(Role(account.role)) if account else "",
                           menu=menu, errors=errors, form=form, agency=current_corpus().agency, signed=signin_sessions.current(),
                           demo_allowed=current_app.extensions["gongkai.admin"].demo_allowed, **context)
    return html, status
