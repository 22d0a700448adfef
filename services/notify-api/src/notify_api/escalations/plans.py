"""Re-planning issues' timers: bring the pending ones in line with the issue's state, its campaign's policy,
the calendar and its unacknowledged notices."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.escalations import repository
from notify_api.escalations.models import Timer
from notify_api.escalations.planner import IssueFacts, OpenNotice, PlannedTimer, plan
from notify_api.issues.models import IssueState
from notify_api.issues.repository import CLOSED
from notify_api.policies.schemas import DEFAULT_POLICY, EscalationPolicy
from rectify_kit.workdays import WorkCalendar


def facts_of(issue: IssueState) -> IssueFacts:
    return IssueFacts(
        id=issue.id,
        status=issue.status,
        deadline=issue.deadline,
        deadline_version=issue.deadline_version,
        assigned_at=issue.assigned_at,
        accepted_at=issue.accepted_at,
        last_progress_at=issue.last_progress_at,
        submitted_at=issue.submitted_at,
    )


async def replan(
    session: AsyncSession,
    *,
    issue: IssueState,
    policy: EscalationPolicy,
    calendar: WorkCalendar,
    now: datetime,
    fire_hour: int,
) -> None:
    """Re-plan one issue (see `replan_many`)."""
    await replan_many(
        session, issues=[issue], policies={issue.campaign_id: policy}, calendar=calendar, now=now, fire_hour=fire_hour
    )


async def replan_many(
    session: AsyncSession,
    *,
    issues: Sequence[IssueState],
    policies: Mapping[str, EscalationPolicy],
    calendar: WorkCalendar,
    now: datetime,
    fire_hour: int,
) -> None:
    """Bring the issues' pending timers in line with their state; fired and skipped ones stay as they are.

    A new deadline whose steps are already due (a backfilled ledger) keeps only its highest due step.
    Campaigns missing from `policies` use the default policy. Two queries for the whole batch.
    """
    ids = [i.id for i in issues]
    timers = await repository.timers_of_many(session, ids)
    notices = await repository.open_notices_of_many(session, ids)
    stale: list[int] = []
    new_rows: list[dict[str, object]] = []
    for issue in issues:
        if issue.needs_replan:
            issue.needs_replan = False
        version = f"d{issue.deadline_version}"
        open_notices = [
            OpenNotice(level=e.level, fired_at=e.fired_at)
            for e in notices.get(issue.id, [])
            if e.version == version and issue.status not in CLOSED
        ]
        policy = policies.get(issue.campaign_id, DEFAULT_POLICY)
        desired = plan(facts_of(issue), policy, calendar, fire_hour=fire_hour, open_notices=open_notices)
        added, gone = _apply_plan(issue.id, desired, timers.get(issue.id, []), now)
        new_rows += added
        stale += gone
    await repository.delete_timers(session, stale)
    await session.flush()
    await repository.insert_timers(session, new_rows)


def _apply_plan(
    issue_id: str, desired: list[PlannedTimer], timers: list[Timer], now: datetime
) -> tuple[list[dict[str, object]], list[int]]:
    """Move pending timers to match `desired`; returns the rows of new timers and the ids of pending
    timers no longer wanted."""
    existing = {t.dedupe_key: t for t in timers}
    wanted: set[str] = set()
    added: list[dict[str, object]] = []
    for p in desired:
        key = p.dedupe_key(issue_id)
        wanted.add(key)
        timer = existing.get(key)
        if timer is None:
            added.append(
                {
                    "dedupe_key": key,
                    "issue_id": issue_id,
                    "step": p.step,
                    "version": p.version,
                    "level": p.level,
                    "due_at": p.due_at,
                    "status": "pending",
                    "provisional": p.provisional,
                    "recipients": list(p.recipients),
                    "channels": list(p.channels),
                }
            )
        elif timer.status == "pending" and (timer.due_at, timer.level, timer.provisional) != (
            p.due_at,
            p.level,
            p.provisional,
        ):
            timer.level, timer.due_at, timer.provisional = p.level, p.due_at, p.provisional
            timer.recipients, timer.channels = list(p.recipients), list(p.channels)
    # A new deadline already past: only the highest step it has reached fires.
    due_now = sorted(
        (p for p in desired if p.anchor == "deadline" and p.due_at <= now and p.dedupe_key(issue_id) not in existing),
        key=lambda p: (p.level, p.due_at),
    )
    skipped = {p.dedupe_key(issue_id) for p in due_now[:-1]}
    for row in added:
        if row["dedupe_key"] in skipped:
            row["status"] = "skipped"
    return added, [t.id for k, t in existing.items() if t.status == "pending" and k not in wanted]
