"""Replaying recorded workflow steps on an issue (the demo loader builds realistic histories with it).

Each step runs through the same functions, checks and events as an HTTP request, at the step's own time.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.ledger import lookups, steps
from issues_api.ledger.access import Viewer
from issues_api.ledger.models import Issue
from issues_api.ledger.schemas import (
    AssignBody,
    CloseBody,
    CompletionBody,
    ContentBody,
    ExtensionDecisionBody,
    ExtensionRequestBody,
    ProgressBody,
    ReasonBody,
    ReturnBody,
)
from rectify_kit.clock import Clock, FixedClock


@dataclass(frozen=True)
class ReplayStep:
    """One step: the action name of the workflow table, who takes it, when, and its request body."""

    action: str
    role: str
    at: datetime
    body: dict[str, Any] = field(default_factory=dict)
    unit_id: str | None = None
    # For co-unit steps: the co-unit concerned (defaults to the acting unit).
    target_unit_id: str | None = None


def replay_viewer(role: str, unit_id: str | None) -> Viewer:
    """A system actor taking a step in the name of a role (and unit)."""
    actor = {"kind": "system", "id": None, "username": "demo", "role": role, "unit_id": unit_id}
    return Viewer(sub=f"system:{role}", role=role, unit_id=unit_id, actor=actor)


Handler = Callable[[AsyncSession, str, ReplayStep, Viewer, Clock], Awaitable[Issue]]


def _with_body(fn: Callable[..., Awaitable[Any]], schema: type[BaseModel]) -> Handler:
    async def run(session: AsyncSession, issue_id: str, step: ReplayStep, viewer: Viewer, clock: Clock) -> Issue:
        result = await fn(session, issue_id=issue_id, body=schema(**step.body), viewer=viewer, clock=clock)
        issue: Issue = result[0] if isinstance(result, tuple) else result
        return issue

    return run


def _co_unit(fn: Callable[..., Awaitable[Issue]], schema: type[BaseModel] | None = None) -> Handler:
    async def run(session: AsyncSession, issue_id: str, step: ReplayStep, viewer: Viewer, clock: Clock) -> Issue:
        extra = {"body": schema(**step.body)} if schema else {}
        unit_id = step.target_unit_id or step.unit_id or ""
        return await fn(session, issue_id=issue_id, unit_id=unit_id, viewer=viewer, clock=clock, **extra)

    return run


async def _accept(session: AsyncSession, issue_id: str, step: ReplayStep, viewer: Viewer, clock: Clock) -> Issue:
    return await steps.accept(session, issue_id=issue_id, viewer=viewer, clock=clock)


async def _decide(session: AsyncSession, issue_id: str, step: ReplayStep, viewer: Viewer, clock: Clock) -> Issue:
    """Decides the pending extension request (`body` holds approved and comment)."""
    pending = await lookups.pending_extension(session, issue_id)
    issue, _ = await steps.decide_extension(
        session,
        issue_id=issue_id,
        extension_id=pending.id if pending else "",
        body=ExtensionDecisionBody(**step.body),
        viewer=viewer,
        clock=clock,
    )
    return issue


HANDLERS: dict[str, Handler] = {
    "assign": _with_body(steps.assign, AssignBody),
    "reassign": _with_body(steps.reassign, AssignBody),
    "accept": _accept,
    "return": _with_body(steps.return_issue, ReturnBody),
    "progress": _with_body(steps.report_progress, ProgressBody),
    "submit_completion": _with_body(steps.submit_completion, CompletionBody),
    "close": _with_body(steps.close, CloseBody),
    "reject_completion": _with_body(steps.reject_completion, ReasonBody),
    "reopen": _with_body(steps.reopen, ReasonBody),
    "cancel": _with_body(steps.cancel, ReasonBody),
    "request_extension": _with_body(steps.request_extension, ExtensionRequestBody),
    "decide_extension": _decide,
    "urge": _with_body(steps.urge, ContentBody),
    "instruct": _with_body(steps.instruct, ContentBody),
    "co_unit_accept": _co_unit(steps.co_unit_accept),
    "co_unit_contribute": _co_unit(steps.co_unit_contribute, ContentBody),
    "co_unit_waive": _co_unit(steps.co_unit_waive),
}


async def replay_steps(session: AsyncSession, *, issue_id: str, steps_: Sequence[ReplayStep]) -> Issue | None:
    """Apply `steps_` in order, each at its own time; a refused step raises as it would over HTTP."""
    issue: Issue | None = None
    for step in steps_:
        viewer = replay_viewer(step.role, step.unit_id)
        issue = await HANDLERS[step.action](session, issue_id, step, viewer, FixedClock(step.at))
    return issue
