"""The citizen's pages: the form (/mailbox/), the confirmation link, 案件查詢 with the reply,
satisfaction and reopening. Every page works without JavaScript; whatever was typed comes back
with any refusal, and a database outage answers 503 with the form still filled in."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import Blueprint, Response, current_app, request
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from werkzeug.exceptions import RequestEntityTooLarge

from gongkai.admin import audit
from gongkai.admin.db import utcnow
from gongkai.admin.mail import queued_ids
from gongkai.clock import local_date, local_minute
from gongkai.mailbox import cases, query_password
from gongkai.mailbox.attempts import SUBMIT_ADDRESS, SUBMIT_EMAIL, count, first_blocked
from gongkai.mailbox.form import ACCEPTED, HONEYPOT, TEXT_FIELDS, check, clean
from gongkai.mailbox.models import ATTACHMENT_MAX, COMMENT_MAX, Case
from gongkai.mailbox.service import DataUnavailable, Mailbox
from gongkai.mailbox.states import CLOSURE_TEXT, CaseState, public_state
from gongkai.web import absolute, current_corpus, lang, listing_info, lurl, render_page, t

bp = Blueprint("mailbox", __name__, template_folder="templates", static_folder="static", static_url_path="/mailbox/static")
log = logging.getLogger(__name__)
# The form's body is read up to FORM_READ_MAX, so a photo over the attachment's limit (a phone's
# can be 10–20 MB) is refused beside its field with everything typed shown again; only past this
# is the body not read (a 413 page: the text cannot be shown again then). Other posts are small.
FORM_READ_MAX = 32 * 1024 * 1024
REQUEST_MAX = 256 * 1024
NUMBER_MAX, PASSWORD_MAX = 32, 64


def mailbox() -> Mailbox:
    return current_app.extensions["gongkai.mailbox"]


@contextmanager
def database() -> Iterator[Session]:
    with mailbox().sessions() as db:
        yield db


@bp.before_request
def _limit_body() -> None:
    sending_the_form = request.method == "POST" and (request.endpoint or "").rsplit(".", 1)[-1] == "send"
    request.max_content_length = FORM_READ_MAX if sending_the_form else REQUEST_MAX


@bp.errorhandler(DataUnavailable)
def _no_data(_error: DataUnavailable) -> Response:
    return _unavailable()


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(_error: RequestEntityTooLarge) -> Response:
    return _page("mailbox/notice.html", t("mailbox.too_large_title"), 413, text=t("mailbox.too_large", limit=FORM_READ_MAX // (1024 * 1024)))


def _page(template: str, title: str, status: int = 200, description: str = "", alternates: bool = True, **context: Any) -> Response:
    extra = {} if alternates else {"alternates": {}}
    info = listing_info(title, description or t("mailbox.description"), [], **extra)
    crumbs = [(t("mailbox.title"), lurl("mailbox.form"))] if request.endpoint and not request.endpoint.endswith(".form") else []
    response = render_page(template, info, breadcrumbs=crumbs, status=status, css=lurl("mailbox.static", filename="mailbox.css"),
                           agency_phone=current_corpus().agency.phone, **context)
    response.headers["Cache-Control"] = "no-store"  # typed text, numbers and passwords stay out of caches and history
    return response


# --------------------------------------------------------------------------- the form


def _form(values: dict[str, str] | None = None, errors: dict[str, str] | None = None, status: int = 200, notice: str = "",
          start: str | None = None, attachment_dropped: bool = False) -> Response:
    rules, _ = mailbox().data()
    title = t("mailbox.title")
    if errors or notice:
        title = t("mailbox.error_prefix") + title  # the title says at once that the page needs attention
    return _page("mailbox/form.html", title, status, values=values or {}, errors=errors or {}, notice=notice,
                 categories=list(rules.categories.values()), start=start or mailbox().start_token(), limits=TEXT_FIELDS,
                 attachment_mb=ATTACHMENT_MAX // (1024 * 1024), honeypot=HONEYPOT, attachment_dropped=attachment_dropped,
                 privacy_url=lurl("main.page", doc_id="privacy"), accept=",".join(ACCEPTED))


@bp.get("/mailbox/")
def form() -> Response:
    return _form()


@bp.post("/mailbox/")
def send() -> Response:
    box = mailbox()
    rules, _ = box.data()
    checked = check(request.form, request.files, rules)
    values, start = checked.values, request.form.get("start", "")[:200]
    dropped = bool(request.files.get("attachment") and request.files["attachment"].filename)
    if request.form.get(HONEYPOT, ""):
        return _form(values, status=400, notice=t("mailbox.refused_honeypot"), start=start, attachment_dropped=dropped)
    elapsed = box.seconds_since(start)
    if elapsed is None:
        return _form(values, status=400, notice=t("mailbox.refused_stale"), attachment_dropped=dropped)
    if elapsed < box.min_fill_seconds:
        return _form(values, status=400, notice=t("mailbox.refused_too_fast", seconds=box.min_fill_seconds), start=start,
                     attachment_dropped=dropped)
    if not checked.ok:
        return _form(values, checked.errors, status=400, start=start, attachment_dropped=dropped and "attachment" not in checked.errors)
    draft = cases.Draft(category=values["category"], subject=values["subject"], message=values["message"], name=values["name"],
                        email=values["email"], phone=values["phone"], language="en" if lang() == "en" else "zh",
                        address=(request.remote_addr or "")[:64], attachment_name=checked.attachment_name,
                        attachment_type=checked.attachment_type, attachment=checked.attachment)
    now = utcnow()
    try:
        with database() as db:
            until = _rate_limited(db, draft, now)
            if until is not None:
                db.commit()
                return _form(values, status=429, notice=t("mailbox.refused_rate", until=local_minute(until)), start=start,
                             attachment_dropped=bool(checked.attachment))
            submission = cases.submit(db, draft, lambda token: absolute(lurl("mailbox.confirm", token=token)), now)
            db.commit()
            mailed = queued_ids(db)
    except SQLAlchemyError as error:
        log.error("mailbox: a message could not be stored: %s", type(error).__name__)
        return _form(values, status=503, notice=t("mailbox.unavailable", phone=current_corpus().agency.phone), start=start,
                     attachment_dropped=bool(checked.attachment))
    response = _page("mailbox/sent.html", t("mailbox.sent_title"), email=draft.email, until=local_minute(submission.expires_at))
    return _send_mail_after(response, mailed)


def _rate_limited(db: Session, draft: cases.Draft, now: dt.datetime) -> dt.datetime | None:
    limits = mailbox().limits
    until = first_blocked(db, [(SUBMIT_ADDRESS, draft.address, limits.per_address), (SUBMIT_EMAIL, draft.email, limits.per_email)],
                          limits.window, now)
    if until is not None:
        return until
    for kind, value in ((SUBMIT_ADDRESS, draft.address), (SUBMIT_EMAIL, draft.email)):
        count(db, kind, value, limits.window, now)
    return None


def _send_mail_after(response: Response, message_ids: list[int]) -> Response:
    """The mail committed with the change goes once the response is out, from the process's
    sending threads (`gongkai admin send-mail` sends whatever is left, and retries)."""
    box = mailbox()
    if box.mail.host and message_ids:
        response.call_on_close(lambda: box.sender.kick(message_ids))
    return response


# --------------------------------------------------------------------------- the confirmation link


def _already_confirmed(number: str) -> Response:
    return _page("mailbox/notice.html", t("mailbox.already_confirmed_title"), alternates=False,
                 text=t("mailbox.already_confirmed", number=number), lookup=True)


def _link_expired() -> Response:
    return _page("mailbox/notice.html", t("mailbox.confirm_expired_title"), 404, alternates=False,
                 text=t("mailbox.confirm_expired"), again=True)


@bp.get("/mailbox/confirm/<token>/")
def confirm(token: str) -> Response:
    """Shows the message and a button: following the link (or a mail scanner fetching it) changes
    nothing, so the password is never shown to whatever opened the link first."""
    now = utcnow()
    try:
        with database() as db:
            existing = cases.case_of_link(db, token[:100])
            if existing is not None:
                return _already_confirmed(existing.number)
            submission = cases.pending(db, token[:100], now)
    except SQLAlchemyError:
        return _unavailable()
    if submission is None:
        return _link_expired()
    rules, _ = mailbox().data()
    return _page("mailbox/confirm.html", t("mailbox.confirm_title"), alternates=False, submission=submission,
                 category=rules.categories.get(submission.category), token=token)


@bp.post("/mailbox/confirm/<token>/")
def confirm_post(token: str) -> Response:
    box = mailbox()
    rules, calendar = box.data()
    now = utcnow()
    try:
        with database() as db:
            existing = cases.case_of_link(db, token[:100])
            if existing is not None:
                return _already_confirmed(existing.number)
            submission = cases.pending(db, token[:100], now)
            if submission is None:
                return _link_expired()
            confirmed = cases.confirm(db, submission, rules, calendar, absolute(lurl("mailbox.lookup")), now)
            db.commit()  # the case is in the database before its number is shown
            mailed = queued_ids(db)
    except SQLAlchemyError as error:
        log.error("mailbox: a confirmation could not be stored: %s", type(error).__name__)
        return _unavailable()
    case = confirmed.case
    response = _page("mailbox/confirmed.html", t("mailbox.confirmed_title"), 201, alternates=False, case=case,
                     password=confirmed.password, category=rules.categories.get(case.category), unit=_unit_name(case.unit),
                     received=local_minute(case.received_at))
    return _send_mail_after(response, mailed)


def _unavailable() -> Response:
    return _page("mailbox/notice.html", t("mailbox.unavailable_title"), 503, alternates=False,
                 text=t("mailbox.unavailable", phone=current_corpus().agency.phone))


def _unit_name(code: str) -> str:
    unit = current_corpus().codes.get("units", {}).get(code)
    return unit.name(lang()) if unit is not None else code


# --------------------------------------------------------------------------- 案件查詢


@bp.get("/mailbox/lookup/")
def lookup() -> Response:
    return _page("mailbox/lookup.html", t("mailbox.lookup_title"), description=t("mailbox.lookup_description"), values={}, errors={})


@bp.post("/mailbox/lookup/")
def lookup_post() -> Response:
    return _with_case(lambda db, case, now: None)


@bp.post("/mailbox/lookup/rate")
def rate() -> Response:
    def act(db: Session, case: Case, now: dt.datetime) -> tuple[str, str] | None:
        score = request.form.get("score", "")
        if not cases.can_rate(case):
            return None
        if score not in {"1", "2", "3", "4", "5"}:
            return "score", t("mailbox.error_rate")
        cases.rate(db, case, int(score), clean(request.form.get("comment", "")[:COMMENT_MAX * 2], COMMENT_MAX, multiline=True), now)
        return None

    return _with_case(act)


@bp.post("/mailbox/lookup/reopen")
def reopen() -> Response:
    def act(db: Session, case: Case, now: dt.datetime) -> tuple[str, str] | None:
        reason = clean(request.form.get("reason", "")[:COMMENT_MAX * 2], COMMENT_MAX, multiline=True)
        if not cases.can_reopen(case, now):
            return None
        if not reason:
            return "reason", t("mailbox.error_reopen_reason")
        rules, calendar = mailbox().data()
        cases.reopen(db, case, reason, rules, calendar, now)
        return None

    return _with_case(act)


def _with_case(act: Callable[[Session, Case, dt.datetime], tuple[str, str] | None]) -> Response:
    """Look the case up by the number and password sent (every action sends them again), do
    ``act`` on it, and show it; wrong pairs are throttled per address."""
    number, password = request.form.get("number", "")[:NUMBER_MAX].strip(), request.form.get("password", "")[:PASSWORD_MAX]
    values, errors = {"number": number}, {}
    if not number:
        errors["number"] = t("mailbox.error_number_missing")
    if not password:
        errors["password"] = t("mailbox.error_password_missing")
    if errors:
        return _lookup_again(values, errors, 400)
    now = utcnow()
    try:
        with database() as db:
            found = cases.lookup(db, number, password, (request.remote_addr or "")[:64], mailbox().limits, now, mailbox().blocked_lookups)
            if found.case is None:
                db.commit()  # the failure is counted
                if found.blocked_until is not None:
                    return _lookup_again(values, {}, 429, t("mailbox.lookup_throttled", until=local_minute(found.blocked_until)))
                return _lookup_again(values, {"password": t("mailbox.lookup_failed")}, 400)
            case = found.case
            problem = act(db, case, now)
            audit.record(db, None, "mailbox_case_viewed", f"case:{case.number}", (request.remote_addr or "")[:64], request.path)
            db.commit()
            merged = cases.root_of(db, case) if case.merged_into else None
    except SQLAlchemyError as error:
        log.error("mailbox: a lookup failed: %s", type(error).__name__)
        return _unavailable()
    rules, _ = mailbox().data()
    status = 400 if problem else 200
    return _page("mailbox/case.html", t("mailbox.lookup_title"), status, description=t("mailbox.lookup_description"), case=case,
                 password=query_password.normal(password), state_label=t(public_state(case.state)),
                 category=rules.categories.get(case.category), unit=_unit_name(case.unit), received=local_minute(case.received_at),
                 merged_number=merged.number if merged else "",
                 # a duplicate's writer reads the answer of the case it joined (mailed to them as well)
                 merged_reply=merged.reply if merged and merged.state in (CaseState.ANSWERED, CaseState.REOPENED) else "", closure=_closure(case), tier=rules.tiers.get(case.tier),
                 closed_on=local_date(case.closed_at) if case.closed_at else "", can_rate=cases.can_rate(case),
                 can_reopen=cases.can_reopen(case, now), reopen_until=_reopen_until(case),
                 problem=dict([problem]) if problem else {}, form=request.form, CaseState=CaseState)


def _lookup_again(values: dict[str, str], errors: dict[str, str], status: int, notice: str = "") -> Response:
    title = (t("mailbox.error_prefix") if errors or notice else "") + t("mailbox.lookup_title")
    return _page("mailbox/lookup.html", title, status, description=t("mailbox.lookup_description"), values=values, errors=errors,
                 notice=notice)


def _closure(case: Case) -> str:
    if case.closure_reason is None:
        return ""
    zh, en = CLOSURE_TEXT[case.closure_reason]
    return en if lang() == "en" else zh


def _reopen_until(case: Case) -> str:
    return local_minute(case.answered_at + cases.REOPEN_WITHIN) if case.answered_at else ""
