"""The 意見信箱 (opinion mailbox), the citizen's side: the public form, confirmation by e-mail,
案件查詢, satisfaction and reopening. Cases live in the back office's database (its models
are in ``models``, its migration 0004_mailbox); the staff side builds on ``states`` and ``cases``.

``init_app(app)`` plugs it into the public site when content/ has a ``mailbox/`` folder.
Cases are never indexed by the site search: nothing here is a content document.
"""

from __future__ import annotations

import logging

from flask import Flask
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy.exc import SQLAlchemyError

from gongkai.admin import migrate
from gongkai.admin.db import database_url, make_engine, session_factory
from gongkai.admin.mail import MailSettings
from gongkai.mailbox import labels  # noqa: F401 - registers the mailbox.* labels
from gongkai.mailbox.attempts import Limits
from gongkai.mailbox.service import Mailbox, secret_key
from gongkai.web import register_localized

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    from pathlib import Path

    from gongkai.mailbox import views

    content_dir = Path(app.config["CONTENT_DIR"])
    if not (content_dir / "mailbox").is_dir():
        return  # this site offers no mailbox (the test fixtures' content has none)
    engine = make_engine(database_url(app.config))
    try:
        migrate.upgrade(engine)
    except SQLAlchemyError as error:  # the site still serves its pages; the form answers 503 until the database is back
        log.error("mailbox: the database could not be brought up to date: %s", error)
    engine.dispose()  # gunicorn forks after this (--preload): each worker opens its own connections
    app.extensions["gongkai.mailbox"] = Mailbox(
        engine=engine, sessions=session_factory(engine), content_dir=content_dir, limits=Limits.from_config(app.config),
        mail=MailSettings.from_config(app.config), signer=URLSafeTimedSerializer(secret_key(app.config), salt="gongkai.mailbox.form"),
        min_fill_seconds=int(app.config["MAILBOX_MIN_FILL_SECONDS"]), retention_days=int(app.config["MAILBOX_RETENTION_DAYS"]))
    register_localized(app, views.bp, cache=False)
