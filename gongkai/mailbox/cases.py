"""What happens to a citizen's message, without Flask: submitted (and a confirmation mailed),
confirmed into a case (number, query password, deadline, receipt mailed), looked up, rated,
reopened, and finally purged. Each function works in the caller's transaction, with its audit
entry and mail in it, so the caller's one commit keeps them together."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from gongkai.admin import audit
from gongkai.admin.mail import queue
from gongkai.clock import TAIWAN
from gongkai.mailbox import query_password
from gongkai.mailbox.attempts import LOOKUP_ADDRESS, BlockedCache, Limits, blocked_until, count, sweep
from gongkai.mailbox.form import clean
from gongkai.mailbox.mails import confirmation_mail, receipt_mail
from gongkai.mailbox.models import COMMENT_MAX, Case, Submission
from gongkai.mailbox.office_calendar import OfficeCalendar, OutsideCalendar
from gongkai.mailbox.rules import Rules
from gongkai.mailbox.states import CaseState, check_move

CONFIRM_WITHIN = dt.timedelta(days=7)
REOPEN_WITHIN = dt.timedelta(days=14)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Draft:
    """A message as the form checked it."""

    category: str
    subject: str
    message: str
    name: str
    email: str
    phone: str
    language: str
    address: str
    attachment_name: str = ""
    attachment_type: str = ""
    attachment: bytes | None = None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def submit(db: Session, draft: Draft, confirm_link: Callable[[str], str], now: dt.datetime) -> Submission:
    """Keep the message unconfirmed and mail its link (valid CONFIRM_WITHIN)."""
    token = secrets.token_urlsafe(32)
    submission = Submission(token_hash=token_hash(token), created_at=now, expires_at=now + CONFIRM_WITHIN, **_fields(draft))
    db.add(submission)
    db.flush()  # its id, for the audit entry
    audit.record(db, None, "mailbox_message_submitted", f"submission:{submission.id}", draft.address, f"category {draft.category}")
    subject, body = confirmation_mail(draft.language, draft.name, draft.subject, confirm_link(token), submission.expires_at)
    queue(db, draft.email, subject, body)
    return submission


def _fields(draft: Draft) -> dict:
    return {"category": draft.category, "subject": draft.subject, "message": draft.message, "name": draft.name, "email": draft.email,
            "phone": draft.phone, "language": draft.language, "address": draft.address, "attachment_name": draft.attachment_name,
            "attachment_type": draft.attachment_type, "attachment": draft.attachment}


def pending(db: Session, token: str, now: dt.datetime) -> Submission | None:
    """The unconfirmed message of a link, if it has not expired."""
    found = db.scalar(select(Submission).where(Submission.token_hash == token_hash(token)))
    return found if found is not None and found.expires_at > now else None


def case_of_link(db: Session, token: str) -> Case | None:
    """The case a link already made (the citizen followed it twice)."""
    return db.scalar(select(Case).where(Case.confirmation_hash == token_hash(token)))


@dataclass(frozen=True)
class Confirmed:
    case: Case
    password: str  # shown once and mailed; only its hash is kept


def confirm(db: Session, submission: Submission, rules: Rules, calendar: OfficeCalendar, lookup_link: str,
            now: dt.datetime) -> Confirmed:
    """Make the submission a case: number, query password, unit and deadline; the receipt mailed."""
    category = rules.categories.get(submission.category)
    tier = category.tier if category else next(iter(rules.tiers))
    received_on = now.astimezone(TAIWAN).date()
    password = query_password.new()
    case = Case(number=_new_number(db, received_on), password_hash=query_password.hash_password(password),
                confirmation_hash=submission.token_hash, state=CaseState.RECEIVED, tier=tier,
                unit=category.unit if category else "secretariat", submitted_at=submission.created_at, received_at=now,
                received_on=received_on, deadline=deadline(calendar, received_on, rules.tiers[tier].working_days),
                category=submission.category, subject=submission.subject, message=submission.message, name=submission.name,
                email=submission.email, phone=submission.phone, language=submission.language, address=submission.address,
                attachment_name=submission.attachment_name, attachment_type=submission.attachment_type,
                attachment=submission.attachment, draft_reply="", reply="", satisfaction_comment="", reopen_reason="", reopen_count=0)
    db.add(case)
    db.delete(submission)
    audit.record(db, None, "mailbox_case_received", f"case:{case.number}", submission.address, f"category {case.category}")
    subject, body = receipt_mail(case, password, rules, lookup_link)
    queue(db, case.email, subject, body)
    return Confirmed(case, password)


def deadline(calendar: OfficeCalendar, start: dt.date, working_days: int) -> dt.date:
    """``working_days`` after ``start`` on the office calendar. With the year's calendar missing
    (gongkai check warns of it ahead), Monday to Friday are counted rather than refusing the case."""
    try:
        return calendar.working_days_after(start, working_days)
    except OutsideCalendar as error:
        log.error("deadline counted on weekdays only: %s", error)
        day, left = start, working_days
        while left:
            day += dt.timedelta(days=1)
            left -= day.weekday() < 5
        return day


def _new_number(db: Session, day: dt.date) -> str:
    """案件編號: the Minguo date and six random digits (1151202-482913). Random, not a sequence, so
    a number tells nothing of how many cases there are; the unique index catches the rare repeat."""
    prefix = f"{day.year - 1911}{day:%m%d}-"
    while True:
        number = prefix + f"{secrets.randbelow(10**6):06d}"
        if db.scalar(select(Case.id).where(Case.number == number)) is None:
            return number


NUMBER_TYPED_MAX = 64  # what of a typed case number is read


def normal_number(typed: str) -> str:
    """1151202-482913 however typed: full-width (１１５…, NFKC), with spaces or another dash; what
    holds no 13 digits comes back as typed, without control characters (a NUL stops PostgreSQL)."""
    text = unicodedata.normalize("NFKC", typed[:NUMBER_TYPED_MAX])
    digits = "".join(c for c in text if c.isascii() and c.isdigit())
    return f"{digits[:7]}-{digits[7:]}" if len(digits) == 13 else clean(text, NUMBER_TYPED_MAX)


@dataclass(frozen=True)
class Lookup:
    case: Case | None
    blocked_until: dt.datetime | None = None


def lookup(db: Session, number: str, password: str, address: str, limits: Limits, now: dt.datetime,
           blocked: BlockedCache | None = None) -> Lookup:
    """The case for this number and password only. Wrong pairs are counted per address; once
    over the limit the address waits, and no password is checked (nor argon2 run) meanwhile."""
    until = blocked.get(address, now) if blocked is not None else None
    if until is None:
        until = blocked_until(db, LOOKUP_ADDRESS, address, limits.lookup_failures, limits.window, now)
        if until is not None and blocked is not None:
            blocked.put(address, until, now)
    if until is not None:
        return Lookup(None, until)
    case = db.scalar(select(Case).where(Case.number == normal_number(number)))
    if not query_password.matches(case.password_hash if case else None, password) or case is None:
        count(db, LOOKUP_ADDRESS, address, limits.window, now)
        return Lookup(None)
    return Lookup(case)


def can_rate(case: Case) -> bool:
    return case.state is CaseState.ANSWERED and case.rated_at is None


def can_reopen(case: Case, now: dt.datetime) -> bool:
    return case.state is CaseState.ANSWERED and case.answered_at is not None and now - case.answered_at <= REOPEN_WITHIN


def rate(db: Session, case: Case, score: int, comment: str, now: dt.datetime) -> None:
    if not can_rate(case) or not 1 <= score <= 5:
        raise ValueError("only an answered case is rated, once, from 1 to 5")
    case.satisfaction, case.satisfaction_comment, case.rated_at = score, comment[:COMMENT_MAX], now
    audit.record(db, None, "mailbox_case_rated", f"case:{case.number}", "", f"satisfaction {score}")


def reopen(db: Session, case: Case, reason: str, rules: Rules, calendar: OfficeCalendar, now: dt.datetime) -> None:
    """"Not resolved": back to the unit with a new deadline of the case's tier, from today."""
    if not can_reopen(case, now):
        raise ValueError(f"a case is reopened within {REOPEN_WITHIN.days} days of its reply")
    check_move(case.state, CaseState.REOPENED)
    today = now.astimezone(TAIWAN).date()
    case.state, case.reopened_at, case.reopen_reason, case.closed_at = CaseState.REOPENED, now, reason[:COMMENT_MAX], None
    case.reopen_count += 1
    case.deadline = deadline(calendar, today, rules.tiers[case.tier].working_days if case.tier in rules.tiers else 5)
    case.reminded_at = case.escalated_at = None  # a new deadline: reminded of, and escalated, once again (gongkai.mailbox.deadlines)
    audit.record(db, None, "mailbox_case_reopened", f"case:{case.number}", "", f"reopened {case.reopen_count} time(s)")


