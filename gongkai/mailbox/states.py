"""A case's life as typed states, the moves between them, and what the citizen is shown.

Staff states (assigned, drafted) show to the citizen as "being handled": the internal steps of
triage and of a reply waiting for its second person's approval are not the citizen's business.
A case ends answered, merged into another case as a duplicate, or not handled for one of the
reasons 行政程序法 §173 allows — each shown to the citizen with its reason.
"""

from __future__ import annotations

import enum


class CaseState(enum.StrEnum):
    RECEIVED = "received"  # confirmed by the citizen, waiting for the secretariat's triage
    ASSIGNED = "assigned"  # a unit has it
    DRAFTED = "drafted"  # a reply is written and waits for a second person's approval
    ANSWERED = "answered"  # the approved reply went out; the citizen may rate it, or reopen for 14 days
    REOPENED = "reopened"  # the citizen said it is not resolved; back to the unit
    MERGED = "merged"  # a duplicate, handled as part of another case (merged_into)
    NOT_HANDLED = "not_handled"  # 行政程序法 §173 (closure_reason)


class ClosureReason(enum.StrEnum):
    """行政程序法 §173: 人民陳情案有下列情形之一者，得不予處理."""

    NO_CONCRETE_CONTENT = "no_concrete_content"  # 第一款：無具體之內容
    NO_IDENTITY = "no_identity"  # 第一款：未具真實姓名或住址
    REPEATED = "repeated"  # 第二款：同一事由，經予適當處理並已明確答覆後，仍一再陳情
    NOT_COMPETENT = "not_competent"  # 第三款：非主管機關，陳情人以同一事由分向各機關陳情


CLOSURE_TEXT: dict[ClosureReason, tuple[str, str]] = {
    ClosureReason.NO_CONCRETE_CONTENT: ("依行政程序法第 173 條第 1 款，陳情無具體之內容，得不予處理。",
                                        "Not handled: the message has no concrete content (Administrative Procedure Act, art. 173, item 1)."),
    ClosureReason.NO_IDENTITY: ("依行政程序法第 173 條第 1 款，陳情未具真實姓名或住址，得不予處理。",
                                "Not handled: no real name or address was given (Administrative Procedure Act, art. 173, item 1)."),
    ClosureReason.REPEATED: ("依行政程序法第 173 條第 2 款，同一事由經適當處理並已明確答覆後仍一再陳情，得不予處理。",
                             "Not handled: the same matter was already handled and clearly answered (Administrative Procedure Act, "
                             "art. 173, item 2)."),
    ClosureReason.NOT_COMPETENT: ("依行政程序法第 173 條第 3 款，本機關非主管機關，且陳情人已以同一事由分向各機關陳情，得不予處理。",
                                  "Not handled: this office is not the competent authority and the same matter was sent to several "
                                  "agencies (Administrative Procedure Act, art. 173, item 3)."),
}

# Who moves a case: the citizen ("citizen"), or staff (the next session's back-office pages).
MOVES: dict[CaseState, frozenset[CaseState]] = {
    CaseState.RECEIVED: frozenset({CaseState.ASSIGNED, CaseState.MERGED, CaseState.NOT_HANDLED}),
    CaseState.ASSIGNED: frozenset({CaseState.ASSIGNED, CaseState.DRAFTED, CaseState.MERGED, CaseState.NOT_HANDLED}),
    CaseState.DRAFTED: frozenset({CaseState.ASSIGNED, CaseState.ANSWERED}),
    CaseState.ANSWERED: frozenset({CaseState.REOPENED}),
    CaseState.REOPENED: frozenset({CaseState.ASSIGNED, CaseState.DRAFTED, CaseState.MERGED, CaseState.NOT_HANDLED}),
    CaseState.MERGED: frozenset(),
    CaseState.NOT_HANDLED: frozenset(),
}
CLOSED = frozenset({CaseState.ANSWERED, CaseState.MERGED, CaseState.NOT_HANDLED})


class IllegalMove(ValueError):
    """A move the state machine does not have (e.g. reopening a case that was never answered)."""


def check_move(current: CaseState, wanted: CaseState) -> None:
    if wanted not in MOVES[current]:
        raise IllegalMove(f"a case that is {current.value} cannot become {wanted.value}")


def public_state(state: CaseState) -> str:
    """The label key of what the citizen is shown for a state."""
    return {
        CaseState.RECEIVED: "mailbox.state_received",
        CaseState.ASSIGNED: "mailbox.state_handling",
        CaseState.DRAFTED: "mailbox.state_handling",
        CaseState.REOPENED: "mailbox.state_reopened",
        CaseState.ANSWERED: "mailbox.state_answered",
        CaseState.MERGED: "mailbox.state_merged",
        CaseState.NOT_HANDLED: "mailbox.state_not_handled",
    }[state]
