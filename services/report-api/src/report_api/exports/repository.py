"""The rows of the ledger export, streamed in the order of their sheets."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import case, select
from sqlalchemy.ext.asyncio import AsyncSession

from report_api.figures.filters import ReportFilters
from report_api.figures.repository import fact_conditions
from report_api.readmodel.projection import STATUSES
from report_api.readmodel.repository import facts

BATCH = 2000
COLUMNS = (
    facts.c.id,
    facts.c.code,
    facts.c.title,
    facts.c.cause,
    facts.c.measures,
    facts.c.lead_unit_id,
    facts.c.co_unit_ids,
    facts.c.responsible_name,
    facts.c.deadline,
    facts.c.progress_percent,
    facts.c.latest_progress,
    facts.c.status,
    facts.c.closed_at,
)


async def ledger_rows(session: AsyncSession, f: ReportFilters, *, split: str | None) -> AsyncIterator[list[Any]]:
    """Matching facts in batches, grouped by status or lead unit when split, then by creation; never all at once."""
    order: list[Any] = []
    if split == "status":
        order.append(case({s: i for i, s in enumerate(STATUSES)}, value=facts.c.status, else_=len(STATUSES)))
    elif split == "unit":
        order.append(facts.c.lead_unit_id.nulls_last())
    order += [facts.c.created_at, facts.c.id]
    query = select(*COLUMNS).where(*fact_conditions(f)).order_by(*order).execution_options(yield_per=BATCH)
    result = await session.stream(query)
    async for batch in result.partitions(BATCH):
        yield list(batch)
