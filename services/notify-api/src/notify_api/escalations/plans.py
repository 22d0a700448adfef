"""Re-planning issues' timers: bring the pending ones in line with the issue's state, its campaign's policy,
the calendar and its unacknowledged notices."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.escalations import repository
from notify_api.escalations.models import Escalation, Timer
from notify_api.escalations.planner import IssueFacts, OpenNotice, PlannedTimer, plan, plans_nothing
from notify_api.issues.models import AnyIssue
from notify_api.issues.repository import CLOSED
from notify_api.policies.schemas import DEFAULT_POLICY, EscalationPolicy
from rectify_kit.workdays import WorkCalendar


@dataclass
class Planning:
    """The timers and open notices of issues, read at once for several re-plannings in one transaction (a page
    of the issues feed), and the timers kept up to date by them: as objects of the session, written when it
    flushes."""

    timers: dict[str, list[Timer]]
    notices: dict[str, list[Escalation]]

    @classmethod
    async def read(cls, session: AsyncSession, issue_ids: Iterable[str], *, new: Iterable[str] = ()) -> Planning:
        """The issues' timers and notices in two queries; `new` issues, stored in this transaction, have none."""
        ids = sorted(set(issue_ids))
        timers = await repository.timers_of_many(session, ids)
        notices = await repository.open_notices_of_many(session, ids)
        planning = cls({i: timers.get(i, []) for i in ids}, {i: notices.get(i, []) for i in ids})
        for issue_id in new:
            planning.timers[issue_id], planning.notices[issue_id] = [], []
        return planning


def facts_of(issue: AnyIssue) -> IssueFacts:
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


def unplanned(issue: AnyIssue, known: Planning) -> bool:
    """Re-planning the issue would change nothing, whatever its policy and the calendar: its status plans no
    timer (`planner.plans_nothing`), `known` holds its timers and none is pending (none to drop), and it is not
    flagged (a re-planning clears the flag). An unassigned item's `issue.created`, say."""
    return (
        not issue.needs_replan
        and plans_nothing(issue.status)
        and issue.id in known.timers
        and all(t.status != "pending" for t in known.timers[issue.id])
    )


async def replan(
    session: AsyncSession,
    *,
    issue: AnyIssue,
    policy: EscalationPolicy,
    calendar: WorkCalendar,
    now: datetime,
    fire_hour: int,
    known: Planning | None = None,
) -> None:
    """Re-plan one issue (see `replan_many`), with its timers and notices from `known` when it holds them."""
    await replan_many(
        session,
        issues=[issue],
        policies={issue.campaign_id: policy},
        calendar=calendar,
        now=now,
        fire_hour=fire_hour,
        known=known,
    )


async def replan_many(
    session: AsyncSession,
    *,
    issues: Sequence[AnyIssue],
    policies: Mapping[str, EscalationPolicy],
    calendar: WorkCalendar,
    now: datetime,
    fire_hour: int,
    known: Planning | None = None,
) -> None:
    """Bring the issues' pending timers in line with their state; fired and skipped ones stay as they are.

    A new deadline whose steps are already due (a backfilled ledger) keeps only its highest due step.
    Campaigns missing from `policies` use the default policy. Two queries for the whole batch, none when
    `known` holds every issue's timers and notices (see `_replan_known`).
    """
    ids = [i.id for i in issues]
    if known is not None and all(i in known.timers for i in ids):
        timers, notices = known.timers, known.notices
    else:
        known = None
        timers = await repository.timers_of_many(session, ids)
        notices = await repository.open_notices_of_many(session, ids)
    stale: list[Timer] = []
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
    if known is not None:
        await _replan_known(session, known, stale=stale, new_rows=new_rows)
        return
    await repository.delete_timers(session, [t.id for t in stale])
    await session.flush()
    await repository.insert_timers(session, new_rows)


async def _replan_known(
    session: AsyncSession, known: Planning, *, stale: list[Timer], new_rows: list[dict[str, object]]
) -> None:
    """The timers' changes as changes of the session's objects, flushed with the rest of the transaction (a
    timer planned and dropped again before that is never written), and `known` kept as the timers now stand.

    Timers written before are deleted at once: a flush writes new rows before deleted ones, and a later
    re-planning may plan a dropped timer's key again (a completion submitted, then rejected)."""
    deleted = False
    for timer in stale:
        known.timers[timer.issue_id].remove(timer)
        if inspect(timer).pending:
            session.expunge(timer)
        else:
            await session.delete(timer)
            deleted = True
    if deleted:
        await session.flush()
    for row in new_rows:
        timer = Timer(**row)
        session.add(timer)
        known.timers[timer.issue_id].append(timer)


def _apply_plan(
    issue_id: str, desired: list[PlannedTimer], timers: list[Timer], now: datetime
) -> tuple[list[dict[str, object]], list[Timer]]:
    """Move pending timers to match `desired`; returns the rows of new timers and the pending timers no longer
    wanted."""
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
    return added, [t for k, t in existing.items() if t.status == "pending" and k not in wanted]
