"""Issue 12's first Done-when item, in real Chromium, keyboard only (Tab, Shift+Tab, arrows,
typing, Enter, Space — no clicks): a citizen writes to the 意見信箱; the confirmation mail
arrives at a real SMTP server on loopback (aiosmtpd); the citizen follows its link, confirms and
receives a case number and query password, and looks the case up. In the back office the
secretariat assigns the case to 第四課, a 第四課 author drafts the reply and a 第四課 reviewer — a
second person — approves it; the reply is mailed. The citizen sees the reply on 案件查詢, rates it,
and reopens the case, which comes back to 第四課's queue.

The public site and the back office run in this process on 127.0.0.1 (werkzeug's servers in
threads) on one SQLite database, as a deployment runs them on one database.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from types import SimpleNamespace

import pytest
from aiosmtpd.controller import Controller
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from werkzeug.serving import make_server

from a11y_tests.keyboard import Keyboard, sign_in, start
from tests.admin.conftest import free_port
from tests.smtp_inbox import Inbox

CITIZEN_EMAIL = "keyboard.citizen@example.com"
SUBJECT = "水量計檢定排程詢問"
MESSAGE = "申請水量計檢定後三週仍未排定日期，請問何時可以檢定？"
REPLY = "已於 12 月 8 日排定檢定，承辦人會先以電話與您聯絡確認時間。"
REOPEN_REASON = "12 月 8 日我無法配合，請改排其他日期。"


def serve_in_thread(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def offices(tmp_path_factory):
    from gongkai.admin import accounts
    from gongkai.admin import create_app as create_back_office
    from gongkai.admin.accounts import load_units
    from gongkai.admin.demo import reset_demo_accounts
    from gongkai.admin.models import Account
    from gongkai.app import create_app as create_site

    folder = tmp_path_factory.mktemp("mailbox-journey")
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    shared = {"VAR_DIR": str(folder / "var"), "DATABASE_URL": "", "CONTENT_RELOAD_SECONDS": 0, "MAIL_HOST": "127.0.0.1",
              "MAIL_PORT": smtp.port, "MAIL_TLS": "none", "MAIL_FROM": "noreply@example.gov.tw"}
    back_office = create_back_office(shared)
    with back_office.extensions["gongkai.admin"].sessions() as db:
        units = load_units(back_office.config["CONTENT_DIR"])
        # the first account of each role: demo-reviewer (第四課), not demo-secretary (秘書室)
        made = {a.role.value: SimpleNamespace(name=a.name, password=a.password)
                for a in reversed(reset_demo_accounts(db, units, back_office.config))}
        made["secretariat"] = SimpleNamespace(name="journey-secretariat", password=secrets.token_urlsafe(12))
        accounts.create(db, name=made["secretariat"].name, role="reviewer", units=("secretariat",), password=made["secretariat"].password,
                        known_units=units, actor="test")
        for account in db.query(Account):
            account.email = f"{account.name}@example.gov.tw"
        db.commit()
    site = create_site(shared | {"MAILBOX_MIN_FILL_SECONDS": 0})
    site_server, office_server = serve_in_thread(site), serve_in_thread(back_office)
    yield {"site": f"http://127.0.0.1:{site_server.server_port}", "office": f"http://127.0.0.1:{office_server.server_port}",
           "accounts": made, "inbox": inbox, "back_office": back_office, "case": {}}
    site_server.shutdown()
    office_server.shutdown()
    smtp.stop()
    back_office.extensions["gongkai.admin"].engine.dispose()


def mail_to(offices, address: str, words: str, timeout: float = 30):
    """The first message to ``address`` containing ``words``; what a busy machine left in the outbox
    is sent as the `gongkai admin send-mail` timer would send it."""
    from gongkai.admin.mail import send_pending

    office = offices["back_office"].extensions["gongkai.admin"]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [m for m in offices["inbox"].received if m["To"] == address and words in m.get_content()]
        if found:
            return found[0]
        time.sleep(0.3)
        if time.monotonic() > deadline - timeout / 2:
            send_pending(office.sessions, office.mail)
    raise AssertionError(f"no mail to {address} with {words!r}; received: {[m['Subject'] for m in offices['inbox'].received]}")


def look_up(browser, offices, case: dict) -> Keyboard:
    keys = start(browser, offices["site"] + "/mailbox/lookup/")
    keys.to_field("number").send_keys(case["number"])
    keys.to_field("password").send_keys(case["password"])
    keys.press()
    assert browser.find_elements(By.ID, "case-state"), browser.find_element(By.TAG_NAME, "main").text[:2000]
    return keys


def test_citizen_writes_confirms_by_the_mailed_link_and_looks_the_case_up(browser, offices):
    keys = start(browser, offices["site"] + "/mailbox/")
    category = keys.to_field("category")
    category.send_keys("詢問")  # typing a choice's first letters selects it, as a keyboard user does
    keys.to_field("subject").send_keys(SUBJECT)
    keys.to_field("message").send_keys(MESSAGE)
    keys.to_field("name").send_keys("林鍵盤")
    keys.to_field("email").send_keys(CITIZEN_EMAIL)
    keys.to_field("consent").send_keys(Keys.SPACE)
    assert browser.find_element(By.ID, "consent").is_selected()
    keys.activate(keys.to_button("送出"))
    assert CITIZEN_EMAIL in browser.find_element(By.TAG_NAME, "main").text
    # the confirmation link arrives by mail at the loopback SMTP server
    mail = mail_to(offices, CITIZEN_EMAIL, "/mailbox/confirm/")
    link = re.search(r"https?://\S+/mailbox/confirm/[\w-]+/", mail.get_content()).group(0)
    keys = start(browser, offices["site"] + link[link.index("/mailbox/"):])
    keys.activate(keys.to_button("確認送出"))
    number = browser.find_element(By.ID, "case-number").text
    password = browser.find_element(By.ID, "case-password").text
    assert re.fullmatch(r"\d{7}-\d{6}", number), number
    offices["case"].update(number=number, password=password)
    receipt = mail_to(offices, CITIZEN_EMAIL, f"案件編號：{number}")
    assert f"查詢密碼：{password}" in receipt.get_content()  # shown once, and mailed
    look_up(browser, offices, offices["case"])
    assert browser.find_element(By.ID, "case-state").text == "已收件，待分派"


def test_secretariat_assigns_an_author_drafts_and_a_second_person_approves(browser, offices):
    case, office = offices["case"], offices["office"]
    assert case, "runs after the citizen's half"
    # the secretariat finds the case in its queue and assigns it to 第四課
    keys = sign_in(browser, office, offices["accounts"]["secretariat"])
    keys = start(browser, office + "/admin/cases/")
    keys.activate(keys.to_link(case["number"]))
    assert MESSAGE in browser.find_element(By.TAG_NAME, "main").text
    keys.to_field("case-unit").send_keys("第四課")
    keys.activate(keys.to_button("分派"))
    assert "第四課" in browser.find_element(By.TAG_NAME, "main").text
    # an author of 第四課 drafts the reply
    keys = sign_in(browser, office, offices["accounts"]["author"])
    keys = start(browser, office + "/admin/cases/")
    keys.activate(keys.to_link(case["number"]))
    keys.to_field("case-reply").send_keys(REPLY)
    keys.activate(keys.to_button("送出答復待核可"))
    assert not browser.find_elements(By.CSS_SELECTOR, "form[action$='/approve']"), "the drafter is offered the approval"
    # a reviewer of 第四課, a second person, approves: the reply is mailed
    keys = sign_in(browser, office, offices["accounts"]["reviewer"])
    keys = start(browser, office + f"/admin/cases/{case['number']}/")
    keys.activate(keys.to_button("核可並寄給民眾"))
    assert REPLY in mail_to(offices, CITIZEN_EMAIL, REPLY).get_content()


def test_citizen_sees_the_reply_rates_it_and_reopens_the_case(browser, offices):
    case = offices["case"]
    keys = look_up(browser, offices, case)
    assert browser.find_element(By.ID, "case-state").text == "已答復"
    assert browser.find_element(By.ID, "case-reply").text == REPLY
    keys.to_field("score-5").send_keys(Keys.SPACE)
    keys.to_field("comment").send_keys("回覆很快，謝謝。")
    keys.activate(keys.to_button("送出滿意度"))
    assert "感謝您填寫滿意度：非常滿意。" in browser.find_element(By.TAG_NAME, "main").text
    keys.to_field("reason").send_keys(REOPEN_REASON)
    keys.activate(keys.to_button("未解決，要求重新處理"))
    assert browser.find_element(By.ID, "case-state").text == "重新處理中"
    # the reopened case is back in 第四課's queue
    keys = sign_in(browser, offices["office"], offices["accounts"]["author"])
    start(browser, offices["office"] + "/admin/cases/")
    assert case["number"] in browser.find_element(By.TAG_NAME, "main").text
