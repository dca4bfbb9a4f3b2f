"""案件查詢 and what follows the reply, on both engines: the number and password show the case
and nothing else; guessing is throttled per address without a 500 and without finding
anything, while the genuine citizen elsewhere still gets in; satisfaction; reopening within 14
days; the §173 closures and merges shown to the citizen."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from gongkai.admin.db import utcnow
from gongkai.mailbox import cases
from gongkai.mailbox.models import Attempt, Case
from gongkai.mailbox.states import CaseState, ClosureReason, IllegalMove, check_move
from tests.mailbox.conftest import filled


def make_case(box, **changes) -> tuple[str, str]:
    """A confirmed case, made through the same functions the pages use."""
    rules, calendar = box.data()
    now = utcnow()
    with box.sessions() as db:
        draft = cases.Draft(**{k: v for k, v in filled(box).items() if k in ("category", "subject", "message", "name", "email", "phone")},
                            language="zh", address="192.0.2.1")
        submission = cases.submit(db, draft, lambda token: f"http://localhost/mailbox/confirm/{token}/", now)
        db.flush()
        confirmed = cases.confirm(db, submission, rules, calendar, "http://localhost/mailbox/lookup/", now)
        for name, value in changes.items():
            setattr(confirmed.case, name, value)
        db.commit()
        return confirmed.case.number, confirmed.password


def look(client, number, password, address="192.0.2.50", path="/mailbox/lookup/", **more):
    return client.post(path, data={"number": number, "password": password, **more}, environ_base={"REMOTE_ADDR": address})


def answered(days_ago: float = 1) -> dict:
    moment = utcnow() - dt.timedelta(days=days_ago)
    return {"state": CaseState.ANSWERED, "reply": "一般家用水量計檢定規費為每具新臺幣 60 元。", "answered_at": moment,
            "answered_on": moment.date(), "closed_at": moment}


def test_the_number_and_password_show_the_state_unit_and_deadline(app, box):
    number, password = make_case(box)
    response = look(app.test_client(), number, password.upper().replace("-", " "))  # as typed from the mail
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "已收件，待分派" in html and "秘書室" in html
    with box.sessions() as db:
        assert db.scalar(select(Case.deadline)).isoformat() in html
    assert "答復內容" not in html


def test_a_wrong_password_or_number_shows_nothing(app, box):
    number, _password = make_case(box)
    client = app.test_client()
    for pair in ((number, "aaaa-bbbb-cccc"), ("1151202-000000", "aaaa-bbbb-cccc")):
        response = look(client, *pair)
        html = response.get_data(as_text=True)
        assert response.status_code == 400 and "不正確" in html and "水量計檢定的費用" not in html
    response = look(client, "", "")
    assert response.status_code == 400 and "請輸入案件編號" in response.get_data(as_text=True)


def test_ten_thousand_guesses_find_nothing_and_the_citizen_still_gets_in(app, box):
    number, password = make_case(box)
    client = app.test_client()
    answers: dict[int, int] = {}
    for guess in range(10_000):
        response = look(client, number if guess % 2 else f"1151202-{guess:06d}", f"{guess:012d}", address="203.0.113.66")
        answers[response.status_code] = answers.get(response.status_code, 0) + 1
        assert "水量計檢定的費用" not in response.get_data(as_text=True)
    assert answers == {400: 10, 429: 9_990}  # MAILBOX_LOOKUP_FAILURES = 10, then the address waits
    throttled = look(client, number, password, address="203.0.113.66")
    assert throttled.status_code == 429 and "查詢失敗次數過多" in throttled.get_data(as_text=True)
    with box.sessions() as db:  # being throttled is not counted again: the table stays small
        assert db.scalar(select(func.count()).select_from(Attempt)) == 10
    genuine = look(client, number, password, address="198.51.100.20")
    assert genuine.status_code == 200 and "水量計檢定的費用" in genuine.get_data(as_text=True)


def test_the_reply_is_shown_once_answered_and_can_be_rated_once(app, box):
    number, password = make_case(box, **answered())
    client = app.test_client()
    html = look(client, number, password).get_data(as_text=True)
    assert "已答復" in html and "每具新臺幣 60 元" in html and "滿意度調查" in html
    missing = look(client, number, password, path="/mailbox/lookup/rate")
    assert missing.status_code == 400 and "請選擇滿意程度" in missing.get_data(as_text=True)
    rated = look(client, number, password, path="/mailbox/lookup/rate", score="4", comment="很快就回覆了")
    assert rated.status_code == 200 and "感謝您填寫滿意度：滿意" in rated.get_data(as_text=True)
    look(client, number, password, path="/mailbox/lookup/rate", score="1")  # once only
    with box.sessions() as db:
        case = db.scalar(select(Case))
        assert (case.satisfaction, case.satisfaction_comment) == (4, "很快就回覆了")


def test_not_resolved_reopens_within_fourteen_days_with_a_new_deadline(app, box):
    number, password = make_case(box, **answered(days_ago=13))
    client = app.test_client()
    assert "未解決，要求重新處理" in look(client, number, password).get_data(as_text=True)
    no_reason = look(client, number, password, path="/mailbox/lookup/reopen", reason=" ")
    assert no_reason.status_code == 400 and "請說明還有哪些問題" in no_reason.get_data(as_text=True)
    response = look(client, number, password, path="/mailbox/lookup/reopen", reason="規費金額和現場收的不一樣")
    assert response.status_code == 200 and "重新處理中" in response.get_data(as_text=True)
    rules, calendar = box.data()
    with box.sessions() as db:
        case = db.scalar(select(Case))
        assert case.state is CaseState.REOPENED and case.reopen_count == 1 and case.closed_at is None
        today = utcnow().astimezone(dt.timezone(dt.timedelta(hours=8))).date()
        assert case.deadline == calendar.working_days_after(today, rules.tiers[case.tier].working_days)


def test_control_characters_in_the_number_the_comment_or_the_reason_are_dropped_not_a_503(app, box):
    # PostgreSQL refuses a NUL in text: the lookup, the rating and the reopening answered the outage page
    number, password = make_case(box, **answered())
    client = app.test_client()
    assert look(client, "\x00", password).status_code == 400  # a wrong number, said as such
    full_width = number.translate(str.maketrans("0123456789-", "０１２３４５６７８９－"))
    assert "已答復" in look(client, full_width, password).get_data(as_text=True)  # typed in full-width mode: the same number
    rated = look(client, number, password, path="/mailbox/lookup/rate", score="2", comment="回覆\x00太慢\x1b")
    assert rated.status_code == 200
    reopened = look(client, number, password, path="/mailbox/lookup/reopen", reason="\x00還是\x00不對")
    assert reopened.status_code == 200 and "重新處理中" in reopened.get_data(as_text=True)
    with box.sessions() as db:
        case = db.scalar(select(Case))
        assert (case.satisfaction_comment, case.reopen_reason) == ("回覆太慢", "還是不對")


def test_after_fourteen_days_the_case_cannot_be_reopened(app, box):
    number, password = make_case(box, **answered(days_ago=15))
    client = app.test_client()
    assert "未解決，要求重新處理" not in look(client, number, password).get_data(as_text=True)
    look(client, number, password, path="/mailbox/lookup/reopen", reason="還是不對")
    with box.sessions() as db:
        assert db.scalar(select(Case.state)) is CaseState.ANSWERED


@pytest.mark.parametrize(("reason", "text"), [(ClosureReason.NO_CONCRETE_CONTENT, "第 1 款，陳情無具體之內容"),
                                              (ClosureReason.REPEATED, "第 2 款"), (ClosureReason.NOT_COMPETENT, "第 3 款")])
def test_a_section_173_closure_is_shown_with_its_reason(app, box, reason, text):
    number, password = make_case(box, state=CaseState.NOT_HANDLED, closure_reason=reason, closed_at=utcnow())
    html = look(app.test_client(), number, password).get_data(as_text=True)
    assert "不予處理" in html and "行政程序法" in html and text in html


def test_a_merged_case_names_the_case_it_joined(app, box):
    first, _ = make_case(box)
    with box.sessions() as db:
        first_id = db.scalar(select(Case.id).where(Case.number == first))
    number, password = make_case(box, state=CaseState.MERGED, merged_into=first_id, closed_at=utcnow())
    html = look(app.test_client(), number, password).get_data(as_text=True)
    assert "已併案處理" in html and first in html


def test_the_state_machine_refuses_moves_it_does_not_have():
    check_move(CaseState.ANSWERED, CaseState.REOPENED)
    for current, wanted in ((CaseState.RECEIVED, CaseState.REOPENED), (CaseState.RECEIVED, CaseState.ANSWERED),
                            (CaseState.NOT_HANDLED, CaseState.ASSIGNED), (CaseState.MERGED, CaseState.REOPENED)):
        with pytest.raises(IllegalMove):
            check_move(current, wanted)


def test_cases_stay_out_of_search_engines_and_the_sitemap(app, box):
    number, password = make_case(box)
    client = app.test_client()
    case_page = look(client, number, password).get_data(as_text=True)
    assert '<meta name="robots" content="noindex, nofollow">' in case_page
    assert 'content="noindex' not in client.get("/mailbox/").get_data(as_text=True)  # the form itself may be found
    sitemap = client.get("/sitemap.xml").get_data(as_text=True)
    assert "/mailbox/confirm/" not in sitemap and "/mailbox/lookup/" not in sitemap and number not in sitemap
