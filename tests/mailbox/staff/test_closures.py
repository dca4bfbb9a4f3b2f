"""Tier change, merge as a duplicate and §173 closure from the back office's case page, on both
engines: each refusal names its field (422, typed text kept), each move is in the audit log, the
citizen's mail arrives at a real SMTP server (aiosmtpd), 案件查詢 on the public site shows the
outcome, a case of another unit is refused (403) and a case moved meanwhile is 409."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from sqlalchemy import select, update

from gongkai.admin.db import utcnow
from gongkai.admin.mail import MailSettings, send_pending
from gongkai.admin.models import Account, AuditEntry
from gongkai.mailbox import query_password
from gongkai.mailbox.models import Case
from gongkai.mailbox.staff import closures
from gongkai.mailbox.staff.handling import StaleCase
from gongkai.mailbox.states import CLOSURE_TEXT, CaseState, ClosureReason
from tests.admin.support import csrf_token
from tests.demo_content import DEMO_CONTENT
from tests.mailbox.staff.conftest import _account, client_of, make_case

NUMBER, OTHER = "1151202-000001", "1151202-000002"
CASE = f"/admin/cases/{NUMBER}/"
PASSWORD = "abcd-2345-wxyz"
# 2026-10-07 is a Wednesday; Friday 2026-10-09 is 國慶日（補假） in content/mailbox/calendar/2026.yaml
RECEIVED_ON = dt.date(2026, 10, 7)


@pytest.fixture(scope="session")
def content_dir(mailbox_content):
    """The back office's small content tree with the real content/mailbox (categories, tiers, calendar)."""
    return mailbox_content


@pytest.fixture
def site(settings):
    """The public site on the same database, for 案件查詢."""
    from gongkai.app import create_app

    application = create_app(settings)
    yield application.test_client()
    application.extensions["gongkai.mailbox"].engine.dispose()


@pytest.fixture
def mail(smtp):
    _inbox, controller = smtp
    return MailSettings(host="127.0.0.1", port=controller.port, tls="none", user="", password="", sender="noreply@example.gov.tw")


def delivered(office, smtp, mail) -> list:
    """Send the outbox to aiosmtpd; what it received."""
    send_pending(office.sessions, mail)
    return smtp[0].received


def case_of(office, number: str = NUMBER, **changes) -> str:
    """A sec4 case received on RECEIVED_ON in tier normal (5 working days: 2026-10-15), with a real query password."""
    make_case(office, number=number, state=changes.pop("state", CaseState.ASSIGNED), unit=changes.pop("unit", "sec4"),
              language=changes.pop("language", "zh-Hant-TW"))
    values = {"received_on": RECEIVED_ON, "deadline": dt.date(2026, 10, 15), "password_hash": query_password.hash_password(PASSWORD),
              **changes}
    with office.sessions() as db:
        db.execute(update(Case).where(Case.number == number).values(**values))
        db.commit()
    return number


def stored(office, number: str = NUMBER) -> Case:
    with office.sessions() as db:
        return db.scalar(select(Case).where(Case.number == number))


def audit_of(office, action: str, number: str = NUMBER) -> list[str]:
    with office.sessions() as db:
        return list(db.scalars(select(AuditEntry.detail).where(AuditEntry.action == action, AuditEntry.target == f"case:{number}")))


def post(client, action: str, page: str = CASE, **data):
    return client.post(page + action, data={"csrf_token": csrf_token(client, page), **data})


def look(site, number: str = NUMBER, path: str = "/mailbox/lookup/") -> str:
    response = site.post(path, data={"number": number, "password": PASSWORD}, environ_base={"REMOTE_ADDR": "192.0.2.50"})
    assert response.status_code == 200
    return response.get_data(as_text=True)


# --------------------------------------------------------------------------- tier


