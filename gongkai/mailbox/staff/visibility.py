"""Which cases a member of staff sees in lists: the queue and the masked exports ask this one
query, so an export can never show a case its reader's queue would not."""

from __future__ import annotations

from sqlalchemy import Select, case, or_, select

from gongkai.admin.models import Account
from gongkai.admin.roles import Role
from gongkai.mailbox.models import Case
from gongkai.mailbox.staff.handling import SECRETARIAT
from gongkai.mailbox.states import CLOSED, CaseState


def visible_cases(account: Account, state: CaseState | None = None, open_only: bool = False) -> Select[tuple[Case]]:
    """The cases of the account's units; for the secretariat also every case waiting for triage;
    for the webmaster all. Open cases first, soonest deadline first, so overdue cases sit on top
    (closed cases, whose deadlines are all past, would otherwise bury them)."""
    closed_last = case((Case.state.in_(sorted(CLOSED)), 1), else_=0)
    query = select(Case).order_by(closed_last, Case.deadline.asc(), Case.id.asc())
    if account.role != Role.WEBMASTER:
        mine = Case.unit.in_(sorted(account.units))
        query = query.where(or_(mine, Case.state == CaseState.RECEIVED) if SECRETARIAT in account.units else mine)
    if state is not None:
        query = query.where(Case.state == state)
    elif open_only:
        query = query.where(Case.state.not_in(sorted(CLOSED)))
    return query
