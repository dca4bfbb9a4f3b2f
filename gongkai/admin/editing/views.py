"""The editing pages: the document list, the form built from the model, the preview with its
checks, attachments, and the revisions with their differences."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, request, url_for
from sqlalchemy import select

from gongkai import clock
from gongkai.admin.audit import record
from gongkai.admin.editing import drafts, uploads
from gongkai.admin.editing.fields import FIXED_ONCE_PUBLISHED, form_fields
from gongkai.admin.editing.form import data_from_state, document_text, state_from_data, state_from_form
from gongkai.admin.editing.service import NewDocument, content_dir, document_target, document_title, draft_or_404, editable, preview
from gongkai.admin.forms import zh
from gongkai.admin.models import Draft, DraftFile
from gongkai.admin.permissions import can
from gongkai.admin.signin_sessions import client_address, current_account, db
from gongkai.admin.views.guard import requires
from gongkai.admin.views.pages import render
from gongkai.content_repo import ContentRepository, ContentRepositoryError
from gongkai.model.documents import KINDS, SLUG, SLUG_MAX
from gongkai.model.single import problems_by_field, split_front_matter, validate_document
from gongkai.web import current_corpus, format_bytes

bp = Blueprint("editing", __name__)


@dataclass(frozen=True)
class ErrorLink:
    """An entry of the error summary: the id of the input it links to, and its messages."""

    id: str
    errors: tuple[str, ...] = ()
    type: str = "input"


class Summary(list):
    """The error summary of a page whose form is not a WTForms form: pages.render reads its
    entries as it reads a form's fields (each with an id, a type and its errors)."""

    @classmethod
    def of(cls, pairs) -> Summary:
        return cls(ErrorLink(link.id, (message,)) for link, message in pairs)


def input_id(name: str) -> str:
    return "f-" + name.replace(".", "-")


@bp.route("/documents/")
@requires("see_dashboard")
def index():
    account = current_account()
    units = current_corpus().codes["units"]
    documents = [d for d in current_corpus().all_documents if can(account, "edit_document", d)]
    documents.sort(key=lambda d: (d.unit, d.kind, d.title))
    open_drafts = [d for d in db().scalars(select(Draft).where(Draft.open_path.is_not(None)).order_by(Draft.changed_at.desc()))
                   if can(account, "edit_document", d)]
    creatable = [(code, entry) for code, entry in units.items() if can(account, "create_document", code)]
    return render("admin/editing/documents.html", zh("editing.documents"), documents=documents, drafts=open_drafts, units=units,
                  state_names=drafts.STATE_NAMES, creatable=creatable, kinds=KINDS)


def _fixed_data(doc, draft_text: str) -> dict:
    parsed = split_front_matter(draft_text)
    fixed = {name: parsed.data.get(name) for name in FIXED_ONCE_PUBLISHED}
    fixed["review"] = {"author": current_account().name, "status": "draft"}
    return fixed


