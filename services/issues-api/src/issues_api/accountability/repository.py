"""Queries of accountability records."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.accountability.models import AccountabilityRecord
from issues_api.directory.models import Unit
from issues_api.ledger.models import Issue


@dataclass(frozen=True)
class RecordFilters:
    unit_id: str | None = None
    campaign_id: str | None = None


async def issues_by_id(session: AsyncSession, ids: Sequence[str]) -> dict[str, Issue]:
    return {i.id: i for i in (await session.execute(select(Issue).where(Issue.id.in_(ids)))).scalars()}


def _where(filters: RecordFilters) -> list[Any]:
    found: list[Any] = []
    if filters.unit_id:
        found.append(AccountabilityRecord.unit_id == filters.unit_id)
    if filters.campaign_id:
        found.append(AccountabilityRecord.campaign_id == filters.campaign_id)
    return found


async def page(
    session: AsyncSession, *, filters: RecordFilters, after: tuple[date, datetime, str] | None, limit: int
) -> tuple[list[AccountabilityRecord], int]:
    """Newest decision first; `after` is the last row seen (decided_on, created_at, id)."""
    query = select(AccountabilityRecord).where(*_where(filters))
    if after is not None:
        day, at, last = after
        query = query.where(
            or_(
                AccountabilityRecord.decided_on < day,
                (AccountabilityRecord.decided_on == day) & (AccountabilityRecord.created_at < at),
                (AccountabilityRecord.decided_on == day)
                & (AccountabilityRecord.created_at == at)
                & (AccountabilityRecord.id < last),
            )
        )
    order = (
        AccountabilityRecord.decided_on.desc(),
        AccountabilityRecord.created_at.desc(),
        AccountabilityRecord.id.desc(),
    )
    rows = list((await session.execute(query.order_by(*order).limit(limit))).scalars())
    total = await session.execute(select(func.count()).select_from(AccountabilityRecord).where(*_where(filters)))
    return rows, int(total.scalar_one())


async def names(
    session: AsyncSession, records: Sequence[AccountabilityRecord]
) -> tuple[dict[str, str], dict[str, str]]:
    """The units' names and the issues' codes the records mention."""
    unit_ids = {r.unit_id for r in records}
    issue_ids = {i for r in records for i in r.issue_ids}
    units = {row.id: row.name for row in await session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(unit_ids)))}
    query = select(Issue.id, Issue.code).where(Issue.id.in_(issue_ids))
    codes = {row.id: row.code for row in await session.execute(query)}
    return units, codes
