"""The demo cases: one per main state, added once, with the secretariat's demo account to triage them."""

from __future__ import annotations

from sqlalchemy import select

from gongkai.admin.accounts import load_units
from gongkai.admin.demo import reset_demo_accounts
from gongkai.mailbox.models import Case
from gongkai.mailbox.staff.demo import add_demo_cases
from gongkai.mailbox.states import CaseState


def test_demo_cases_cover_the_states_and_are_added_once(app, office, settings):
    with office.sessions() as session:
        made = reset_demo_accounts(session, load_units(settings["CONTENT_DIR"]), app.config)
        assert add_demo_cases(session) == 6
        assert add_demo_cases(session) == 0
        session.commit()
        states = {case.state for case in session.scalars(select(Case))}
        drafted = session.scalar(select(Case).where(Case.state == CaseState.DRAFTED))
        author = next(a for a in made if a.name == "demo-author")
        merged = session.scalar(select(Case).where(Case.state == CaseState.MERGED))
        assigned_id = session.scalar(select(Case.id).where(Case.state == CaseState.ASSIGNED))
        closure = session.scalar(select(Case.closure_reason).where(Case.state == CaseState.NOT_HANDLED))
    assert merged.merged_into == assigned_id and merged.closed_at is not None and closure is not None
    assert states == {CaseState.RECEIVED, CaseState.ASSIGNED, CaseState.DRAFTED, CaseState.ANSWERED, CaseState.MERGED, CaseState.NOT_HANDLED}
    assert drafted.drafted_by is not None and author.units == ("sec4",)
    assert any(a.units == ("secretariat",) for a in made)
