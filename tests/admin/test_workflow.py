"""The workflow on both engines: submit → reject with a comment (dashboard list and e-mail through
the outbox) → fix and resubmit → approve → one commit in the content repository naming both
people; the author's own approval refused on the server, also as a forged POST and for the
webmaster; force-publish only with a reason; scheduled publishing; withdrawal with a reason."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from gongkai.admin.models import AuditEntry, Draft, OutboxMessage
from gongkai.admin.workflow.my_work import my_work
from tests.admin import editing_support
from tests.admin.editing_support import EDIT, PATH, form_of, post_form, signed_in

repo, editing_app, team = editing_support.repo, editing_support.editing_app, editing_support.team  # the shared fixtures


def edit_and_submit(app, account, body: str = "## 說明\n\n新版說明。\n"):
    client = signed_in(app, account)
    data = form_of(client, EDIT)
    data["body"] = body
    assert post_form(client, EDIT, data).status_code == 302
    response = post_form(client, "/admin/drafts/1/submit", {})
    assert response.status_code == 302
    return client


def draft_state(app) -> Draft:
    with app.extensions["gongkai.admin"].sessions() as db:
        return db.scalars(select(Draft)).first()


def actions(app) -> list[str]:
    with app.extensions["gongkai.admin"].sessions() as db:
        return list(db.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_reject_fix_resubmit_approve_publishes_one_commit_naming_both(editing_app, team, repo):
    author = edit_and_submit(editing_app, team["author"])
    assert draft_state(editing_app).state == "in_review"
    # the author's own approval: refused on the server, as a forged POST too, and logged
    forged = post_form(author, "/admin/drafts/1/approve", {"publish_at": ""})
    assert forged.status_code == 409 and "不能審核或發布" in forged.get_data(as_text=True)
    assert author.get("/admin/drafts/1/review").status_code == 403
    assert draft_state(editing_app).state == "in_review" and len(repo.log()) == 1
    reviewer = signed_in(editing_app, team["reviewer"])
    refused = post_form(reviewer, "/admin/drafts/1/reject", {"comment": "  "})
    assert refused.status_code == 422 and 'id="review-comment-error"' in refused.get_data(as_text=True)
    assert post_form(reviewer, "/admin/drafts/1/reject", {"comment": "請補上收費標準的法源。"}).status_code == 302
    with editing_app.extensions["gongkai.admin"].sessions() as db:
        work = my_work(db, db.merge(team["author"]))
        assert [d.comment for d in work.sent_back] == ["請補上收費標準的法源。"]
        mail = db.scalars(select(OutboxMessage).where(OutboxMessage.recipient == "lin@example.gov.tw")).all()
        assert any("請補上收費標準的法源。" in m.body for m in mail)
    edit_and_submit(editing_app, team["author"], body="## 說明\n\n新版說明，依規費法收費。\n")
    with editing_app.extensions["gongkai.admin"].sessions() as db:
        assert [d.id for d in my_work(db, db.merge(team["reviewer"])).to_review] == [1]
    approved = post_form(reviewer, "/admin/drafts/1/approve", {"publish_at": ""})
    assert approved.status_code == 302, approved.get_data(as_text=True)[:3000]
    last = repo.log()[0]
    assert last.trailers["Author"] == ["lin"] and last.trailers["Reviewed-by"] == ["chen"] and last.trailers["Unit"] == ["sec4"]
    published = (repo.path / PATH).read_text(encoding="utf-8")
    assert "依規費法收費" in published and "reviewer: chen" in published and "status: published" in published
    assert draft_state(editing_app).state == "published" and draft_state(editing_app).open_path is None
    assert {"submitted", "approve_refused", "rejected", "approved", "published"} <= set(actions(editing_app))


def test_the_webmaster_cannot_approve_what_they_wrote_and_forces_only_with_a_reason(editing_app, team, repo):
    webmaster = signed_in(editing_app, team["webmaster"])
    data = form_of(webmaster, EDIT)
    data["body"] = "## 說明\n\n管理者寫的。\n"
    assert post_form(webmaster, EDIT, data).status_code == 302
    assert post_form(webmaster, "/admin/drafts/1/approve", {"reason": "緊急更正"}).status_code == 409
    assert len(repo.log()) == 1
    author = signed_in(editing_app, team["author"])
    data = form_of(author, EDIT)
    data["body"] = "## 說明\n\n作者改的。\n"
    # the author's revision makes them a writer; the webmaster (now also a writer) still may not publish
    assert post_form(author, EDIT, data).status_code == 302
    assert post_form(webmaster, "/admin/drafts/1/approve", {"reason": "緊急更正"}).status_code == 409


def test_force_publish_needs_the_webmaster_and_a_reason(editing_app, team, repo):
    author = signed_in(editing_app, team["author"])
    data = form_of(author, EDIT)
    data["body"] = "## 說明\n\n緊急公告。\n"
    assert post_form(author, EDIT, data).status_code == 302
    reviewer = signed_in(editing_app, team["reviewer"])
    assert post_form(reviewer, "/admin/drafts/1/approve", {"reason": "趕時間"}).status_code == 409  # not in review: not the reviewer's
    webmaster = signed_in(editing_app, team["webmaster"])
    missing = post_form(webmaster, "/admin/drafts/1/approve", {"reason": ""})
    assert missing.status_code == 422 and "必須寫下理由" in missing.get_data(as_text=True)
    assert post_form(webmaster, "/admin/drafts/1/approve", {"reason": "颱風停班公告"}).status_code == 302
    assert repo.log()[0].trailers["Reason"] == ["颱風停班公告"]
    assert "force_published" in actions(editing_app)


def test_a_draft_failing_the_accessibility_checks_cannot_be_submitted(editing_app, team, repo):
    client = signed_in(editing_app, team["author"])
    data = form_of(client, EDIT)
    data["body"] = "## 說明\n\n[click here](https://www.example.gov.tw/)\n"
    assert post_form(client, EDIT, data).status_code == 302
    response = post_form(client, "/admin/drafts/1/submit", {})
    assert response.status_code == 302
    assert "個問題要先修正" in client.get("/admin/drafts/1/preview").get_data(as_text=True)
    form = client.get(EDIT).get_data(as_text=True)  # and beside the body on the form, in its error summary
    assert 'id="f-body-error"' in form and "click here" in form and 'href="#f-body"' in form
    assert draft_state(editing_app).state == "draft" and len(repo.log()) == 1


def test_scheduled_publishing_waits_for_its_time(editing_app, team, repo):
    from gongkai.admin.editing.service import gate_text
    from gongkai.admin.workflow.publishing import publish_due
    from gongkai.model import load_content

    edit_and_submit(editing_app, team["author"])
    reviewer = signed_in(editing_app, team["reviewer"])
    later = (dt.datetime.now(dt.timezone(dt.timedelta(hours=8))) + dt.timedelta(hours=2)).strftime("%Y-%m-%d %H:%M")
    assert post_form(reviewer, "/admin/drafts/1/approve", {"publish_at": later}).status_code == 302
    assert draft_state(editing_app).state == "scheduled" and len(repo.log()) == 1
    office = editing_app.extensions["gongkai.admin"]
    corpus, _ = load_content(repo.path)
    with editing_app.test_request_context("/admin/"):
        assert publish_due(office.sessions, repo.path, corpus, lambda d, t: gate_text(d, t)) == []
        now = dt.datetime.now(dt.UTC) + dt.timedelta(hours=3)
        assert publish_due(office.sessions, repo.path, corpus, lambda d, t: gate_text(d, t), now=now) == [PATH]
    assert repo.log()[0].trailers["Reviewed-by"] == ["chen"]


def test_withdrawal_needs_a_reason_and_publishes_the_withdrawn_file(editing_app, team, repo):
    reviewer = signed_in(editing_app, team["reviewer"])
    path = "/admin/documents/zh-Hant-TW/water-meter/withdraw"
    for empty in ("", "\x00 \x1b"):  # control characters only is no reason (a NUL stopped git: a 500)
        missing = post_form(reviewer, path, {"reason": empty})
        assert missing.status_code == 422 and 'id="review-reason-error"' in missing.get_data(as_text=True)
    assert post_form(reviewer, path, {"reason": "業務移撥\x00至第三課"}).status_code == 302
    text = (repo.path / PATH).read_text(encoding="utf-8")
    assert "status: withdrawn" in text and "reason: 業務移撥至第三課" in text
    assert repo.log()[0].trailers["Reason"] == ["業務移撥至第三課"]
    author = signed_in(editing_app, team["author"])
    assert author.get(path).status_code == 403


def test_the_publish_due_command_publishes_what_is_due(editing_app, team, repo, database_url, tmp_path):
    from click.testing import CliRunner

    from gongkai.cli import main

    edit_and_submit(editing_app, team["author"])
    with editing_app.extensions["gongkai.admin"].sessions() as db:
        draft = db.get(Draft, 1)
        draft.state, draft.reviewer_id = "scheduled", team["reviewer"].id
        draft.publish_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
        db.commit()
    env = {"GONGKAI_DATABASE_URL": database_url, "GONGKAI_CONTENT_DIR": str(repo.path), "GONGKAI_VAR_DIR": str(tmp_path / "var")}
    result = CliRunner().invoke(main, ["publish-due"], env=env)
    assert result.exit_code == 0, result.output
    assert PATH in result.output and repo.log()[0].trailers["Reviewed-by"] == ["chen"]


def test_an_uploaded_attachment_is_previewed_with_its_size_and_published_with_the_document(editing_app, team, repo):
    from tests.admin.test_uploads import ODT, upload

    form_page = "/admin/documents/zh-Hant-TW/water-meter-form/edit"
    author = signed_in(editing_app, team["author"])
    data = form_of(author, form_page) | {"summary": "申請水量計檢定使用（新版）。"}
    assert post_form(author, form_page, data).status_code == 302
    assert upload(author, "新申請書.odt", ODT).status_code == 302
    missing = post_form(author, form_page, form_of(author, form_page) | {"attachments.0.file": "forms/沒有這個檔.odt"})
    assert missing.status_code == 422 and 'id="f-attachments-0-file-error"' in missing.get_data(as_text=True)
    assert post_form(author, form_page, form_of(author, form_page) | {"attachments.0.file": "forms/新申請書.odt"}).status_code == 302
    preview = author.get("/admin/drafts/1/preview").get_data(as_text=True)
    size = f"{len(ODT) / 1024:.1f} KB"
    assert "/files/forms/%E6%96%B0%E7%94%B3%E8%AB%8B%E6%9B%B8.odt" in preview and size in preview
    assert post_form(author, "/admin/drafts/1/submit", {}).status_code == 302
    reviewer = signed_in(editing_app, team["reviewer"])
    assert post_form(reviewer, "/admin/drafts/1/approve", {"publish_at": ""}).status_code == 302
    assert (repo.path / "files/forms/新申請書.odt").read_bytes() == ODT
    assert set(repo.log()[0].paths) == {"docs/zh/water-meter-form.md", "files/forms/新申請書.odt"}


def test_the_my_work_partial_lists_what_is_sent_back_with_the_comment(editing_app, team):
    from flask import render_template

    edit_and_submit(editing_app, team["author"])
    reviewer = signed_in(editing_app, team["reviewer"])
    assert post_form(reviewer, "/admin/drafts/1/reject", {"comment": "標題請加上「申請」。"}).status_code == 302
    with editing_app.test_request_context("/admin/"), editing_app.extensions["gongkai.admin"].sessions() as db:
        html = render_template("admin/_my_work.html", work=my_work(db, db.merge(team["author"])))
    assert "退回給我的" in html and "標題請加上「申請」。" in html and "/admin/documents/zh-Hant-TW/water-meter/edit" in html


def test_a_scheduled_publication_is_stopped_by_sending_it_back(editing_app, team, repo):
    edit_and_submit(editing_app, team["author"])
    reviewer = signed_in(editing_app, team["reviewer"])
    later = (dt.datetime.now(dt.timezone(dt.timedelta(hours=8))) + dt.timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    assert post_form(reviewer, "/admin/drafts/1/approve", {"publish_at": later}).status_code == 302
    assert post_form(reviewer, "/admin/drafts/1/reject", {"comment": "先不要發布，等法規公告。"}).status_code == 302
    draft = draft_state(editing_app)
    assert (draft.state, draft.publish_at) == ("rejected", None) and len(repo.log()) == 1
