"""Every query of the reports: rollups when they hold the answer, the facts otherwise."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, case, func, literal, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from rectify_kit.cursors import CursorState
from report_api.figures.filters import ReportFilters
from report_api.readmodel.models import NO_PHASE, NO_UNIT, CategoryName, PhaseName, UnitName, feed_cursors
from report_api.readmodel.projection import OPEN_STATUSES
from report_api.readmodel.repository import (
    STATUS_ROLLUPS,
    daily_rollup,
    dissatisfied_condition,
    escalations,
    facts,
    issue_units,
)
from report_api.readmodel.service import ESCALATIONS_FEED, ISSUES_FEED

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


def _rollup_conditions(f: ReportFilters, table: Table) -> list[ColumnElement[bool]]:
    return [table.c[key] == getattr(f, key) for key in ("campaign_id", "phase_id", "source") if getattr(f, key)]


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
    session: AsyncSession, f: ReportFilters, group: Sequence[str], *, use_rollups: bool = True
) -> list[dict[str, Any]]:
    """Counts and closure measures grouped by `group` (always ending with status)."""
    rollup = status_rollup_for(f, group) if use_rollups else None
    if rollup is not None:
        table = rollup[0]
        keys = [table.c[g] for g in group]
        sums = [func.sum(table.c[m]).label(m) for m in MEASURES]
        query = select(*keys, *sums).where(*_rollup_conditions(f, table)).group_by(*keys)
    else:
        keys = [facts.c[g] for g in group]
        query = select(*keys, *_fact_measures()).where(*fact_conditions(f)).group_by(*keys)
    rows = (await session.execute(query)).mappings().all()
    return [
        {
            k: int(v) if k in MEASURES else (None if k in _EMPTY_KEYS and v == _EMPTY_KEYS[k] else v)
            for k, v in row.items()
        }
        for row in rows
    ]


async def overdue_counts(
    session: AsyncSession,
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
        return await _count_facts(session, [facts.c.open_deadline < today, *fact_conditions(f)], group)
    if measured is None:
        measured = await measures_by(session, f, [group, "status"] if group else ["status"])
    with_deadline: dict[Any, int] = {} if group else {None: 0}
    for row in measured:
        if row["status"] in OPEN_STATUSES:
            key = row[group] if group else None
            with_deadline[key] = with_deadline.get(key, 0) + row["with_deadline"]
    not_due = await _count_facts(session, [facts.c.open_deadline >= today, *fact_conditions(f)], group)
    counts = {key: n - not_due.get(key, 0) for key, n in with_deadline.items()}
    return {k: v for k, v in counts.items() if v} if group else counts


async def _count_facts(
    session: AsyncSession, conditions: list[ColumnElement[bool]], group: str | None
) -> dict[Any, int]:
    if group is None:
        value = await session.scalar(select(func.count()).select_from(facts).where(*conditions))
        return {None: int(value or 0)}
    key = facts.c[group]
    rows = (await session.execute(select(key, func.count()).where(*conditions).group_by(key))).all()
    return {row[0]: int(row[1]) for row in rows}


async def escalations_by_level(session: AsyncSession, f: ReportFilters) -> dict[int, int]:
    query = select(escalations.c.level, func.count()).group_by(escalations.c.level)
    conditions = fact_conditions(f)
    if conditions:
        query = query.join(facts, facts.c.id == escalations.c.issue_id).where(*conditions)
    return {int(level): int(n) for level, n in (await session.execute(query)).all()}


async def daily_counts(
    session: AsyncSession, f: ReportFilters, until: date, *, use_rollups: bool = True
) -> list[tuple[date, int, int, int]]:
    """(day, created, closed, cancelled) for every day up to `until` with any change."""
    if use_rollups and f.daily_rollup_ready:
        d = daily_rollup.c
        conditions = [d.campaign_id == f.campaign_id] if f.campaign_id is not None else []
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


async def unit_names(session: AsyncSession, ids: Sequence[str] | None = None) -> dict[str, tuple[str, str]]:
    """{unit id: (code, name)}."""
    query = select(UnitName.id, UnitName.code, UnitName.name)
    if ids is not None:
        query = query.where(UnitName.id.in_(list(ids)))
    return {row.id: (row.code, row.name) for row in (await session.execute(query)).all()}


async def category_names(session: AsyncSession) -> dict[str, str]:
    rows = (await session.execute(select(CategoryName.id, CategoryName.name))).all()
    return {row.id: row.name for row in rows}


async def campaign_phases(session: AsyncSession, campaign_id: str) -> list[PhaseName]:
    """The campaign's phases in the order its definition lists them."""
    query = select(PhaseName).where(PhaseName.campaign_id == campaign_id).order_by(PhaseName.position, PhaseName.id)
    return list((await session.scalars(query)).all())


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


async def read_position(session: AsyncSession) -> ReadPosition:
    """Both feeds' cursors in one query: the positions applied, the events the feeds held at the check that are not
    applied yet (None when unknown) and when both feeds' heads were last confirmed (the older of the two)."""
    c = feed_cursors.c
    query = select(c.name, c.position, c.head, c.updated_at).where(c.name.in_((ISSUES_FEED, ESCALATIONS_FEED)))
    found = {
        row.name: CursorState(int(row.position), int(row.head), row.updated_at) for row in await session.execute(query)
    }
    issues, escalations = (found.get(name, CursorState(0, 0, None)) for name in (ISSUES_FEED, ESCALATIONS_FEED))
    lags = [state.lag(max_age_seconds=HEAD_MAX_AGE_SECONDS) for state in (issues, escalations)]
    lag = None if None in lags else sum(lag for lag in lags if lag is not None)
    checks = [state.checked_at for state in (issues, escalations)]
    checked_at = None if None in checks else min(check for check in checks if check is not None)
    return ReadPosition((issues.position, escalations.position), lag, checked_at)
