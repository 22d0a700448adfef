"""Working-day arithmetic on the official calendar: holidays, make-up days, weekends, unknown years, overrides,
and the moments on it (working hours, the next working morning)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import chinese_calendar
import pytest

from rectify_kit.clock import BUSINESS_TZ
from rectify_kit.workdays import (
    WorkCalendar,
    add_working_days,
    at_hour,
    chinese_name,
    known_official_years,
    last_day_within,
    next_working_hour,
    official_calendar,
    official_exceptions,
    span_is_provisional,
    within_hours,
    working_days_between,
)


@pytest.fixture(scope="module")
def official() -> WorkCalendar:
    return official_calendar()


def local(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=BUSINESS_TZ).astimezone(UTC)


class TestAddWorkingDays:
    def test_national_day_2026_is_skipped(self, official: WorkCalendar) -> None:
        # Wednesday 30 September; 1-7 October are off (Mid-autumn on 25 September too).
        assert add_working_days(date(2026, 9, 30), 1, official) == date(2026, 10, 8)

    def test_make_up_saturday_counts_as_a_working_day(self, official: WorkCalendar) -> None:
        # Saturday 10 October 2026 is a make-up working day (调休).
        assert add_working_days(date(2026, 10, 9), 1, official) == date(2026, 10, 10)

    def test_spring_festival_2026(self, official: WorkCalendar) -> None:
        # Friday 13 February 2026; Saturday 14 February is a make-up working day, 15-23 February are off.
        assert add_working_days(date(2026, 2, 13), 1, official) == date(2026, 2, 14)
        assert add_working_days(date(2026, 2, 14), 1, official) == date(2026, 2, 24)

    def test_counting_backwards_skips_the_holiday(self, official: WorkCalendar) -> None:
        # Three working days before Thursday 8 October: 30 Sep, 29 Sep, 28 Sep.
        assert add_working_days(date(2026, 10, 8), -3, official) == date(2026, 9, 28)

    def test_from_a_saturday_the_start_day_never_counts(self, official: WorkCalendar) -> None:
        saturday = date(2026, 11, 28)
        assert add_working_days(saturday, 1, official) == date(2026, 11, 30)
        assert add_working_days(saturday, 3, official) == date(2026, 12, 2)
        # chinese_calendar counts the first working day on or after a non-working start as step 0.
        assert chinese_calendar.find_workday(1, saturday) == date(2026, 12, 1)

    def test_zero_is_the_day_itself_or_the_next_working_day(self, official: WorkCalendar) -> None:
        assert add_working_days(date(2026, 10, 1), 0, official) == date(2026, 10, 8)
        assert add_working_days(date(2026, 9, 30), 0, official) == date(2026, 9, 30)

    def test_year_boundary_into_an_unknown_year_falls_back_to_monday_to_friday(self, official: WorkCalendar) -> None:
        # Thursday 31 December 2026 (+1): Friday 1 January 2027 has no official data, so it counts.
        assert add_working_days(date(2026, 12, 31), 1, official) == date(2027, 1, 1)
        assert add_working_days(date(2026, 12, 31), 2, official) == date(2027, 1, 4)
        assert span_is_provisional(date(2026, 12, 31), date(2027, 1, 4), official)
        assert not span_is_provisional(date(2026, 9, 30), date(2026, 10, 8), official)


class TestOfficialData:
    def test_package_knows_2004_to_2026_and_raises_beyond(self) -> None:
        years = known_official_years()
        assert years[0] == 2004
        assert years[-1] == 2026
        with pytest.raises(NotImplementedError):
            chinese_calendar.is_workday(date(2027, 1, 4))

    def test_unknown_year_yields_no_exceptions(self) -> None:
        assert official_exceptions([2027]) == {}

    def test_exceptions_name_the_holiday(self) -> None:
        found = official_exceptions([2026])
        assert found[date(2026, 10, 1)] == (False, "National Day")
        assert found[date(2026, 10, 10)][0] is True


class TestCounting:
    def test_working_days_between_skip_national_day(self, official: WorkCalendar) -> None:
        # After Wednesday 30 September up to Friday 9 October: 8 and 9 October.
        assert working_days_between(date(2026, 9, 30), date(2026, 10, 9), official) == 2
        assert working_days_between(date(2026, 10, 9), date(2026, 9, 30), official) == 0

    @pytest.mark.parametrize(
        ("start", "n", "last"),
        [
            (date(2026, 10, 14), 3, date(2026, 10, 19)),  # Wed: Thu, Fri and, after the weekend, Mon
            (date(2026, 10, 9), 3, date(2026, 10, 13)),  # Fri: the make-up Saturday 10 October counts
            (date(2026, 9, 30), 3, date(2026, 10, 11)),  # Wed before National Day: 8, 9, 10 October
            (date(2026, 11, 13), 3, date(2026, 11, 18)),  # Fri: Mon, Tue, Wed
            (date(2026, 10, 9), 0, date(2026, 10, 9)),
        ],
    )
    def test_last_day_within_is_the_day_before_the_next_working_day_beyond_n(
        self, official: WorkCalendar, start: date, n: int, last: date
    ) -> None:
        assert last_day_within(start, n, official) == last
        assert working_days_between(start, last, official) == n
        assert working_days_between(start, date.fromordinal(last.toordinal() + 1), official) == n + 1


class TestOverrides:
    def test_an_override_turns_a_working_day_off_and_moves_the_count(self, official: WorkCalendar) -> None:
        extra_day_off = official_calendar({date(2026, 11, 17): False})
        assert add_working_days(date(2026, 11, 13), 3, official) == date(2026, 11, 18)
        assert add_working_days(date(2026, 11, 13), 3, extra_day_off) == date(2026, 11, 19)
        assert working_days_between(date(2026, 11, 13), date(2026, 11, 18), extra_day_off) == 2

    def test_an_override_wins_over_the_official_schedule(self) -> None:
        # 1 October 2026 is National Day; an override makes it a working day.
        assert official_calendar({date(2026, 10, 1): True}).is_working(date(2026, 10, 1))

    def test_a_declared_year_is_no_longer_provisional(self) -> None:
        assert official_calendar().is_provisional(date(2027, 3, 1))
        assert not official_calendar(declared_years=[2027]).is_provisional(date(2027, 3, 1))

    def test_a_calendar_built_before_is_given_again_and_others_are_apart(self) -> None:
        day = date(2026, 11, 17)
        off = official_calendar({day: False}, declared_years=[2027])
        assert official_calendar({day: False}, declared_years=(2027,)) is off  # built once per overrides and years
        assert official_calendar({day: True}, declared_years=[2027]).is_working(day)
        assert official_calendar({}).is_working(day)
        assert not official_calendar({day: False}).is_working(day)
        assert official_calendar({day: False}).is_provisional(date(2027, 3, 1))
        assert not off.is_working(day)


class TestNames:
    def test_official_holidays_are_named_in_chinese(self) -> None:
        assert chinese_name("National Day", is_working=False) == "国庆节"
        assert chinese_name("Spring Festival", is_working=True) == "春节调休"

    def test_every_holiday_the_package_names_has_a_chinese_name(self) -> None:
        names = {name for _, name in official_exceptions(known_official_years()).values()}
        assert all(chinese_name(n, is_working=False) != n for n in names)


class TestMoments:
    def test_within_working_hours_is_now(self, official: WorkCalendar) -> None:
        moment = local(2026, 10, 9, 10)
        assert within_hours(moment, official, opens=8, closes=20) == moment

    @pytest.mark.parametrize(
        ("moment", "opens_at"),
        [
            (local(2026, 10, 9, 21), local(2026, 10, 10, 8)),  # Friday night → make-up Saturday morning
            (local(2026, 10, 3, 10), local(2026, 10, 8, 8)),  # National Day → first working morning
            (local(2026, 10, 8, 6), local(2026, 10, 8, 8)),  # before opening on a working day
        ],
    )
    def test_outside_working_hours_waits_for_the_next_working_morning(
        self, official: WorkCalendar, moment: datetime, opens_at: datetime
    ) -> None:
        assert within_hours(moment, official, opens=8, closes=20) == opens_at

    def test_next_working_hour_is_strictly_later(self, official: WorkCalendar) -> None:
        assert next_working_hour(local(2026, 9, 28, 7), official, hour=8) == local(2026, 9, 28, 8)
        assert next_working_hour(local(2026, 9, 28, 8), official, hour=8) == local(2026, 9, 29, 8)
        assert at_hour(date(2026, 9, 28), 8) == local(2026, 9, 28, 8)
