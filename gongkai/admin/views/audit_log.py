"""The audit log for the webmaster: filter by person, action, dates and target; export the
filtered entries as CSV or ODS."""

from __future__ import annotations

from flask import Blueprint, Response, request, url_for

from gongkai.admin import audit
from gongkai.admin.forms import AuditFilterForm, zh
from gongkai.admin.signin_sessions import db
from gongkai.admin.views.guard import requires
from gongkai.admin.views.pages import render
from gongkai.admin.views.paging import page_number

bp = Blueprint("audit_log", __name__)
PER_PAGE = 50


def _filter() -> tuple[AuditFilterForm, audit.AuditFilter | None]:
    form = AuditFilterForm(request.args)
    if not form.validate():
        return form, None
    return form, audit.AuditFilter(person=(form.person.data or "").strip(), action=form.action.data or "", since=form.since.data,
                                   until=form.until.data, target=(form.target.data or "").strip())


@bp.route("/audit/")
@requires("see_audit_log")
def index():
    form, where = _filter()
    page = page_number(request.args)
    found = audit.entries(db(), where, limit=PER_PAGE + 1, offset=(page - 1) * PER_PAGE) if where else []
    query = {k: v for k, v in request.args.items() if k != "page" and k in form.data and v}
    return render("admin/audit_log.html", zh("admin.audit_log"), 200 if where else 400, form=form,
                  entries=found[:PER_PAGE], actions=audit.ACTIONS, page=page,
                  newer=url_for("audit_log.index", **query, page=page - 1) if page > 1 else None,
                  older=url_for("audit_log.index", **query, page=page + 1) if len(found) > PER_PAGE else None,
                  csv_url=url_for("audit_log.export", fmt="csv", **query), ods_url=url_for("audit_log.export", fmt="ods", **query))


@bp.route("/audit/export.<any(csv, ods):fmt>")
@requires("see_audit_log")
def export(fmt: str):
    form, where = _filter()
    if where is None:
        return index()
    if fmt == "csv":
        body, mimetype = audit.export_csv(db(), where), "text/csv; charset=utf-8"
    else:
        body, mimetype = audit.export_ods(db(), where), "application/vnd.oasis.opendocument.spreadsheet"
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="audit-log.{fmt}"'})
