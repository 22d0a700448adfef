"""The status machine of a ledger item, as data: one table read by the service, the 409 answer and the SPA.

`TRANSITIONS[(status, action)]` gives the next status (None: unchanged), the roles that may take the step,
which relation a `unit` user must have to the issue, and the fields the request must carry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

Status = Literal["registered", "assigned", "returned", "in_progress", "pending_review", "closed", "cancelled"]
Action = Literal[
    "assign",
    "reassign",
    "accept",
    "return",
    "progress",
    "submit_completion",
    "close",
    "reject_completion",
    "reopen",
    "cancel",
    "request_extension",
    "decide_extension",
    "urge",
    "instruct",
    "co_unit_accept",
    "co_unit_contribute",
    "co_unit_waive",
]
Role = Literal["admin", "office", "leader", "unit", "integration"]

STATUSES: tuple[Status, ...] = get_args(Status)
OPEN_STATUSES = frozenset({"registered", "assigned", "returned", "in_progress", "pending_review"})
ACTIONS: tuple[Action, ...] = get_args(Action)

RETURN_REASON_CODES = ("not_our_remit", "needs_another_unit", "duplicate", "insufficient_information", "other")

# A unit user acts as the lead unit (主办), as a co-unit (协办), or as either.
UnitRelation = Literal["lead", "co_unit", "either"]

OFFICE = frozenset({"office", "admin"})
# A unit's own steps: its staff, or an integration client bound to the unit (scope issues:act).
UNIT = frozenset({"unit", "integration"})


@dataclass(frozen=True)
class Transition:
    next_status: str | None
    roles: frozenset[str]
    required: tuple[str, ...] = ()
    unit_relation: UnitRelation = "lead"
    event: str = ""


def _rows(
    action: str,
    statuses: frozenset[str] | tuple[str, ...],
    next_status: str | None,
    roles: frozenset[str],
    required: tuple[str, ...] = (),
    *,
    event: str,
    unit_relation: UnitRelation = "lead",
) -> dict[tuple[str, str], Transition]:
    step = Transition(next_status, roles, required, unit_relation, event)
    return {(status, action): step for status in statuses}


_WORKING = ("assigned", "in_progress")

TRANSITIONS: dict[tuple[str, str], Transition] = {
    # The deadline defaults to the end of the item's phase (steps.py).
    **_rows("assign", ("registered",), "assigned", OFFICE, ("lead_unit_id",), event="issue.assigned"),
    **_rows(
        "reassign",
        ("assigned", "returned", "in_progress"),
        "assigned",
        OFFICE,
        ("lead_unit_id",),
        event="issue.reassigned",
    ),
    **_rows("accept", ("assigned",), "in_progress", UNIT, event="issue.accepted"),
    **_rows("return", ("assigned",), "returned", UNIT, ("reason_code", "reason"), event="issue.returned"),
    **_rows(
        "progress",
        ("in_progress",),
        None,
        UNIT,
        ("content", "percent"),
        unit_relation="either",
        event="issue.progress_reported",
    ),
    **_rows(
        "submit_completion",
        ("in_progress",),
        "pending_review",
        UNIT,
        ("summary",),
        event="issue.completion_submitted",
    ),
    **_rows("close", ("pending_review",), "closed", OFFICE, event="issue.closed"),
    **_rows(
        "reject_completion", ("pending_review",), "in_progress", OFFICE, ("reason",), event="issue.completion_rejected"
    ),
    **_rows("reopen", ("closed",), "in_progress", OFFICE, ("reason",), event="issue.reopened"),
    **_rows("cancel", OPEN_STATUSES, "cancelled", OFFICE, ("reason",), event="issue.cancelled"),
    **_rows(
        "request_extension",
        _WORKING,
        None,
        UNIT,
        ("new_deadline", "reason"),
        event="issue.extension_requested",
    ),
    **_rows(
        "decide_extension",
        (*_WORKING, "pending_review"),
        None,
        OFFICE,
        ("approved",),
        event="issue.extension_decided",
    ),
    **_rows("urge", OPEN_STATUSES, None, OFFICE, ("content",), event="issue.urged"),
    **_rows(
        "instruct",
        STATUSES,
        None,
        frozenset({"leader", "admin"}),
        ("content",),
        event="issue.instructed",
    ),
    **_rows("co_unit_accept", _WORKING, None, UNIT, unit_relation="co_unit", event="issue.co_unit_accepted"),
    **_rows(
        "co_unit_contribute",
        _WORKING,
        None,
        UNIT,
        ("content",),
        unit_relation="co_unit",
        event="issue.co_unit_contributed",
    ),
    **_rows("co_unit_waive", _WORKING, None, OFFICE, event="issue.co_unit_waived"),
}


def transition_for(status: str, action: str) -> Transition | None:
    return TRANSITIONS.get((status, action))


def actions_from(status: str) -> list[Action]:
    """Every action the table allows from `status`, whoever takes it."""
    return [action for action in ACTIONS if (status, action) in TRANSITIONS]


def role_may(step: Transition, *, role: str | None, is_lead: bool, is_co_unit: bool) -> bool:
    """Whether a caller with `role` (and, for those acting for a unit, this relation to the issue) may take `step`."""
    if role not in step.roles:
        return False
    if role not in UNIT:
        return True
    if step.unit_relation == "lead":
        return is_lead
    if step.unit_relation == "co_unit":
        return is_co_unit
    return is_lead or is_co_unit
