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