def test_a_tier_change_recounts_the_deadline_from_receipt_across_the_holiday(app, office, staff, smtp, mail, site):
    case_of(office)
    secretary = client_of(app, staff["secretary"])
    response = post(secretary, "tier", tier="quick", tier_reason="民眾只詢問檢定費用，可速件答復")
    assert response.status_code == 302
    # quick = 3 working days after Wednesday 10-07: Thursday 10-08, (Friday 10-09 off, the weekend), Monday 10-12, Tuesday 10-13
    case = stored(office)
    assert (case.tier, case.deadline, case.state) == ("quick", dt.date(2026, 10, 13), CaseState.ASSIGNED)
    assert audit_of(office, "mailbox_tier_changed") == ["normal → quick；期限 2026-10-15 → 2026-10-13；原因：民眾只詢問檢定費用，可速件答復"]
    [notice] = [m for m in delivered(office, smtp, mail) if m["To"] == "citizen@example.com"]
    assert notice["Subject"] == f"案件 {NUMBER} 答復期限調整"
    assert "2026-10-13" in notice.get_content() and "速件" in notice.get_content() and "民眾只詢問" not in notice.get_content()
    html = look(site)
    assert "2026-10-13" in html and "2026-10-15" not in html and "速件（3 個工作天）" in html


def test_a_tier_change_clears_the_reminder_and_escalation_marks_of_the_old_deadline(app, office, staff):
    marked = dt.datetime(2026, 10, 14, 1, 0, tzinfo=dt.UTC)
    case_of(office, reminded_at=marked, escalated_at=marked)
    assert post(client_of(app, staff["secretary"]), "tier", tier="complex", tier_reason="需會同現場查證").status_code == 302
    case = stored(office)
    assert (case.deadline, case.reminded_at, case.escalated_at) == (dt.date(2026, 11, 20), None, None)


def test_a_tier_change_is_mailed_in_english_to_an_english_writer(app, office, staff, smtp, mail):
    case_of(office, language="en")
    assert post(client_of(app, staff["webmaster"]), "tier", tier="complex", tier_reason="需會同現場查證").status_code == 302
    # 30 working days after 10-07 across 10-09 and 10-26 (臺灣光復節補假)
    assert stored(office).deadline == dt.date(2026, 11, 20)
    [notice] = [m for m in delivered(office, smtp, mail) if m["To"] == "citizen@example.com"]
    assert notice["Subject"] == f"New answer date for your case {NUMBER}" and "answered by 2026-11-20" in notice.get_content()


def test_a_reopened_case_counts_its_new_tier_from_the_day_it_was_reopened(app, office, staff):
    reopened = dt.datetime(2026, 11, 2, 3, 0, tzinfo=dt.UTC)  # Monday 11-02 in Taipei
    case_of(office, state=CaseState.REOPENED, reopened_at=reopened)
    assert post(client_of(app, staff["secretary"]), "tier", tier="quick", tier_reason="補充說明即可").status_code == 302
    assert stored(office).deadline == dt.date(2026, 11, 5)


def test_a_tier_change_without_a_reason_or_with_a_long_one_is_refused_beside_the_field_keeping_what_was_typed(app, office, staff):
    case_of(office)
    secretary = client_of(app, staff["secretary"])
    empty = post(secretary, "tier", tier="quick", tier_reason="   ")
    html = empty.get_data(as_text=True)
    assert empty.status_code == 422 and 'id="case-tier-reason-error"' in html and "請填寫變更處理時限類別的原因" in html
    assert '<option value="quick" selected>' in html  # the tier chosen is kept
    long = post(secretary, "tier", tier="quick", tier_reason="理" * 2001)
    html = long.get_data(as_text=True)
    assert long.status_code == 422 and "變更原因最多 2000 個字元" in html and "理" * 2000 in html
    same = post(secretary, "tier", tier="normal", tier_reason="不變")
    assert same.status_code == 422 and 'id="case-tier-error"' in same.get_data(as_text=True)
    unknown = post(secretary, "tier", tier="forever", tier_reason="不存在的類別")
    assert unknown.status_code == 422 and "請從清單選擇處理時限類別" in unknown.get_data(as_text=True)
    assert (stored(office).tier, stored(office).deadline) == ("normal", dt.date(2026, 10, 15))
    assert audit_of(office, "mailbox_tier_changed") == []


# --------------------------------------------------------------------------- merge


