"""Queries of timers."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.issues.models import IssueState
from notify_api.scheduler.models import Timer


async def timers_of_many(session: AsyncSession, issue_ids: list[str]) -> dict[str, list[Timer]]:
    found: dict[str, list[Timer]] = defaultdict(list)
    for chunk in _chunks(issue_ids):
        for timer in (await session.execute(select(Timer).where(Timer.issue_id.in_(chunk)))).scalars():
            found[timer.issue_id].append(timer)
    return found


def _chunks(ids: list[str], size: int = 500) -> list[list[str]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


async def delete_timers(session: AsyncSession, ids: list[int]) -> None:
    for i in range(0, len(ids), 500):
        await session.execute(delete(Timer).where(Timer.id.in_(ids[i : i + 500])))


async def insert_timers(session: AsyncSession, rows: list[dict[str, object]]) -> None:
    """New timers in bulk (plain INSERTs: planning 100,000 issues must not build 700,000 ORM objects)."""
    for i in range(0, len(rows), 1000):
        await session.execute(insert(Timer), rows[i : i + 1000])


async def claim_due(session: AsyncSession, *, now: datetime, limit: int) -> list[Timer]:
    """Due pending timers, locked for this transaction; on PostgreSQL other replicas skip them."""
    query = select(Timer).where(Timer.status == "pending", Timer.due_at <= now).order_by(Timer.due_at).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list((await session.execute(query)).scalars())


async def issues_to_replan(session: AsyncSession, *, limit: int) -> list[IssueState]:
    query = select(IssueState).where(IssueState.needs_replan.is_(True)).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list((await session.execute(query)).scalars())


async def issues_by_id(session: AsyncSession, ids: set[str]) -> dict[str, IssueState]:
    found: dict[str, IssueState] = {}
    for chunk in _chunks(sorted(ids)):
        for row in (await session.execute(select(IssueState).where(IssueState.id.in_(chunk)))).scalars():
            found[row.id] = row
    return found
