"""Every query of the reports: rollups when they hold the answer, the facts otherwise."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    Table,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from rectify_kit.cursors import CursorState
from rectify_kit.db import fetch_rows
from report_api.figures.filters import ReportFilters
from report_api.readmodel.models import NO_PHASE, NO_UNIT, CategoryName, UnitName, feed_cursors
from report_api.readmodel.projection import OPEN_STATUSES
from report_api.readmodel.repository import (
    STATUS_ROLLUPS,
    daily_rollup,
    dissatisfied_condition,
    escalations,
    facts,
    issue_units,
    phase_names,
)
from report_api.readmodel.repository import unit_names as unit_table
from report_api.readmodel.service import ESCALATIONS_FEED, ISSUES_FEED

# What a report reads on: a request's read connection, or a session (a meeting's snapshot, in its transaction).
Reader = AsyncSession | AsyncConnection

# Each feed's head is confirmed by every long-poll answer (REPORT_FEED_WAIT_SECONDS, 5 s): one not confirmed
# for a minute means a stuck consumer or a feed out of reach, and the lag is then unknown.
HEAD_MAX_AGE_SECONDS = 60.0

MEASURES = (
    "n",
    "on_time",
    "on_time_original",
    "sat_yes",
    "sat_answered",
    "dissatisfied",
    "appeals",
    "reopen_sum",
    "wd_sum",
    "wd_n",
    "with_deadline",
)
# What the unit ranking's rows show: counts by status, on-time closures, open issues with a deadline (overdue).
RANKING_MEASURES = ("n", "on_time", "on_time_original", "with_deadline")
ACCOUNTABLE_LEVEL = 3  # the red card (通报) and above
REPEATED = 2  # returned or rejected this many times


def fact_conditions(f: ReportFilters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if f.campaign_id is not None:
        conditions.append(facts.c.campaign_id == f.campaign_id)
    if f.category_id is not None:
        conditions.append(facts.c.category_id == f.category_id)
    if f.phase_id is not None:
        conditions.append(facts.c.phase_id == f.phase_id)
    if f.source is not None:
        conditions.append(facts.c.source == f.source)
    if f.city is not None:
        conditions.append(facts.c.city == f.city)
    if f.date_from is not None:
        conditions.append(facts.c.created_on >= f.date_from)
    if f.date_to is not None:
        conditions.append(facts.c.created_on <= f.date_to)
    if f.unit_id is not None:
        conditions.append(facts.c.id.in_(select(issue_units.c.issue_id).where(issue_units.c.unit_id == f.unit_id)))
    return conditions


def status_rollup_for(f: ReportFilters, group: Sequence[str]) -> tuple[Table, tuple[str, ...]] | None:
    """The smallest status rollup keyed by every column the filters and the grouping need, if any."""
    if not f.rollup_ready:
        return None
    needed = set(group) | {key for key in ("campaign_id", "phase_id", "source") if getattr(f, key) is not None}
    for table, keys in STATUS_ROLLUPS:
        if needed <= set(keys):
            return table, keys
    return None


# The filters the rollups are keyed by: a statement of a question the rollups answer binds those it sets.
ROLLUP_FILTERS = ("campaign_id", "phase_id", "source")


def _set_filters(f: ReportFilters) -> tuple[str, ...]:
    return tuple(key for key in ROLLUP_FILTERS if getattr(f, key) is not None)


async def connection_of(reader: Reader) -> AsyncConnection:
    """The connection `reader` reads on (a session's, in its transaction)."""
    return reader if isinstance(reader, AsyncConnection) else await reader.connection()


async def _fetch(reader: Reader, statement: Select[Any], params: dict[str, Any]) -> Sequence[Sequence[Any]]:
    """The rows of a prebuilt statement: on a PostgreSQL read connection straight on asyncpg (`fetch_rows`)."""
    return await fetch_rows(await connection_of(reader), statement, params)


# The statements of the questions the rollups answer are built once per shape (table, grouping, filters set,
# measures: a few dozen at most) and kept, their values bound: building and compiling a statement per request
# cost more CPU than PostgreSQL spent answering it. Sums come back as bigint, not numeric (no Decimal per value).
@functools.cache
def _rollup_sums(
    table: Table, group: tuple[str, ...], filters: tuple[str, ...], measures: tuple[str, ...]
) -> Select[Any]:
    keys = [table.c[g] for g in group]
    sums = [cast(func.sum(table.c[m]), BigInteger).label(m) for m in measures]
    return select(*keys, *sums).where(*(table.c[k] == bindparam(k) for k in filters)).group_by(*keys)


@functools.cache
def _not_due(group: str | None, filters: tuple[str, ...]) -> Select[Any]:
    conditions = [facts.c.open_deadline >= bindparam("today"), *(facts.c[k] == bindparam(k) for k in filters)]
    if group is None:
        return select(func.count()).select_from(facts).where(*conditions)
    key = facts.c[group]
    return select(key, func.count()).where(*conditions).group_by(key)


@functools.cache
def _escalation_levels(filters: tuple[str, ...]) -> Select[Any]:
    query = select(escalations.c.level, func.count()).group_by(escalations.c.level)
    if filters:
        query = query.join(facts, facts.c.id == escalations.c.issue_id)
        query = query.where(*(facts.c[k] == bindparam(k) for k in filters))
    return query


def _fact_measures() -> list[Any]:
    def count_true(column: Any) -> Any:
        return func.coalesce(func.sum(case((column.is_(True), 1), else_=0)), 0)

    return [
        func.count().label("n"),
        count_true(facts.c.on_time).label("on_time"),
        count_true(facts.c.on_time_original).label("on_time_original"),
        count_true(facts.c.satisfaction).label("sat_yes"),
        func.count(facts.c.satisfaction).label("sat_answered"),
        count_true(dissatisfied_condition()).label("dissatisfied"),
        func.coalesce(func.sum(facts.c.appeals), 0).label("appeals"),
        func.coalesce(func.sum(facts.c.reopen_count), 0).label("reopen_sum"),
        func.coalesce(func.sum(facts.c.assign_to_close_wd), 0).label("wd_sum"),
        func.count(facts.c.assign_to_close_wd).label("wd_n"),
        func.count(facts.c.deadline).label("with_deadline"),
    ]


# Rollups key a fact without a lead unit or a phase under "" (their keys are primary keys); the facts say NULL.
_EMPTY_KEYS = {"lead_unit_id": NO_UNIT, "phase_id": NO_PHASE}


async def measures_by(
    reader: Reader,
    f: ReportFilters,
    group: Sequence[str],
    *,
    use_rollups: bool = True,
    measures: tuple[str, ...] = MEASURES,
) -> list[dict[str, Any]]:
    """Counts and closure measures grouped by `group` (always ending with status): `measures` at least (all of
    them when the facts are counted)."""
    rollup = status_rollup_for(f, group) if use_rollups else None
    if rollup is None:
        return await _fact_measures_by(reader, f, group)
    filters = _set_filters(f)
    statement = _rollup_sums(rollup[0], tuple(group), filters, measures)
    rows = await _fetch(reader, statement, {key: getattr(f, key) for key in filters})
    names = (*group, *measures)
    empty = [(key, _EMPTY_KEYS[key]) for key in group if key in _EMPTY_KEYS]
    answer = []
    for row in rows:
        values = dict(zip(names, row, strict=True))
        for key, value in empty:
            if values[key] == value:
                values[key] = None
        answer.append(values)
    return answer


async def _fact_measures_by(reader: Reader, f: ReportFilters, group: Sequence[str]) -> list[dict[str, Any]]:
    keys = [facts.c[g] for g in group]
    query = select(*keys, *_fact_measures()).where(*fact_conditions(f)).group_by(*keys)
    rows = (await reader.execute(query)).mappings().all()
    return [
        {
            k: int(v) if k in MEASURES else (None if k in _EMPTY_KEYS and v == _EMPTY_KEYS[k] else v)
            for k, v in row.items()
        }
        for row in rows
    ]


async def overdue_counts(
    reader: Reader,
    f: ReportFilters,
    today: date,
    group: str | None = None,
    *,
    use_rollups: bool = True,
    measured: Sequence[dict[str, Any]] | None = None,
) -> dict[Any, int]:
    """Open issues past their deadline, in total (key None) or by `group`.

    With the rollups: the open issues with a deadline (from `measured`, the measures of the same filters grouped
    by `group` and status, else read here) minus those not yet due (a range of an index that holds the keys),
    instead of counting every overdue fact.
    """
    if not use_rollups:
        return await _count_facts(reader, [facts.c.open_deadline < today, *fact_conditions(f)], group)
    if measured is None:
        measured = await measures_by(reader, f, [group, "status"] if group else ["status"])
    with_deadline: dict[Any, int] = {} if group else {None: 0}
    for row in measured:
        if row["status"] in OPEN_STATUSES:
            key = row[group] if group else None
            with_deadline[key] = with_deadline.get(key, 0) + row["with_deadline"]
    not_due = await _not_due_counts(reader, f, today, group)
    counts = {key: n - not_due.get(key, 0) for key, n in with_deadline.items()}
    return {k: v for k, v in counts.items() if v} if group else counts


async def _not_due_counts(reader: Reader, f: ReportFilters, today: date, group: str | None) -> dict[Any, int]:
    """Open issues not yet due, in total (key None) or by `group`."""
    if not f.rollup_ready:
        return await _count_facts(reader, [facts.c.open_deadline >= today, *fact_conditions(f)], group)
    filters = _set_filters(f)
    rows = await _fetch(reader, _not_due(group, filters), {"today": today, **{k: getattr(f, k) for k in filters}})
    if group is None:
        return {None: int(rows[0][0])}
    return {row[0]: int(row[1]) for row in rows}


async def _count_facts(reader: Reader, conditions: list[ColumnElement[bool]], group: str | None) -> dict[Any, int]:
    if group is None:
        value = await reader.scalar(select(func.count()).select_from(facts).where(*conditions))
        return {None: int(value or 0)}
    key = facts.c[group]
    rows = (await reader.execute(select(key, func.count()).where(*conditions).group_by(key))).all()
    return {row[0]: int(row[1]) for row in rows}


async def escalations_by_level(reader: Reader, f: ReportFilters) -> dict[int, int]:
    if f.rollup_ready:
        filters = _set_filters(f)
        rows = await _fetch(reader, _escalation_levels(filters), {k: getattr(f, k) for k in filters})
        return {int(level): int(n) for level, n in rows}
    query = select(escalations.c.level, func.count()).group_by(escalations.c.level)
    conditions = fact_conditions(f)
    if conditions:
        query = query.join(facts, facts.c.id == escalations.c.issue_id).where(*conditions)
    return {int(level): int(n) for level, n in (await reader.execute(query)).all()}


async def daily_counts(
    session: AsyncSession, f: ReportFilters, until: date, *, use_rollups: bool = True
) -> list[tuple[date, int, int, int]]:
    """(day, created, closed, cancelled) for every day up to `until` with any change."""
    if use_rollups and f.daily_rollup_ready:
        d = daily_rollup.c
        conditions = [d.campaign_id == f.campaign_id] if f.campaign_id is not None else []
        conditions += [d.phase_id == f.phase_id] if f.phase_id is not None else []
        query = (
            select(d.day, func.sum(d.created), func.sum(d.closed), func.sum(d.cancelled))
            .where(d.day <= until, *conditions)
            .group_by(d.day)
        )
    else:
        one, zero, conditions = literal(1), literal(0), fact_conditions(f)
        parts = [
            select(col.label("day"), a.label("cr"), b.label("cl"), c.label("ca")).where(
                col.is_not(None), col <= until, *conditions
            )
            for col, a, b, c in (
                (facts.c.created_on, one, zero, zero),
                (facts.c.closed_on, zero, one, zero),
                (facts.c.cancelled_on, zero, zero, one),
            )
        ]
        u = union_all(*parts).subquery()
        query = select(u.c.day, func.sum(u.c.cr), func.sum(u.c.cl), func.sum(u.c.ca)).group_by(u.c.day)
    rows = (await session.execute(query)).all()
    return sorted((row[0], int(row[1]), int(row[2]), int(row[3])) for row in rows)


async def light_counts(session: AsyncSession, f: ReportFilters, *, today: date, until: date) -> dict[str, int]:
    """Open issues past their deadline (red), due from today to `until` (yellow), due later (green), undated."""
    deadline = facts.c.open_deadline

    def count_if(condition: ColumnElement[bool]) -> Any:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    query = select(
        count_if(deadline < today).label("red"),
        count_if(and_(deadline >= today, deadline <= until)).label("yellow"),
        count_if(deadline > until).label("green"),
        count_if(and_(facts.c.status.in_(OPEN_STATUSES), facts.c.deadline.is_(None))).label("no_deadline"),
    ).where(*fact_conditions(f))
    row = (await session.execute(query)).mappings().one()
    return {key: int(value) for key, value in row.items()}


def _overdue_conditions(f: ReportFilters, today: date) -> list[ColumnElement[bool]]:
    return [facts.c.open_deadline < today, *fact_conditions(f)]


async def overdue_page(
    session: AsyncSession, f: ReportFilters, today: date, *, after: tuple[date, str] | None, limit: int
) -> tuple[list[dict[str, Any]], int]:
    conditions = _overdue_conditions(f, today)
    total = int(await session.scalar(select(func.count()).select_from(facts).where(*conditions)) or 0)
    query = select(facts).where(*conditions)
    if after is not None:
        query = query.where(
            or_(facts.c.open_deadline > after[0], and_(facts.c.open_deadline == after[0], facts.c.id > after[1]))
        )
    rows = (await session.execute(query.order_by(facts.c.open_deadline, facts.c.id).limit(limit))).mappings().all()
    return [dict(r) for r in rows], total


def accountable() -> ColumnElement[bool]:
    return and_(
        facts.c.status != "cancelled",
        or_(
            facts.c.max_escalation_level >= ACCOUNTABLE_LEVEL,
            facts.c.return_count >= REPEATED,
            facts.c.reject_count >= REPEATED,
        ),
    )


async def accountability_issues(
    session: AsyncSession, f: ReportFilters, *, limit: int
) -> tuple[list[dict[str, Any]], int]:
    conditions = [accountable(), *fact_conditions(f)]
    total = int(await session.scalar(select(func.count()).select_from(facts).where(*conditions)) or 0)
    order = (facts.c.max_escalation_level.desc().nulls_last(), facts.c.deadline, facts.c.id)
    rows = (await session.execute(select(facts).where(*conditions).order_by(*order).limit(limit))).mappings().all()
    return [dict(r) for r in rows], total


async def accountability_units(session: AsyncSession, f: ReportFilters) -> list[dict[str, Any]]:
    def count_if(condition: ColumnElement[bool]) -> Any:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    query = (
        select(
            facts.c.lead_unit_id,
            func.count().label("issues"),
            count_if(facts.c.max_escalation_level >= ACCOUNTABLE_LEVEL).label("red_cards"),
            count_if(facts.c.return_count >= REPEATED).label("repeated_returns"),
            count_if(facts.c.reject_count >= REPEATED).label("repeated_rejections"),
        )
        .where(accountable(), facts.c.lead_unit_id.is_not(None), *fact_conditions(f))
        .group_by(facts.c.lead_unit_id)
    )
    return [dict(r) for r in (await session.execute(query)).mappings().all()]


_UNIT_NAMES = select(unit_table.c.id, unit_table.c.code, unit_table.c.name)


async def unit_names(reader: Reader, ids: Sequence[str] | None = None) -> dict[str, tuple[str, str]]:
    """{unit id: (code, name)}."""
    if ids is None:
        return {row[0]: (row[1], row[2]) for row in await _fetch(reader, _UNIT_NAMES, {})}
    query = select(UnitName.id, UnitName.code, UnitName.name).where(UnitName.id.in_(list(ids)))
    return {row.id: (row.code, row.name) for row in (await reader.execute(query)).all()}


async def category_names(session: AsyncSession) -> dict[str, str]:
    rows = (await session.execute(select(CategoryName.id, CategoryName.name))).all()
    return {row.id: row.name for row in rows}


_p = phase_names.c
_PHASES = (
    select(_p.id, _p.code, _p.name, _p.starts_on, _p.ends_on)
    .where(_p.campaign_id == bindparam("campaign_id"))
    .order_by(_p.position, _p.id)
)


class Phase(NamedTuple):
    id: str
    code: str
    name: str
    starts_on: date | None
    ends_on: date | None


async def campaign_phases(reader: Reader, campaign_id: str) -> list[Phase]:
    """The campaign's phases in the order its definition lists them."""
    return [Phase(*row) for row in await _fetch(reader, _PHASES, {"campaign_id": campaign_id})]


@dataclass(frozen=True)
class ReadPosition:
    """Where the read model is: both feeds' positions (what it has applied), and its freshness for an answer."""

    positions: tuple[int, int]
    lag: int | None
    checked_at: datetime | None

    @property
    def fields(self) -> dict[str, Any]:
        """An answer's `as_of_seq` (the issues feed's position), `lag_events` and `checked_at` (`Freshness`)."""
        return {"as_of_seq": self.positions[0], "lag_events": self.lag, "checked_at": self.checked_at}


_c = feed_cursors.c
_POSITIONS = select(_c.name, _c.position, _c.head, _c.updated_at).where(
    or_(_c.name == ISSUES_FEED, _c.name == ESCALATIONS_FEED)
)


async def read_position(reader: Reader) -> ReadPosition:
    """Both feeds' cursors in one query: the positions applied, the events the feeds held at the check that are not
    applied yet (None when unknown) and when both feeds' heads were last confirmed (the older of the two)."""
    found = {row[0]: CursorState(int(row[1]), int(row[2]), row[3]) for row in await _fetch(reader, _POSITIONS, {})}
    issues, escalations = (found.get(name, CursorState(0, 0, None)) for name in (ISSUES_FEED, ESCALATIONS_FEED))
    lags = [state.lag(max_age_seconds=HEAD_MAX_AGE_SECONDS) for state in (issues, escalations)]
    lag = None if None in lags else sum(lag for lag in lags if lag is not None)
    checks = [state.checked_at for state in (issues, escalations)]
    checked_at = None if None in checks else min(check for check in checks if check is not None)
    return ReadPosition((issues.position, escalations.position), lag, checked_at)
