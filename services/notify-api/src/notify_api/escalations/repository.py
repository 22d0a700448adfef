"""Queries of escalations and notice numbers."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, not_, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.escalations.models import Escalation, NoticeSequence
from notify_api.issues.models import IssueState
from notify_api.policies.schemas import NUMBERED_LEVELS


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


async def issue_labels(session: AsyncSession, issue_ids: set[str]) -> dict[str, tuple[str, str]]:
    """The code and title of each issue, for lists that show escalations next to what they are about."""
    if not issue_ids:
        return {}
    query = select(IssueState.id, IssueState.code, IssueState.title).where(IssueState.id.in_(sorted(issue_ids)))
    return {row.id: (row.code, row.title) for row in await session.execute(query)}
