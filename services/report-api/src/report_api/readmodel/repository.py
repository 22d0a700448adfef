"""Every write of the read model: facts, their units, escalations, names and rollup deltas."""

from __future__ import annotations

import functools
from collections.abc import Collection, Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    String,
    Table,
    any_,
    bindparam,
    case,
    delete,
    func,
    insert,
    literal,
    select,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from rectify_kit.workdays import WorkCalendar, at_hour, official_calendar
from report_api.readmodel.models import (
    NO_PHASE,
    NO_UNIT,
    NOT_SATISFIED_UP_TO,
    Account,
    AccountabilityRecord,
    CalendarOverride,
    CampaignName,
    CategoryName,
    ClientAccount,
    DailyRollup,
    Escalation,
    IssueFact,
    IssueUnit,
    LeadUnitRollup,
    PhaseName,
    PhaseRollup,
    StatusRollup,
    UnitName,
    UnitRollup,
    feed_cursors,
)

facts: Table = IssueFact.__table__  # type: ignore[assignment]
issue_units: Table = IssueUnit.__table__  # type: ignore[assignment]
escalations: Table = Escalation.__table__  # type: ignore[assignment]
status_rollup: Table = StatusRollup.__table__  # type: ignore[assignment]
phase_rollup: Table = PhaseRollup.__table__  # type: ignore[assignment]
unit_rollup: Table = UnitRollup.__table__  # type: ignore[assignment]
lead_unit_rollup: Table = LeadUnitRollup.__table__  # type: ignore[assignment]
daily_rollup: Table = DailyRollup.__table__  # type: ignore[assignment]
unit_names: Table = UnitName.__table__  # type: ignore[assignment]
campaign_names: Table = CampaignName.__table__  # type: ignore[assignment]
category_names: Table = CategoryName.__table__  # type: ignore[assignment]
phase_names: Table = PhaseName.__table__  # type: ignore[assignment]
accounts: Table = Account.__table__  # type: ignore[assignment]
client_accounts: Table = ClientAccount.__table__  # type: ignore[assignment]
calendar_overrides: Table = CalendarOverride.__table__  # type: ignore[assignment]
accountability_records: Table = AccountabilityRecord.__table__  # type: ignore[assignment]
READ_MODEL_TABLES: tuple[Table, ...] = (
    facts,
    issue_units,
    escalations,
    status_rollup,
    phase_rollup,
    unit_rollup,
    lead_unit_rollup,
    daily_rollup,
    unit_names,
    campaign_names,
    category_names,
    phase_names,
    accounts,
    client_accounts,
    calendar_overrides,
    accountability_records,
    feed_cursors,
)


def dialect_name(session: AsyncSession) -> str:
    return session.get_bind().dialect.name


@functools.cache
def _upsert_statement(dialect: str, table: Table, keys: tuple[str, ...], columns: tuple[str, ...], add: bool) -> Any:
    """`INSERT ... ON CONFLICT (keys) DO UPDATE` of `columns`: each set to the new row's value, or (`add`) the old
    value plus the new. Built once per shape (building one costs more than executing it with a page's rows)."""
    stmt = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    excluded = stmt.excluded
    set_ = {c: (table.c[c] + excluded[c]) if add else excluded[c] for c in columns if c not in keys}
    return stmt.on_conflict_do_update(index_elements=list(keys), set_=set_)


STATUS_KEYS = ("campaign_id", "lead_unit_id", "source", "status")
# Every rollup of the status measures with its keys, smallest first (the queries take the first that holds the
# answer): the headline and per-phase figures, the unit ranking of everything, the unit ranking of a campaign or a
# phase, the figures under a source filter.
STATUS_ROLLUPS: tuple[tuple[Table, tuple[str, ...]], ...] = (
    (phase_rollup, ("campaign_id", "phase_id", "status")),
    (lead_unit_rollup, ("lead_unit_id", "status")),
    (unit_rollup, ("campaign_id", "phase_id", "lead_unit_id", "status")),
    (status_rollup, STATUS_KEYS),
)
DAILY_KEYS = ("day", "campaign_id", "phase_id")
ROLLUP_TABLES: tuple[Table, ...] = (*(table for table, _keys in STATUS_ROLLUPS), daily_rollup)
ROLLUP_KEYS: dict[str, tuple[str, ...]] = {
    **{table.name: keys for table, keys in STATUS_ROLLUPS},
    daily_rollup.name: DAILY_KEYS,
}
# Every key a status rollup may be keyed by (projection.Contribution.keys).
STATUS_KEYS_ALL = ("campaign_id", "phase_id", "lead_unit_id", "source", "status")
CHUNK = 500  # ids per IN (...) list


def dissatisfied_condition() -> Any:
    """Facts rated not satisfied: satisfaction false, or a rating of 1-2 (projection.is_dissatisfied)."""
    return (facts.c.satisfaction.is_(False)) | (facts.c.rating <= NOT_SATISFIED_UP_TO)


