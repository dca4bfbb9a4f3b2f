"""The workflow's pages and buttons: submit, the review page (approve now or at a time, reject with
a comment; the webmaster's force-publish with a reason), and withdrawal."""

from __future__ import annotations

import datetime as dt
import logging

from flask import Blueprint, abort, flash, redirect, request, url_for

from gongkai.admin.audit import TAIWAN
from gongkai.admin.editing import drafts
from gongkai.admin.editing.service import (
    content_dir,
    document_target,
    document_title,
    draft_or_404,
    find_document,
    gate,
    gate_text,
    preview,
)
from gongkai.admin.editing.views import ErrorLink, Summary
from gongkai.admin.forms import zh
from gongkai.admin.models import Draft
from gongkai.admin.roles import Role
from gongkai.admin.signin_sessions import client_address, current_account, db
from gongkai.admin.views.guard import requires
from gongkai.admin.views.pages import render
from gongkai.admin.workflow import publishing, transitions
from gongkai.admin.workflow.transitions import Context, WorkflowError
from gongkai.content_repo import ContentRepositoryError
from gongkai.web import current_corpus

bp = Blueprint("workflow", __name__)
log = logging.getLogger("gongkai.admin.workflow")
FIELD_IDS = {"comment": "review-comment", "reason": "review-reason", "publish_at": "review-publish-at"}


def _context() -> Context:
    return Context(address=client_address(), admin_url=request.host_url.rstrip("/") + url_for("dashboard.index"))


def _draft(draft_id: int) -> Draft | None:
    return db().get(Draft, draft_id)


@bp.route("/drafts/<int:draft_id>/submit", methods=["POST"])
@requires("submit_for_review", target=_draft)
def submit(draft_id: int):
    draft = draft_or_404(draft_id)
    try:
        transitions.submit(db(), current_account(), draft, gate, _context())
    except WorkflowError as error:
        db().rollback()
        flash(error.message)
        return redirect(url_for("editing.preview_page", draft_id=draft.id))
    db().commit()
    flash(zh("editing.submitted"))
    return redirect(url_for("editing.preview_page", draft_id=draft.id))


def _review_page(draft: Draft, status: int = 200, field_errors: dict[str, str] | None = None, typed: dict[str, str] | None = None):
    errors = Summary.of((ErrorLink(FIELD_IDS.get(name, "review-comment")), message) for name, message in (field_errors or {}).items())
    old = draft.revisions[0]
    return render("admin/workflow/review.html", zh("editing.review_title", title=document_title(draft)), status, form=errors,
                  draft=draft, result=preview(draft), lines=drafts.diff(old.text, draft.latest.text), old=old,
                  field_errors=field_errors or {}, typed=typed or {}, is_webmaster=current_account().role == Role.WEBMASTER,
                  state_names=drafts.STATE_NAMES)


@bp.route("/drafts/<int:draft_id>/review")
@requires("review_document", target=_draft)
def review(draft_id: int):
    return _review_page(draft_or_404(draft_id))


def _parse_time(text: str) -> dt.datetime | None:
    text = " ".join(text.split())
    if not text:
        return None
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=TAIWAN)


# The approve and reject buttons are open to the unit's members (edit_document) so that a forged
# POST by the draft's own author reaches the transition, which refuses it, says why and logs it.
@bp.route("/drafts/<int:draft_id>/approve", methods=["POST"])
@requires("edit_document", target=_draft)
def approve(draft_id: int):
    draft = draft_or_404(draft_id)
    typed = {"publish_at": request.form.get("publish_at", "")[:32], "reason": request.form.get("reason", "")[:2000]}
    try:
        when = _parse_time(typed["publish_at"])
    except ValueError:
        return _review_page(draft, 422, {"publish_at": zh("editing.bad_time")}, typed)
    try:
        outcome = transitions.approve(db(), current_account(), draft, _context(), publish_at=when, force_reason=typed["reason"])
        if outcome == "approved":
            commit = publishing.publish(db(), draft, current_account(), content_dir(), current_corpus(), gate_text, client_address())
    except WorkflowError as error:
        db().rollback()
        return _review_page(draft_or_404(draft_id), 409 if not error.field else 422, {error.field or "comment": error.message}, typed)
    except ContentRepositoryError:
        db().rollback()
        log.exception("publishing %s failed", draft.path)
        return _review_page(draft_or_404(draft_id), 503, {"comment": "內容庫目前無法寫入，文件沒有發布；已記錄下來，請稍後再試或通知資訊小組。"}, typed)
    db().commit()
    flash(zh("editing.approved_now", commit=commit[:12]) if outcome == "approved" else zh("editing.approved_later", when=typed["publish_at"]))
    return redirect(url_for("dashboard.index"))


@bp.route("/drafts/<int:draft_id>/reject", methods=["POST"])
@requires("edit_document", target=_draft)
def reject(draft_id: int):
    draft = draft_or_404(draft_id)
    typed = {"comment": request.form.get("comment", "")[:4000]}
    try:
        transitions.reject(db(), current_account(), draft, typed["comment"], _context())
    except WorkflowError as error:
        db().rollback()
        return _review_page(draft_or_404(draft_id), 422 if error.field else 409, {error.field or "comment": error.message}, typed)
    db().commit()
    flash(zh("editing.rejected"))
    return redirect(url_for("dashboard.index"))


@bp.route("/documents/<lang>/<doc_id>/withdraw", methods=["GET", "POST"])
@requires("withdraw_document", target=document_target)
def withdraw(lang: str, doc_id: str):
    doc = find_document(lang, doc_id)
    if doc is None:
        abort(404)
    title = zh("editing.withdraw_title", title=doc.title)
    if request.method == "GET":
        return render("admin/workflow/withdraw.html", title, doc=doc, field_errors={}, typed={})
    reason = request.form.get("reason", "")[:2000]
    try:
        commit = publishing.withdraw(db(), current_account(), doc.path, doc.lang, doc.id, doc.kind, doc.unit, reason, content_dir(), client_address())
    except WorkflowError as error:
        db().rollback()
        return render("admin/workflow/withdraw.html", title, 422, form=Summary.of([(ErrorLink("review-reason"), error.message)]), doc=doc,
                      field_errors={"reason": error.message}, typed={"reason": reason})
    db().commit()
    flash(zh("editing.withdrawn", commit=commit[:12]))
    return redirect(url_for("editing.index"))
