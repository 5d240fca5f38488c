"""Working-day arithmetic for statutory deadlines.

Source of truth, in order: the admin-edited override table (`CalendarOverride`), then the
chinese-calendar package (State Council schedules it carries, up to 2026), then the plain rule
Monday–Friday. A result that depends on a year neither source confirms is marked unconfirmed; nothing
here raises for an unknown year.

Speed: the calendar is compiled once into a list of working-day ordinals and a running count per day,
so `add_working_days` is two list look-ups (design target: 1M calls ≤ 2 s). The compiled table is
rebuilt when the override table changes (checked at most every few seconds per process).
"""

import bisect
import datetime as dt
import threading
import time
from dataclasses import dataclass

from chinese_calendar import constants as cc

# The compiled range. Outside it the weekend rule applies, unconfirmed.
RANGE_START = dt.date(2000, 1, 1)
RANGE_END = dt.date(2060, 12, 31)
PACKAGE_YEARS = frozenset(range(min(cc.holidays).year, max(cc.holidays).year + 1))
RECHECK_SECONDS = 5.0
_PACKAGE_HOLIDAYS = frozenset(cc.holidays)
_PACKAGE_WORKDAYS = frozenset(cc.workdays)


@dataclass(frozen=True)
class Deadline:
    start: dt.date
    deadline: dt.date
    confirmed: bool


class _Table:
    """Compiled calendar: which days are working days, and the confirmed years."""

    def __init__(self, overrides: dict[dt.date, bool], override_years: set[int]):
        self.base = RANGE_START.toordinal()
        span = RANGE_END.toordinal() - self.base + 1
        working = bytearray(span)
        count = [0] * span
        ordinals: list[int] = []
        running = 0
        for i in range(span):
            day = dt.date.fromordinal(self.base + i)
            if day in overrides:
                w = overrides[day]
            elif day.year in PACKAGE_YEARS:
                w = day in _PACKAGE_WORKDAYS or (day.weekday() < 5 and day not in _PACKAGE_HOLIDAYS)
            else:
                w = day.weekday() < 5
            if w:
                working[i] = 1
                running += 1
                ordinals.append(self.base + i)
            count[i] = running  # working days in [RANGE_START, day]
        self.working = bytes(working)
        self.count = count
        self.ordinals = ordinals
        self.confirmed_years = frozenset(PACKAGE_YEARS | override_years)


_lock = threading.Lock()
# Set when this process changed the override table, so tests (and callers) know to recompile.
dirty = False
_table: _Table | None = None
_table_version: object = None
_checked_at = 0.0


def _load_overrides() -> tuple[dict[dt.date, bool], set[int], object]:
    try:
        from django.db.models import Count, Max

        from fazhi.workdays.models import CalendarOverride, CalendarYear

        overrides = dict(CalendarOverride.objects.values_list("date", "is_working_day"))
        years = set(CalendarYear.objects.filter(confirmed=True).values_list("year", flat=True))
        agg_o = CalendarOverride.objects.aggregate(n=Count("id"), m=Max("updated_at"))
        agg_y = CalendarYear.objects.aggregate(n=Count("id"), m=Max("updated_at"))
        version = (agg_o["n"], agg_o["m"], agg_y["n"], agg_y["m"], tuple(sorted(years)))
        return overrides, years, version
    except Exception:  # noqa: BLE001 — no database yet (first migrate): the package alone is still right
        return {}, set(), None


def table() -> _Table:
    global _table, _table_version, _checked_at
    now = time.monotonic()
    if _table is not None and now - _checked_at < RECHECK_SECONDS:
        return _table
    with _lock:
        if _table is not None and now - _checked_at < RECHECK_SECONDS:
            return _table
        overrides, years, version = _load_overrides()
        if _table is None or version != _table_version:
            _table = _Table(overrides, years)
            _table_version = version
        _checked_at = time.monotonic()
        return _table


def reset_cache() -> None:
    """Forget the compiled table (after the override table changed, or in tests)."""
    global _table, _checked_at, dirty
    with _lock:
        _table = None
        _checked_at = 0.0
        dirty = False


