"""Who sees a case: its unit, the secretariat and the webmaster; a stranger gets 403, forged URL
or not. Every view of a case page and every attachment download is in the audit log."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from gongkai.admin.models import AuditEntry
from gongkai.mailbox.models import Case
from gongkai.mailbox.states import CaseState
from tests.mailbox.staff.conftest import client_of, make_case


def _log(office, action: str) -> list[str]:
    with office.sessions() as session:
        return list(session.scalars(select(AuditEntry.actor_name).where(AuditEntry.action == action)))


def test_a_stranger_is_refused_the_case_and_its_attachment(app, office, staff):
    make_case(office, state=CaseState.ASSIGNED, unit="sec4")
    stranger = client_of(app, staff["stranger"])
    page = stranger.get("/admin/cases/1151202-000001/")
    assert page.status_code == 403 and "王小明" not in page.get_data(as_text=True)
    assert stranger.get("/admin/cases/1151202-000001/attachment").status_code == 403
    assert "1151202-000001" not in stranger.get("/admin/cases/").get_data(as_text=True)


def test_unit_secretariat_and_webmaster_see_it_and_each_view_is_logged(app, office, staff):
    make_case(office, state=CaseState.ASSIGNED, unit="sec4")
    for who in ("author", "secretary", "webmaster"):
        page = client_of(app, staff[who]).get("/admin/cases/1151202-000001/").get_data(as_text=True)
        assert "王小明" in page and "citizen@example.com" in page
    assert sorted(_log(office, "mailbox_case_opened")) == sorted(["lin", "mei", "web"])
    download = client_of(app, staff["author"]).get("/admin/cases/1151202-000001/attachment")
    assert download.status_code == 200 and download.data == b"\x89PNG-photo"
    assert _log(office, "mailbox_attachment_downloaded") == ["lin"]


def test_the_queue_shows_no_personal_field_and_the_secretariat_sees_what_waits_for_triage(app, office, staff):
    make_case(office)  # received, waiting for triage
    queue = client_of(app, staff["secretary"]).get("/admin/cases/").get_data(as_text=True)
    assert "1151202-000001" in queue and "路燈不亮" in queue
    assert not any(personal in queue for personal in ("王小明", "citizen@example.com", "0912345678", "203.0.113.9"))
    assert "1151202-000001" not in client_of(app, staff["author"]).get("/admin/cases/").get_data(as_text=True)


def test_a_reopened_case_is_back_in_its_units_queue(app, office, staff):
    make_case(office, state=CaseState.REOPENED, unit="sec4")
    queue = client_of(app, staff["author"]).get("/admin/cases/?state=reopened").get_data(as_text=True)
    assert "1151202-000001" in queue and "民眾要求重新處理" in queue
    assert "1151202-000001" not in client_of(app, staff["author"]).get("/admin/cases/?state=answered").get_data(as_text=True)


def test_the_queue_puts_the_soonest_deadline_first_and_overdue_on_top(app, office, staff):
    for number, days in (("1151202-000001", 20), ("1151202-000002", -3), ("1151202-000003", 5)):
        make_case(office, number)
        with office.sessions() as session:
            case = session.query(Case).filter_by(number=number).one()
            case.deadline = case.received_on + dt.timedelta(days=days)
            session.commit()
    queue = client_of(app, staff["secretary"]).get("/admin/cases/").get_data(as_text=True)
    positions = [queue.index(number) for number in ("1151202-000002", "1151202-000003", "1151202-000001")]
    assert positions == sorted(positions)


def _many(office, count: int, state: CaseState, days: int, first: int) -> list[str]:
    """``count`` cases of sec4 in ``state``, their deadline ``days`` from receipt, numbered from ``first``."""
    numbers = [f"1151202-{first + n:06d}" for n in range(count)]
    with office.sessions() as session:
        template = session.query(Case).first()
        for number in numbers:
            session.add(Case(**{column: getattr(template, column) for column in ("password_hash", "tier", "submitted_at", "received_at",
                                                                                  "received_on", "category", "subject", "message", "name",
                                                                                  "email", "phone", "language", "address", "draft_reply",
                                                                                  "reply", "satisfaction_comment", "reopen_reason",
                                                                                  "reopen_count")},
                             number=number, confirmation_hash=number, state=state, unit="sec4",
                             deadline=template.received_on + dt.timedelta(days=days)))
        session.commit()
    return numbers


def test_a_year_of_answered_cases_never_hides_the_open_ones(app, office, staff):
    # answered cases' deadlines are all past: sorted by deadline alone they came first, and a year of
    # them (845 in 111) filled the page before any case still waiting for an answer
    make_case(office, "1151202-000001", state=CaseState.ASSIGNED, unit="sec4")
    answered = _many(office, 150, CaseState.ANSWERED, -60, 100)
    reader = client_of(app, staff["author"])
    queue = reader.get("/admin/cases/").get_data(as_text=True)
    assert "1151202-000001" in queue and not any(number in queue for number in answered)
    assert "未結案（待分派、承辦中、答復待核可、民眾要求重新處理）：第 1–1 筆，共 1 筆" in queue
    assert "第四課" in queue  # the unit's name, not its code
    everything = reader.get("/admin/cases/?state=all").get_data(as_text=True)
    assert "共 151 筆" in everything and everything.index("1151202-000001") < everything.index(answered[0])


def test_a_long_queue_is_paged_with_its_count_and_the_filter_kept(app, office, staff):
    make_case(office, "1151202-000001", state=CaseState.ASSIGNED, unit="sec4")
    later = _many(office, 120, CaseState.ASSIGNED, 30, 100)
    reader = client_of(app, staff["author"])
    first = reader.get("/admin/cases/?state=assigned").get_data(as_text=True)
    assert "第 1–100 筆，共 121 筆" in first and "1151202-000001" in first and later[98] in first and later[99] not in first
    assert 'href="/admin/cases/?state=assigned&amp;page=2">下一頁</a>' in first and "上一頁" not in first
    second = reader.get("/admin/cases/?state=assigned&page=2").get_data(as_text=True)
    assert "第 101–121 筆，共 121 筆" in second and later[99] in second and later[-1] in second and "1151202-000001" not in second
    assert 'href="/admin/cases/?state=assigned&amp;page=1">上一頁</a>' in second and "下一頁" not in second
    beyond = reader.get("/admin/cases/?state=assigned&page=99")  # a stale link past the end: the last page
    assert beyond.status_code == 200 and "第 101–121 筆" in beyond.get_data(as_text=True)
    assert reader.get("/admin/cases/?state=nonsense&page=x").status_code == 200  # menu and link choices: ignored, not refused
