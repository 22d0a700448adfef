"""Time as a dependency: a fixed clock for tests, business dates in Asia/Shanghai."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest

from rectify_kit.clock import FixedClock, SystemClock, business_today, pause


class TestFixedClock:
    def test_stands_still_until_moved(self) -> None:
        clock = FixedClock(datetime(2026, 1, 1, tzinfo=UTC))
        clock.advance(timedelta(days=2))
        assert clock.now() == datetime(2026, 1, 3, tzinfo=UTC)
        clock.set(datetime(2027, 1, 1, tzinfo=UTC))
        assert clock.now().year == 2027

    def test_refuses_a_naive_datetime(self) -> None:
        with pytest.raises(ValueError, match="aware"):
            FixedClock(datetime(2026, 1, 1))  # noqa: DTZ001


class TestBusinessToday:
    def test_is_already_tomorrow_in_shanghai_at_17_utc(self) -> None:
        assert business_today(FixedClock(datetime(2026, 11, 25, 17, 0, tzinfo=UTC))) == date(2026, 11, 26)

    def test_is_the_same_day_before_16_utc(self) -> None:
        assert business_today(FixedClock(datetime(2026, 11, 25, 15, 59, tzinfo=UTC))) == date(2026, 11, 25)


def test_system_clock_is_aware_utc() -> None:
    assert SystemClock().now().tzinfo is UTC


async def test_pause_wakes_as_soon_as_stop_is_set() -> None:
    stop = asyncio.Event()
    asyncio.get_running_loop().call_later(0.05, stop.set)
    await asyncio.wait_for(pause(3600, stop=stop), timeout=10)  # an hour's pause, ended by the stop
    assert stop.is_set()


async def test_pause_without_stop_sleeps() -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    await pause(0.05)
    assert loop.time() - started >= 0.05
