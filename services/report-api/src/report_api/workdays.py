"""Working days by the official Chinese calendar (holidays and make-up days), Mon–Fri outside its years."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar


@lru_cache(maxsize=8192)
def is_workday(day: date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        # chinese-calendar knows only the years it shipped with; beyond them weekdays are the best guess.
        return day.weekday() < 5


@lru_cache(maxsize=65536)
def working_days_after(start: date, end: date) -> int:
    """Working days d with start < d <= end (0 when end <= start)."""
    count = 0
    day = start + timedelta(days=1)
    while day <= end:
        count += is_workday(day)
        day += timedelta(days=1)
    return count
