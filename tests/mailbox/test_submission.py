"""The citizen's side on both engines: submit, the confirmation mail at a real SMTP server,
confirm, the case committed with its number and password, and every refusal a page a person
understands, with the form coming back filled and a genuine submission still going through."""

from __future__ import annotations

import datetime as dt
import io
import logging
import re

import pytest
from sqlalchemy import func, select, update

from gongkai.admin.mail import send_pending
from gongkai.admin.models import AuditEntry, OutboxMessage
from gongkai.clock import TAIWAN
from gongkai.mailbox import query_password
from gongkai.mailbox.models import ATTACHMENT_MAX, FILENAME_MAX, Attempt, Case, Submission
from gongkai.mailbox.states import CaseState
from gongkai.mailbox.views import FORM_READ_MAX
from tests.mailbox.conftest import LINK, START, aged_start, filled, wait_for


def rows(box, model) -> int:
    with box.sessions() as db:
        return db.scalar(select(func.count()).select_from(model))


def submit(client, box, address="192.0.2.10", **changes):
    return client.post("/mailbox/", data=filled(box, **changes), environ_base={"REMOTE_ADDR": address})


def confirmation_link(inbox, email="wang@example.com") -> str:
    mail = wait_for(lambda: next((m for m in inbox.received if m["To"] == email and "確認" in m["Subject"]), None))
    return LINK.search(mail.get_content()).group(1)


def test_the_form_page_has_every_field_and_a_signed_start(app):
    page = app.test_client().get("/mailbox/").get_data(as_text=True)
    for name in ("category", "subject", "message", "attachment", "name", "email", "phone", "consent", "website"):
        assert f'name="{name}"' in page
    assert START.search(page) and 'href="/page/privacy/"' in page
    assert 'autocomplete="email"' in page and 'autocomplete="name"' in page and 'enctype="multipart/form-data"' in page
    assert "<script" not in page.split("</head>")[1]  # works without JavaScript
    english = app.test_client().get("/en/mailbox/").get_data(as_text=True)
    assert "Opinion Mailbox" in english and 'href="/en/page/privacy/"' in english


def test_submit_confirm_and_the_case_is_committed_before_its_number_is_shown(app, box, inbox):
    client = app.test_client()
    response = submit(client, box)
    assert response.status_code == 200 and "wang@example.com" in response.get_data(as_text=True)
    response.close()  # the queued mail goes once the response is out
    link = confirmation_link(inbox)
    assert rows(box, Submission) == 1 and rows(box, Case) == 0

    page = client.get(link)  # following the link (or a mail scanner fetching it) changes nothing
    assert page.status_code == 200 and "水量計檢定的費用" in page.get_data(as_text=True)
    assert rows(box, Case) == 0

    done = client.post(link)
    html = done.get_data(as_text=True)
    assert done.status_code == 201
    number = re.search(r'id="case-number">([^<]+)<', html).group(1)
    password = re.search(r'id="case-password">([^<]+)<', html).group(1)
    assert re.fullmatch(r"\d{7}-\d{6}", number) and re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}", password)
    with box.sessions() as db:  # a new session: what was committed
        case = db.scalar(select(Case).where(Case.number == number))
        assert case.state is CaseState.RECEIVED and case.unit == "secretariat" and case.tier == "quick"
        assert query_password.matches(case.password_hash, password) and password not in case.password_hash
        assert case.password_hash.startswith("$argon2id$")
        rules, calendar = box.data()
        assert case.deadline == calendar.working_days_after(case.received_at.astimezone(TAIWAN).date(), 3)
        assert db.scalar(select(func.count()).select_from(Submission)) == 0
        assert db.scalar(select(AuditEntry.action).where(AuditEntry.target == f"case:{number}")) == "mailbox_case_received"
    done.close()
    receipt = wait_for(lambda: next((m for m in inbox.received if number in m["Subject"]), None))
    assert password in receipt.get_content() and case.deadline.isoformat() in receipt.get_content()

    again = client.post(link)  # a second click: the same case, no second one, and no password shown again
    assert again.status_code == 200 and number in again.get_data(as_text=True) and password not in again.get_data(as_text=True)
    assert rows(box, Case) == 1


