"""Applying issue events: keep the issue's state, re-plan its timers, notify whoever must act now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.calendar.workdays import WorkCalendar
from notify_api.directory import service as directory
from notify_api.issues.models import IssueState
from notify_api.notifications.service import Outgoing, QuietHours, dispatch
from notify_api.policies.service import policy_for
from notify_api.scheduler.service import issue_context, replan

# Each step of the ledger that asks someone to act: (message kind, who must act).
IMMEDIATE: dict[str, tuple[str, tuple[str, ...]]] = {
    "issue.assigned": ("assigned", ("lead_unit", "co_units")),
    "issue.reassigned": ("assigned", ("lead_unit", "co_units")),
    "issue.returned": ("returned", ("office",)),
    "issue.completion_submitted": ("completion_submitted", ("office",)),
    "issue.completion_rejected": ("completion_rejected", ("lead_unit",)),
    "issue.extension_requested": ("extension_requested", ("office",)),
    "issue.extension_decided": ("extension_decided", ("lead_unit",)),
    "issue.urged": ("urged", ("lead_unit", "co_units")),
    "issue.instructed": ("instructed", ("lead_unit", "co_units")),
    "issue.reopened": ("reopened", ("lead_unit", "co_units")),
}
IMMEDIATE_CHANNELS = frozenset({"inbox", "email"})


@dataclass(frozen=True)
class ApplyContext:
    """What applying an event needs besides the session: the time, the calendar and the delivery rules."""

    now: datetime
    calendar: WorkCalendar
    quiet: QuietHours
    fire_hour: int


def _date(value: Any) -> date | None:
    return date.fromisoformat(str(value)) if value else None


def _moment(value: Any) -> datetime | None:
    return datetime.fromisoformat(str(value)) if value else None


def _update_state(state: IssueState, data: dict[str, Any], *, event_type: str, seq: int) -> None:
    deadline = _date(data.get("deadline"))
    if deadline != state.deadline or event_type == "issue.reopened":
        state.deadline_version = (state.deadline_version or 0) + 1  # a new round: its steps fire anew
    state.deadline = deadline
    state.code, state.title = str(data.get("code") or ""), str(data.get("title") or "")
    state.campaign_id = str(data.get("campaign_id") or "")
    state.status = str(data.get("status") or state.status or "registered")
    state.lead_unit_id = data.get("lead_unit_id")
    state.co_unit_ids = [str(u) for u in data.get("co_unit_ids") or []]
    state.reopen_count = int(data.get("reopen_count") or 0)
    state.assigned_at, state.accepted_at = _moment(data.get("assigned_at")), _moment(data.get("accepted_at"))
    state.submitted_at = _moment(data.get("submitted_at"))
    state.last_progress_at = _moment(data.get("last_progress_at"))
    state.last_seq = seq


async def apply_issue_event(
    session: AsyncSession, *, event_type: str, event_id: str, seq: int, data: dict[str, Any], ctx: ApplyContext
) -> None:
    """Update the issue's state from the event, re-plan its timers and send the immediate notification.

    An event older than the state already applied (a replay from 0) changes nothing.
    """
    raw = data["issue"]
    state = await session.get(IssueState, str(raw["id"]))
    if state is not None and state.last_seq >= seq:
        return
    if state is None:
        state = IssueState(id=str(raw["id"]), deadline_version=0, co_unit_ids=[], needs_replan=False)
        session.add(state)
    _update_state(state, raw, event_type=event_type, seq=seq)
    await session.flush()
    policy = await policy_for(session, state.campaign_id)
    await replan(session, issue=state, policy=policy, calendar=ctx.calendar, now=ctx.now, fire_hour=ctx.fire_hour)
    if event_type in IMMEDIATE:
        await _notify(session, state=state, event_type=event_type, event_id=event_id, data=data, ctx=ctx)


async def _notify(
    session: AsyncSession, *, state: IssueState, event_type: str, event_id: str, data: dict[str, Any], ctx: ApplyContext
) -> None:
    kind, who = IMMEDIATE[event_type]
    extension = data.get("extension") or {}
    context = {
        "issue": issue_context(state),
        "reason": data.get("reason") or "",
        "content": data.get("content") or "",
        "approved": extension.get("status") == "approved",
        "new_deadline": extension.get("new_deadline") or "",
    }
    users = await directory.recipients(
        session, kinds=who, lead_unit_id=state.lead_unit_id, co_unit_ids=state.co_unit_ids
    )
    message = Outgoing(
        kind=kind,
        key=f"evt:{event_id}",
        event_type="notification.created",
        channels=IMMEDIATE_CHANNELS,
        context=context,
        issue_id=state.id,
        webhook_data={"kind": kind, "issue_id": state.id, "source_event": event_type},
    )
    await dispatch(session, message=message, users=users, now=ctx.now, calendar=ctx.calendar, quiet=ctx.quiet)


async def notify_intake(session: AsyncSession, *, event_id: str, data: dict[str, Any], ctx: ApplyContext) -> None:
    """A new public submission waits for the office's triage."""
    intake = data.get("intake") or {}
    users = await directory.recipients(session, kinds=("office",), lead_unit_id=None, co_unit_ids=())
    message = Outgoing(
        kind="intake_submitted",
        key=f"evt:{event_id}",
        event_type="notification.created",
        channels=frozenset({"inbox"}),
        context={"title": str(intake.get("title") or intake.get("id") or "")},
        webhook_data={"kind": "intake_submitted", "intake_id": intake.get("id")},
    )
    await dispatch(session, message=message, users=users, now=ctx.now, calendar=ctx.calendar, quiet=ctx.quiet)
