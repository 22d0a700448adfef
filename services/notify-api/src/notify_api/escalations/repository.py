"""Queries of escalations and notice numbers."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, delete, func, not_, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.db import insert_rows, present
from notify_api.escalations.models import Escalation, NoticeSequence, Timer
from notify_api.policies.schemas import NUMBERED_LEVELS

CHUNK = 500


async def existing_keys(session: AsyncSession, dedupe_keys: list[str]) -> set[str]:
    return await present(session, Escalation.dedupe_key, dedupe_keys)


async def get(session: AsyncSession, escalation_id: str, *, lock: bool = False) -> Escalation | None:
    query = select(Escalation).where(Escalation.id == escalation_id)
    if lock and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def open_notices_of_many(session: AsyncSession, issue_ids: list[str]) -> dict[str, list[Escalation]]:
    """Unacknowledged numbered notices (levels 2 and 3) of the issues, by issue."""
    found: dict[str, list[Escalation]] = defaultdict(list)
    for i in range(0, len(issue_ids), CHUNK):
        query = select(Escalation).where(
            Escalation.issue_id.in_(issue_ids[i : i + CHUNK]),
            Escalation.level.in_([2, 3]),
            Escalation.acknowledged_at.is_(None),
        )
        for escalation in (await session.execute(query)).scalars():
            found[escalation.issue_id].append(escalation)
    return found


async def next_notice_number(session: AsyncSession, year: int) -> int:
    """Take the next number of the year; the row lock (or SQLite's write lock) serialises writers."""
    dialect_insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    await session.execute(dialect_insert(NoticeSequence).values(year=year, last=0).on_conflict_do_nothing())
    result = await session.execute(
        update(NoticeSequence)
        .where(NoticeSequence.year == year)
        .values(last=NoticeSequence.last + 1)
        .returning(NoticeSequence.last)
    )
    return int(result.scalar_one())


@dataclass(frozen=True)
class EscalationFilters:
    issue_id: str | None = None
    unit_id: str | None = None
    level: int | None = None
    # True: numbered notices (督办, 通报) still to be acknowledged; False: everything else.
    awaiting_acknowledgement: bool | None = None


async def page(
    session: AsyncSession, *, filters: EscalationFilters, after: tuple[datetime, str] | None, limit: int
) -> list[Escalation]:
    query = select(Escalation).where(*_filters(filters))
    if after is not None:
        query = query.where(
            or_(Escalation.fired_at < after[0], (Escalation.fired_at == after[0]) & (Escalation.id < after[1]))
        )
    query = query.order_by(Escalation.fired_at.desc(), Escalation.id.desc()).limit(limit)
    return list((await session.execute(query)).scalars())


def _filters(filters: EscalationFilters) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if filters.issue_id:
        found.append(Escalation.issue_id == filters.issue_id)
    if filters.unit_id:
        found.append(Escalation.unit_id == filters.unit_id)
    if filters.level is not None:
        found.append(Escalation.level == filters.level)
    if filters.awaiting_acknowledgement is not None:
        awaiting = and_(Escalation.level.in_(sorted(NUMBERED_LEVELS)), Escalation.acknowledged_at.is_(None))
        found.append(awaiting if filters.awaiting_acknowledgement else not_(awaiting))
    return found


async def count(session: AsyncSession, *, filters: EscalationFilters) -> int:
    query = select(func.count()).select_from(Escalation).where(*_filters(filters))
    return int((await session.execute(query)).scalar_one())


async def timers_of_many(session: AsyncSession, issue_ids: list[str]) -> dict[str, list[Timer]]:
    found: dict[str, list[Timer]] = defaultdict(list)
    for i in range(0, len(issue_ids), CHUNK):
        query = select(Timer).where(Timer.issue_id.in_(issue_ids[i : i + CHUNK]))
        for timer in (await session.execute(query)).scalars():
            found[timer.issue_id].append(timer)
    return found


async def delete_timers(session: AsyncSession, ids: list[int]) -> None:
    for i in range(0, len(ids), CHUNK):
        await session.execute(delete(Timer).where(Timer.id.in_(ids[i : i + CHUNK])))


async def insert_timers(session: AsyncSession, rows: list[dict[str, object]]) -> None:
    """New timers in bulk (planning 100,000 issues must not build 700,000 ORM objects)."""
    await insert_rows(session, Timer, rows)


def due(now: datetime) -> ColumnElement[bool]:
    """A pending timer due at `now`."""
    return and_(Timer.status == "pending", Timer.due_at <= now)


async def claim_due_timers(session: AsyncSession, *, now: datetime, limit: int) -> list[Timer]:
    """Due pending timers, locked for this transaction; on PostgreSQL other replicas skip them."""
    query = select(Timer).where(due(now)).order_by(Timer.due_at).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list((await session.execute(query)).scalars())


async def pending_timers(session: AsyncSession, issue_id: str) -> list[Timer]:
    query = select(Timer).where(Timer.issue_id == issue_id, Timer.status == "pending").order_by(Timer.due_at, Timer.id)
    return list((await session.execute(query)).scalars())
