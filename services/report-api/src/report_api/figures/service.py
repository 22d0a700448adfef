"""The figures of docs/architecture.md "Reports", computed from the read model."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from rectify_kit.pagination import decode_cursor, encode_cursor
from rectify_kit.workdays import last_day_within, working_days_between
from report_api.figures import repository as repo
from report_api.figures.cache import FiguresCache, answered
from report_api.figures.filters import ReportFilters
from report_api.figures.schemas import (
    Accountability,
    AccountabilityItem,
    AccountabilityReason,
    AccountabilityUnit,
    Categories,
    CategoryRow,
    Figures,
    Lights,
    OverdueItem,
    OverduePage,
    PhaseRow,
    StatusCount,
    Statuses,
    Summary,
    Trend,
    TrendPoint,
    UnitRanking,
)
from report_api.readmodel.projection import STATUSES
from report_api.readmodel.repository import calendar as working_calendar

LIST_SIZE = 3  # at most this many units on the red list and on the black list
DUE_SOON_WORKING_DAYS = 3  # yellow: due within this many working days (the SPA's traffic light says the same)
TREND_PERIODS = 12


def rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _totals(rows: Iterable[dict[str, Any]], measures: tuple[str, ...] = repo.MEASURES) -> dict[str, int]:
    sums = dict.fromkeys(measures, 0) | {"closed": 0, "cancelled": 0}
    for row in rows:
        for m in measures:
            sums[m] += row[m]
        if row["status"] in ("closed", "cancelled"):
            sums[row["status"]] += row["n"]
    return sums


def _counts(t: dict[str, int], overdue: int) -> dict[str, Any]:
    """The figures of a phase's, a unit's and a category's row (`_COUNT_FIELDS`) from `_totals`."""
    return {
        "total": t["n"],
        "open": t["n"] - t["closed"] - t["cancelled"],
        "closed": t["closed"],
        "cancelled": t["cancelled"],
        "overdue": overdue,
        "closure_rate": rate(t["closed"], t["n"] - t["cancelled"]),
        "on_time_rate": rate(t["on_time"], t["closed"]),
    }


def _figure_values(rows: Iterable[dict[str, Any]], overdue: int, escalations: dict[int, int]) -> dict[str, Any]:
    """The fields of `Figures`, as plain values (answers are validated once, as a whole)."""
    t = _totals(rows)
    return _counts(t, overdue) | {
        "on_time_rate_original": rate(t["on_time_original"], t["closed"]),
        "satisfaction_rate": rate(t["sat_yes"], t["sat_answered"]),
        "dissatisfied": t["dissatisfied"],
        "appeals": t["appeals"],
        "avg_working_days_to_close": round(t["wd_sum"] / t["wd_n"], 2) if t["wd_n"] else None,
        "reopen_count": t["reopen_sum"],
        "escalations_by_level": {str(level): escalations.get(level, 0) for level in range(5)},
    }


async def _figures_of(reader: repo.Reader, f: ReportFilters, *, today: date, use_rollups: bool) -> dict[str, Any]:
    rows = await repo.measures_by(reader, f, ["status"], use_rollups=use_rollups)
    overdue = (await repo.overdue_counts(reader, f, today, use_rollups=use_rollups, measured=rows))[None]
    return _figure_values(rows, overdue, await repo.escalations_by_level(reader, f))


async def figures(reader: repo.Reader, f: ReportFilters, *, today: date, use_rollups: bool = True) -> Figures:
    return Figures(**await _figures_of(reader, f, today=today, use_rollups=use_rollups))


async def summary(
    reader: repo.Reader,
    f: ReportFilters,
    *,
    today: date,
    with_province: bool,
    use_rollups: bool = True,
    cache: FiguresCache | None = None,
) -> Summary:
    """The headline figures; a unit user also gets the province-wide totals under `province`."""

    async def compute() -> dict[str, Any]:
        phases = None
        if f.campaign_id is None:
            mine = await _figures_of(reader, f, today=today, use_rollups=use_rollups)
        else:
            # The campaign's figures are its phases' added up (the items without one included): the breakdown's
            # measures give both, in one pair of queries.
            rows = await repo.measures_by(reader, f, ["phase_id", "status"], use_rollups=use_rollups)
            overdue = await repo.overdue_counts(reader, f, today, "phase_id", use_rollups=use_rollups, measured=rows)
            mine = _figure_values(rows, sum(overdue.values()), await repo.escalations_by_level(reader, f))
            phases = await _phase_rows(reader, f, campaign_id=f.campaign_id, measured=(rows, overdue))
        province = await _figures_of(reader, f.without_unit(), today=today, use_rollups=True) if with_province else None
        return {**mine, "province": province, "phases": phases}

    return await answered(reader, cache, ("summary", f, today, with_province), compute, Summary)


