"""The back office's 意見信箱 pages at /admin/cases/: the queue, the case page with its forms
(assign, draft, approve, return; tier, merge, §173 closure) and the attachment download. Each
form is a plain HTML form with a labelled button; the moves themselves are in handling.py and
closures.py."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, flash, redirect, request, url_for
from sqlalchemy import func, select

from gongkai import clock
from gongkai.admin import audit
from gongkai.admin.db import utcnow
from gongkai.admin.editing.views import ErrorLink, Summary
from gongkai.admin.forms import zh
from gongkai.admin.models import Account, AuditEntry
from gongkai.admin.permissions import can
from gongkai.admin.signin_sessions import client_address, current_account, db
from gongkai.admin.views.guard import requires
from gongkai.admin.views.pages import render
from gongkai.admin.views.paging import page_number
from gongkai.mailbox.models import COMMENT_MAX, NUMBER_MAX, REPLY_MAX, Case
from gongkai.mailbox.office_calendar import CalendarError, OfficeCalendar, OutsideCalendar
from gongkai.mailbox.rules import Rules, RulesError, load_rules
from gongkai.mailbox.staff import closures, handling
from gongkai.mailbox.staff import labels as _labels  # noqa: F401 - registers the staff.* labels
from gongkai.mailbox.staff.handling import HandlingError, StaleCase
from gongkai.mailbox.staff.visibility import visible_cases
from gongkai.mailbox.states import CLOSURE_TEXT, CaseState, ClosureReason
from gongkai.web import current_corpus

bp = Blueprint("cases", __name__, template_folder="templates")
FIELD_IDS = {"unit": "case-unit", "reason": "case-reason", "reply": "case-reply", "comment": "case-comment", "tier": "case-tier",
             "tier_reason": "case-tier-reason", "merge_into": "case-merge-into", "closure_reason": "case-closure-reason",
             "closure_note": "case-closure-note", "state": "case-state"}  # state: a colleague moved the case first
EXPORT_FIELD_IDS = {"state": "export-state", "month": "export-month"}
QUEUE_PER_PAGE = 100
OPEN, ALL = "", "all"  # the queue's ?state=: the open cases (the default), every case, or one state's


def _case(number: str) -> Case | None:
    return handling.find(db(), number)


def _case_or_404(number: str) -> Case:
    case = _case(number)
    if case is None:
        abort(404)
    return case


def unit_codes() -> dict:
    """The unit codes of the content build being served (the shared content store's, reloaded when
    the content changes): reading the content again for each page cost ~0.4 s a view."""
    return dict(current_corpus().codes["units"])


def _content() -> Path:
    return Path(current_app.config["CONTENT_DIR"])


def case_rules() -> Rules | None:
    """The tiers of content/mailbox/categories.yaml; None where the content has no usable file
    (gongkai check names the problem), and then the tier form is not offered."""
    try:
        return load_rules(_content())
    except RulesError:
        return None


def office_calendar() -> OfficeCalendar | None:
    """The office calendar of the content; None where its files cannot be read (gongkai check names why)."""
    try:
        return OfficeCalendar.load(_content())
    except CalendarError:
        return None


def working_days_left(today: dt.date, deadline: dt.date, calendar: OfficeCalendar | None) -> int:
    """Working days from today to the deadline on the office calendar (negative once overdue);
    Monday to Friday where the calendar has no file for the year. The caller loads the calendar
    once (~6 ms: a queue page has a hundred rows)."""
    start, end, sign = (today, deadline, 1) if deadline >= today else (deadline, today, -1)
    if calendar is not None:
        try:
            return sign * calendar.working_days_between(start, end)
        except OutsideCalendar:
            pass
    days = (end - start).days
    return sign * sum((start + dt.timedelta(days=n)).weekday() < 5 for n in range(1, days + 1))


@bp.route("/cases/")
@requires("see_case_queue")
def queue():
    return queue_page()


def queue_page(status: int = 200, field_errors: dict[str, str] | None = None, typed: dict[str, str] | None = None) -> tuple[str, int]:
    """The queue, filtered by ``?state=`` (an unknown state is ignored: it is a menu's choice);
    the export form below it shows ``field_errors`` beside its fields, with what was typed."""
    account = current_account()
    wanted = request.args.get("state", "")[:16]
    known = {state.value for state in CaseState}
    wanted = wanted if wanted in known or wanted == ALL else OPEN
    query = visible_cases(account, CaseState(wanted) if wanted in known else None, open_only=wanted == OPEN)
    total = db().scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    last_page = max(1, -(-total // QUEUE_PER_PAGE))
    page = min(page_number(request.args), last_page)
    first = (page - 1) * QUEUE_PER_PAGE
    today = clock.today()
    calendar = office_calendar()
    rows = [(case, working_days_left(today, case.deadline, calendar)) for case in db().scalars(query.limit(QUEUE_PER_PAGE).offset(first))]
    state_arg = {"state": wanted} if wanted else {}
    field_errors = field_errors or {}
    errors = Summary.of((ErrorLink(EXPORT_FIELD_IDS[name]), message) for name, message in field_errors.items())
    return render("staff/queue.html", zh("staff.queue_title"), status, form=errors or None, rows=rows, states=list(CaseState),
                  wanted=wanted, all_states=ALL, today=today, may_export=can(account, "export_cases"), field_errors=field_errors,
                  units=unit_codes(), total=total, first=first + 1, last=first + len(rows),
                  previous=url_for("cases.queue", **state_arg, page=page - 1) if page > 1 else None,
                  next=url_for("cases.queue", **state_arg, page=page + 1) if page < last_page else None,
                  typed=typed or {"state": wanted if wanted in known else "", "month": ""})


def _history(case: Case) -> list[AuditEntry]:
    return list(db().scalars(select(AuditEntry).where(AuditEntry.target == f"case:{case.number}").order_by(AuditEntry.at, AuditEntry.id)))


def _case_page(case: Case, status: int = 200, field_errors: dict[str, str] | None = None, typed: dict[str, str] | None = None):
    field_errors = field_errors or {}
    errors = Summary.of((ErrorLink(FIELD_IDS.get(name, "case-reply")), message) for name, message in field_errors.items())
    account = current_account()
    history = _history(case)
    returned = next((e.detail for e in reversed(history) if e.action == "mailbox_reply_returned"), "")
    drafter = db().get(Account, case.drafted_by) if case.drafted_by else None
    merged = db().get(Case, case.merged_into) if case.merged_into else None
    rules = case_rules()
    return render("staff/case.html", zh("staff.case_title", number=case.number), status, form=errors or None, case=case,
                  days_left=working_days_left(clock.today(), case.deadline, office_calendar()), history=history, actions=audit.ACTIONS,
                  units=unit_codes(), field_errors=field_errors, typed=typed or {}, drafter=drafter, returned=returned,
                  may_triage=can(account, "triage_case", case) and case.state in (CaseState.RECEIVED, CaseState.ASSIGNED, CaseState.REOPENED),
                  may_draft=can(account, "draft_case_reply", case) and case.state in (CaseState.ASSIGNED, CaseState.REOPENED),
                  may_approve=can(account, "approve_case_reply", case) and case.state is CaseState.DRAFTED and case.drafted_by != account.id,
                  may_change_tier=can(account, "triage_case", case) and case.state in closures.OPEN and rules is not None,
                  may_merge=can(account, "merge_case", case) and case.state in closures.OPEN,
                  may_close=can(account, "close_case", case) and case.state in closures.OPEN,
                  tier_names={code: zh("staff.tier_name", name=tier.zh, n=tier.working_days) for code, tier in (rules.tiers.items() if rules else ())},
                  closure_reasons=[(r.value, CLOSURE_TEXT[r][0]) for r in ClosureReason],
                  closure_text=CLOSURE_TEXT[case.closure_reason][0] if case.closure_reason else "",
                  merged_number=merged.number if merged else "", reply_max=REPLY_MAX, comment_max=COMMENT_MAX, number_max=NUMBER_MAX)


@bp.route("/cases/<number>/")
@requires("see_case", target=_case)
def case_page(number: str):
    case = _case_or_404(number)
    # every look at a case's personal data is logged, with who looked
    audit.record(db(), current_account(), "mailbox_case_opened", f"case:{case.number}", client_address())
    db().commit()
    return _case_page(case)


@bp.route("/cases/<number>/attachment")
@requires("see_case", target=_case)
def attachment(number: str):
    case = _case_or_404(number)
    if not case.attachment:
        abort(404)
    audit.record(db(), current_account(), "mailbox_attachment_downloaded", f"case:{case.number}", client_address(), case.attachment_name)
    db().commit()
    response = Response(case.attachment, mimetype=case.attachment_type or "application/octet-stream")
    response.headers.set("Content-Disposition", "attachment", filename=case.attachment_name or "attachment")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _act(case: Case, typed: dict[str, str], action, done: str):
    try:
        action()
    except StaleCase as error:
        db().rollback()
        return _case_page(_case_or_404(case.number), 409, {error.field or "reply": error.message}, typed)
    except HandlingError as error:
        db().rollback()
        return _case_page(_case_or_404(case.number), 422 if error.field else 403, {error.field or "reply": error.message}, typed)
    db().commit()
    flash(zh(done))
    return redirect(url_for("cases.case_page", number=case.number))


@bp.route("/cases/<number>/assign", methods=["POST"])
@requires("triage_case", target=_case)
def assign(number: str):
    case = _case_or_404(number)
    typed = {"unit": request.form.get("unit", "")[:32], "reason": request.form.get("reason", "")[:COMMENT_MAX + 1]}
    return _act(case, typed, lambda: handling.assign(db(), current_account(), case, typed["unit"], typed["reason"], unit_codes(),
                                                     client_address(), utcnow()), "staff.assigned")


@bp.route("/cases/<number>/draft", methods=["POST"])
@requires("see_case", target=_case)
def draft(number: str):
    case = _case_or_404(number)
    typed = {"reply": request.form.get("reply", "")[:REPLY_MAX + 1]}
    return _act(case, typed, lambda: handling.draft(db(), current_account(), case, typed["reply"], client_address()), "staff.drafted")


# approve and return are open to everyone who sees the case, so that a forged POST by the drafter
# reaches handling.approve, which refuses it, says why and logs the refusal
@bp.route("/cases/<number>/approve", methods=["POST"])
@requires("see_case", target=_case)
def approve(number: str):
    case = _case_or_404(number)
    try:
        handling.approve(db(), current_account(), case, client_address(), utcnow())
    except StaleCase as error:
        db().rollback()
        return _case_page(_case_or_404(number), 409, {"reply": error.message})
    except HandlingError as error:
        db().commit()  # keeps the refusal's audit entry (nothing else was changed)
        return _case_page(_case_or_404(number), 403, {"reply": error.message})
    db().commit()
    flash(zh("staff.approved"))
    return redirect(url_for("cases.case_page", number=number))


@bp.route("/cases/<number>/return", methods=["POST"])
@requires("see_case", target=_case)
def send_back(number: str):
    case = _case_or_404(number)
    typed = {"comment": request.form.get("comment", "")[:COMMENT_MAX + 1]}
    return _act(case, typed, lambda: handling.send_back(db(), current_account(), case, typed["comment"], client_address()), "staff.returned")


@bp.route("/cases/<number>/tier", methods=["POST"])
@requires("triage_case", target=_case)
def change_tier(number: str):
    case = _case_or_404(number)
    typed = {"tier": request.form.get("tier", "")[:32], "tier_reason": request.form.get("tier_reason", "")[:COMMENT_MAX + 1]}

    def act() -> None:
        rules = case_rules()
        if rules is None:
            raise HandlingError("意見信箱的分類與時限檔（content/mailbox/categories.yaml）無法讀取，請網站管理者執行 gongkai check 修正", "tier")
        try:
            calendar = OfficeCalendar.load(_content())
        except CalendarError as error:
            raise HandlingError(f"辦公日曆無法讀取（{error}），請網站管理者修正後再變更", "tier") from None
        closures.change_tier(db(), current_account(), case, typed["tier"], typed["tier_reason"], rules, calendar, client_address())

    return _act(case, typed, act, "staff.tier_changed")


@bp.route("/cases/<number>/merge", methods=["POST"])
@requires("merge_case", target=_case)
def merge(number: str):
    case = _case_or_404(number)
    typed = {"merge_into": request.form.get("merge_into", "")[:NUMBER_MAX + 12]}
    return _act(case, typed, lambda: closures.merge(db(), current_account(), case, typed["merge_into"], client_address(), utcnow()),
                "staff.merged")


@bp.route("/cases/<number>/close", methods=["POST"])
@requires("close_case", target=_case)
def close(number: str):
    case = _case_or_404(number)
    typed = {"closure_reason": request.form.get("closure_reason", "")[:32],
             "closure_note": request.form.get("closure_note", "")[:COMMENT_MAX + 1]}
    return _act(case, typed, lambda: closures.close_not_handled(db(), current_account(), case, typed["closure_reason"],
                                                                typed["closure_note"], client_address(), utcnow()), "staff.closed")
