"""Working days on the official Chinese calendar, and the moments on it.

The State Council's schedule (holidays on weekdays, make-up working days on weekends, 调休) comes from the
`chinese-calendar` package and is kept as exceptions to the Monday-to-Friday rule; a deployment's own
overrides go on top. A year the package has no data for counts Monday to Friday and is *provisional*, unless
it was declared complete (its holidays entered as overrides). Every service computes working days with this
one module, on the same data: the package's schedule plus the overrides the administrators stored.

Moments are in Asia/Shanghai (`BUSINESS_TZ`) and returned in UTC.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, lru_cache

import chinese_calendar

from rectify_kit.clock import BUSINESS_TZ

# How far a count may run: no schedule has a year of days off, and a bad date must not loop for ever.
MAX_SPAN_DAYS = 3660

# chinese-calendar names holidays in English; people read them in Chinese.
HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are working days: exceptions to Monday-to-Friday by date, and the years whose data is
    official (the rest are provisional)."""

    exceptions: Mapping[date, bool] = field(default_factory=dict)
    official_years: frozenset[int] = frozenset()

    def is_working(self, day: date) -> bool:
        known = self.exceptions.get(day)
        if known is not None:
            return known
        return day.weekday() < 5

    def is_provisional(self, day: date) -> bool:
        return day.year not in self.official_years


@cache
def _official() -> tuple[dict[date, tuple[bool, str]], frozenset[int]]:
    """chinese-calendar's tables, read directly: its functions raise NotImplementedError for a year it has no
    data for, and such years are simply absent here."""
    found: dict[date, tuple[bool, str]] = {}
    for day, name in chinese_calendar.holidays.items():
        if day.weekday() < 5:
            found[day] = (False, str(getattr(name, "value", name)))
    for day, name in chinese_calendar.workdays.items():
        if day.weekday() >= 5:
            found[day] = (True, str(getattr(name, "value", name)))
    years = frozenset({d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays})
    return found, years


def known_official_years() -> list[int]:
    """The years chinese-calendar has data for (1.11: 2004 to 2026)."""
    return sorted(_official()[1])


def official_exceptions(years: Iterable[int]) -> dict[date, tuple[bool, str]]:
    """The official exceptions to Monday-to-Friday in `years`: {day: (working, English holiday name)}."""
    wanted = set(years)
    return {d: value for d, value in _official()[0].items() if d.year in wanted}


def chinese_name(english: str, *, is_working: bool) -> str:
    """The Chinese name of an official exception: 国庆节, or 国庆节调休 for its make-up working day."""
    name = HOLIDAY_NAMES_ZH.get(english, english)
    return f"{name}调休" if is_working else name


def official_calendar(
    overrides: Mapping[date, bool] | None = None, *, declared_years: Iterable[int] = ()
) -> WorkCalendar:
    """The official schedule with `overrides` on top; `declared_years` are years without package data whose
    schedule was declared complete (they are not provisional).

    The same overrides and years give the same (shared, never changed) calendar: the feed consumers read the
    calendar's tables once a page, and building its five hundred official days anew each time was about 0.1 ms.
    """
    return _calendar_of(tuple(sorted((overrides or {}).items())), frozenset(declared_years))


@lru_cache(maxsize=32)
def _calendar_of(overrides: tuple[tuple[date, bool], ...], declared_years: frozenset[int]) -> WorkCalendar:
    official, years = _official()
    exceptions = {d: working for d, (working, _) in official.items()}
    exceptions.update(overrides)
    return WorkCalendar(exceptions=exceptions, official_years=years | declared_years)


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
        while not calendar.is_working(day) and (day - start).days < MAX_SPAN_DAYS:
            day += timedelta(days=1)
        return day
    remaining = abs(n)
    while remaining and abs((day - start).days) < MAX_SPAN_DAYS:
        day += timedelta(days=step)
        if calendar.is_working(day):
            remaining -= 1
    return day


def next_working_day(day: date, calendar: WorkCalendar) -> date:
    """The first working day strictly after `day`."""
    return add_working_days(day, 1, calendar)


def working_days_between(start: date, end: date, calendar: WorkCalendar) -> int:
    """Working days after `start` up to and including `end` (0 when `end` is not later)."""
    count, day = 0, start
    while day < end and (day - start).days < MAX_SPAN_DAYS:
        day += timedelta(days=1)
        count += calendar.is_working(day)
    return count


def last_day_within(start: date, n: int, calendar: WorkCalendar) -> date:
    """The last day with at most `n` working days after `start` up to it: the day before the (n+1)-th working
    day. From a Friday with n = 3 that is the Wednesday, or the Tuesday when the Saturday between is a
    make-up working day (调休)."""
    return add_working_days(start, n + 1, calendar) - timedelta(days=1)


def span_is_provisional(first: date, last: date, calendar: WorkCalendar) -> bool:
    """True when any year between the two dates has no official data."""
    low, high = sorted((first, last))
    return any(year not in calendar.official_years for year in range(low.year, high.year + 1))


def local_date(moment: datetime) -> date:
    """The day of `moment` in Asia/Shanghai."""
    return moment.astimezone(BUSINESS_TZ).date()


def at_hour(day: date, hour: int) -> datetime:
    """`hour` o'clock on `day` in Asia/Shanghai, as UTC."""
    return datetime.combine(day, time(hour), tzinfo=BUSINESS_TZ).astimezone(UTC)


def within_hours(now: datetime, calendar: WorkCalendar, *, opens: int, closes: int) -> datetime:
    """`now` when it falls on a working day between `opens` and `closes` o'clock (Asia/Shanghai), else the
    next moment that does: `opens` o'clock on the next working day (today's, when it is not yet open)."""
    local = now.astimezone(BUSINESS_TZ)
    today = local.date()
    if calendar.is_working(today):
        if opens <= local.hour < closes:
            return now
        if local.hour < opens:
            return at_hour(today, opens)
    return at_hour(next_working_day(today, calendar), opens)


def next_working_hour(now: datetime, calendar: WorkCalendar, *, hour: int) -> datetime:
    """The first `hour` o'clock of a working day strictly after `now` (Asia/Shanghai)."""
    today = local_date(now)
    if calendar.is_working(today) and now < at_hour(today, hour):
        return at_hour(today, hour)
    return at_hour(next_working_day(today, calendar), hour)