def test_an_expired_link_makes_no_case(app, box, inbox):
    client = app.test_client()
    submit(client, box).close()
    link = confirmation_link(inbox)
    with box.sessions() as db:
        db.scalar(select(Submission)).expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
        db.commit()
    for method in (client.get, client.post):
        response = method(link)
        assert response.status_code == 404 and "連結已失效" in response.get_data(as_text=True)
    assert rows(box, Case) == 0


def test_a_honeypot_hit_is_refused_with_the_text_kept(app, box):
    client = app.test_client()
    response = submit(client, box, website="http://spam.example")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "請留白" in html
    assert "水量計檢定的費用" in html and "請問家用水量計檢定一次多少錢？" in html and 'value="王小明"' in html
    assert rows(box, Submission) == 0
    assert submit(client, box, address="192.0.2.99").status_code == 200  # a genuine one from elsewhere goes through


def test_a_form_sent_one_second_after_it_was_served_is_refused(app, box):
    client = app.test_client()
    served = client.get("/mailbox/").get_data(as_text=True)
    start = START.search(served).group(1)
    response = submit(client, box, start=start)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "3 秒內" in html and 'value="wang@example.com"' in html
    assert f'value="{start}"' in html  # the same start comes back: sending again a moment later works
    assert rows(box, Submission) == 0
    assert submit(client, box, start=box.signer.dumps(1.0)).status_code == 400  # older than a day: a fresh form
    assert submit(client, box, start="forged").status_code == 400
    assert submit(client, box, start=aged_start(box, 4)).status_code == 200


def test_twenty_submissions_from_one_address_in_a_minute(app, box):
    client = app.test_client()
    answers = [submit(client, box, email=f"person{n}@example.com").status_code for n in range(20)]
    assert answers == [200] * 10 + [429] * 10  # MAILBOX_MAX_PER_ADDRESS = 10
    refused = submit(client, box, email="person20@example.com").get_data(as_text=True)
    assert "太多" in refused and 'value="person20@example.com"' in refused
    assert rows(box, Submission) == 10
    assert submit(client, box, address="198.51.100.7", email="other@example.com").status_code == 200


def test_behind_a_trusted_proxy_each_citizen_is_counted_by_the_forwarded_address(settings):
    from gongkai.app import create_app

    behind_proxy = create_app({**settings, "PROXY_COUNT": 1})
    box = behind_proxy.extensions["gongkai.mailbox"]
    try:
        client = behind_proxy.test_client()

        def via_proxy(citizen: str, n: int) -> int:
            return client.post("/mailbox/", data=filled(box, email=f"p{n}@example.com"), environ_base={"REMOTE_ADDR": "10.0.0.1"},
                               headers={"X-Forwarded-For": citizen}).status_code

        # all through the one proxy address: without the setting the eleventh would be refused
        assert [via_proxy(f"192.0.2.{n}", n) for n in range(12)] == [200] * 12
        with box.sessions() as db:
            assert {s.address for s in db.scalars(select(Submission))} == {f"192.0.2.{n}" for n in range(12)}
        # the limit still holds per citizen: one address sending many times is refused after ten
        assert [via_proxy("198.51.100.9", 100 + n) for n in range(11)] == [200] * 10 + [429]
    finally:
        box.engine.dispose()


def test_counts_past_the_window_are_swept_by_a_later_submission_at_most_once_a_minute(app, box, monkeypatch):
    from gongkai.mailbox import attempts

    def age_all():
        with box.sessions() as db:
            db.execute(update(Attempt).values(at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=61)))
            db.commit()

    client = app.test_client()
    submit(client, box, address="192.0.2.31", email="a@example.com").close()
    age_all()
    monkeypatch.setitem(attempts._sweep, "next", 0.0)  # a sweep is due
    submit(client, box, address="192.0.2.32", email="b@example.com").close()
    assert rows(box, Attempt) == 2  # the first submission's two counts went, the new two came
    age_all()
    submit(client, box, address="192.0.2.33", email="c@example.com").close()
    assert rows(box, Attempt) == 4  # no second sweep within the minute: the aged ones wait for the next


