"""Queries of timers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.issues.models import IssueState
from notify_api.scheduler.models import Timer


async def timers_of(session: AsyncSession, issue_id: str) -> list[Timer]:
    return list((await session.execute(select(Timer).where(Timer.issue_id == issue_id))).scalars())


async def delete_timers(session: AsyncSession, ids: list[int]) -> None:
    if ids:
        await session.execute(delete(Timer).where(Timer.id.in_(ids)))


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


async def pending_of(session: AsyncSession, issue_id: str) -> list[Timer]:
    query = select(Timer).where(Timer.issue_id == issue_id, Timer.status == "pending").order_by(Timer.due_at)
    return list((await session.execute(query)).scalars())


async def issues_by_id(session: AsyncSession, ids: set[str]) -> dict[str, IssueState]:
    if not ids:
        return {}
    rows = (await session.execute(select(IssueState).where(IssueState.id.in_(list(ids))))).scalars()
    return {r.id: r for r in rows}
