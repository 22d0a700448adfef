"""Who may see an issue and which steps they may take on it now (the workflow table plus the guards)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from issues_api.events.service import actor_of
from issues_api.ledger.errors import ActionForbidden, IllegalTransition, NotCoUnit, NotLeadUnit, step_blocked
from issues_api.ledger.workflow import ACTIONS, UNIT, Action, Transition, actions_from, role_may, transition_for
from rectify_kit.auth import Principal

ACT_SCOPE = "issues:act"


class CoUnitLike(Protocol):
    @property
    def unit_id(self) -> str: ...
    @property
    def status(self) -> str: ...


class IssueLike(Protocol):
    """What the rules here look at: an `Issue`, or the `IssueRecord` a read loads without the ORM."""

    @property
    def id(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def lead_unit_id(self) -> str | None: ...
    @property
    def co_units(self) -> Sequence[CoUnitLike]: ...


SEES_ALL = frozenset({"admin", "office", "leader", "integration"})
OUTSTANDING = frozenset({"pending", "accepted"})


@dataclass(frozen=True)
class Viewer:
    """The caller as the ledger sees it: a role, for `unit` users their unit, for integration clients with the
    scope `issues:act` the units they are bound to."""

    sub: str
    role: str | None
    unit_id: str | None
    actor: dict[str, Any]
    bound_unit_ids: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, principal: Principal) -> Viewer:
        if principal.kind == "client":
            bound = principal.unit_ids if principal.has_scope(ACT_SCOPE) else frozenset()
            return cls(
                sub=principal.sub, role="integration", unit_id=None, actor=actor_of(principal), bound_unit_ids=bound
            )
        return cls(sub=principal.sub, role=principal.role, unit_id=principal.unit_id, actor=actor_of(principal))

    @property
    def unit_ids(self) -> frozenset[str]:
        """The units this caller acts for: a user's own unit, or the units a client is bound to."""
        if self.role == "integration":
            return self.bound_unit_ids
        return frozenset({self.unit_id}) if self.unit_id else frozenset()

    @property
    def scope_unit_id(self) -> str | None:
        """The unit a `unit` user is confined to ("" when they have none, which matches nothing)."""
        return (self.unit_id or "") if self.role == "unit" else None


def is_lead(issue: IssueLike, viewer: Viewer) -> bool:
    return issue.lead_unit_id is not None and issue.lead_unit_id in viewer.unit_ids


def is_co_unit(issue: IssueLike, viewer: Viewer) -> bool:
    return any(c.unit_id in viewer.unit_ids for c in issue.co_units)


def acting_unit(issue: IssueLike, viewer: Viewer) -> str | None:
    """The unit a step is taken for: the lead unit when the caller acts for it, else its co-unit."""
    if is_lead(issue, viewer):
        return issue.lead_unit_id
    return next((c.unit_id for c in issue.co_units if c.unit_id in viewer.unit_ids), viewer.unit_id)


def can_see(issue: IssueLike, viewer: Viewer) -> bool:
    if viewer.role in SEES_ALL:
        return True
    return viewer.role == "unit" and (is_lead(issue, viewer) or is_co_unit(issue, viewer))


def blocked_reason(
    issue: IssueLike, action: str, viewer: Viewer, *, pending_extension: bool, co_unit_id: str | None = None
) -> str | None:
    """Why a step the table allows cannot be taken right now, or None (`co_unit_id`: the co-unit acted for)."""
    mine = {co_unit_id} if co_unit_id is not None else viewer.unit_ids
    own = [c.status for c in issue.co_units if c.unit_id in mine]
    if action == "submit_completion" and any(c.status in OUTSTANDING for c in issue.co_units):
        return "co-units-outstanding"
    if action == "request_extension" and pending_extension:
        return "extension-pending"
    if action == "decide_extension" and not pending_extension:
        return "no-pending-extension"
    if action == "co_unit_accept" and "pending" not in own:
        return "co-unit-not-pending"
    if action == "co_unit_contribute" and "accepted" not in own:
        return "co-unit-not-accepted"
    if action == "co_unit_waive" and not any(c.status in OUTSTANDING for c in issue.co_units):
        return "no-co-unit-to-waive"
    return None


def _blocking(issue: IssueLike, reason: str) -> dict[str, object]:
    """What a blocked answer names besides its reason: the co-units still to file."""
    if reason != "co-units-outstanding":
        return {}
    waiting = [{"unit_id": c.unit_id, "status": c.status} for c in issue.co_units if c.status in OUTSTANDING]
    return {"outstanding_co_units": waiting}


def _role_may(step: Transition, issue: IssueLike, viewer: Viewer) -> bool:
    return role_may(step, role=viewer.role, is_lead=is_lead(issue, viewer), is_co_unit=is_co_unit(issue, viewer))


def allowed_actions(issue: IssueLike, viewer: Viewer, *, pending_extension: bool) -> list[Action]:
    """The steps this caller may take on this issue now; the SPA shows a button for each."""
    allowed: list[Action] = []
    for action in ACTIONS:
        step = transition_for(issue.status, action)
        if step is None or not _role_may(step, issue, viewer):
            continue
        if blocked_reason(issue, action, viewer, pending_extension=pending_extension) is None:
            allowed.append(action)
    return allowed


def check_step(
    issue: IssueLike, action: str, viewer: Viewer, *, pending_extension: bool, co_unit_id: str | None = None
) -> Transition:
    """The transition for `action`, or the error that forbids it: 409 by status, 403 by role (or a unit the
    caller does not act for), 409 blocked."""
    step = transition_for(issue.status, action)
    if step is None:
        raise IllegalTransition(
            f"'{action}' is not allowed while the issue is '{issue.status}'",
            action=action,
            current_status=issue.status,
            allowed_actions=allowed_actions(issue, viewer, pending_extension=pending_extension),
            status_actions=actions_from(issue.status),
        )
    if viewer.role not in step.roles:
        raise ActionForbidden(f"role may not take '{action}'", action=action, required_roles=sorted(step.roles))
    if not _role_may(step, issue, viewer):
        wrong_unit = NotLeadUnit if step.unit_relation == "lead" else NotCoUnit
        raise wrong_unit(f"'{action}' is for the issue's {step.unit_relation} unit", action=action)
    if co_unit_id is not None and viewer.role in UNIT and co_unit_id not in viewer.unit_ids:
        raise ActionForbidden("a unit acts only for itself", action=action, unit_id=co_unit_id)
    reason = blocked_reason(issue, action, viewer, pending_extension=pending_extension, co_unit_id=co_unit_id)
    if reason is not None:
        raise step_blocked(
            reason,
            action,
            current_status=issue.status,
            allowed_actions=allowed_actions(issue, viewer, pending_extension=pending_extension),
            **_blocking(issue, reason),
        )
    return step
