"""The dashboard and each unit's page: per unit, the documents past their update cycle and the
latest monthly audits' findings on its pages. A person sees their own units; the webmaster all
(``see_unit``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, url_for
from sqlalchemy import select

from gongkai.admin import dashboard_labels  # noqa: F401 - registers the dashboard.* labels
from gongkai.admin.findings import LatestFindings, latest_findings, site_of
from gongkai.admin.forms import zh
from gongkai.admin.models import Account, Membership
from gongkai.admin.overdue import overdue_documents
from gongkai.admin.permissions import can
from gongkai.admin.public_pages import public_url
from gongkai.admin.roles import ROLE_NAMES
from gongkai.admin.signin_sessions import current_account, db
from gongkai.admin.views.guard import requires
from gongkai.admin.views.pages import render
from gongkai.admin.workflow.my_work import my_work
from gongkai.web import current_corpus

bp = Blueprint("dashboard", __name__)

# The editing forms' page for one document. Until that blueprint is registered the overdue
# lists link only to the public page; once it is, each row also links to its editor.
def editor_url(doc: Any) -> str:
    """The address of ``doc``'s editing form (gongkai.admin.editing)."""
    return url_for("editing.edit", lang=doc.lang, doc_id=doc.id)


def public_page(doc: Any) -> str:
    return public_url(current_corpus(), doc, current_app.config)


def audit_history() -> Path:
    """LINKS_DB, as `gongkai links` and `gongkai a11y` write it."""
    return Path(current_app.config["LINKS_DB"] or Path(current_app.config["VAR_DIR"]) / "audits.sqlite")


def current_findings() -> LatestFindings:
    return latest_findings(audit_history(), current_corpus(), site_of(str(current_app.config["BASE_URL"] or "")))


def _helpers() -> dict[str, Any]:
    return {"editor_url": editor_url, "public_page": public_page}


@bp.route("/")
@requires("see_dashboard")
def index():
    account = current_account()
    units = current_corpus().codes["units"]
    mine = [code for code in units if can(account, "see_unit", code)]
    overdue = overdue_documents(current_corpus(), mine)
    findings = current_findings()
    rows = [(code, units[code], sum(item.doc.unit == code for item in overdue), findings.broken_links(code),
             findings.accessibility_problems(code)) for code in mine]
    return render("admin/dashboard.html", zh("admin.dashboard"), rows=rows, findings=findings, work=my_work(db(), account),
                  offer_second_factor=not account.totp_enabled, **_helpers())


@bp.route("/units/<code>/")
@requires("see_unit", target=lambda code: code)
def unit(code: str):
    entry = current_corpus().codes["units"].get(code)
    if entry is None:
        abort(404)
    members = db().scalars(select(Account).join(Membership).where(Membership.unit == code).order_by(Account.name))
    documents = current_corpus().by_unit("zh-Hant-TW", code)
    return render("admin/unit.html", zh("admin.unit_page", unit=entry.zh), unit=entry, code=code, members=list(members),
                  role_names={role.value: name for role, name in ROLE_NAMES.items()}, documents=documents,
                  overdue=overdue_documents(current_corpus(), [code]), findings=current_findings(), **_helpers())