@bp.route("/documents/<lang>/<doc_id>/edit", methods=["GET", "POST"])
@requires("edit_document", target=document_target)
def edit(lang: str, doc_id: str):
    doc = editable(lang, doc_id)
    if doc is None:
        abort(404)
    draft = drafts.open_draft(db(), doc.path)
    published = drafts.published_text(current_corpus().root, doc.path)
    before = draft.latest.number if draft else 0
    current_text = draft.latest.text if draft else published
    base = draft.latest.number if draft else 0
    context = {"draft": draft, "conflict": None, "locked": draft is not None and draft.state not in ("draft", "rejected"),
               "history": None if draft else drafts.last_closed(db(), doc.path)}
    if request.method == "GET":
        state = state_from_data(doc.kind, {**split_front_matter(current_text).data, "body": split_front_matter(current_text).body})
        # a saved draft's pre-submit findings, beside the field they are about (the body), before it is sent
        found = preview(draft) if draft is not None and draft.state in ("draft", "rejected") and writers_of(draft) else None
        return _form(doc, state, base, [*found.problems, *found.findings] if found else [], **context)
    state = state_from_form(doc.kind, request.form)
    try:
        base = int(request.form.get("base_revision", "-1"))
    except ValueError:
        base = -1
    note = request.form.get("note", "")[:200]
    state.values["note"] = note
    if base < 0 or (draft is None and base > 0 and drafts.last_draft(db(), doc.path) is None):
        # the form always says which revision it was opened on: one that names none was not sent by it
        return _form(doc, state, draft.latest.number if draft else 0, [], extra_errors=[("f-body", zh("editing.bad_base"))],
                     status=422, **context)
    if draft is None and published is not None and base == 0 and request.form.get("base_file") != fingerprint(published):
        # the published file changed since this form was opened (someone published it): refused like a stale revision
        context["conflict"] = _published_conflict(doc.path, request.form.get("base_file", ""), published)
        return _form(doc, state, 0, [], status=409, **context)
    data = data_from_state(doc.kind, state, _fixed_data(doc, current_text))
    text = document_text(data, state.values["body"])
    files = [f.name for f in draft.files] if draft else []
    _doc, problems = validate_document(text, doc.path, current_corpus(), extra_files=files)
    errors = [(input_id(name), zh("admin.too_long", field=_field_label(name), max=limit)) for name, limit in state.too_long.items()]
    if data.get("unit") and not can(current_account(), "edit_document", data["unit"]):
        errors.append((input_id("unit"), "您只能把文件歸到自己所屬的單位"))
    if problems or errors:
        return _form(doc, state, base, problems, extra_errors=errors, status=422, **context)
    try:
        revision = drafts.save(db(), current_account(), path=doc.path, kind=doc.kind, lang=doc.lang, doc_id=doc.id, unit=data["unit"],
                               text=text, base=base, start_text=published, address=client_address(), note=note)
    except drafts.StaleRevision as stale:
        db().rollback()
        fresh = drafts.open_draft(db(), doc.path) or stale.draft
        old = next((r for r in fresh.revisions if r.number == base), fresh.revisions[0])
        record(db(), current_account(), "revision_refused", drafts.target(fresh), client_address(), f"based on {base}, latest {fresh.latest.number}")
        db().commit()
        who = fresh.latest.author.name if fresh.latest.author else ""
        context.update(draft=fresh, conflict={"message": zh("editing.stale", name=who, n=fresh.latest.number),
                                              "caption": zh("editing.stale_diff", old=old.number, new=fresh.latest.number),
                                              "lines": drafts.diff(old.text, fresh.latest.text)})
        return _form(doc, state, fresh.latest.number, [], status=409, **context)
    except drafts.DraftLocked:
        db().rollback()
        return _form(doc, state, base, [], extra_errors=[("f-body", zh("editing.locked"))], status=409, **context)
    db().commit()
    flash(zh("editing.saved", n=revision.number) if revision.number > before and revision.author_id else zh("editing.unchanged"))
    return redirect(url_for("editing.edit", lang=lang, doc_id=doc_id))


@bp.route("/documents/new")
@requires("see_dashboard")
def start_new():
    """The document list's GET form (unit and kind) → that unit's new-document form, which checks the permission."""
    unit, kind = request.args.get("unit", "")[:32], request.args.get("kind", "")[:16]
    if kind not in KINDS or unit not in current_corpus().codes["units"]:
        abort(404)
    return redirect(url_for("editing.new", unit=unit, kind=kind))


def _unit_target(unit: str, kind: str) -> str:
    return unit


@bp.route("/units/<unit>/new/<kind>", methods=["GET", "POST"])
@requires("create_document", target=_unit_target)
def new(unit: str, kind: str):
    """A new document of ``kind`` for ``unit``: the same form, with its id and language to choose."""
    if kind not in KINDS or unit not in current_corpus().codes["units"]:
        abort(404)
    doc = NewDocument(kind, "zh-Hant-TW", "", "", unit, zh("editing.new_title", kind=zh("editing.k." + kind)))
    context = {"draft": None, "conflict": None, "locked": False, "fixed": ()}
    if request.method == "GET":
        today = clock.today().isoformat()  # the agency's date, not the server's
        state = state_from_data(kind, {"unit": unit, "lang": "zh-Hant-TW", "published": today, "updated": today, "update_cycle": "as-needed"})
        return _form(doc, state, 0, [], **context)
    state = state_from_form(kind, request.form)
    note = request.form.get("note", "")[:200]
    state.values["note"] = note
    data = data_from_state(kind, state, {"review": {"author": current_account().name, "status": "draft"}})
    text = document_text(data, state.values["body"])
    lang, doc_id = str(data.get("lang") or ""), str(data.get("id") or "")
    known = lang in ("zh-Hant-TW", "en") and len(doc_id) <= SLUG_MAX and re.fullmatch(SLUG, doc_id) is not None
    path = drafts.content_path(kind, lang, doc_id) if known else drafts.content_path(kind, "zh-Hant-TW", "new-document")
    _doc, problems = validate_document(text, path, current_corpus())
    errors = [(input_id(name), zh("admin.too_long", field=_field_label(name), max=limit)) for name, limit in state.too_long.items()]
    if data.get("unit") and not can(current_account(), "create_document", data["unit"]):
        errors.append((input_id("unit"), "您只能在自己所屬的單位新增文件"))
    if known and (editable(lang, doc_id) is not None or drafts.published_text(current_corpus().root, path) is not None):
        errors.append((input_id("id"), f"已經有代號為 {doc_id} 的文件，請換一個代號，或到文件列表編修那一份"))
    if problems or errors:
        return _form(doc, state, 0, problems, extra_errors=errors, status=422, **context)
    drafts.save(db(), current_account(), path=path, kind=kind, lang=lang, doc_id=doc_id, unit=data["unit"], text=text, base=0,
                start_text=None, address=client_address(), note=note)
    db().commit()
    flash(zh("editing.saved", n=1))
    return redirect(url_for("editing.edit", lang=lang, doc_id=doc_id))


