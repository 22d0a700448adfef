"""The working-day calendar: seeded from chinese-calendar, adjusted by admins, read as a WorkCalendar."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.calendar import repository
from notify_api.calendar.schemas import CalendarDayOut, CalendarOut, CalendarUpdate
from notify_api.calendar.workdays import WorkCalendar, known_official_years, official_exceptions
from rectify_kit.clock import Clock, business_today


async def load(session: AsyncSession) -> WorkCalendar:
    """The calendar as stored: official exceptions, admin overrides on top, and the official years."""
    days = await repository.all_days(session)
    return WorkCalendar(
        exceptions={d.day: d.is_working for d in days},
        official_years=frozenset(await repository.official_years(session)),
    )


async def seed(session: AsyncSession, *, clock: Clock, first_year: int = 2015) -> list[int]:
    """Load every year chinese-calendar knows and the table lacks; returns the years added.

    New official data means plans computed on a provisional Monday-to-Friday are re-planned.
    """
    have = await repository.official_years(session)
    added = [y for y in known_official_years() if y >= first_year and y not in have]
    for year in added:
        await repository.add_official_year(
            session, year=year, days=official_exceptions([year]), source="chinese_calendar", at=clock.now()
        )
    if added and have:
        await repository.mark_open_issues_for_replan(session)
    return added


def warnings_for(calendar: WorkCalendar, today: date) -> list[str]:
    """From 1 December, a next year without official data is an admin warning."""
    found: list[str] = []
    if today.year not in calendar.official_years:
        found.append(f"{today.year} 年节假日安排缺失，暂按周一至周五计算 / no official calendar for {today.year}")
    if today.month == 12 and today.year + 1 not in calendar.official_years:
        nxt = today.year + 1
        found.append(f"{nxt} 年节假日安排尚未录入 / the official calendar for {nxt} is missing")
    return found


async def read(session: AsyncSession, *, year: int, clock: Clock) -> CalendarOut:
    calendar = await load(session)
    days = await repository.days_of_year(session, year)
    return CalendarOut(
        year=year,
        provisional=year not in calendar.official_years,
        days=[CalendarDayOut(date=d.day, is_working=d.is_working, source=d.source, note=d.note) for d in days],
        warnings=warnings_for(calendar, business_today(clock)),
    )


async def update(session: AsyncSession, *, change: CalendarUpdate, clock: Clock) -> CalendarOut:
    """Replace a year's overrides (and maybe declare it complete); every open issue is re-planned."""
    days = {d.date: (d.is_working, d.note) for d in change.overrides}
    await repository.replace_overrides(session, year=change.year, days=days)
    if change.complete and await repository.year_row(session, change.year) is None:
        await repository.add_official_year(session, year=change.year, days={}, source="admin", at=clock.now())
    await repository.mark_open_issues_for_replan(session)
    return await read(session, year=change.year, clock=clock)
