"""Time as a dependency, so that domain code never calls `datetime.now()` and tests travel in time."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Protocol
from zoneinfo import ZoneInfo

from fastapi import Depends, Request

BUSINESS_TZ = ZoneInfo("Asia/Shanghai")


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until moved; for tests."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._at = at

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        self._at = at

    def advance(self, delta: timedelta) -> None:
        self._at += delta


def business_today(clock: Clock) -> date:
    """Today's date in Asia/Shanghai, where deadlines are counted."""
    return clock.now().astimezone(BUSINESS_TZ).date()


async def pause(seconds: float, *, stop: asyncio.Event | None = None) -> None:
    """Sleep between rounds of a background loop, waking at once when `stop` is set, so that a shutdown waits
    for the round in progress (and its transaction) instead of cancelling it half-way."""
    if stop is None:
        await asyncio.sleep(seconds)
        return
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


async def first_of(*events: asyncio.Event, seconds: float) -> None:
    """Wait until one of `events` is set, or `seconds`: a background loop's pause that a signal (work
    to do, a stop) cuts short."""
    waits = [asyncio.ensure_future(event.wait()) for event in events]
    try:
        await asyncio.wait(waits, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiting in waits:
            waiting.cancel()


def get_clock(request: Request) -> Clock:
    """`app.state.clock` when the app sets one (tests travel in time), else the system clock."""
    clock: Clock | None = getattr(request.app.state, "clock", None)
    return clock or SystemClock()


async def clock_dependency(request: Request) -> Clock:
    """`get_clock` for `Depends`: a `def` dependency would cost every request a hop to a worker thread."""
    return get_clock(request)


ClockDep = Annotated[Clock, Depends(clock_dependency)]
