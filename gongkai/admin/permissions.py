"""Who may do what, written once: one table of small predicates over (actor, action, target).

Every view asks ``can(actor, action, target)`` on the server (through ``views.guard.requires``);
the workflow, editing forms and citizen services add their actions to ``RULES`` and nothing
else. The pattern is GOV.UK Whitehall's authority rules: a rule is a short sentence in code.

Targets: a unit code (``str``) for unit-wide actions, a document (anything with ``unit`` and
``author_id``) for document actions, an account for account actions, ``None`` where the action
is about the back office as a whole.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from gongkai.admin.roles import Role


class Actor(Protocol):
    id: int
    role: str
    disabled: bool

    @property
    def units(self) -> frozenset[str]: ...


class DocumentLike(Protocol):
    unit: str
    author_id: int


Rule = Callable[[Actor, Any], bool]


# --------------------------------------------------------------------------- the predicates


def is_webmaster(actor: Actor, _target: Any = None) -> bool:
    return actor.role == Role.WEBMASTER


def is_author(actor: Actor, _target: Any = None) -> bool:
    return actor.role == Role.AUTHOR


def is_reviewer(actor: Actor, _target: Any = None) -> bool:
    return actor.role == Role.REVIEWER


def in_unit_of(actor: Actor, target: Any) -> bool:
    """The target (a unit code, or something with a unit) is one of the actor's units."""
    unit = target if isinstance(target, str) else getattr(target, "unit", None)
    return unit is not None and unit in actor.units


def wrote(actor: Actor, target: Any) -> bool:
    return getattr(target, "author_id", None) == actor.id


def is_self(actor: Actor, target: Any) -> bool:
    return getattr(target, "id", None) == actor.id


def in_secretariat(actor: Actor, _target: Any = None) -> bool:
    """The secretariat (秘書室) triages every 意見信箱 case."""
    return "secretariat" in actor.units


def anyone(_actor: Actor, _target: Any = None) -> bool:
    return True


def both(*rules: Rule) -> Rule:
    return lambda actor, target: all(rule(actor, target) for rule in rules)


def either(*rules: Rule) -> Rule:
    return lambda actor, target: any(rule(actor, target) for rule in rules)


def never_own(rule: Rule) -> Rule:
    """A second pair of eyes: whatever the rule allows, never on a document the actor wrote."""
    return lambda actor, target: rule(actor, target) and not wrote(actor, target)


# --------------------------------------------------------------------------- the table

RULES: dict[str, Rule] = {
    # the back office as a whole
    "see_dashboard": anyone,
    "manage_own_second_factor": anyone,
    "change_own_password": anyone,
    "see_unit": either(is_webmaster, in_unit_of),
    # documents (the editing forms and the workflow build on these)
    "create_document": either(is_webmaster, both(either(is_author, is_reviewer), in_unit_of)),
    "edit_document": either(is_webmaster, both(either(is_author, is_reviewer), in_unit_of)),
    "submit_for_review": either(is_webmaster, both(is_author, in_unit_of)),
    "review_document": never_own(either(is_webmaster, both(is_reviewer, in_unit_of))),
    "publish_document": never_own(either(is_webmaster, both(is_reviewer, in_unit_of))),
    "withdraw_document": either(is_webmaster, both(is_reviewer, in_unit_of)),
    # accounts and the audit log: the webmaster's
    "see_accounts": is_webmaster,
    "manage_accounts": is_webmaster,
    "see_audit_log": is_webmaster,
    # 意見信箱 cases (gongkai.mailbox.staff): the target is a case (it has a unit)
    "see_case_queue": anyone,
    # counts only (no case, name or subject), the same as the open dataset the public gets: every signed-in person
    "see_case_statistics": anyone,
    "see_case": either(is_webmaster, in_secretariat, in_unit_of),
    "triage_case": either(is_webmaster, in_secretariat),
    "draft_case_reply": either(is_webmaster, both(either(is_author, is_reviewer), in_unit_of)),
    "approve_case_reply": either(is_webmaster, both(is_reviewer, either(in_unit_of, in_secretariat))),
    # a duplicate is spotted at triage or by the unit's reviewer; closing a case unanswered (§173) is a reviewer's decision
    "merge_case": either(is_webmaster, in_secretariat, both(is_reviewer, in_unit_of)),
    "close_case": either(is_webmaster, both(is_reviewer, either(in_unit_of, in_secretariat))),
    # masked exports for circulation (gongkai.mailbox.exports): the rows are the actor's queue, so a
    # unit's reviewer exports their unit's cases only; authors circulate nothing (a reviewer answers for it)
    "export_cases": either(is_webmaster, in_secretariat, is_reviewer),
}


def can(actor: Actor | None, action: str, target: Any = None) -> bool:
    """Whether ``actor`` may do ``action`` on ``target``. No one signed in, or disabled: nothing."""
    if action not in RULES:
        raise KeyError(f"no permission rule for {action!r}: add it to gongkai.admin.permissions.RULES")
    if actor is None or actor.disabled:
        return False
    return RULES[action](actor, target)
