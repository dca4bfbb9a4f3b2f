"""The dashboard (what the back office can do yet, said honestly) and each unit's page."""

from __future__ import annotations

from flask import Blueprint, abort
from sqlalchemy import select

from gongkai.admin.forms import zh
from gongkai.admin.models import Account, Membership
from gongkai.admin.roles import ROLE_NAMES, Role
from gongkai.admin.signin_sessions import current_account, db
from gongkai.admin.views.guard import requires
from gongkai.admin.views.pages import render
from gongkai.web import current_corpus

bp = Blueprint("dashboard", __name__)


@bp.route("/")
@requires("see_dashboard")
def index():
    account = current_account()
    units = current_corpus().codes["units"]
    mine = sorted(account.units) if account.role != Role.WEBMASTER else list(units)
    return render("admin/dashboard.html", zh("admin.dashboard"), units=[(code, units[code]) for code in mine if code in units])


@bp.route("/units/<code>/")
@requires("see_unit", target=lambda code: code)
def unit(code: str):
    entry = current_corpus().codes["units"].get(code)
    if entry is None:
        abort(404)
    members = db().scalars(select(Account).join(Membership).where(Membership.unit == code).order_by(Account.name))
    documents = current_corpus().by_unit("zh-Hant-TW", code)
    return render("admin/unit.html", zh("admin.unit_page", unit=entry.zh), unit=entry, members=list(members),
                  role_names={role.value: name for role, name in ROLE_NAMES.items()}, documents=documents)