def test_one_email_address_is_limited_from_any_address(app, box):
    client = app.test_client()
    answers = [submit(client, box, address=f"203.0.113.{n}").status_code for n in range(7)]
    assert answers == [200] * 5 + [429] * 2  # MAILBOX_MAX_PER_EMAIL = 5


def test_missing_and_wrong_fields_each_get_a_message_and_nothing_typed_is_lost(app, box):
    client = app.test_client()
    response = client.post("/mailbox/", data={"start": aged_start(box), "subject": "", "message": "內容在這裡", "email": "not-an-address",
                                              "phone": "call me", "name": "<b>林</b>"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "有問題需要修正" in html
    for message in ("請選擇類別", "請輸入主旨", "電子郵件格式不正確", "聯絡電話只能有數字", "請勾選同意"):
        assert html.count(message) == 2  # in the summary and beside the field
    assert 'href="#subject"' in html and 'aria-invalid="true"' in html
    assert "內容在這裡" in html and 'value="not-an-address"' in html and "&lt;b&gt;林&lt;/b&gt;" in html
    assert rows(box, Submission) == 0


def test_an_internationalized_domain_is_kept_in_its_ascii_form_and_a_chinese_mailbox_name_is_refused(app, box, inbox):
    client = app.test_client()
    refused = submit(client, box, email="王小明@example.com")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "@ 前面的部分只能用英文字母" in html and 'value="王小明@example.com"' in html
    submit(client, box, address="192.0.2.11", email="wang@例子.台灣").close()
    link = confirmation_link(inbox, email="wang@xn--fsqu00a.xn--kpry57d")  # delivered: smtplib and the header take this form
    assert link and rows(box, Submission) == 1
    with box.sessions() as db:
        assert db.scalar(select(Submission.email)) == "wang@xn--fsqu00a.xn--kpry57d"


def test_a_phone_typed_in_full_width_is_kept_in_ascii_and_other_scripts_digits_are_refused(app, box):
    response = submit(app.test_client(), box, phone="０６－２３４５６７８")  # a Chinese input method's full-width mode
    response.close()
    assert response.status_code == 200
    with box.sessions() as db:
        assert db.scalar(select(Submission.phone)) == "06-2345678"
    refused = submit(app.test_client(), box, address="192.0.2.11", phone="٠٦-٢٣٤٥٦٧٨")  # isdigit() said yes
    assert refused.status_code == 400 and "聯絡電話只能有數字" in refused.get_data(as_text=True)


def test_a_subject_over_its_limit_is_refused_with_the_limit(app, box):
    response = submit(app.test_client(), box, subject="長" * 101)
    assert response.status_code == 400 and "最多 100 個字" in response.get_data(as_text=True)


@pytest.mark.parametrize(("filename", "content", "message"), [
    ("letter.docx", b"PK\x03\x04 word", "須為開放格式"),
    ("fake.pdf", b"MZ\x90\x00 an executable", "不是 PDF 檔"),
    ("big.pdf", b"%PDF-" + b"0" * ATTACHMENT_MAX, "MB 以內"),
])
def test_an_attachment_in_a_closed_format_or_too_large_is_refused(app, box, filename, content, message):
    data = filled(box)
    data["attachment"] = (io.BytesIO(content), filename)
    response = app.test_client().post("/mailbox/", data=data, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and message in html and "水量計檢定的費用" in html
    assert rows(box, Submission) == 0


def test_an_open_format_attachment_is_kept_with_the_case(app, box, inbox):
    client = app.test_client()
    data = filled(box)
    data["attachment"] = (io.BytesIO(b"%PDF-1.7 photo of the meter"), "meter.pdf")
    client.post("/mailbox/", data=data, content_type="multipart/form-data").close()
    client.post(confirmation_link(inbox)).close()
    with box.sessions() as db:
        case = db.scalar(select(Case))
        assert (case.attachment_name, case.attachment_type, case.attachment) == ("meter.pdf", "application/pdf", b"%PDF-1.7 photo of the meter")


def test_a_long_file_name_keeps_its_format_when_shortened(app, box, inbox):
    # cut at the end, 「…水表照片.pdf」 of 200 characters lost ".pdf" and was refused as a closed format
    client = app.test_client()
    data = filled(box)
    data["attachment"] = (io.BytesIO(b"%PDF-1.7 photo of the meter"), "水" * 200 + ".pdf")
    sent = client.post("/mailbox/", data=data, content_type="multipart/form-data")
    sent.close()  # the mail goes out once the response is done
    assert sent.status_code == 200
    client.post(confirmation_link(inbox)).close()
    with box.sessions() as db:
        name = db.scalar(select(Case.attachment_name))
        assert name.endswith("水.pdf") and len(name) == FILENAME_MAX


def test_a_phone_photo_over_the_limit_is_refused_beside_its_field_with_the_text_kept(app, box):
    # a 12 MB photo: past the attachment's 5 MB, but read, so the form comes back filled (it was a 413 page)
    data = filled(box)
    data["attachment"] = (io.BytesIO(b"\xff\xd8\xff" + b"0" * (12 * 1024 * 1024)), "IMG_0001.jpg")
    response = app.test_client().post("/mailbox/", data=data, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "MB 以內" in html and "水量計檢定的費用" in html and "請問家用水量計檢定一次多少錢" in html
    assert rows(box, Submission) == 0


def test_a_body_far_over_the_limit_gets_a_page_not_a_500(app, box):
    data = filled(box)
    data["attachment"] = (io.BytesIO(b"%PDF-" + b"0" * FORM_READ_MAX), "huge.pdf")
    response = app.test_client().post("/mailbox/", data=data, content_type="multipart/form-data")
    assert response.status_code == 413 and "上一頁" in response.get_data(as_text=True)
    lookup = app.test_client().post("/mailbox/lookup/", data={"number": "1" * (300 * 1024), "password": "x"})
    assert lookup.status_code == 413  # the other posts are small: read up to 256 kB


def test_the_outbox_keeps_the_confirmation_when_smtp_is_down(app, box, settings, smtp, caplog):
    """Mail goes only through the outbox: with the server refusing, the message waits to be retried;
    the log says so by outbox id, never with the citizen's address."""
    inbox, _ = smtp
    inbox.answers = ["451 try later"]
    caplog.set_level(logging.WARNING, logger="gongkai")
    submit(app.test_client(), box).close()
    wait_for(lambda: _states(box) == ["queued"] and _attempts(box) == 1)
    wait_for(lambda: "not sent yet" in caplog.text)
    assert "@" not in caplog.text
    inbox.answers = []
    with box.sessions() as db:
        db.scalar(select(OutboxMessage)).next_attempt_at = dt.datetime.now(dt.UTC)
        db.commit()
    assert send_pending(box.sessions, box.mail).sent == 1
    assert confirmation_link(inbox)


def _states(box) -> list[str]:
    with box.sessions() as db:
        return list(db.scalars(select(OutboxMessage.state)))


def _attempts(box) -> int:
    with box.sessions() as db:
        return db.scalar(select(OutboxMessage.attempts))


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_broken_edit_of_the_categories_keeps_the_last_good_data(app, box, mailbox_content, tmp_path):
    import os
    import shutil

    root = tmp_path / "content"
    shutil.copytree(mailbox_content, root)
    box.content_dir, box._data = root, None
    rules, _calendar = box.data()
    categories = root / "mailbox" / "categories.yaml"
    categories.write_text("tiers: [", encoding="utf-8")
    os.utime(categories, ns=(time_ns := categories.stat().st_mtime_ns + 10**9, time_ns))
    assert box.data()[0] is rules  # still the last good categories
    page = app.test_client().get("/mailbox/")
    assert page.status_code == 200 and "詢問" in page.get_data(as_text=True)
    box._data = None  # a process that never read them: the pages say the mailbox cannot take messages, not a 500
    page = app.test_client().get("/mailbox/")
    assert page.status_code == 503 and "系統暫時無法收件" in page.get_data(as_text=True)
