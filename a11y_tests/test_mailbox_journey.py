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
import threading
import time

import pytest
from aiosmtpd.controller import Controller
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from werkzeug.serving import make_server

from a11y_tests.keyboard import Keyboard, start
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
        made = {a.name: a for a in reset_demo_accounts(db, load_units(back_office.config["CONTENT_DIR"]), back_office.config)}
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
