"""Re-planning an issue's timers and firing the due ones."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.calendar.workdays import WorkCalendar
from notify_api.directory import service as directory
from notify_api.escalations import repository as escalation_repository
from notify_api.escalations import service as escalations
from notify_api.escalations.models import events
from notify_api.issues.models import IssueState
from notify_api.notifications.service import Outgoing, QuietHours, dispatch
from notify_api.policies.schemas import DEFAULT_POLICY, LEVEL_NAMES, NUMBERED_LEVELS, EscalationPolicy
from notify_api.scheduler import repository
from notify_api.scheduler.models import Timer
from notify_api.scheduler.planner import IssueFacts, OpenNotice, PlannedTimer, plan
from notify_api.staging import write_staged
from rectify_kit.clock import BUSINESS_TZ
from rectify_kit.outbox import NewEvent, append_events

CLOSED = frozenset({"closed", "cancelled"})


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
    notices = await escalation_repository.open_notices_of_many(session, ids)
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


def working_days_between(start: date, end: date, calendar: WorkCalendar) -> int:
    """Working days after `start` up to and including `end` (0 when `end` is not later)."""
    count, day = 0, start
    while day < end and count < 1000:
        day += timedelta(days=1)
        count += calendar.is_working(day)
    return count


async def fire_due(
    session: AsyncSession, *, now: datetime, limit: int, calendar: WorkCalendar, quiet: QuietHours
) -> int:
    """Fire up to `limit` due timers in this transaction; returns how many timers it took."""
    claimed = await repository.claim_due(session, now=now, limit=limit)
    issues = await repository.issues_by_id(session, {t.issue_id for t in claimed})
    done = await escalation_repository.existing_keys(session, [t.dedupe_key for t in claimed])
    fired: list[NewEvent] = []
    for timer in claimed:
        timer.status, timer.fired_at = "fired", now
        issue = issues.get(timer.issue_id)
        if issue is None or issue.status in CLOSED:
            timer.status = "skipped"
            continue
        if timer.dedupe_key in done:
            continue
        escalation = await escalations.fire(session, timer=timer, issue=issue, now=now)
        fired.append(escalations.fired_event(escalation))
        users = await directory.recipients(
            session, kinds=timer.recipients, lead_unit_id=issue.lead_unit_id, co_unit_ids=issue.co_unit_ids
        )
        zh, en = LEVEL_NAMES[timer.level]
        today = now.astimezone(BUSINESS_TZ).date()
        context = {
            "issue": issue_context(issue),
            "level_name": zh,
            "level_name_en": en,
            "number": escalation.number,
            "overdue_days": working_days_between(issue.deadline, today, calendar) if issue.deadline else 0,
        }
        message = Outgoing(
            kind="escalation",
            key=timer.dedupe_key,
            event_type="escalation.fired",
            channels=frozenset(timer.channels),
            context=context,
            level=timer.level,
            issue_id=issue.id,
            escalation_id=escalation.id,
            webhook_data={"escalation": escalations.as_data(escalation)},
        )
        await dispatch(session, message=message, users=users, now=now, calendar=calendar, quiet=quiet, fresh=True)
        if timer.level in NUMBERED_LEVELS:
            issue.needs_replan = True  # an unacknowledged notice brings the next level forward
    await session.flush()
    await write_staged(session)
    await append_events(session, events, fired)
    return len(claimed)


def issue_context(issue: IssueState) -> dict[str, object]:
    return {
        "id": issue.id,
        "code": issue.code,
        "title": issue.title,
        "deadline": issue.deadline.isoformat() if issue.deadline else None,
    }
