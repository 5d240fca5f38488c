"""The calendar against the State Council schedules and its arithmetic properties."""

import datetime as dt

import chinese_calendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fazhi.workdays import calendar
from fazhi.workdays.calendar import (
    add_calendar_days,
    add_working_days,
    deadline_calendar_days,
    deadline_working_days,
    is_confirmed,
    is_working_day,
    working_days_between,
)
from fazhi.workdays.tests import UNSCHEDULED_YEAR

D = dt.date


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


# 国办发明电〔2024〕12号: the 2025 schedule.
HOLIDAYS_2025 = [
    D(2025, 1, 1),  # 元旦
    *_days(D(2025, 1, 28), D(2025, 2, 4)),  # 春节
    *_days(D(2025, 4, 4), D(2025, 4, 6)),  # 清明节
    *_days(D(2025, 5, 1), D(2025, 5, 5)),  # 劳动节
    *_days(D(2025, 5, 31), D(2025, 6, 2)),  # 端午节
    *_days(D(2025, 10, 1), D(2025, 10, 8)),  # 国庆节、中秋节
]
WORKING_WEEKENDS_2025 = [D(2025, 1, 26), D(2025, 2, 8), D(2025, 4, 27), D(2025, 9, 28), D(2025, 10, 11)]

# 国办发明电〔2025〕7号: the 2026 schedule.
HOLIDAYS_2026 = [
    *_days(D(2026, 1, 1), D(2026, 1, 3)),  # 元旦
    *_days(D(2026, 2, 15), D(2026, 2, 23)),  # 春节
    *_days(D(2026, 4, 4), D(2026, 4, 6)),  # 清明节
    *_days(D(2026, 5, 1), D(2026, 5, 5)),  # 劳动节
    *_days(D(2026, 6, 19), D(2026, 6, 21)),  # 端午节
    *_days(D(2026, 9, 25), D(2026, 9, 27)),  # 中秋节
    *_days(D(2026, 10, 1), D(2026, 10, 7)),  # 国庆节
]
WORKING_WEEKENDS_2026 = [D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9), D(2026, 9, 20), D(2026, 10, 10)]


@pytest.mark.parametrize(
    ("holidays", "working_weekends", "year"),
    [
        (HOLIDAYS_2025, WORKING_WEEKENDS_2025, 2025),
        (HOLIDAYS_2026, WORKING_WEEKENDS_2026, 2026),
    ],
)
def test_official_schedule(holidays, working_weekends, year):
    assert all(d.weekday() >= 5 for d in working_weekends)
    for day in _days(D(year, 1, 1), D(year, 12, 31)):
        expected = day in working_weekends or (day.weekday() < 5 and day not in holidays)
        assert is_working_day(day) is expected, day
        # The schedule written here and the package agree, date by date.
        assert chinese_calendar.is_workday(day) is expected, day
    assert is_confirmed(D(year, 1, 1), D(year, 12, 31))


def test_2025_deadlines_across_national_day():
    # 10/1–10/8 off; 10/9 Thu, 10/10 Fri, 10/11 Sat (adjusted working day), 10/13 Mon, 10/14 Tue.
    assert add_working_days(D(2025, 9, 30), 1) == D(2025, 10, 9)
    assert add_working_days(D(2025, 9, 30), 3) == D(2025, 10, 11)
    assert add_working_days(D(2025, 9, 30), 5) == D(2025, 10, 14)
    assert working_days_between(D(2025, 9, 30), D(2025, 10, 14)) == 5
    # The start day never counts, even when it is a working day: 9/28 was an adjusted working Sunday.
    assert add_working_days(D(2025, 9, 27), 1) == D(2025, 9, 28)


def test_2026_spring_festival():
    # 2/14 (Sat) works, 2/15–2/23 off, 2/28 (Sat) works.
    assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert add_working_days(D(2026, 2, 14), 1) == D(2026, 2, 24)
    assert add_working_days(D(2026, 2, 26), 2) == D(2026, 2, 28)
    assert working_days_between(D(2026, 2, 13), D(2026, 2, 24)) == 2


def test_n_zero_and_negative():
    assert add_working_days(D(2025, 10, 1), 0) == D(2025, 10, 9)
    assert add_working_days(D(2025, 10, 9), 0) == D(2025, 10, 9)
    assert add_working_days(D(2025, 10, 9), -1) == D(2025, 9, 30)
    assert add_working_days(D(2025, 10, 5), -1) == D(2025, 9, 30)
    assert add_working_days(D(2025, 10, 13), -2) == D(2025, 10, 10)
    assert working_days_between(D(2025, 10, 14), D(2025, 9, 30)) == -5


