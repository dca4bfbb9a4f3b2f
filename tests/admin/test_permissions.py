"""The permission table against a matrix written out by hand: every action, for each kind of
actor, on a document of their unit, of another unit, and one they wrote themselves."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from gongkai.admin.permissions import RULES, can


@dataclass
class Person:
    id: int
    role: str
    units: frozenset[str]
    disabled: bool = False


@dataclass(frozen=True)
class Doc:
    unit: str
    author_id: int


AUTHOR = Person(1, "author", frozenset({"sec4"}))
REVIEWER = Person(2, "reviewer", frozenset({"sec4"}))
WEBMASTER = Person(3, "webmaster", frozenset({"it"}))
OTHER_AUTHOR = Person(4, "author", frozenset({"sec1"}))
OTHER_REVIEWER = Person(5, "reviewer", frozenset({"sec1"}))
DISABLED_WEBMASTER = Person(6, "webmaster", frozenset({"it"}), disabled=True)
SECRETARY = Person(7, "reviewer", frozenset({"secretariat"}))
ACTORS = {"secretary": SECRETARY, "author": AUTHOR, "reviewer": REVIEWER, "webmaster": WEBMASTER, "other_author": OTHER_AUTHOR,
          "other_reviewer": OTHER_REVIEWER, "disabled": DISABLED_WEBMASTER, "nobody": None}

SEC4_DOC = Doc("sec4", author_id=99)  # written by someone else of sec4
OWN_DOC = "own"  # a sec4 document written by the actor

# action → target → the actors allowed (everyone else refused)
MATRIX = {
    "see_dashboard": {None: {"author", "reviewer", "webmaster", "other_author", "other_reviewer", "secretary"}},
    "manage_own_second_factor": {None: {"author", "reviewer", "webmaster", "other_author", "other_reviewer", "secretary"}},
    "change_own_password": {None: {"author", "reviewer", "webmaster", "other_author", "other_reviewer", "secretary"}},
    "see_unit": {"sec4": {"author", "reviewer", "webmaster"}},
    "create_document": {"sec4": {"author", "reviewer", "webmaster"}},
    "edit_document": {SEC4_DOC: {"author", "reviewer", "webmaster"}, OWN_DOC: {"author", "reviewer", "webmaster"}},
    "submit_for_review": {SEC4_DOC: {"author", "webmaster"}, OWN_DOC: {"author", "webmaster"}},
    # the reviewer is never the author, whoever they are
    "review_document": {SEC4_DOC: {"reviewer", "webmaster"}, OWN_DOC: set()},
    "publish_document": {SEC4_DOC: {"reviewer", "webmaster"}, OWN_DOC: set()},
    "withdraw_document": {SEC4_DOC: {"reviewer", "webmaster"}, OWN_DOC: {"reviewer", "webmaster"}},
    "see_accounts": {None: {"webmaster"}},
    "manage_accounts": {None: {"webmaster"}},
    "see_audit_log": {None: {"webmaster"}},
    # 意見信箱: a sec4 case (the target has a unit); the secretariat triages and sees every case
    "see_case_queue": {None: {"author", "reviewer", "webmaster", "other_author", "other_reviewer", "secretary"}},
    "see_case_statistics": {None: {"author", "reviewer", "webmaster", "other_author", "other_reviewer", "secretary"}},
    "see_case": {SEC4_DOC: {"author", "reviewer", "webmaster", "secretary"}},
    "triage_case": {SEC4_DOC: {"webmaster", "secretary"}},
    "draft_case_reply": {SEC4_DOC: {"author", "reviewer", "webmaster"}},
    "approve_case_reply": {SEC4_DOC: {"reviewer", "webmaster", "secretary"}},
    "merge_case": {SEC4_DOC: {"reviewer", "webmaster", "secretary"}},
    "close_case": {SEC4_DOC: {"reviewer", "webmaster", "secretary"}},
    # the target is the back office as a whole: which cases a reviewer's export holds is the queue's rule
    "export_cases": {None: {"reviewer", "other_reviewer", "webmaster", "secretary"}},
}


def cases():
    for action, targets in MATRIX.items():
        for target, allowed in targets.items():
            for name in ACTORS:
                yield pytest.param(action, target, name, name in allowed, id=f"{action}-{getattr(target, 'unit', target)}-{name}")


@pytest.mark.parametrize(("action", "target", "actor_name", "allowed"), list(cases()))
def test_permission(action, target, actor_name, allowed):
    actor = ACTORS[actor_name]
    if target == OWN_DOC:
        target = Doc("sec4", author_id=actor.id if actor else -1)
    assert can(actor, action, target) is allowed


def test_the_matrix_covers_every_rule():
    assert set(MATRIX) == set(RULES)


def test_an_unknown_action_is_an_error_not_a_refusal():
    with pytest.raises(KeyError, match="no permission rule"):
        can(WEBMASTER, "delete_everything")


def test_a_secretariat_author_merges_at_triage_but_does_not_close_a_case_unanswered():
    """§173 closure is a reviewer's decision; spotting a duplicate at triage is not."""
    secretariat_author = Person(8, "author", frozenset({"secretariat"}))
    assert can(secretariat_author, "triage_case", SEC4_DOC) and can(secretariat_author, "merge_case", SEC4_DOC)
    assert not can(secretariat_author, "close_case", SEC4_DOC)
