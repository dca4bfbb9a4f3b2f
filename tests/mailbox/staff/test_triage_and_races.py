"""Reassignment needs a reason (logged from → to), a returned draft goes back to its unit with the
comment, and of two staff approving at once the second is told, not silently overwritten."""

from __future__ import annotations

from sqlalchemy import select, update

from gongkai.admin.db import utcnow
from gongkai.admin.models import AuditEntry, OutboxMessage
from gongkai.mailbox.models import Case
from gongkai.mailbox.states import CaseState
from tests.admin.support import csrf_token
from tests.mailbox.staff.conftest import client_of, make_case

CASE = "/admin/cases/1151202-000001/"


def _post(client, action: str, **data):
    return client.post(CASE + action, data={"csrf_token": csrf_token(client, CASE), **data})


def _case(office) -> Case:
    with office.sessions() as session:
        return session.scalar(select(Case).where(Case.number == "1151202-000001"))


def test_reassigning_without_a_reason_is_refused_and_with_one_logged(app, office, staff):
    make_case(office, state=CaseState.ASSIGNED, unit="sec4")
    secretary = client_of(app, staff["secretary"])
    refused = _post(secretary, "assign", unit="sec1", reason="  ")
    assert refused.status_code == 422 and "改派原因" in refused.get_data(as_text=True) and _case(office).unit == "sec4"
    assert _post(secretary, "assign", unit="sec1", reason="屬第一課業務").status_code == 302
    assert _case(office).unit == "sec1"
    with office.sessions() as session:
        detail = session.scalar(select(AuditEntry.detail).where(AuditEntry.action == "mailbox_case_reassigned"))
        notices = list(session.scalars(select(OutboxMessage.recipient)))
    assert detail == "sec4 → sec1；原因：屬第一課業務"
    assert "citizen@example.com" in notices


def test_a_case_given_to_another_unit_is_reminded_of_and_escalated_again_there(app, office, staff):
    """The secretariat was reminded of the received case, and told once it passed: the unit it is
    assigned to must be told too (gongkai cases remind marks each once)."""
    make_case(office, state=CaseState.RECEIVED, unit="secretariat")
    with office.sessions() as session:
        session.execute(update(Case).values(reminded_at=utcnow(), escalated_at=utcnow()))
        session.commit()
    assert _post(client_of(app, staff["secretary"]), "assign", unit="sec4", reason="").status_code == 302
    case = _case(office)
    assert (case.unit, case.reminded_at, case.escalated_at) == ("sec4", None, None)


def test_a_unit_author_cannot_triage(app, office, staff):
    make_case(office, state=CaseState.ASSIGNED, unit="sec4")
    assert _post(client_of(app, staff["author"]), "assign", unit="sec1", reason="x").status_code == 403


def test_returned_draft_goes_back_with_the_comment_and_the_typed_reply_is_kept_on_error(app, office, staff):
    make_case(office, state=CaseState.ASSIGNED, unit="sec4")
    author = client_of(app, staff["author"])
    too_long = _post(author, "draft", reply="字" * 20001)
    assert too_long.status_code == 422 and "最多 20000 個字元" in too_long.get_data(as_text=True)
    assert "字" * 100 in too_long.get_data(as_text=True)
    assert _post(author, "draft", reply="初稿").status_code == 302
    reviewer = client_of(app, staff["reviewer"])
    assert _post(reviewer, "return", comment="").status_code == 422
    assert _post(reviewer, "return", comment="請補充修復日期").status_code == 302
    assert _case(office).state is CaseState.ASSIGNED
    assert "請補充修復日期" in author.get(CASE).get_data(as_text=True)


def test_the_second_of_two_approvals_is_told_the_case_moved(app, office, staff):
    make_case(office, state=CaseState.DRAFTED, unit="sec4", drafted_by=staff["author"].id, draft_reply="已修復。")
    first, second = client_of(app, staff["reviewer"]), client_of(app, staff["reviewer2"])
    token_second = csrf_token(second, CASE)  # both have the page open
    assert _post(first, "approve").status_code == 302
    late = second.post(CASE + "approve", data={"csrf_token": token_second})
    assert late.status_code == 409 and "其他同仁" in late.get_data(as_text=True)
    with office.sessions() as session:
        replies = list(session.scalars(select(OutboxMessage).where(OutboxMessage.body.contains("已修復。"))))
    assert len(replies) == 1 and _case(office).approved_by == staff["reviewer"].id


def test_two_sessions_approving_the_same_loaded_case_the_second_is_refused_by_the_expected_state(office, staff):
    """Both loaded the drafted case before either committed: the UPDATE … WHERE state='drafted' of the second changes nothing."""
    import pytest

    from gongkai.admin.db import utcnow
    from gongkai.admin.models import Account
    from gongkai.mailbox.staff import handling

    make_case(office, state=CaseState.DRAFTED, unit="sec4", drafted_by=staff["author"].id, draft_reply="已修復。")
    with office.sessions() as first, office.sessions() as second:
        case_first, case_second = handling.find(first, "1151202-000001"), handling.find(second, "1151202-000001")
        assert case_second.state is CaseState.DRAFTED  # loaded before the first approval
        handling.approve(first, first.get(Account, staff["reviewer"].id), case_first, "127.0.0.1", utcnow())
        first.commit()
        with pytest.raises(handling.StaleCase):
            handling.approve(second, second.get(Account, staff["reviewer2"].id), case_second, "127.0.0.1", utcnow())
        second.rollback()
    assert _case(office).approved_by == staff["reviewer"].id