def _chunks(values: Sequence[Any]) -> list[Sequence[Any]]:
    return [values[i : i + CHUNK] for i in range(0, len(values), CHUNK)]


async def upsert(session: AsyncSession, table: Table, values: Mapping[str, Any], *, keys: Sequence[str]) -> None:
    """Insert the row or overwrite its non-key columns."""
    await upsert_many(session, table, [values], keys=keys)


async def upsert_many(
    session: AsyncSession, table: Table, rows: Sequence[Mapping[str, Any]], *, keys: Sequence[str]
) -> None:
    stmt = _upsert_statement(dialect_name(session), table, tuple(keys), tuple(rows[0]), False)
    await session.execute(stmt, list(rows))


async def add_to_rollup(
    session: AsyncSession, table: Table, rows: Sequence[Mapping[str, Any]], *, keys: Sequence[str]
) -> None:
    """Add each row's measures to the rollup row of its key, creating it; rows that reach zero are removed."""
    if not rows:
        return
    columns = tuple(rows[0])
    await session.execute(_upsert_statement(dialect_name(session), table, tuple(keys), columns, True), list(rows))
    # Only a row some measure of which went down can have reached zero: those are looked up by their key.
    shrunk = [{k: row[k] for k in keys} for row in rows if any(row[c] < 0 for c in columns if c not in keys)]
    if shrunk:
        await session.execute(_delete_emptied_statement(table, tuple(keys), columns), shrunk)


@functools.cache
def _delete_emptied_statement(table: Table, keys: tuple[str, ...], columns: tuple[str, ...]) -> Any:
    """The rollup row of the key given, if every measure of it is zero."""
    return delete(table).where(
        *(table.c[k] == bindparam(k) for k in keys), *(table.c[c] == 0 for c in columns if c not in keys)
    )


# On PostgreSQL a page's ids go as one array parameter (`= ANY(:ids)`): one statement text whatever the page's size,
# prepared once, instead of an `IN` list of as many parameters, rendered and prepared anew for each size.
IDS = bindparam("ids", type_=postgresql.ARRAY(String()))
_FACTS_BY_IDS = select(facts).where(facts.c.id == any_(IDS))
_LEVELS_BY_IDS = (
    select(escalations.c.issue_id, func.max(escalations.c.level))
    .where(escalations.c.issue_id == any_(IDS))
    .group_by(escalations.c.issue_id)
)
_DELETE_UNITS_BY_IDS = delete(issue_units).where(issue_units.c.issue_id == any_(IDS))


