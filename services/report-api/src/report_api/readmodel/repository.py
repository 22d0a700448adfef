"""Every write of the read model: facts, their units, escalations, names and rollup deltas."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table, and_, case, delete, func, insert, literal, select, union_all, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from report_api.readmodel.models import (
    NO_UNIT,
    CampaignName,
    CategoryName,
    DailyRollup,
    Escalation,
    IssueFact,
    IssueUnit,
    StatusRollup,
    UnitName,
    feed_cursors,
)

facts: Table = IssueFact.__table__  # type: ignore[assignment]
issue_units: Table = IssueUnit.__table__  # type: ignore[assignment]
escalations: Table = Escalation.__table__  # type: ignore[assignment]
status_rollup: Table = StatusRollup.__table__  # type: ignore[assignment]
daily_rollup: Table = DailyRollup.__table__  # type: ignore[assignment]
unit_names: Table = UnitName.__table__  # type: ignore[assignment]
campaign_names: Table = CampaignName.__table__  # type: ignore[assignment]
category_names: Table = CategoryName.__table__  # type: ignore[assignment]
READ_MODEL_TABLES: tuple[Table, ...] = (
    facts,
    issue_units,
    escalations,
    status_rollup,
    daily_rollup,
    unit_names,
    campaign_names,
    category_names,
    feed_cursors,
)


def _insert(session: AsyncSession, table: Table) -> Any:
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


async def upsert(session: AsyncSession, table: Table, values: Mapping[str, Any], *, keys: Sequence[str]) -> None:
    """Insert the row or overwrite its non-key columns."""
    stmt = _insert(session, table).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(keys), set_={c: stmt.excluded[c] for c in values if c not in keys}
    )
    await session.execute(stmt)


async def add_to(session: AsyncSession, table: Table, key: Mapping[str, Any], delta: Mapping[str, int]) -> None:
    """Add `delta` to a rollup row, creating it; a row whose measures all reach zero is removed."""
    stmt = _insert(session, table).values(**key, **delta)
    stmt = stmt.on_conflict_do_update(index_elements=list(key), set_={c: table.c[c] + stmt.excluded[c] for c in delta})
    await session.execute(stmt)
    if any(v < 0 for v in delta.values()):
        where = and_(*(table.c[k] == v for k, v in key.items()), *(table.c[c] == 0 for c in delta))
        await session.execute(delete(table).where(where))


async def get_fact(session: AsyncSession, issue_id: str) -> dict[str, Any] | None:
    row = (await session.execute(select(facts).where(facts.c.id == issue_id))).mappings().first()
    return dict(row) if row else None


async def insert_fact(session: AsyncSession, values: Mapping[str, Any]) -> None:
    await session.execute(insert(facts).values(**values))


async def update_fact(session: AsyncSession, issue_id: str, values: Mapping[str, Any]) -> None:
    await session.execute(update(facts).where(facts.c.id == issue_id).values(**values))


async def replace_issue_units(session: AsyncSession, issue_id: str, lead: str | None, co: Sequence[str]) -> None:
    await session.execute(delete(issue_units).where(issue_units.c.issue_id == issue_id))
    rows = [{"issue_id": issue_id, "unit_id": lead, "role": "lead"}] if lead else []
    rows += [{"issue_id": issue_id, "unit_id": u, "role": "co"} for u in dict.fromkeys(co) if u != lead]
    if rows:
        await session.execute(insert(issue_units), rows)


async def max_escalation_level(session: AsyncSession, issue_id: str) -> int | None:
    value = await session.scalar(select(func.max(escalations.c.level)).where(escalations.c.issue_id == issue_id))
    return int(value) if value is not None else None


async def raise_escalation_level(session: AsyncSession, issue_id: str, level: int) -> None:
    current = facts.c.max_escalation_level
    await session.execute(
        update(facts)
        .where(facts.c.id == issue_id, (current.is_(None)) | (current < level))
        .values(max_escalation_level=level)
    )


async def clear(session: AsyncSession) -> None:
    """Empty the read model and its cursors (never the meeting snapshots)."""
    for table in READ_MODEL_TABLES:
        await session.execute(delete(table))


async def recompute_rollups(session: AsyncSession) -> None:
    """Rebuild both rollups from the facts in two statements."""
    await session.execute(delete(status_rollup))
    await session.execute(delete(daily_rollup))
    campaign = func.coalesce(facts.c.campaign_id, "")
    unit = func.coalesce(facts.c.lead_unit_id, NO_UNIT)
    source = func.coalesce(facts.c.source, "")

    def count_true(column: Any) -> Any:
        return func.coalesce(func.sum(case((column.is_(True), 1), else_=0)), 0)

    by_status = select(
        campaign,
        unit,
        source,
        facts.c.status,
        func.count(),
        count_true(facts.c.on_time),
        count_true(facts.c.on_time_original),
        count_true(facts.c.satisfaction),
        func.count(facts.c.satisfaction),
        func.coalesce(func.sum(facts.c.reopen_count), 0),
        func.coalesce(func.sum(facts.c.assign_to_close_wd), 0),
        func.count(facts.c.assign_to_close_wd),
    ).group_by(campaign, unit, source, facts.c.status)
    columns = ["campaign_id", "lead_unit_id", "source", "status", "n", "on_time", "on_time_original"]
    columns += ["sat_yes", "sat_answered", "reopen_sum", "wd_sum", "wd_n"]
    await session.execute(insert(status_rollup).from_select(columns, by_status))

    one, zero = literal(1), literal(0)
    parts = [
        select(day.label("day"), campaign.label("c"), unit.label("u"), source.label("s"), a, b, c).where(
            day.is_not(None)
        )
        for day, a, b, c in (
            (facts.c.created_on, one.label("cr"), zero.label("cl"), zero.label("ca")),
            (facts.c.closed_on, zero.label("cr"), one.label("cl"), zero.label("ca")),
            (facts.c.cancelled_on, zero.label("cr"), zero.label("cl"), one.label("ca")),
        )
    ]
    union = union_all(*parts).subquery()
    by_day = select(
        union.c.day, union.c.c, union.c.u, union.c.s, func.sum(union.c.cr), func.sum(union.c.cl), func.sum(union.c.ca)
    ).group_by(union.c.day, union.c.c, union.c.u, union.c.s)
    await session.execute(
        insert(daily_rollup).from_select(
            ["day", "campaign_id", "lead_unit_id", "source", "created", "closed", "cancelled"], by_day
        )
    )
