"""/admin/cases/export.csv and .ods: the masked export of the cases of the reader's queue. A
refused filter shows the queue again (422) with the message beside the export form's field."""

from __future__ import annotations

from flask import Blueprint, Response, request

from gongkai.admin import audit
from gongkai.admin.forms import zh
from gongkai.admin.signin_sessions import client_address, current_account, db
from gongkai.admin.views.guard import requires
from gongkai.clock import today
from gongkai.mailbox.exports.rows import TYPED_MAX, FilterErrors, Names, export_rows, parse_filters, to_csv, to_ods
from gongkai.mailbox.staff.views import case_rules, queue_page, unit_codes
from gongkai.mailbox.states import CaseState
from gongkai.opendata.exports import FORMAT_BY_KEY

bp = Blueprint("case_exports", __name__)


@bp.route("/cases/export.<any(csv, ods):fmt>")
@requires("export_cases")
def export(fmt: str) -> Response | tuple[str, int]:
    typed = {name: request.args.get(name, "")[:TYPED_MAX] for name in ("state", "month")}
    try:
        filters = parse_filters({name: request.args.get(name, "")[:TYPED_MAX + 1] for name in ("state", "month")})
    except FilterErrors as error:
        return queue_page(422, error.errors, typed)
    account = current_account()
    rows = export_rows(db(), account, filters, _names())
    body = to_csv(rows) if fmt == "csv" else to_ods(rows)
    # the export is a view of personal data (masked or not, it leaves the office): who, which filters, how many rows
    audit.record(db(), account, "mailbox_cases_exported", "cases", client_address(),
                 f"格式 {fmt.upper()}；{filters.describe()}；筆數 {len(rows)}")
    db().commit()
    response = Response(body, mimetype=FORMAT_BY_KEY[fmt].mimetype)
    response.headers.set("Content-Disposition", "attachment", filename=filters.file_name(fmt, today()))
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _names() -> Names:
    found = case_rules()
    return Names(categories={code: c.zh for code, c in found.categories.items()} if found else {},
                 tiers={code: tier.zh for code, tier in found.tiers.items()} if found else {},
                 units={code: unit.zh for code, unit in unit_codes().items()},
                 states={state.value: zh(f"staff.state_{state.value}") for state in CaseState})