def writers_of(draft) -> set[int]:
    return drafts.writers(draft)


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _published_conflict(path: str, seen: str, published: str) -> dict:
    """What changed in the published file since the form showed it, read from the content repository's history."""
    old = ""
    try:
        repo = ContentRepository(content_dir())
        for commit in repo.log(path, limit=50):
            data = repo.read(path, commit.sha)
            if data is not None and fingerprint(data.decode("utf-8")) == seen:
                old = data.decode("utf-8")
                break
    except ContentRepositoryError:
        pass  # a content folder that is not a repository: the refusal stands, without the diff
    return {"message": zh("editing.stale_published"), "caption": zh("editing.stale_published_diff"),
            "lines": drafts.diff(old, published) if old else []}


def _field_label(name: str) -> str:
    parts = [p for p in name.split(".") if not p.isdigit()]
    try:
        return zh("editing.f." + ".".join(parts))
    except KeyError:
        return name


def _form(doc, state, base: int, problems, extra_errors=(), status: int = 200, fixed=FIXED_ONCE_PUBLISHED, **context):
    by_field = problems_by_field(problems)
    messages: dict[str, list[str]] = {}
    for field_name, found in by_field.items():
        name = _input_for(doc.kind, field_name, state)
        for problem in found:
            messages.setdefault(name, []).append(_message(problem))
    for target_id, message in extra_errors:
        messages.setdefault(target_id.removeprefix("f-").replace("-", "."), []).append(message)
    summary = []
    for name, texts in messages.items():
        summary += [(ErrorLink(_first_input(doc.kind, name, state)), text) for text in texts]
    title = zh("editing.edit_title", title=doc.title)
    twin = editable("en" if doc.lang == "zh-Hant-TW" else "zh-Hant-TW", doc.translation) if doc.translation else None
    published = drafts.published_text(current_corpus().root, doc.path) if doc.path else None
    return render("admin/editing/edit.html", title, status, form=Summary.of(summary), doc=doc, twin=twin,
                  base_file=fingerprint(published) if published is not None else "", fields=form_fields(doc.kind), state=state, base=base,
                  messages=messages, codes=current_corpus().codes, fixed=fixed, input_id=input_id, **context)


def _message(problem) -> str:
    label = _field_label(problem.field) if problem.field not in ("", "document", "front matter") else "文件"
    fix = f"（{problem.fix}）" if problem.fix else ""
    return f"{label}：{problem.message}{fix}"


def _input_for(kind: str, field_name: str, state) -> str:
    """The input a problem's field (``sources.0.url``, ``theme.1``, ``review``) belongs beside."""
    names = {spec.name: spec for spec in form_fields(kind)}
    parts = field_name.split(".")
    if parts[0] not in names:
        return "body" if parts[0] == "body" else "document"
    spec = names[parts[0]]
    if spec.widget in ("checkboxes", "lines") or len(parts) == 1:
        return parts[0]
    return field_name


def _first_input(kind: str, name: str, state) -> str:
    names = {spec.name: spec for spec in form_fields(kind)}
    spec = names.get(name.split(".")[0])
    if name == "document":
        return "f-title"
    if spec is not None and spec.widget == "checkboxes":
        return input_id(name) + "-0"
    if spec is not None and spec.widget in ("rows", "group") and "." not in name:
        child = spec.children[0].name
        return input_id(f"{name}.0.{child}" if spec.widget == "rows" else f"{name}.{child}")
    return input_id(name)


# --------------------------------------------------------------------------- preview


def _draft_target(draft_id: int, **_other: object):
    return db().get(Draft, draft_id)


