"""Queries of the submitters who asked to be told."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, and_, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.db import present
from notify_api.submitters.models import Submitter


async def get(session: AsyncSession, intake_id: str) -> Submitter | None:
    return await session.get(Submitter, intake_id)


async def of_issue(session: AsyncSession, issue_id: str) -> list[Submitter]:
    """Including submissions linked to the issue earlier in the transaction (not flushed yet)."""
    await session.flush()
    query = select(Submitter).where(Submitter.issue_id == issue_id).order_by(Submitter.intake_id)
    return list((await session.execute(query)).scalars())


async def followed(session: AsyncSession, issue_ids: Sequence[str]) -> set[str]:
    """Which of the issues submitters follow."""
    return await present(session, Submitter.issue_id, issue_ids)


async def forget(session: AsyncSession, intake_id: str) -> None:
    await session.execute(delete(Submitter).where(Submitter.intake_id == intake_id))


def asking_due(now: datetime) -> ColumnElement[bool]:
    """A submitter whose feedback request is due at `now` and not yet sent."""
    return and_(Submitter.feedback_due_at <= now, Submitter.feedback_asked_at.is_(None))


async def feedback_due(session: AsyncSession, *, now: datetime, limit: int) -> list[Submitter]:
    """Submitters whose feedback request is due and not yet sent; other replicas skip them on PostgreSQL."""
    query = select(Submitter).where(asking_due(now)).order_by(Submitter.feedback_due_at).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list((await session.execute(query)).scalars())
