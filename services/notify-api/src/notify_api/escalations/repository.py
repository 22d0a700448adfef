"""Queries of escalations and notice numbers."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.escalations.models import Escalation, NoticeSequence


async def existing_keys(session: AsyncSession, dedupe_keys: list[str]) -> set[str]:
    if not dedupe_keys:
        return set()
    query = select(Escalation.dedupe_key).where(Escalation.dedupe_key.in_(dedupe_keys))
    return set((await session.execute(query)).scalars())


async def get(session: AsyncSession, escalation_id: str, *, lock: bool = False) -> Escalation | None:
    query = select(Escalation).where(Escalation.id == escalation_id)
    if lock and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def open_notices_of_many(session: AsyncSession, issue_ids: list[str]) -> dict[str, list[Escalation]]:
    """Unacknowledged numbered notices (levels 2 and 3) of the issues, by issue."""
    found: dict[str, list[Escalation]] = defaultdict(list)
    for i in range(0, len(issue_ids), 500):
        query = select(Escalation).where(
            Escalation.issue_id.in_(issue_ids[i : i + 500]),
            Escalation.level.in_([2, 3]),
            Escalation.acknowledged_at.is_(None),
        )
        for escalation in (await session.execute(query)).scalars():
            found[escalation.issue_id].append(escalation)
    return found


async def next_notice_number(session: AsyncSession, year: int) -> int:
    """Take the next number of the year; the row lock (or SQLite's write lock) serialises writers."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    await session.execute(insert(NoticeSequence).values(year=year, last=0).on_conflict_do_nothing())
    result = await session.execute(
        update(NoticeSequence)
        .where(NoticeSequence.year == year)
        .values(last=NoticeSequence.last + 1)
        .returning(NoticeSequence.last)
    )
    return int(result.scalar_one())


async def page(
    session: AsyncSession,
    *,
    issue_id: str | None,
    unit_id: str | None,
    level: int | None,
    after: tuple[datetime, str] | None,
    limit: int,
) -> list[Escalation]:
    query = select(Escalation).where(*_filters(issue_id, unit_id, level))
    if after is not None:
        query = query.where(
            or_(Escalation.fired_at < after[0], (Escalation.fired_at == after[0]) & (Escalation.id < after[1]))
        )
    query = query.order_by(Escalation.fired_at.desc(), Escalation.id.desc()).limit(limit)
    return list((await session.execute(query)).scalars())


def _filters(issue_id: str | None, unit_id: str | None, level: int | None) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if issue_id:
        found.append(Escalation.issue_id == issue_id)
    if unit_id:
        found.append(Escalation.unit_id == unit_id)
    if level is not None:
        found.append(Escalation.level == level)
    return found


async def count(session: AsyncSession, *, issue_id: str | None, unit_id: str | None, level: int | None) -> int:
    query = select(func.count()).select_from(Escalation).where(*_filters(issue_id, unit_id, level))
    return int((await session.execute(query)).scalar_one())