def test_merging_into_a_missing_number_or_into_itself_is_refused_naming_the_field(app, office, staff):
    case_of(office)
    reviewer = client_of(app, staff["reviewer"])
    for typed, message in (("1151202-999999", "找不到您可檢視的案件 1151202-999999"), (NUMBER, "不能併入本案自己"),
                           ("", "請輸入要併入的案件編號")):
        response = post(reviewer, "merge", merge_into=typed)
        html = response.get_data(as_text=True)
        assert response.status_code == 422 and message in html and 'id="case-merge-into-error"' in html, typed
        assert f'value="{typed}"' in html  # the number typed is kept
    assert stored(office).state is CaseState.ASSIGNED and audit_of(office, "mailbox_case_merged") == []


def test_a_merge_closes_the_case_tells_the_citizen_the_other_number_only_and_lookup_shows_it(app, office, staff, smtp, mail, site):
    case_of(office, OTHER, name="李大同", subject="公園噪音擾人", email="li@example.com", message="每晚十點後仍有施工。")
    case_of(office, language="en")
    reviewer = client_of(app, staff["reviewer"])  # the unit's reviewer spots the duplicate
    assert post(reviewer, "merge", merge_into="1151202 000002").status_code == 302  # typed with a space
    case, other = stored(office), stored(office, OTHER)
    assert case.state is CaseState.MERGED and case.merged_into == other.id and case.closed_at is not None
    assert other.state is CaseState.ASSIGNED
    page = reviewer.get(CASE).get_data(as_text=True)  # the staff page: the case joined, no "overdue" for an ended case
    assert f'href="/admin/cases/{OTHER}/"' in page and "已逾期" not in page and 'action="/admin/cases/1151202-000001/merge"' not in page
    assert audit_of(office, "mailbox_case_merged") == [f"併入 {OTHER}"]
    assert audit_of(office, "mailbox_case_merged_in", OTHER) == [f"案件 {NUMBER} 併入本案"]
    [notice] = [m for m in delivered(office, smtp, mail) if m["To"] == "citizen@example.com"]
    body = notice.get_content()
    assert notice["Subject"] == f"Your case {NUMBER} is handled with case {OTHER}" and OTHER in body
    assert "李大同" not in body and "公園噪音" not in body and "li@example.com" not in body
    for path, label in (("/mailbox/lookup/", "已併案處理"), ("/en/mailbox/lookup/", "Handled with another case")):
        html = look(site, path=path)
        assert label in html and OTHER in html, path
        assert "李大同" not in html and "公園噪音" not in html and "每晚十點後" not in html, path


def test_the_writer_of_a_merged_case_is_answered_with_the_case_it_joined(app, office, staff, smtp, mail, site):
    case_of(office, OTHER, email="li@example.com")
    case_of(office, language="en")
    assert post(client_of(app, staff["reviewer"]), "merge", merge_into=OTHER).status_code == 302
    joined = f"/admin/cases/{OTHER}/"
    assert post(client_of(app, staff["author"]), "draft", page=joined, reply="The street light was repaired on 9 October.").status_code == 302
    assert post(client_of(app, staff["reviewer"]), "approve", page=joined).status_code == 302
    mails = delivered(office, smtp, mail)
    assert [m["Subject"] for m in mails if m["To"] == "li@example.com"][-1] == f"案件 {OTHER} 答復"
    [answer] = [m for m in mails if m["To"] == "citizen@example.com" and m["Subject"] == f"Answer to your case {NUMBER}"]
    assert OTHER in answer.get_content() and "repaired on 9 October" in answer.get_content()
    assert audit_of(office, "mailbox_reply_approved", OTHER) == ["答復已寄給民眾，及併入本案的 1 件案件的陳情人"]
    html = look(site, path="/en/mailbox/lookup/")
    assert f"The answer to case {OTHER}" in html and "repaired on 9 October" in html


