"""The back office (網站後台): its own Flask application, served apart from the public site, so the
public servers expose no sign-in at all. It shares the content model, the settings table and the
web layer (labels, the one error handler, host names, security headers).

``create_app()`` is its factory; ``gongkai admin …`` its commands (gongkai.admin.cli).
What the editing forms, the workflow and citizen services build on:

- ``permissions.can(actor, action, target)`` and its table ``RULES`` — add actions there;
- ``views.guard.requires(action, target)`` on every view (a view without it is refused);
- ``audit.record(db, actor, action, target, address, detail)`` in the transaction of the change;
- ``mail.queue(db, recipient, subject, body)`` likewise; ``signin_sessions.db()`` is the request's session.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from gongkai import web
from gongkai.admin import (
    dashboard_labels,  # noqa: F401 - registers the dashboard.* labels
    labels,  # noqa: F401 - registers the admin.* labels
    migrate,
    reminder_models,  # noqa: F401 - its table is in the metadata the storage test compares
    signin_sessions,
)
from gongkai.admin.db import database_url, make_engine, session_factory
from gongkai.admin.editing import labels as editing_labels  # noqa: F401 - registers the editing.* labels
from gongkai.admin.mail import MailSettings
from gongkai.admin.throttle import Limits
from gongkai.config import load_settings, stored_secret
from gongkai.web.hosts import is_loopback, trusted_hosts

ADMIN_DIR = Path(__file__).resolve().parent
MAX_REQUEST_BYTES = 1 << 20  # forms; the upload view reads up to editing.uploads.REQUEST_MAX


@dataclass(frozen=True)
class BackOffice:
    """What the back office's views share: the database, mail and throttling settings."""

    engine: Engine
    sessions: sessionmaker[Session]
    mail: MailSettings
    limits: Limits
    demo_allowed: bool


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__, template_folder=str(ADMIN_DIR / "templates"), static_folder=str(ADMIN_DIR / "static"),
                static_url_path="/admin/static", instance_relative_config=True)
    app.config.update(load_settings(config, Path(app.instance_path) / "gongkai.cfg"))
    app.json.ensure_ascii = False
    web.init_app(app)
    # the back office answers its own host names, not the public site's
    app.config["TRUSTED_HOSTS"] = trusted_hosts({"TRUSTED_HOSTS": app.config["ADMIN_TRUSTED_HOSTS"], "BASE_URL": app.config["ADMIN_BASE_URL"]})
    _secure_cookies(app)
    web.trust_proxies(app, int(app.config["ADMIN_PROXY_COUNT"] or 0))
    CSRFProtect(app)
    app.extensions["gongkai.admin"] = _back_office(app.config)
    _register(app)
    return app


def _back_office(config: Mapping[str, Any]) -> BackOffice:
    engine = make_engine(database_url(config))
    migrate.upgrade(engine)
    engine.dispose()  # gunicorn forks after this (--preload): each worker opens its own connections
    return BackOffice(engine, session_factory(engine), MailSettings.from_config(config), Limits.from_config(config),
                      demo_allowed=demo_allowed(config))


def demo_allowed(config: Mapping[str, Any]) -> bool:
    """Demo accounts (printed passwords) only where no public https address is set."""
    return not any(str(config.get(name) or "").lower().startswith("https://") for name in ("BASE_URL", "ADMIN_BASE_URL"))


def loopback_only(config: Mapping[str, Any]) -> bool:
    host = urlsplit(str(config.get("ADMIN_BASE_URL") or "")).hostname
    return host is None or is_loopback(host)


def _secure_cookies(app: Flask) -> None:
    app.secret_key = app.config["ADMIN_SECRET_KEY"] or stored_secret(Path(app.config["VAR_DIR"]), "admin-secret-key")
    app.config.update(
        SESSION_COOKIE_NAME="gongkai_admin",
        SESSION_COOKIE_PATH="/admin",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        # Secure unless the back office is on this machine only, reached over plain http
        SESSION_COOKIE_SECURE=not loopback_only(app.config),
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as its session, which has the idle timeout
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
    )


def _register(app: Flask) -> None:
    from gongkai.admin.editing import views as editing
    from gongkai.admin.views import accounts, audit_log, dashboard, errors, guard, password, second_factor, sign_in
    from gongkai.admin.workflow import views as workflow
    from gongkai.mailbox.exports import views as case_exports
    from gongkai.mailbox.staff import statistics_views as case_statistics
    from gongkai.mailbox.staff import views as cases

    for blueprint in (sign_in.bp, dashboard.bp, second_factor.bp, password.bp, accounts.bp, audit_log.bp, editing.bp, workflow.bp, cases.bp,
                      case_exports.bp, case_statistics.bp):
        app.register_blueprint(blueprint, url_prefix="/admin")
    # ahead of the CSRF check, which reads the form: an upload's own size limit, refused beside its field
    app.before_request_funcs.setdefault(None, []).insert(0, editing.raise_upload_limit)
    app.before_request(guard.check)
    app.teardown_appcontext(signin_sessions.close_db)
    web.register_error_page(app, errors.render)
    app.after_request(_private)
    app.after_request(_send_queued_mail)


def _private(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"  # nothing of the back office in a shared cache or the back button
    return response


def _send_queued_mail(response: Response) -> Response:
    """Mail queued by this request goes out once the response is sent (cron sends what is left)."""
    database = g.get("admin_db")
    office: BackOffice = current_app.extensions["gongkai.admin"]
    if database is not None and database.info.get("mail_queued") and office.mail.host:
        response.call_on_close(lambda: _send_now(office))
    return response


def _send_now(office: BackOffice) -> None:
    from gongkai.admin.mail import send_pending

    try:
        report = send_pending(office.sessions, office.mail, limit=20)
    except Exception:  # noqa: BLE001 - the response is out; what is left waits for `gongkai admin send-mail`
        logging.getLogger("gongkai.admin.mail").exception("sending queued mail after a request failed")
        return
    for line in report.errors:
        logging.getLogger("gongkai.admin.mail").warning("mail not sent yet: %s", line)
