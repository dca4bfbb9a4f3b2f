"""Every view declares who may reach it, and one check before each request enforces it on the
server: a view that declares nothing is refused (deny by default).

- ``@public``: anyone (the sign-in page);
- ``@after_password``: signed in with the password, second factor still to come (the code page,
  enrolment, sign-out);
- ``@requires(action, target)``: signed in fully, and ``permissions.can(account, action,
  target(**view_args))`` holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, abort, current_app, g, redirect, request, url_for

from gongkai.admin import signin_sessions
from gongkai.admin.permissions import RULES, can
from gongkai.admin.roles import Role


@dataclass(frozen=True)
class Access:
    stage: str  # "public", "password" or "full"
    action: str | None = None
    target: Callable[..., Any] | None = None


def public(view: Callable) -> Callable:
    view.access = Access("public")
    return view


def after_password(view: Callable) -> Callable:
    view.access = Access("password")
    return view


def requires(action: str, target: Callable[..., Any] | None = None) -> Callable[[Callable], Callable]:
    if action not in RULES:
        raise KeyError(f"no permission rule for {action!r}")

    def declare(view: Callable) -> Callable:
        view.access = Access("full", action, target)
        return view

    return declare


def access_of(app: Flask, endpoint: str) -> Access | None:
    view = app.view_functions.get(endpoint)
    return getattr(view, "access", None)


def check() -> Any:
    """before_request: load the session, then let the request through, send it on, or refuse it."""
    if request.endpoint == "static":
        return None  # the style sheet: public, and no database query for it
    g.admin_session = signin_sessions.load()
    if request.endpoint is None:
        return None  # no such page: the 404 handler answers
    access = access_of(current_app, request.endpoint)
    if access is None:
        abort(403)  # a view that declared nothing
    if access.stage == "public":
        return None
    signed = signin_sessions.current()
    if signed is None:
        return redirect(url_for("sign_in.form", next=request.full_path.rstrip("?") if request.method == "GET" else None))
    if access.stage == "password":
        return None
    account = signed.account
    if signed.stage != "full":
        return redirect(url_for("sign_in.code") if account.totp_enabled else url_for("second_factor.enrol"))
    if account.role == Role.WEBMASTER and not account.totp_enabled:
        return redirect(url_for("second_factor.enrol"))  # made webmaster while signed in: enrol first
    target = access.target(**(request.view_args or {})) if access.target else None
    if not can(account, access.action, target):
        abort(403)
    return None