def test_two_staff_merging_two_cases_into_each_other_at_once_leave_one_open(app, office, staff):
    """A into B and B into A at the same moment: the second waits for the first's commit and is refused,
    so one case stays open to be answered (without the row locks both ended merged, each into the other)."""
    case_of(office, OTHER)
    case_of(office)
    refused = []

    def first() -> None:
        with office.sessions() as db:
            closures.merge(db, db.get(Account, staff["reviewer"].id), closures.find(db, NUMBER), OTHER, "127.0.0.1", utcnow())
            time.sleep(1.0)  # the other merge reads both cases meanwhile, then waits
            db.commit()

    def second() -> None:
        time.sleep(0.3)
        with office.sessions() as db:
            try:
                closures.merge(db, db.get(Account, staff["reviewer2"].id), closures.find(db, OTHER), NUMBER, "127.0.0.1", utcnow())
                db.commit()
            except StaleCase as error:
                db.rollback()
                refused.append(error.field)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert refused == ["merge_into"]
    assert (stored(office).state, stored(office, OTHER).state) == (CaseState.MERGED, CaseState.ASSIGNED)


def test_a_case_number_with_a_control_character_is_no_case_not_a_500(app, office, staff):
    case_of(office)
    reviewer = client_of(app, staff["reviewer"])
    assert reviewer.get("/admin/cases/%00/").status_code in (403, 404)
    response = post(reviewer, "merge", merge_into="\x00abc")
    assert response.status_code == 422 and "找不到您可檢視的案件" in response.get_data(as_text=True)
    assert post(client_of(app, staff["author"]), "draft", reply="答復\x00內容").status_code == 302
    assert stored(office).draft_reply == "答復內容"


def test_merging_into_a_merged_case_joins_the_case_it_was_merged_into(app, office, staff):
    case_of(office, OTHER)
    case_of(office, "1151202-000003", state=CaseState.MERGED, merged_into=stored(office, OTHER).id)
    case_of(office)
    assert post(client_of(app, staff["secretary"]), "merge", merge_into="1151202-000003").status_code == 302
    assert stored(office).merged_into == stored(office, OTHER).id
    assert audit_of(office, "mailbox_case_merged") == [f"併入 {OTHER}（輸入 1151202-000003，該案已併入 {OTHER}）"]


def test_a_reviewer_cannot_merge_into_a_case_of_a_unit_they_do_not_see(app, office, staff):
    """Else the form would tell anyone which case numbers exist."""
    case_of(office, OTHER, unit="sec1")
    case_of(office)
    response = post(client_of(app, staff["reviewer"]), "merge", merge_into=OTHER)
    assert response.status_code == 422 and f"找不到您可檢視的案件 {OTHER}" in response.get_data(as_text=True)
    assert stored(office).state is CaseState.ASSIGNED


# --------------------------------------------------------------------------- §173


@pytest.mark.parametrize("reason", list(ClosureReason))
def test_each_section_173_reason_closes_the_case_mails_the_law_and_shows_it_on_lookup(app, office, staff, smtp, mail, site, reason):
    case_of(office)
    reviewer = client_of(app, staff["reviewer"])
    assert post(reviewer, "close", closure_reason=reason.value, closure_note="同仁備註：已電話聯繫").status_code == 302
    case = stored(office)
    assert (case.state, case.closure_reason) == (CaseState.NOT_HANDLED, reason) and case.closed_at is not None
    zh, en = CLOSURE_TEXT[reason]
    assert audit_of(office, "mailbox_case_not_handled") == [f"{zh}；說明：同仁備註：已電話聯繫"]
    [notice] = [m for m in delivered(office, smtp, mail) if m["To"] == "citizen@example.com"]
    assert notice["Subject"] == f"案件 {NUMBER} 不予處理通知" and zh in notice.get_content()
    assert "同仁備註" not in notice.get_content()  # the note is for colleagues
    zh_page, en_page = look(site), look(site, path="/en/mailbox/lookup/")
    assert zh in zh_page and "不予處理" in zh_page and en not in zh_page
    assert en in en_page and zh not in en_page


def test_a_closure_needs_a_reason_from_the_list(app, office, staff):
    case_of(office)
    reviewer = client_of(app, staff["reviewer"])
    response = post(reviewer, "close", closure_reason="", closure_note="沒有選理由")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="case-closure-reason-error"' in html and "請從清單選擇不予處理的理由" in html
    assert "沒有選理由" in html
    assert stored(office).state is CaseState.ASSIGNED


