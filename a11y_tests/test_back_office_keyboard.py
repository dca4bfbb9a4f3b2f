"""Issue 11's first Done-when item, in real Chromium, keyboard only (Tab, Shift+Tab, typing, Enter,
Space — no clicks): an author of 第四課 edits 計程車計費表檢定, previews it and submits it; the same
author's approval is refused by the server, also as a forged POST; a reviewer of 第四課 rejects it
with a comment; the author receives the e-mail, fixes the draft and resubmits; the reviewer
approves; the content repository's last commit names both people.

The back office runs in this process on 127.0.0.1 (werkzeug's server in a thread) over a content
repository made from the shipped content, with a real SMTP server on loopback (aiosmtpd). What
the public site shows after the approval (the page within 10 s, search finding the new wording)
is the last test: the site app, started on the same repository before anything was published,
must show it within 10 s of the approval (the publish helper makes the demo serve such a repository).
"""

from __future__ import annotations

import re
import threading
import time

import pytest
import requests
from aiosmtpd.controller import Controller
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from werkzeug.serving import make_server

from a11y_tests.keyboard import sign_in as sign_in_as
from a11y_tests.keyboard import start as start_at
from gongkai.content_repo import ContentRepository
from tests.admin.conftest import free_port
from tests.demo_content import REPO
from tests.smtp_inbox import Inbox

DOC = "/admin/documents/zh-Hant-TW/taxi-meter-verification/edit"
NEW_WORDING = "第四課自即日起受理計費表夜間檢定預約"
FIXED_WORDING = "夜間檢定每週二、四受理，請先電話預約"


@pytest.fixture(scope="module")
def back_office(tmp_path_factory):
    from gongkai.admin import create_app
    from gongkai.admin.accounts import load_units
    from gongkai.admin.demo import reset_demo_accounts
    from gongkai.admin.models import Account

    folder = tmp_path_factory.mktemp("keyboard")
    repo = ContentRepository.create(folder / "content", REPO / "content")
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    app = create_app({"VAR_DIR": str(folder / "var"), "DATABASE_URL": "", "CONTENT_DIR": str(repo.path), "CONTENT_RELOAD_SECONDS": 0,
                      "MAIL_HOST": "127.0.0.1", "MAIL_PORT": smtp.port, "MAIL_TLS": "none", "MAIL_FROM": "noreply@example.gov.tw"})
    with app.extensions["gongkai.admin"].sessions() as db:
        # the first account of each role: demo-reviewer (第四課), not demo-secretary (秘書室)
        made = {a.role.value: a for a in reversed(reset_demo_accounts(db, load_units(repo.path), app.config))}
        for account in db.query(Account):
            account.email = f"{account.name}@example.gov.tw"
        db.commit()
    from gongkai.app import create_app as create_site

    # the public site on the same repository, started before anything is published: it must take the change in by itself
    site = create_site({"CONTENT_DIR": str(repo.path), "VAR_DIR": str(folder / "site-var"), "CONTENT_RELOAD_SECONDS": 1})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"url": f"http://127.0.0.1:{server.server_port}", "accounts": made, "repo": repo, "inbox": inbox, "app": app, "site": site,
           "approved_at": None}
    server.shutdown()
    smtp.stop()
    app.extensions["gongkai.admin"].engine.dispose()


def start(browser, back_office, path: str):
    return start_at(browser, back_office["url"] + path)


def sign_in(browser, back_office, role: str):
    return sign_in_as(browser, back_office["url"], back_office["accounts"][role])


def outbox_states(back_office) -> list[tuple[str, str, str]]:
    from gongkai.admin.models import OutboxMessage

    with back_office["app"].extensions["gongkai.admin"].sessions() as db:
        return [(m.recipient, m.subject, f"{m.state} {m.last_error}") for m in db.query(OutboxMessage)]


def wait_for_mail(back_office, words: str) -> None:
    """The message goes out right after the request that queued it; what a busy machine left in the
    outbox is sent as `gongkai admin send-mail` (the timer) would send it."""
    from gongkai.admin.mail import send_pending

    inbox, office = back_office["inbox"], back_office["app"].extensions["gongkai.admin"]
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not any(words in m.get_content() for m in inbox.received):
        time.sleep(0.2)
        if time.monotonic() > deadline - 10:
            send_pending(office.sessions, office.mail)


