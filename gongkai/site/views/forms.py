"""書表下載: forms with their attachments and filling examples; the attachment download."""

from __future__ import annotations

from flask import Blueprint, abort, send_from_directory

from gongkai.site.listing import filtered_list
from gongkai.web import current_corpus, document_info, document_or_404, lurl, render_page, t

bp = Blueprint("forms", __name__)
files_bp = Blueprint("files", __name__)


@bp.get("/forms/")
@bp.get("/forms/unit/<unit>/", endpoint="by_unit")
@bp.get("/forms/service/<service>/", endpoint="by_service")
def index(unit: str | None = None, service: str | None = None):
    return filtered_list("form", "forms", unit=unit, service=service)


@bp.get("/forms/<doc_id>/")
def detail(doc_id: str):
    corpus = current_corpus()
    doc = document_or_404("form", doc_id)
    return render_page("form.html", document_info(doc), doc=doc, procedures=corpus.procedures_using(doc),
                       breadcrumbs=[(t("site.forms"), lurl("forms.index"))])


@files_bp.get("/files/<path:filename>")
def download(filename: str):
    """Serve only files that a published document offers: no drafts' files, no path tricks."""
    corpus = current_corpus()
    if filename not in corpus.public_files:
        abort(404)
    return send_from_directory(corpus.files_root, filename, as_attachment=True, max_age=3600)