@bp.route("/drafts/<int:draft_id>/preview")
@requires("edit_document", target=_draft_target)
def preview_page(draft_id: int):
    draft = draft_or_404(draft_id)
    result = preview(draft)
    title = zh("editing.preview_title", title=document_title(draft))
    return render("admin/editing/preview.html", title, draft=draft, result=result, state_names=drafts.STATE_NAMES,
                  may_submit=can(current_account(), "submit_for_review", draft), files=draft.files, format_bytes=format_bytes,
                  folders=uploads.FOLDERS, upload_mb=uploads.UPLOAD_MAX // 1048576, upload_error=None)


@bp.route("/drafts/<int:draft_id>/files", methods=["POST"])
@requires("edit_document", target=_draft_target)
def upload(draft_id: int):
    draft = draft_or_404(draft_id)
    given = request.files.get("file")
    folder = request.form.get("folder", "")
    name = uploads.clean_name(folder, given.filename if given else "")
    checked = name
    if isinstance(name, str):
        data = given.stream.read(uploads.UPLOAD_MAX + 1) if given else b""
        checked = uploads.check_upload(name, data, [f.name for f in draft.files])
    if isinstance(checked, uploads.UploadProblem):
        record(db(), current_account(), "upload_refused", drafts.target(draft), client_address(), f"{checked.code}: {(given.filename if given else '')[:100]}")
        db().commit()
        return render("admin/editing/preview.html", zh("editing.preview_title", title=document_title(draft)), 422,
                      form=Summary.of([(ErrorLink("upload-file"), checked.message)]), draft=draft, result=preview(draft), state_names=drafts.STATE_NAMES,
                      may_submit=can(current_account(), "submit_for_review", draft), files=draft.files, format_bytes=format_bytes,
                      folders=uploads.FOLDERS, upload_mb=uploads.UPLOAD_MAX // 1048576, upload_error=checked.message, chosen_folder=folder)
    existing = next((f for f in draft.files if f.name == checked.name), None)
    if existing is not None:
        db().delete(existing)
        db().flush()
    db().add(DraftFile(draft_id=draft.id, name=checked.name, data=checked.data, size=len(checked.data), media_type=checked.media_type,
                       uploaded_by=current_account().id))
    record(db(), current_account(), "file_uploaded", drafts.target(draft), client_address(), f"files/{checked.name} ({len(checked.data)} B)")
    db().commit()
    flash(zh("editing.uploaded", name=checked.name))
    return redirect(url_for("editing.preview_page", draft_id=draft.id))


@bp.route("/drafts/<int:draft_id>/files/<int:file_id>/remove", methods=["POST"])
@requires("edit_document", target=_draft_target)
def remove_file(draft_id: int, file_id: int):
    draft = draft_or_404(draft_id)
    found = next((f for f in draft.files if f.id == file_id), None)
    if found is None:
        abort(404)
    if draft.state not in ("draft", "rejected"):
        flash(zh("editing.locked"))
        return redirect(url_for("editing.preview_page", draft_id=draft.id))
    draft.files.remove(found)
    record(db(), current_account(), "file_removed", drafts.target(draft), client_address(), f"files/{found.name}")
    db().commit()
    flash(zh("editing.file_removed", name=found.name))
    return redirect(url_for("editing.preview_page", draft_id=draft.id))


def raise_upload_limit() -> None:
    """before_request, ahead of the CSRF check: an upload may be read up to REQUEST_MAX, so a file
    over UPLOAD_MAX is refused beside its field instead of by a bare 413 page."""
    if request.endpoint == "editing.upload":
        request.max_content_length = uploads.REQUEST_MAX


# --------------------------------------------------------------------------- revisions


@bp.route("/drafts/<int:draft_id>/revisions")
@requires("edit_document", target=_draft_target)
def revisions(draft_id: int):
    draft = draft_or_404(draft_id)
    if not draft.revisions:
        abort(404)  # a withdrawal's record: it has no text of its own
    numbers = [r.number for r in draft.revisions]
    old_n = request.args.get("from", type=int) or (numbers[-2] if len(numbers) > 1 else numbers[0])
    new_n = request.args.get("to", type=int) or numbers[-1]
    by_number = {r.number: r for r in draft.revisions}
    if old_n not in by_number or new_n not in by_number:
        abort(404)
    lines = drafts.diff(by_number[old_n].text, by_number[new_n].text)
    return render("admin/editing/revisions.html", zh("editing.revisions_title", title=document_title(draft)), draft=draft,
                  old=by_number[old_n], new=by_number[new_n], lines=lines, state_names=drafts.STATE_NAMES)


@bp.route("/drafts/<int:draft_id>/revisions/<int:number>/restore", methods=["POST"])
@requires("edit_document", target=_draft_target)
def restore(draft_id: int, number: int):
    draft = draft_or_404(draft_id)
    revision = next((r for r in draft.revisions if r.number == number), None)
    if revision is None:
        abort(404)
    published = drafts.published_text(current_corpus().root, draft.path)
    try:
        into, restored = drafts.restore(db(), current_account(), draft, revision, client_address(), published=published)
    except drafts.DraftLocked as locked:
        db().rollback()
        flash(zh("editing.open_elsewhere") if str(locked) == "open" else zh("editing.locked"))
        return redirect(url_for("editing.revisions", draft_id=draft.id))
    db().commit()
    flash(zh("editing.restored", old=number, new=restored.number))
    return redirect(url_for("editing.revisions", draft_id=into.id))