def test_edit_preview_submit_reject_fix_resubmit_approve_by_keyboard(browser, back_office):
    repo, inbox = back_office["repo"], back_office["inbox"]
    # the author edits the body, saves, opens the preview and submits
    keys = sign_in(browser, back_office, "author")
    keys = start(browser, back_office, DOC)
    body = keys.to_field("f-body")
    body.send_keys(Keys.CONTROL, Keys.END)
    body.send_keys(Keys.ENTER, Keys.ENTER, NEW_WORDING, "。")
    keys.activate(keys.to_button("儲存為新版本"))
    assert "已儲存為第 2 版" in browser.page_source
    keys.activate(keys.to_link("預覽與檢查"))
    assert NEW_WORDING in browser.find_element(By.CSS_SELECTOR, ".site-preview-page").text
    assert "沒有發現問題" in browser.page_source, browser.find_element(By.CSS_SELECTOR, "main").text[:3000]
    keys.activate(keys.to_button("送審"))
    assert "已送審" in browser.page_source
    draft_url = browser.current_url
    draft_id = re.search(r"/drafts/(\d+)/", draft_url).group(1)
    # the author's own approval: the review page is refused, and so is a forged POST with a valid token
    token = browser.find_element(By.CSS_SELECTOR, "input[name=csrf_token]").get_attribute("value")
    cookies = {c["name"]: c["value"] for c in browser.get_cookies()}
    assert requests.get(f"{back_office['url']}/admin/drafts/{draft_id}/review", cookies=cookies, timeout=30).status_code == 403
    forged = requests.post(f"{back_office['url']}/admin/drafts/{draft_id}/approve", data={"csrf_token": token, "publish_at": ""},
                           cookies=cookies, timeout=60)
    assert forged.status_code == 409 and "不能審核或發布" in forged.text
    assert len(repo.log()) == 1
    # the reviewer rejects with a comment
    keys = sign_in(browser, back_office, "reviewer")
    keys = start(browser, back_office, f"/admin/drafts/{draft_id}/review")
    keys.to_field("review-comment").send_keys("請寫明夜間檢定的受理日與預約方式。")
    keys.activate(keys.to_button("退回修改"))
    assert "已退回" in browser.page_source
    # the author receives the e-mail, fixes the draft and resubmits
    wait_for_mail(back_office, "請寫明夜間檢定的受理日")
    author_name = back_office["accounts"]["author"].name
    mail = [m for m in inbox.received if m["To"] == f"{author_name}@example.gov.tw" and "退回" in m["Subject"]]
    assert mail and "請寫明夜間檢定的受理日與預約方式。" in mail[0].get_content(), outbox_states(back_office)
    keys = sign_in(browser, back_office, "author")
    keys = start(browser, back_office, DOC)
    assert "請寫明夜間檢定的受理日與預約方式。" in browser.page_source  # the comment, on the form
    body = keys.to_field("f-body")
    body.send_keys(Keys.CONTROL, Keys.END)
    body.send_keys(Keys.ENTER, Keys.ENTER, FIXED_WORDING, "。")
    keys.activate(keys.to_button("儲存為新版本"))
    keys.activate(keys.to_link("預覽與檢查"))
    keys.activate(keys.to_button("送審"))
    assert "已送審" in browser.page_source
    # the reviewer approves: one commit naming both people
    keys = sign_in(browser, back_office, "reviewer")
    keys = start(browser, back_office, f"/admin/drafts/{draft_id}/review")
    keys.activate(keys.to_button("核可並發布"))
    back_office["approved_at"] = time.monotonic()
    assert "已發布" in browser.page_source, browser.find_element(By.CSS_SELECTOR, "main").text[:3000]
    last = repo.log()[0]
    assert last.trailers["Author"] == [author_name]
    assert last.trailers["Reviewed-by"] == [back_office["accounts"]["reviewer"].name]
    assert last.trailers["Unit"] == ["sec4"]
    published = (repo.path / "docs/zh/procedure/taxi-meter-verification.md").read_text(encoding="utf-8")
    assert NEW_WORDING in published and FIXED_WORDING in published


def test_the_public_page_and_search_show_the_published_wording_within_ten_seconds(back_office):
    """The site started before the publication shows the new text, and search finds the new wording,
    within 10 s of the approval."""
    assert back_office["approved_at"] is not None, "runs after the keyboard scenario"
    client = back_office["site"].test_client()
    page = search = ""
    while time.monotonic() < back_office["approved_at"] + 10:
        page = client.get("/procedures/taxi-meter-verification/").get_data(as_text=True)
        search = client.get("/search/?q=夜間檢定預約").get_data(as_text=True)
        if FIXED_WORDING in page and "taxi-meter-verification" in search:
            break
        time.sleep(0.5)
    assert FIXED_WORDING in page
    assert "taxi-meter-verification" in search
