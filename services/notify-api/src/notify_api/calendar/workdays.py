"""Working days: a pure calendar value and the arithmetic on it.

Official data (holidays on weekdays, make-up working days on weekends, 调休) is stored as exceptions to the
Monday-to-Friday rule. A year without official data falls back to Monday-to-Friday and is *provisional*:
plans computed from it are re-planned once the data arrives.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are working days: exceptions by date, and the years whose data is official."""

    exceptions: Mapping[date, bool] = field(default_factory=dict)
    official_years: frozenset[int] = frozenset()

    def is_working(self, day: date) -> bool:
        known = self.exceptions.get(day)
        if known is not None:
            return known
        return day.weekday() < 5

    def is_provisional(self, day: date) -> bool:
        return day.year not in self.official_years


def add_working_days(start: date, n: int, calendar: WorkCalendar) -> date:
    """The n-th working day after `start` (n > 0) or before it (n < 0); n = 0 is `start` if it is a working
    day, else the next working day.

    `start` itself never counts, whatever it is: one working day after a Saturday is the Monday (not the
    Tuesday, as `chinese_calendar.find_workday(1, saturday)` would answer), and one after Wednesday 30
    September 2026 is Thursday 8 October, after National Day.
    """
    step = 1 if n >= 0 else -1
    day = start
    if n == 0:
        while not calendar.is_working(day):
            day += timedelta(days=1)
        return day
    remaining = abs(n)
    while remaining:
        day += timedelta(days=step)
        if calendar.is_working(day):
            remaining -= 1
    return day


def next_working_day(day: date, calendar: WorkCalendar) -> date:
    """The first working day strictly after `day`."""
    return add_working_days(day, 1, calendar)


def span_is_provisional(first: date, last: date, calendar: WorkCalendar) -> bool:
    """True when any year between the two dates has no official data."""
    low, high = sorted((first, last))
    return any(year not in calendar.official_years for year in range(low.year, high.year + 1))


def official_exceptions(years: Iterable[int]) -> dict[date, tuple[bool, str]]:
    """Exceptions to Monday-to-Friday from `chinese_calendar` for the years it knows: {day: (working, name)}.

    Read from the package's tables directly: its functions raise NotImplementedError for a year it has no
    data for, and such years are simply absent here.
    """
    import chinese_calendar

    wanted = set(years)
    found: dict[date, tuple[bool, str]] = {}
    for day, name in chinese_calendar.holidays.items():
        if day.year in wanted and day.weekday() < 5:
            found[day] = (False, str(getattr(name, "value", name)))
    for day, name in chinese_calendar.workdays.items():
        if day.year in wanted and day.weekday() >= 5:
            found[day] = (True, str(getattr(name, "value", name)))
    return found


def known_official_years() -> list[int]:
    """The years `chinese_calendar` has data for (1.11: 2004 to 2026)."""
    import chinese_calendar

    years = {d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays}
    return sorted(years)
