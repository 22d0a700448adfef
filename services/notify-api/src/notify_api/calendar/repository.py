"""Queries of the calendar tables."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.calendar.models import CalendarDay, CalendarYear
from notify_api.issues.models import IssueState


async def all_days(session: AsyncSession) -> list[CalendarDay]:
    return list((await session.execute(select(CalendarDay))).scalars())


async def official_years(session: AsyncSession) -> set[int]:
    return set((await session.execute(select(CalendarYear.year))).scalars())


async def days_of_year(session: AsyncSession, year: int) -> list[CalendarDay]:
    query = select(CalendarDay).where(CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31))
    return list((await session.execute(query.order_by(CalendarDay.day))).scalars())


async def add_official_year(
    session: AsyncSession, *, year: int, days: Mapping[date, tuple[bool, str]], source: str, at: datetime
) -> None:
    """Store a year's official exceptions, leaving admin overrides in place."""
    overridden = {d.day for d in await days_of_year(session, year) if d.source == "override"}
    await session.execute(delete(CalendarDay).where(CalendarDay.source == "official", _in_year(year)))
    session.add_all(
        CalendarDay(day=d, is_working=w, source="official", note=n) for d, (w, n) in days.items() if d not in overridden
    )
    session.add(CalendarYear(year=year, source=source, loaded_at=at))
    await session.flush()


async def replace_overrides(session: AsyncSession, *, year: int, days: Mapping[date, tuple[bool, str]]) -> None:
    await session.execute(delete(CalendarDay).where(CalendarDay.source == "override", _in_year(year)))
    await session.execute(delete(CalendarDay).where(CalendarDay.day.in_(list(days))))
    session.add_all(CalendarDay(day=d, is_working=w, source="override", note=n) for d, (w, n) in days.items())
    await session.flush()


async def year_row(session: AsyncSession, year: int) -> CalendarYear | None:
    return await session.get(CalendarYear, year)


async def mark_open_issues_for_replan(session: AsyncSession) -> None:
    await session.execute(
        update(IssueState).where(IssueState.status.not_in(["closed", "cancelled"])).values(needs_replan=True)
    )


def _in_year(year: int):  # type: ignore[no-untyped-def]
    return CalendarDay.day.between(date(year, 1, 1), date(year, 12, 31))