def test_an_author_of_the_unit_cannot_close_a_case_unanswered(app, office, staff):
    case_of(office)
    author = client_of(app, staff["author"])
    assert 'action="/admin/cases/1151202-000001/close"' not in author.get(CASE).get_data(as_text=True)
    response = post(author, "close", closure_reason=ClosureReason.NO_CONCRETE_CONTENT.value)
    assert response.status_code == 403 and stored(office).state is CaseState.ASSIGNED
    assert audit_of(office, "mailbox_case_not_handled") == []


# --------------------------------------------------------------------------- another unit; two people at once


def test_staff_of_another_unit_are_refused_all_three(app, office, staff):
    case_of(office, OTHER, unit="sec1")
    case_of(office)
    sec1_reviewer = _account(office, "wu", "reviewer", ("sec1",))
    for person in (staff["stranger"], sec1_reviewer):
        client = client_of(app, person)
        token = csrf_token(client, "/admin/cases/")
        for action, data in (("tier", {"tier": "quick", "tier_reason": "x"}), ("merge", {"merge_into": OTHER}),
                             ("close", {"closure_reason": ClosureReason.REPEATED.value})):
            response = client.post(CASE + action, data={"csrf_token": token, **data})
            assert response.status_code == 403, (person.name, action)
    case = stored(office)
    assert (case.state, case.tier, case.merged_into, case.closure_reason) == (CaseState.ASSIGNED, "normal", None, None)


def test_a_move_on_a_case_another_colleague_just_closed_is_409(app, office, staff):
    case_of(office, OTHER)
    case_of(office)
    first, second = client_of(app, staff["reviewer"]), client_of(app, staff["secretary"])
    token_second = csrf_token(second, CASE)  # both have the open case on screen
    assert post(first, "close", closure_reason=ClosureReason.REPEATED.value).status_code == 302
    for action, data in (("merge", {"merge_into": OTHER}), ("tier", {"tier": "quick", "tier_reason": "改速件"}),
                         ("close", {"closure_reason": ClosureReason.NO_IDENTITY.value})):
        late = second.post(CASE + action, data={"csrf_token": token_second, **data})
        html = late.get_data(as_text=True)
        assert late.status_code == 409 and "其他同仁" in html and 'href="#case-state"' in html and 'id="case-state"' in html, action
    case = stored(office)
    assert (case.state, case.closure_reason, case.merged_into, case.tier) == (CaseState.NOT_HANDLED, ClosureReason.REPEATED, None, "normal")


def test_two_sessions_that_loaded_the_same_case_the_second_move_changes_nothing(app, office, staff):
    """The expected-state UPDATE itself: both loaded the open case before either committed."""
    from gongkai.admin.db import utcnow

    case_of(office, OTHER)
    case_of(office)
    with office.sessions() as first, office.sessions() as second:
        mine, theirs = closures.find(first, NUMBER), closures.find(second, NUMBER)
        closures.close_not_handled(first, first.get(Account, staff["reviewer"].id), mine, "repeated", "", "127.0.0.1", utcnow())
        first.commit()
        assert theirs.state is CaseState.ASSIGNED  # what the second person saw
        with pytest.raises(StaleCase):
            closures.merge(second, second.get(Account, staff["secretary"].id), theirs, OTHER, "127.0.0.1", utcnow())
        second.rollback()
    with office.sessions() as first, office.sessions() as second:  # a tier change keeps the state: the tier seen guards it
        case_of(office, "1151202-000004")
        from gongkai.mailbox.office_calendar import OfficeCalendar
        from gongkai.mailbox.rules import load_rules

        rules = load_rules(DEMO_CONTENT)
        calendar = OfficeCalendar.load(DEMO_CONTENT)
        mine, theirs = closures.find(first, "1151202-000004"), closures.find(second, "1151202-000004")
        closures.change_tier(first, first.get(Account, staff["secretary"].id), mine, "quick", "速件", rules, calendar, "127.0.0.1")
        first.commit()
        with pytest.raises(StaleCase):
            closures.change_tier(second, second.get(Account, staff["webmaster"].id), theirs, "complex", "需查證", rules, calendar, "127.0.0.1")
        second.rollback()
    assert stored(office, "1151202-000004").tier == "quick"