def _plain_is_working(day: dt.date) -> bool:
    return day.weekday() < 5


def is_working_day(day: dt.date) -> bool:
    t = table()
    i = day.toordinal() - t.base
    if 0 <= i < len(t.working):
        return t.working[i] == 1
    return _plain_is_working(day)


def is_confirmed(*days: dt.date) -> bool:
    """True when every year from the first to the last of `days` has an official schedule."""
    years = table().confirmed_years
    lo, hi = min(d.year for d in days), max(d.year for d in days)
    return all(y in years for y in range(lo, hi + 1))


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The n-th working day after `day` (day 1 is the first working day after `day`, so the start day
    itself never counts). n = 0 gives `day` itself if it is a working day, else the next working day.
    Negative n counts backwards: the n-th working day before `day`."""
    t = table()
    i = day.toordinal() - t.base
    if 0 <= i < len(t.count):
        c = t.count[i]
        if n > 0:
            k = c + n - 1
        elif n == 0:
            k = c - 1 if t.working[i] else c
        else:
            k = c - (1 if t.working[i] else 0) + n
        if 0 <= k < len(t.ordinals):
            return dt.date.fromordinal(t.ordinals[k])
    return _plain_add(day, n)


def _plain_add(day: dt.date, n: int) -> dt.date:
    """Fallback outside the compiled range: working days are Monday–Friday, stepping day by day
    (through the table where the walk re-enters the compiled range)."""
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    current = day
    if n == 0:
        while not is_working_day(current):
            current += dt.timedelta(days=1)
        return current
    while remaining:
        current += dt.timedelta(days=step)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(a: dt.date, b: dt.date) -> int:
    """Working days in (a, b]: the inverse of add_working_days, so that
    working_days_between(d, add_working_days(d, n)) == n for n ≥ 1. Negative when b < a."""
    if b < a:
        return -working_days_between(b, a)
    t = table()
    ia, ib = a.toordinal() - t.base, b.toordinal() - t.base
    if 0 <= ia < len(t.count) and 0 <= ib < len(t.count):
        return t.count[ib] - t.count[ia]
    total, current = 0, a
    while current < b:
        current += dt.timedelta(days=1)
        total += is_working_day(current)
    return total


def next_working_day(day: dt.date) -> dt.date:
    """`day` itself if it is a working day, otherwise the first working day after it."""
    return add_working_days(day, 0)


def add_calendar_days(day: dt.date, n: int, *, roll_forward: bool = True) -> dt.date:
    """A natural-day limit: `day` + n days (the start day does not count).

    With `roll_forward` (the default) a limit whose last day is a rest day moves to the first working day
    after it. This is the rule of 《中华人民共和国民事诉讼法》第八十五条 (期间届满的最后一日是法定休假日的，
    以法定休假日后的第一日为期间届满的日期), which 《行政诉讼法》第一百零一条 and 《行政复议法》第八十八条
    apply to litigation and reconsideration, and which the courts apply to weekends as rest days.
    Pass roll_forward=False for limits that are plain calendar counts (internal policy limits,
    the 90-day penalty limit's day count as recorded).
    """
    end = day + dt.timedelta(days=n)
    return next_working_day(end) if roll_forward else end


def deadline_working_days(start: dt.date, n: int) -> Deadline:
    end = add_working_days(start, n)
    return Deadline(start=start, deadline=end, confirmed=is_confirmed(start, end))


def deadline_calendar_days(start: dt.date, n: int, *, roll_forward: bool = True) -> Deadline:
    end = add_calendar_days(start, n, roll_forward=roll_forward)
    return Deadline(start=start, deadline=end, confirmed=is_confirmed(start, end))


def working_days_in(a: dt.date, b: dt.date) -> list[dt.date]:
    """The working days in [a, b], for calendar pages."""
    t = table()
    lo = bisect.bisect_left(t.ordinals, a.toordinal())
    hi = bisect.bisect_right(t.ordinals, b.toordinal())
    return [dt.date.fromordinal(o) for o in t.ordinals[lo:hi]]