@dataclass(frozen=True)
class Purged:
    submissions: int
    cases: int
    attempts: int = 0


PERSONAL_FIELDS = {"name": "", "email": "", "phone": "", "address": "", "message": "", "attachment": None, "attachment_name": "",
                   "attachment_type": "", "satisfaction_comment": "", "reopen_reason": ""}


def purge(db: Session, now: dt.datetime, retention: dt.timedelta, limits_window: dt.timedelta) -> Purged:
    """Delete unconfirmed messages past their 7 days and rate-limit attempts past ``limits_window``;
    empty the personal fields of cases closed longer than ``retention`` (what statistics need —
    category, unit, dates, state, score — stays)."""
    expired = db.execute(delete(Submission).where(Submission.expires_at <= now)).rowcount or 0
    swept = sweep(db, limits_window, now)
    old = list(db.scalars(select(Case.number).where(Case.closed_at.is_not(None), Case.closed_at <= now - retention,
                                                    Case.purged_at.is_(None))))
    if old:
        db.execute(update(Case).where(Case.number.in_(old)).values(purged_at=now, **PERSONAL_FIELDS))
    audit.record(db, "gongkai cases purge", "mailbox_purged", "mailbox", "", f"{expired} unconfirmed message(s), {len(old)} case(s)")
    return Purged(expired, len(old), swept)


def root_of(db: Session, case: Case) -> Case:
    """The case a chain of merges ends in (a duplicate joins the case that is itself handled)."""
    seen = {case.id}
    while case.merged_into is not None:
        parent = db.get(Case, case.merged_into)
        if parent is None or parent.id in seen:  # never made by merge(); stop rather than loop
            break
        seen.add(parent.id)
        case = parent
    return case
