"""The working-day calendar: chinese-calendar's schedule (through the kit) with the admins' overrides on top.

A change of a year's overrides is published as `calendar.updated` on notify-api's feed, so that every
service counts working days on the same calendar (report-api applies it), and every open issue is re-planned.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.calendar import repository
from notify_api.calendar.schemas import CalendarDayOut, CalendarOut, CalendarUpdate
from notify_api.issues import repository as issues
from notify_api.outbox import SYSTEM_ACTOR, actor_of, events, subjects_told
from rectify_kit.auth import Principal
from rectify_kit.clock import Clock, business_today
from rectify_kit.db import retry_lock_races
from rectify_kit.outbox import append_event
from rectify_kit.workdays import (
    WorkCalendar,
    chinese_name,
    known_official_years,
    official_calendar,
    official_exceptions,
)

UPDATED = "calendar.updated"


async def load(session: AsyncSession) -> WorkCalendar:
    """The calendar in force: the official schedule, the overrides on top, and the years declared complete."""
    overrides, declared = await repository.in_force(session)
    return official_calendar(overrides, declared_years=declared)


class LazyCalendar:
    """The calendar in force, read from `session` the first time it is needed: a scheduler tick that finds
    nothing to fire or send reads none."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._calendar: WorkCalendar | None = None

    async def get(self) -> WorkCalendar:
        if self._calendar is None:
            self._calendar = await load(self._session)
        return self._calendar


async def seed(session: AsyncSession, *, clock: Clock, first_year: int = 2015) -> list[int]:
    """Record the years chinese-calendar knows and the table lacks; returns the years added.

    New official data means plans computed on a provisional Monday-to-Friday are re-planned.
    """
    have = await repository.years(session)
    added = [y for y in known_official_years() if y >= first_year and y not in have]
    await repository.add_years(session, years=added, source="chinese_calendar", at=clock.now())
    if added and have:
        await issues.mark_open_for_replan(session)
    return added


def warnings_for(calendar: WorkCalendar, today: date) -> list[tuple[str, str]]:
    """From 1 December, a next year without official data is an admin warning: each in Chinese and English."""
    found: list[tuple[str, str]] = []
    if today.year not in calendar.official_years:
        found.append((f"{today.year} 年节假日安排缺失，暂按周一至周五计算", f"No official calendar for {today.year}"))
    if today.month == 12 and today.year + 1 not in calendar.official_years:
        nxt = today.year + 1
        found.append((f"{nxt} 年节假日安排尚未录入", f"The official calendar for {nxt} is missing"))
    return found


async def read(session: AsyncSession, *, year: int, clock: Clock) -> CalendarOut:
    """A year's exceptions to Monday-to-Friday: the official ones (named in Chinese and English) and the
    overrides, which win."""
    calendar = await load(session)
    days = {
        day: CalendarDayOut(
            date=day, is_working=working, source="official", note=chinese_name(name, is_working=working), note_en=name
        )
        for day, (working, name) in official_exceptions([year]).items()
    }
    for d in await repository.overrides(session, year=year):
        days[d.day] = CalendarDayOut(
            date=d.day, is_working=d.is_working, source="override", note=d.note, note_en=d.note
        )
    warnings = warnings_for(calendar, business_today(clock))
    return CalendarOut(
        year=year,
        provisional=year not in calendar.official_years,
        days=[days[day] for day in sorted(days)],
        warnings=[zh for zh, _ in warnings],
        warnings_en=[en for _, en in warnings],
    )


async def update(session: AsyncSession, *, change: CalendarUpdate, actor: Principal, clock: Clock) -> CalendarOut:
    """Replace a year's overrides (and maybe declare it complete); every open issue is re-planned, and
    `calendar.updated` tells the other services.

    Flagging every open issue locks their rows while the feed consumer may hold some of them and the outbox lock
    this change then needs: PostgreSQL breaks such a deadlock by aborting one side, and when it is this one the
    change is made again instead of failing the admin's request.
    """

    async def write() -> None:
        days = {d.date: (d.is_working, d.note) for d in change.overrides}
        await repository.replace_overrides(session, year=change.year, days=days)
        if change.complete and change.year not in await repository.years(session):
            await repository.add_year(session, year=change.year, source="admin", at=clock.now())
        await issues.mark_open_for_replan(session)
        await _publish(session, year=change.year, actor=actor_of(actor), clock=clock)

    await retry_lock_races(session, write)
    return await read(session, year=change.year, clock=clock)


async def publish_unannounced(session: AsyncSession, *, clock: Clock) -> list[int]:
    """Publish `calendar.updated` for every year with overrides that the feed has not told yet (overrides
    stored before notify-api published them); returns those years."""
    told = {int(year) for year in await subjects_told(session, UPDATED)}
    missing = sorted(await repository.override_years(session) - told)
    for year in missing:
        await _publish(session, year=year, actor=SYSTEM_ACTOR, clock=clock)
    return missing


async def _publish(session: AsyncSession, *, year: int, actor: dict[str, Any], clock: Clock) -> None:
    overrides = await repository.overrides(session, year=year)
    years = await repository.years(session)
    await append_event(
        session,
        events,
        type=UPDATED,
        subject_id=str(year),
        actor=actor,
        data={
            "calendar": {
                "year": year,
                "overrides": [
                    {"date": d.day.isoformat(), "is_working": d.is_working, "note": d.note} for d in overrides
                ],
                "declared_complete": years.get(year) == "admin",
            }
        },
        occurred_at=clock.now(),
    )