def test_compiled_range_edges_match_the_weekend_rule():
    # 2000-01-01 is a Saturday; 2060-12-31 a Friday. Crossing the ends in either direction is seamless.
    assert add_working_days(D(1999, 12, 31), 1) == D(2000, 1, 3)
    assert add_working_days(D(2000, 1, 3), -1) == D(1999, 12, 31)
    assert add_working_days(D(2060, 12, 30), 1) == D(2060, 12, 31)
    assert add_working_days(D(2060, 12, 31), 1) == D(2061, 1, 3)
    assert add_working_days(D(2061, 1, 3), -1) == D(2060, 12, 31)
    assert working_days_between(D(1999, 12, 30), D(2000, 1, 4)) == 3
    assert working_days_between(D(2060, 12, 30), D(2061, 1, 4)) == 3
    assert add_working_days(D(1800, 1, 1), 0) == D(1800, 1, 1)  # a Wednesday
    assert add_working_days(D(2200, 6, 7), 1) == D(2200, 6, 9)  # Saturday → Monday


def test_calendar_days_roll_forward_off_rest_days():
    # 民事诉讼法第八十五条: a limit ending on 10/1 (holiday) ends on 10/9.
    assert add_calendar_days(D(2025, 9, 1), 30) == D(2025, 10, 9)
    assert add_calendar_days(D(2025, 9, 1), 30, roll_forward=False) == D(2025, 10, 1)
    # An adjusted working Saturday is a working day: no move.
    assert add_calendar_days(D(2025, 10, 1), 10) == D(2025, 10, 11)
    d = deadline_calendar_days(D(2025, 9, 1), 30)
    assert (d.nominal, d.deadline, d.confirmed) == (D(2025, 10, 1), D(2025, 10, 9), True)


def test_confirmed_only_for_known_years():
    assert deadline_working_days(D(2025, 3, 3), 10).confirmed
    last = max(calendar.PACKAGE_YEARS)
    assert not deadline_working_days(D(last, 12, 25), 10).confirmed  # ends in the year after the package's last
    assert not deadline_working_days(D(UNSCHEDULED_YEAR, 3, 3), 10).confirmed
    assert not deadline_working_days(D(1995, 3, 3), 10).confirmed
    # A natural-day limit depends on the calendar only where it ends.
    assert not deadline_calendar_days(D(last, 6, 1), 400).confirmed
    assert deadline_calendar_days(D(2025, 6, 1), 30, roll_forward=False).confirmed


dates = st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 12, 31))
counts = st.integers(min_value=1, max_value=800)
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(dates, counts)
def test_add_and_between_are_inverse(d, n):
    end = add_working_days(d, n)
    assert working_days_between(d, end) == n
    assert is_working_day(end)
    assert end > d


@FAST
@given(dates, counts)
def test_nothing_between_lands_on_a_rest_day(d, n):
    # The result is the first day at which the count reaches n.
    end = add_working_days(d, n)
    assert working_days_between(d, end - dt.timedelta(days=1)) == n - 1


@FAST
@given(dates, st.integers(min_value=-800, max_value=800))
def test_monotonic_in_n_and_never_raising(d, n):
    # Strictly increasing, except that n = 0 on a rest day already gives the next working day (= n = 1).
    if n == 0 and not is_working_day(d):
        assert add_working_days(d, 0) == add_working_days(d, 1)
    else:
        assert add_working_days(d, n) < add_working_days(d, n + 1)
    result = deadline_working_days(d, abs(n))
    assert result.confirmed is (all(y in calendar.PACKAGE_YEARS for y in range(d.year, result.deadline.year + 1)))
    assert is_working_day(add_calendar_days(d, abs(n)))


@FAST
@given(dates, dates)
def test_between_is_antisymmetric(a, b):
    assert working_days_between(a, b) == -working_days_between(b, a)


@pytest.mark.django_db
def test_override_table_changes_results_and_is_reverted():
    from fazhi.workdays.models import CalendarOverride, CalendarYear

    Y = UNSCHEDULED_YEAR

    assert add_working_days(D(Y, 10, 1), 0) == D(Y, 10, 1)  # a Friday, plain rule
    assert not deadline_working_days(D(Y, 9, 30), 1).confirmed
    CalendarOverride.objects.create(date=D(Y, 10, 1), is_working_day=False, name="国庆节")
    CalendarOverride.objects.create(date=D(Y, 10, 9), is_working_day=True, name="国庆节调休上班")
    CalendarYear.objects.create(year=Y, source="测试", confirmed=True)
    calendar.dirty = True
    calendar.invalidate()
    assert not is_working_day(D(Y, 10, 1))
    assert is_working_day(D(Y, 10, 9))
    assert add_working_days(D(Y, 9, 30), 1) == D(Y, 10, 4)
    assert deadline_working_days(D(Y, 9, 30), 1).confirmed
    assert [s.name for s in calendar.special_days(D(Y, 10, 1), D(Y, 10, 31))] == ["国庆节", "国庆节调休上班"]


def test_override_is_gone_in_the_next_test():
    Y = UNSCHEDULED_YEAR
    assert is_working_day(D(Y, 10, 1))
    assert not is_confirmed(D(Y, 10, 1))
