"""The assign → draft → approve path through the back office's forms, with a second person."""

from __future__ import annotations

from sqlalchemy import select

from gongkai.admin.models import AuditEntry, OutboxMessage
from gongkai.mailbox.models import Case
from gongkai.mailbox.states import CaseState
from tests.admin.support import csrf_token
from tests.mailbox.staff.conftest import client_of, make_case

CASE = "/admin/cases/1151202-000001/"


def _case(office) -> Case:
    with office.sessions() as session:
        return session.scalar(select(Case).where(Case.number == "1151202-000001"))


def _actions(office) -> list[str]:
    with office.sessions() as session:
        return list(session.scalars(select(AuditEntry.action).where(AuditEntry.target == "case:1151202-000001").order_by(AuditEntry.id)))


def _post(client, action: str, **data):
    return client.post(CASE + action, data={"csrf_token": csrf_token(client, CASE), **data})


def test_assign_draft_approve_sends_the_reply_once(app, office, staff):
    make_case(office)
    secretary = client_of(app, staff["secretary"])
    assert _post(secretary, "assign", unit="sec4").status_code == 302
    assert _case(office).state is CaseState.ASSIGNED and _case(office).unit == "sec4"

    author = client_of(app, staff["author"])
    assert _post(author, "draft", reply="路燈已於今日修復，謝謝您的通知。").status_code == 302
    assert _case(office).state is CaseState.DRAFTED

    # the drafter cannot approve their own reply, not even with a forged POST
    refused = _post(author, "approve")
    assert refused.status_code == 403 and "第二位同仁" in refused.get_data(as_text=True)
    assert _case(office).state is CaseState.DRAFTED

    reviewer = client_of(app, staff["reviewer"])
    assert _post(reviewer, "approve").status_code == 302
    case = _case(office)
    assert case.state is CaseState.ANSWERED and case.reply == "路燈已於今日修復，謝謝您的通知。"
    assert case.answered_at is not None and case.answered_on is not None and case.closed_at is not None
    assert case.approved_by == staff["reviewer"].id
    with office.sessions() as session:
        to_citizen = list(session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == "citizen@example.com")))
    replies = [m for m in to_citizen if "路燈已於今日修復" in m.body]
    assert len(replies) == 1
    assert {"mailbox_case_assigned", "mailbox_reply_drafted", "mailbox_approve_refused", "mailbox_reply_approved"} <= set(_actions(office))
