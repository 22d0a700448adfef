"""Quiet hours: messages below the red card wait for the next working morning on the channels that interrupt
(the arithmetic is the kit's working-day calendar)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rectify_kit.workdays import WorkCalendar, next_working_hour, within_hours

INTERRUPTING = frozenset({"email", "sms", "wecom", "dingtalk"})
LOUD_LEVEL = 3


@dataclass(frozen=True)
class QuietHours:
    """Local hours (Asia/Shanghai) from `start_hour` in the evening to `end_hour` in the morning; the same hour
    for both means none (a deployment, or a test stack, that lets every message go out at once)."""

    start_hour: int = 20
    end_hour: int = 8


def release_at(
    now: datetime, *, channel: str, level: int | None, calendar: WorkCalendar, start_hour: int, end_hour: int
) -> datetime:
    """When a message may go out: now, or the next working morning at `end_hour` (Asia/Shanghai); always now
    when there are no quiet hours (`start_hour == end_hour`)."""
    if channel not in INTERRUPTING or (level is not None and level >= LOUD_LEVEL) or start_hour == end_hour:
        return now
    return within_hours(now, calendar, opens=end_hour, closes=start_hour)


def digest_at(now: datetime, *, calendar: WorkCalendar, hour: int) -> datetime:
    """When a held reminder goes out in the daily digest: the next working morning at `hour`."""
    return next_working_hour(now, calendar, hour=hour)