async def phase_breakdown(
    reader: repo.Reader,
    f: ReportFilters,
    *,
    campaign_id: str,
    today: date,
    use_rollups: bool = True,
) -> list[PhaseRow]:
    """The campaign's phases in order (only the chosen one under a phase filter), each with its figures, zero or
    not; then the items with no phase, or with one the campaign no longer lists, when there are any."""
    rows = await repo.measures_by(reader, f, ["phase_id", "status"], use_rollups=use_rollups)
    overdue = await repo.overdue_counts(reader, f, today, "phase_id", use_rollups=use_rollups, measured=rows)
    return [PhaseRow(**row) for row in await _phase_rows(reader, f, campaign_id=campaign_id, measured=(rows, overdue))]


async def _phase_rows(
    reader: repo.Reader,
    f: ReportFilters,
    *,
    campaign_id: str,
    measured: tuple[list[dict[str, Any]], dict[Any, int]],
) -> list[dict[str, Any]]:
    """`phase_breakdown` from the measures by phase and status under `f` and the overdue count by phase."""
    rows, overdue = measured
    grouped: dict[str | None, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(row["phase_id"], []).append(row)
    items: list[dict[str, Any]] = []
    for phase in await repo.campaign_phases(reader, campaign_id):
        if f.phase_id is not None and phase.id != f.phase_id:
            continue
        counts = _counts(_totals(grouped.pop(phase.id, [])), overdue.get(phase.id, 0))
        items.append(
            {"phase_id": phase.id, "phase_code": phase.code, "phase_name": phase.name, "starts_on": phase.starts_on,
             "ends_on": phase.ends_on, **counts}
        )  # fmt: skip
    for phase_id, phase_rows in sorted(grouped.items(), key=lambda kv: (kv[0] is None, kv[0] or "")):
        counts = _counts(_totals(phase_rows), overdue.get(phase_id, 0))
        items.append(
            {"phase_id": phase_id, "phase_code": "", "phase_name": "", "starts_on": None, "ends_on": None, **counts}
        )
    return items


async def statuses(
    session: AsyncSession, f: ReportFilters, *, use_rollups: bool = True, cache: FiguresCache | None = None
) -> Statuses:
    """How many issues are in each status (the status donut); every status is listed, zero or not."""

    async def compute() -> dict[str, Any]:
        counts = dict.fromkeys(STATUSES, 0)
        for row in await repo.measures_by(session, f, ["status"], use_rollups=use_rollups):
            counts[row["status"]] = counts.get(row["status"], 0) + row["n"]
        return {"items": [StatusCount(status=status, count=n) for status, n in counts.items()]}

    return await answered(session, cache, ("statuses", f), compute, Statuses)


async def lights(session: AsyncSession, f: ReportFilters, *, today: date) -> Lights:
    """The open issues by traffic light: red past the deadline, yellow due within 3 working days, else green.

    Yellow runs from today to the last day with at most 3 working days after today (holidays, make-up working
    days and the administrators' overrides counted), so a deadline due today is yellow, not red.
    """
    fresh = await _freshness(session)  # before the figures: see `_freshness`
    until = last_day_within(today, DUE_SOON_WORKING_DAYS, await working_calendar(session))
    counts = await repo.light_counts(session, f, today=today, until=until)
    return Lights(**counts, today=today, due_soon_until=until, **fresh)


def _sort_key(row: dict[str, Any]) -> tuple[float, float, int, str]:
    closure = row["closure_rate"] if row["closure_rate"] is not None else -1.0
    on_time = row["on_time_rate"] if row["on_time_rate"] is not None else -1.0
    return (-closure, -on_time, row["overdue"], row["unit_code"])


async def unit_ranking(
    reader: repo.Reader,
    f: ReportFilters,
    *,
    today: date,
    only_unit: str | None,
    use_rollups: bool = True,
    cache: FiguresCache | None = None,
) -> UnitRanking:
    """Lead units ranked by closure rate, then on-time rate, then fewest overdue.

    Ranks are always among all units; `only_unit` (a unit reader, or the unit filter) keeps that unit's row
    and hides the red and black lists.
    """

    async def compute() -> dict[str, Any]:
        return await _ranking(reader, f, today=today, only_unit=only_unit, use_rollups=use_rollups)

    return await answered(reader, cache, ("units", f, today, only_unit), compute, UnitRanking)


async def _ranking(
    reader: repo.Reader, f: ReportFilters, *, today: date, only_unit: str | None, use_rollups: bool
) -> dict[str, Any]:
    everyone = f.without_unit()
    measures = repo.RANKING_MEASURES
    group = ["lead_unit_id", "status"]
    rows = await repo.measures_by(reader, everyone, group, use_rollups=use_rollups, measures=measures)
    overdue = await repo.overdue_counts(reader, everyone, today, "lead_unit_id", use_rollups=use_rollups, measured=rows)
    by_unit: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        if row["lead_unit_id"]:
            by_unit.setdefault(row["lead_unit_id"], []).append(row)
    names = await repo.unit_names(reader)
    ranked: list[dict[str, Any]] = []
    for unit_id, unit_rows in by_unit.items():
        t = _totals(unit_rows, measures)
        code, name = names.get(unit_id, ("", unit_id))
        ranked.append(
            {"rank": 0, "unit_id": unit_id, "unit_code": code, "unit_name": name, **_counts(t, overdue.get(unit_id, 0)),
             "on_time_rate_original": rate(t["on_time_original"], t["closed"])}
        )  # fmt: skip
    ranked.sort(key=_sort_key)
    for position, ranked_row in enumerate(ranked, start=1):
        ranked_row["rank"] = position
    if only_unit is not None:
        return {"items": [r for r in ranked if r["unit_id"] == only_unit], "red_list": [], "black_list": []}
    rated = [r for r in ranked if r["closure_rate"] is not None]
    # Each list holds up to half of the rated units, so no unit is on both.
    size = min(LIST_SIZE, len(rated) // 2)
    red = [r["unit_id"] for r in rated[:size]]
    black = [r["unit_id"] for r in reversed(rated[len(rated) - size :])]
    return {"items": ranked, "red_list": red, "black_list": black}


def periods(granularity: str, start: date, end: date) -> list[tuple[str, date, date]]:
    """Calendar weeks (Monday first, ISO labels) or months covering start..end."""
    result: list[tuple[str, date, date]] = []
    if granularity == "week":
        first = start - timedelta(days=start.weekday())
        while first <= end:
            year, week, _ = first.isocalendar()
            result.append((f"{year}-W{week:02d}", first, first + timedelta(days=6)))
            first += timedelta(days=7)
        return result
    first = start.replace(day=1)
    while first <= end:
        following = (first + timedelta(days=32)).replace(day=1)
        result.append((first.strftime("%Y-%m"), first, following - timedelta(days=1)))
        first = following
    return result


def default_window(granularity: str, today: date) -> tuple[date, date]:
    if granularity == "week":
        return today - timedelta(weeks=TREND_PERIODS - 1), today
    start = today.replace(day=1)
    for _ in range(TREND_PERIODS - 1):
        start = (start - timedelta(days=1)).replace(day=1)
    return start, today


async def trend(
    session: AsyncSession,
    f: ReportFilters,
    *,
    granularity: str,
    today: date,
    use_rollups: bool = True,
    cache: FiguresCache | None = None,
) -> Trend:
    """New and closed per period and the open count at each period's end; `from`/`to` choose the window."""

    async def compute() -> dict[str, Any]:
        return await _trend(session, f, granularity=granularity, today=today, use_rollups=use_rollups)

    return await answered(session, cache, ("trend", f, granularity, today), compute, Trend)


async def _trend(
    session: AsyncSession, f: ReportFilters, *, granularity: str, today: date, use_rollups: bool
) -> dict[str, Any]:
    start, end = default_window(granularity, today)
    start, end = f.date_from or start, f.date_to or end
    window = periods(granularity, start, end)
    last_day = window[-1][2] if window else end
    unbounded = replace(f, date_from=None, date_to=None)
    days = await repo.daily_counts(session, unbounded, last_day, use_rollups=use_rollups)
    items: list[TrendPoint] = []
    index, open_now = 0, 0
    for label, first, last in window:
        new = closed = 0
        while index < len(days) and days[index][0] <= last:
            day, created, closed_n, cancelled = days[index]
            open_now += created - closed_n - cancelled
            if day >= first:
                new, closed = new + created, closed + closed_n
            index += 1
        items.append(
            TrendPoint(period=label, starts_on=first, ends_on=last, new=new, closed=closed, open_at_end=open_now)
        )
    return {"granularity": granularity, "items": items}


async def categories(session: AsyncSession, f: ReportFilters, *, today: date) -> Categories:
    fresh = await _freshness(session)  # before the figures: see `_freshness`
    rows = await repo.measures_by(session, f, ["category_id", "status"], use_rollups=False)
    overdue = await repo.overdue_counts(session, f, today, "category_id", measured=rows)
    names = await repo.category_names(session)
    grouped: dict[str | None, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(row["category_id"], []).append(row)
    items = []
    for category_id, category_rows in grouped.items():
        counts = _counts(_totals(category_rows), overdue.get(category_id, 0))
        name = names.get(category_id, category_id or "") if category_id else ""
        items.append(CategoryRow(category_id=category_id, category_name=name, **counts))
    items.sort(key=lambda r: (-r.total, r.category_name))
    return Categories(items=items, **fresh)


async def overdue(
    session: AsyncSession, f: ReportFilters, *, today: date, cursor: str | None, limit: int
) -> OverduePage:
    """Open issues past their deadline, longest overdue first, with days overdue in working days."""
    fresh = await _freshness(session)  # before the figures: see `_freshness`
    after = None
    if cursor is not None:
        raw = decode_cursor(cursor, length=2)
        after = (date.fromisoformat(str(raw[0])), str(raw[1]))
    rows, total = await repo.overdue_page(session, f, today, after=after, limit=limit)
    calendar = await working_calendar(session)
    names = await repo.unit_names(session, [r["lead_unit_id"] for r in rows if r["lead_unit_id"]])
    items = [
        OverdueItem(
            id=r["id"],
            code=r["code"],
            title=r["title"],
            campaign_id=r["campaign_id"],
            category_id=r["category_id"],
            lead_unit_id=r["lead_unit_id"],
            lead_unit_name=names.get(r["lead_unit_id"] or "", ("", ""))[1],
            responsible_name=r.get("responsible_name"),
            co_unit_ids=list(r["co_unit_ids"] or []),
            status=r["status"],
            deadline=r["deadline"],
            original_deadline=r["original_deadline"],
            days_overdue=working_days_between(r["deadline"], today, calendar),
            max_escalation_level=r["max_escalation_level"],
        )
        for r in rows
    ]
    next_cursor = encode_cursor([rows[-1]["deadline"].isoformat(), rows[-1]["id"]]) if len(rows) == limit else None
    return OverduePage(items=items, next_cursor=next_cursor, total=total, **fresh)


def _reasons(row: dict[str, Any]) -> list[AccountabilityReason]:
    reasons: list[AccountabilityReason] = []
    if (row["max_escalation_level"] or 0) >= repo.ACCOUNTABLE_LEVEL:
        reasons.append("red_card")
    if row["return_count"] >= repo.REPEATED:
        reasons.append("repeated_returns")
    if row["reject_count"] >= repo.REPEATED:
        reasons.append("repeated_rejections")
    return reasons


async def accountability(session: AsyncSession, f: ReportFilters, *, limit: int) -> Accountability:
    """Issues past the red-card step or returned/rejected repeatedly, and their lead units."""
    fresh = await _freshness(session)  # before the figures: see `_freshness`
    rows, total = await repo.accountability_issues(session, f, limit=limit)
    unit_rows = await repo.accountability_units(session, f)
    names = await repo.unit_names(session)
    if f.unit_id is not None:
        unit_rows = [u for u in unit_rows if u["lead_unit_id"] == f.unit_id]
    units = [
        AccountabilityUnit(
            unit_id=u["lead_unit_id"],
            unit_name=names.get(u["lead_unit_id"], ("", ""))[1],
            issues=int(u["issues"]),
            red_cards=int(u["red_cards"]),
            repeated_returns=int(u["repeated_returns"]),
            repeated_rejections=int(u["repeated_rejections"]),
        )
        for u in unit_rows
    ]
    units.sort(key=lambda u: (-u.red_cards, -u.issues, u.unit_id))
    items = [
        AccountabilityItem(
            id=r["id"],
            code=r["code"],
            title=r["title"],
            lead_unit_id=r["lead_unit_id"],
            lead_unit_name=names.get(r["lead_unit_id"] or "", ("", ""))[1],
            status=r["status"],
            deadline=r["deadline"],
            max_escalation_level=r["max_escalation_level"],
            return_count=r["return_count"],
            reject_count=r["reject_count"],
            reasons=_reasons(r),
        )
        for r in rows
    ]
    return Accountability(units=units, items=items, total=total, **fresh)


async def _freshness(session: AsyncSession) -> dict[str, Any]:
    """Every answer's `as_of_seq`, `lag_events` and `checked_at` (see `Freshness`), read before its figures: on
    PostgreSQL each statement sees what has committed when it starts, so figures read after a page landed are at
    least as new as this position, never older (read after them, it could claim a page they did not see)."""
    return (await repo.read_position(session)).fields