async def get_facts(session: AsyncSession, issue_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    if dialect_name(session) == "postgresql":
        rows = (await session.execute(_FACTS_BY_IDS, {"ids": list(issue_ids)})).mappings().all()
        return {row["id"]: dict(row) for row in rows}
    found: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(issue_ids):
        rows = (await session.execute(select(facts).where(facts.c.id.in_(chunk)))).mappings().all()
        found.update({row["id"]: dict(row) for row in rows})
    return found


FACT_COLUMNS = tuple(facts.c.keys())


async def replace_facts(session: AsyncSession, rows: Sequence[Mapping[str, Any]]) -> None:
    """Each row (every column of the fact) replaces the fact of its id, or is inserted: one statement."""
    await session.execute(_upsert_statement(dialect_name(session), facts, ("id",), FACT_COLUMNS, False), list(rows))


async def replace_issue_units(
    session: AsyncSession, fact_rows: Sequence[Mapping[str, Any]], *, known: Collection[str] | None = None
) -> None:
    """Each fact's lead and co-units replace the units it had; `known`: the facts that may have units (the others
    are new to the read model), all of them if not given."""
    if not fact_rows:
        return
    ids = [row["id"] for row in fact_rows if known is None or row["id"] in known]
    if not ids:
        pass
    elif dialect_name(session) == "postgresql":
        await session.execute(_DELETE_UNITS_BY_IDS, {"ids": ids})
    else:
        for chunk in _chunks(ids):
            await session.execute(delete(issue_units).where(issue_units.c.issue_id.in_(chunk)))
    rows: list[dict[str, str]] = []
    for fact in fact_rows:
        lead = fact["lead_unit_id"]
        if lead:
            rows.append({"issue_id": fact["id"], "unit_id": lead, "role": "lead"})
        rows += [
            {"issue_id": fact["id"], "unit_id": u, "role": "co"}
            for u in dict.fromkeys(fact["co_unit_ids"])
            if u != lead
        ]
    if rows:
        await session.execute(insert(issue_units), rows)


async def replace_phases(session: AsyncSession, campaign_id: str, rows: Sequence[Mapping[str, Any]]) -> None:
    """The campaign's phases become `rows`: a phase the campaign no longer lists is forgotten."""
    await session.execute(delete(phase_names).where(phase_names.c.campaign_id == campaign_id))
    if rows:
        await session.execute(insert(phase_names), list(rows))


async def max_escalation_levels(session: AsyncSession, issue_ids: Sequence[str]) -> dict[str, int]:
    if dialect_name(session) == "postgresql":
        found = (await session.execute(_LEVELS_BY_IDS, {"ids": list(issue_ids)})).all()
        return {row[0]: int(row[1]) for row in found}
    levels: dict[str, int] = {}
    for chunk in _chunks(issue_ids):
        query = (
            select(escalations.c.issue_id, func.max(escalations.c.level))
            .where(escalations.c.issue_id.in_(chunk))
            .group_by(escalations.c.issue_id)
        )
        levels.update({row[0]: int(row[1]) for row in (await session.execute(query)).all()})
    return levels


async def raise_escalation_levels(session: AsyncSession, highest: Mapping[str, int]) -> None:
    current = facts.c.max_escalation_level
    stmt = (
        update(facts)
        .where(facts.c.id == bindparam("issue"), current.is_(None) | (current < bindparam("level")))
        .values(max_escalation_level=bindparam("level"))
    )
    await session.execute(stmt, [{"issue": i, "level": level} for i, level in highest.items()])


async def calendar(session: AsyncSession) -> WorkCalendar:
    """The working-day calendar in force: the official schedule with the overrides notify-api published."""
    rows = (await session.execute(select(calendar_overrides))).all()
    return official_calendar({row.day: row.is_working for row in rows})


async def replace_calendar_year(session: AsyncSession, *, year: int, days: Mapping[date, bool]) -> None:
    await session.execute(
        delete(calendar_overrides).where(calendar_overrides.c.day.between(date(year, 1, 1), date(year, 12, 31)))
    )
    if days:
        await session.execute(
            insert(calendar_overrides), [{"day": day, "is_working": working} for day, working in days.items()]
        )


async def closed_facts_spanning(session: AsyncSession, year: int) -> list[dict[str, Any]]:
    """Closed facts whose assignment-to-closure span reaches into `year` (their working days may change)."""
    query = select(facts).where(
        facts.c.closed_on >= date(year, 1, 1),
        facts.c.assigned_at < at_hour(date(year + 1, 1, 1), 0),
    )
    return [dict(row) for row in (await session.execute(query)).mappings().all()]


async def clear(session: AsyncSession) -> None:
    """Empty the read model and its cursors (never the meeting snapshots)."""
    for table in READ_MODEL_TABLES:
        await session.execute(delete(table))


async def recompute_rollups(session: AsyncSession) -> None:
    """Rebuild every rollup from the facts, a statement each."""
    for table, _keys in STATUS_ROLLUPS:
        await session.execute(delete(table))
    await session.execute(delete(daily_rollup))
    campaign = func.coalesce(facts.c.campaign_id, "")
    key_columns = {
        "campaign_id": campaign,
        "phase_id": func.coalesce(facts.c.phase_id, NO_PHASE),
        "lead_unit_id": func.coalesce(facts.c.lead_unit_id, NO_UNIT),
        "source": func.coalesce(facts.c.source, ""),
        "status": facts.c.status,
    }

    def count_true(column: Any) -> Any:
        return func.coalesce(func.sum(case((column.is_(True), 1), else_=0)), 0)

    sums = [
        func.count(),
        count_true(facts.c.on_time),
        count_true(facts.c.on_time_original),
        count_true(facts.c.satisfaction),
        func.count(facts.c.satisfaction),
        count_true(dissatisfied_condition()),
        func.coalesce(func.sum(facts.c.appeals), 0),
        func.coalesce(func.sum(facts.c.reopen_count), 0),
        func.coalesce(func.sum(facts.c.assign_to_close_wd), 0),
        func.count(facts.c.assign_to_close_wd),
        func.count(facts.c.deadline),
    ]
    measures = ["n", "on_time", "on_time_original", "sat_yes", "sat_answered", "dissatisfied", "appeals"]
    measures += ["reopen_sum", "wd_sum", "wd_n", "with_deadline"]
    for table, keys in STATUS_ROLLUPS:
        grouped = [key_columns[k] for k in keys]
        by_keys = select(*grouped, *sums).group_by(*grouped)
        await session.execute(insert(table).from_select([*keys, *measures], by_keys))

    one, zero = literal(1), literal(0)
    phase = key_columns["phase_id"]
    parts = [
        select(day.label("day"), campaign.label("c"), phase.label("p"), a, b, c).where(day.is_not(None))
        for day, a, b, c in (
            (facts.c.created_on, one.label("cr"), zero.label("cl"), zero.label("ca")),
            (facts.c.closed_on, zero.label("cr"), one.label("cl"), zero.label("ca")),
            (facts.c.cancelled_on, zero.label("cr"), zero.label("cl"), one.label("ca")),
        )
    ]
    union = union_all(*parts).subquery()
    sums_by_day = (func.sum(union.c.cr), func.sum(union.c.cl), func.sum(union.c.ca))
    by_day = select(union.c.day, union.c.c, union.c.p, *sums_by_day).group_by(union.c.day, union.c.c, union.c.p)
    await session.execute(
        insert(daily_rollup).from_select(["day", "campaign_id", "phase_id", "created", "closed", "cancelled"], by_day)
    )
