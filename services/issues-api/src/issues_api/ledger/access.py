"""Who may see an issue and which steps they may take on it now (the workflow table plus the guards)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from issues_api.events.service import actor_of
from issues_api.ledger.errors import ActionForbidden, IllegalTransition, StepBlocked
from issues_api.ledger.models import Issue
from issues_api.ledger.workflow import ACTIONS, Transition, actions_from, role_may, transition_for
from rectify_kit.auth import Principal

SEES_ALL = frozenset({"admin", "office", "leader", "integration"})
OUTSTANDING = frozenset({"pending", "accepted"})


@dataclass(frozen=True)
class Viewer:
    """The caller as the ledger sees it: a role, and for `unit` users their unit."""

    sub: str
    role: str | None
    unit_id: str | None
    actor: dict[str, Any]

    @classmethod
    def of(cls, principal: Principal) -> Viewer:
        role = "integration" if principal.kind == "client" else principal.role
        return cls(sub=principal.sub, role=role, unit_id=principal.unit_id, actor=actor_of(principal))

    @property
    def scope_unit_id(self) -> str | None:
        """The unit a `unit` user is confined to ("" when they have none, which matches nothing)."""
        return (self.unit_id or "") if self.role == "unit" else None


def is_lead(issue: Issue, viewer: Viewer) -> bool:
    return viewer.unit_id is not None and issue.lead_unit_id == viewer.unit_id


def is_co_unit(issue: Issue, viewer: Viewer) -> bool:
    return viewer.unit_id is not None and any(c.unit_id == viewer.unit_id for c in issue.co_units)


def can_see(issue: Issue, viewer: Viewer) -> bool:
    if viewer.role in SEES_ALL:
        return True
    return viewer.role == "unit" and (is_lead(issue, viewer) or is_co_unit(issue, viewer))


def blocked_reason(issue: Issue, action: str, viewer: Viewer, *, pending_extension: bool) -> str | None:
    """Why a step the table allows cannot be taken right now, or None."""
    own = next((c for c in issue.co_units if c.unit_id == viewer.unit_id), None)
    if action == "submit_completion" and any(c.status in OUTSTANDING for c in issue.co_units):
        return "co-units-outstanding"
    if action == "request_extension" and pending_extension:
        return "extension-pending"
    if action == "decide_extension" and not pending_extension:
        return "no-pending-extension"
    if action == "co_unit_accept" and (own is None or own.status != "pending"):
        return "co-unit-not-pending"
    if action == "co_unit_contribute" and (own is None or own.status != "accepted"):
        return "co-unit-not-accepted"
    if action == "co_unit_waive" and not any(c.status in OUTSTANDING for c in issue.co_units):
        return "no-co-unit-to-waive"
    return None


def _role_may(step: Transition, issue: Issue, viewer: Viewer) -> bool:
    return role_may(step, role=viewer.role, is_lead=is_lead(issue, viewer), is_co_unit=is_co_unit(issue, viewer))


def allowed_actions(issue: Issue, viewer: Viewer, *, pending_extension: bool) -> list[str]:
    """The steps this caller may take on this issue now; the SPA shows a button for each."""
    allowed = []
    for action in ACTIONS:
        step = transition_for(issue.status, action)
        if step is None or not _role_may(step, issue, viewer):
            continue
        if blocked_reason(issue, action, viewer, pending_extension=pending_extension) is None:
            allowed.append(action)
    return allowed


def check_step(issue: Issue, action: str, viewer: Viewer, *, pending_extension: bool) -> Transition:
    """The transition for `action`, or the error that forbids it: 409 by status, 403 by role, 409 blocked."""
    step = transition_for(issue.status, action)
    if step is None:
        raise IllegalTransition(
            f"'{action}' is not allowed while the issue is '{issue.status}'",
            action=action,
            current_status=issue.status,
            allowed_actions=allowed_actions(issue, viewer, pending_extension=pending_extension),
            status_actions=actions_from(issue.status),
        )
    if not _role_may(step, issue, viewer):
        raise ActionForbidden(f"role may not take '{action}'", action=action, required_roles=sorted(step.roles))
    reason = blocked_reason(issue, action, viewer, pending_extension=pending_extension)
    if reason is not None:
        raise StepBlocked(
            f"'{action}' is blocked: {reason}",
            code=reason,
            action=action,
            current_status=issue.status,
            allowed_actions=allowed_actions(issue, viewer, pending_extension=pending_extension),
        )
    return step
