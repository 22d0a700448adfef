"""Queries of the calendar tables: the admins' overrides and the years whose schedule is known."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from sqlalchemy import Boolean, ColumnElement, Date, Integer, delete, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.calendar.models import CalendarDay, CalendarYear


async def overrides(session: AsyncSession, *, year: int | None = None) -> list[CalendarDay]:
    """The admins' overrides, of one year or of all."""
    query = select(CalendarDay).where(CalendarDay.source == "override")
    if year is not None:
        query = query.where(_in_year(year))
    return list((await session.execute(query.order_by(CalendarDay.day))).scalars())


async def in_force(session: AsyncSession) -> tuple[dict[date, bool], list[int]]:
    """The admins' overrides and the years an admin declared complete, in one statement (what the calendar in
    force is made of: the feed's consumer reads it once a page)."""
    overrides = select(CalendarDay.day, CalendarDay.is_working, literal(None, Integer).label("year")).where(
        CalendarDay.source == "override"
    )
    declared = select(literal(None, Date), literal(None, Boolean), CalendarYear.year).where(
        CalendarYear.source == "admin"
    )
    days: dict[date, bool] = {}
    years: list[int] = []
    for day, is_working, year in (await session.execute(union_all(overrides, declared))).all():
        if day is not None:
            days[day] = is_working
        else:
            years.append(year)
    return days, years


async def override_years(session: AsyncSession) -> set[int]:
    return {d.day.year for d in await overrides(session)}


async def years(session: AsyncSession) -> dict[int, str]:
    """The years whose schedule is known, with where it came from (`chinese_calendar` or `admin`)."""
    return {row.year: row.source for row in (await session.execute(select(CalendarYear))).scalars()}


async def add_year(session: AsyncSession, *, year: int, source: str, at: datetime) -> None:
    await add_years(session, years=[year], source=source, at=at)


async def add_years(session: AsyncSession, *, years: Sequence[int], source: str, at: datetime) -> None:
    """Several years in one flush (one statement), not one each: a fresh database gets a dozen at its start."""
    session.add_all(CalendarYear(year=year, source=source, loaded_at=at) for year in years)
    await session.flush()


async def replace_overrides(session: AsyncSession, *, year: int, days: Mapping[date, tuple[bool, str]]) -> None:
    await session.execute(delete(CalendarDay).where(_in_year(year)))
    session.add_all(CalendarDay(day=d, is_working=w, source="override", note=n) for d, (w, n) in days.items())
    await session.flush()


def _in_year(year: int) -> ColumnElement[bool]:
    return CalendarDay.day.between(date(year, 1, 1), date(year, 12, 31))
