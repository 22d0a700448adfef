"""Quiet hours: messages below the red card wait for the next working morning on interrupting channels."""

from __future__ import annotations

from datetime import datetime

from notify_api.calendar.workdays import WorkCalendar, next_working_day
from notify_api.scheduler.planner import local_morning
from rectify_kit.clock import BUSINESS_TZ

INTERRUPTING = frozenset({"email", "sms", "wecom", "dingtalk"})
LOUD_LEVEL = 3


def release_at(
    now: datetime, *, channel: str, level: int | None, calendar: WorkCalendar, start_hour: int, end_hour: int
) -> datetime:
    """When a message may go out: now, or the next working morning at `end_hour` (Asia/Shanghai)."""
    if channel not in INTERRUPTING or (level is not None and level >= LOUD_LEVEL):
        return now
    local = now.astimezone(BUSINESS_TZ)
    today = local.date()
    if calendar.is_working(today):
        if end_hour <= local.hour < start_hour:
            return now
        if local.hour < end_hour:
            return local_morning(today, end_hour)
    return local_morning(next_working_day(today, calendar), end_hour)


def digest_at(now: datetime, *, calendar: WorkCalendar, hour: int) -> datetime:
    """When a held reminder goes out in the daily digest: the next working morning at `hour`."""
    today = now.astimezone(BUSINESS_TZ).date()
    if calendar.is_working(today) and now < local_morning(today, hour):
        return local_morning(today, hour)
    return local_morning(next_working_day(today, calendar), hour)
