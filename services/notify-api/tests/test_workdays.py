"""Working-day arithmetic on the official calendar: holidays, make-up days, weekends, unknown years."""

from __future__ import annotations

from datetime import date

import chinese_calendar
import pytest

from notify_api.calendar.workdays import (
    WorkCalendar,
    add_working_days,
    known_official_years,
    official_exceptions,
    span_is_provisional,
)


@pytest.fixture(scope="module")
def official() -> WorkCalendar:
    years = range(2025, 2027)
    found = official_exceptions(years)
    return WorkCalendar(exceptions={d: w for d, (w, _) in found.items()}, official_years=frozenset(years))


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
