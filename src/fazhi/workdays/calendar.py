"""Working-day arithmetic for statutory deadlines.

Source of truth, in order: the admin-edited override table (`CalendarOverride`), then the
chinese-calendar package (State Council schedules it carries, up to 2026), then the plain rule
Monday–Friday. A result that depends on a year neither source confirms is marked unconfirmed; nothing
here raises for an unknown year (dates from year 1 to 9999 work; only a result beyond 9999 cannot exist).

Counting convention (行政处罚法第八十五条 and 民事诉讼法第八十五条: 期间开始的日不计算在期间内): the start day
never counts; day 1 of a working-day limit is the first working day after the start.

Speed: the calendar is compiled once into a list of working-day ordinals and a running count per day,
so `add_working_days` is two list look-ups (design target: 1M calls ≤ 2 s). Outside the compiled range
(2000–2060) the weekend rule is applied in closed form, so even far dates cost O(1). The compiled table
is rebuilt when the override table changes: at once in the process that changed it (services call
`invalidate()` on commit) and within `RECHECK_SECONDS` in every other process.
"""

import bisect
import datetime as dt
import threading
import time
from dataclasses import dataclass

from chinese_calendar import constants as cc
from django.db import DatabaseError

# The compiled range. Outside it the weekend rule applies, unconfirmed.
RANGE_START = dt.date(2000, 1, 1)
RANGE_END = dt.date(2060, 12, 31)
PACKAGE_YEARS = frozenset(range(min(cc.holidays).year, max(cc.holidays).year + 1))
RECHECK_SECONDS = 5.0
_PACKAGE_HOLIDAYS = frozenset(cc.holidays)
_PACKAGE_WORKDAYS = frozenset(cc.workdays)
# The package's short names (清明, 端午, 中秋) in the form the State Council notices use.
_CHINESE_NAMES = {
    h.value: {"清明": "清明节", "端午": "端午节", "中秋": "中秋节"}.get(h.chinese, h.chinese) for h in cc.Holiday
}

# Kinds of day, for calendar pages.
WORKDAY, WEEKEND, HOLIDAY, ADJUSTED_WORKDAY = "workday", "weekend", "holiday", "adjusted"
KIND_LABELS = {WORKDAY: "工作日", WEEKEND: "休息日", HOLIDAY: "法定节假日", ADJUSTED_WORKDAY: "调休上班"}


@dataclass(frozen=True)
class Deadline:
    start: dt.date
    deadline: dt.date
    confirmed: bool
    # For natural-day limits: the day the count itself ends on, before moving off a rest day.
    nominal: dt.date | None = None


@dataclass(frozen=True)
class SpecialDay:
    """A day whose status differs from Monday–Friday, or that an override names."""

    date: dt.date
    is_working_day: bool
    name: str
    source: str  # "package" or "override"

    @property
    def kind(self) -> str:
        return ADJUSTED_WORKDAY if self.is_working_day else HOLIDAY


def _weekdays_through(o: int) -> int:
    """Mondays–Fridays among ordinals 1..o (ordinal 1, 0001-01-01, is a Monday); defined for any integer."""
    return 5 * (o // 7) + min(o % 7, 5)


def _nth_weekday(t: int) -> int:
    """The ordinal of the weekday w with _weekdays_through(w) == t (the inverse on weekdays)."""
    q, r = divmod(t - 1, 5)
    return 7 * q + r + 1


def _package_special(day: dt.date) -> SpecialDay | None:
    if day in _PACKAGE_WORKDAYS:
        name = _CHINESE_NAMES.get(cc.workdays[day], cc.workdays[day])
        return SpecialDay(day, True, f"{name}调休上班", "package")
    if day in _PACKAGE_HOLIDAYS:
        return SpecialDay(day, False, _CHINESE_NAMES.get(cc.holidays[day], cc.holidays[day]), "package")
    return None


class _Table:
    """Compiled calendar: which days are working days, and the confirmed years."""

    def __init__(self, overrides: dict[dt.date, tuple[bool, str]], override_years: set[int]):
        self.base = RANGE_START.toordinal()
        self.end = RANGE_END.toordinal()
        self.span = self.end - self.base + 1
        working = bytearray(self.span)
        count = [0] * self.span
        ordinals: list[int] = []
        special: dict[dt.date, SpecialDay] = {}
        running = 0
        for i in range(self.span):
            day = dt.date.fromordinal(self.base + i)
            if day in overrides:
                w, name = overrides[day]
                special[day] = SpecialDay(day, w, name, "override")
            elif day.year in PACKAGE_YEARS:
                w = day in _PACKAGE_WORKDAYS or (day.weekday() < 5 and day not in _PACKAGE_HOLIDAYS)
                sp = _package_special(day)
                if sp is not None:
                    special[day] = sp
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
        self.total = running
        self.special = special
        self.special_sorted = sorted(special)
        # Plain weekday counts at the range ends, to continue the count outside the range in closed form.
        self.w_before = _weekdays_through(self.base - 1)
        self.w_end = _weekdays_through(self.end)
        self.confirmed_years = frozenset(PACKAGE_YEARS | override_years)

    def count_at(self, o: int) -> int:
        """Working days in [RANGE_START, o] (negative before the range): a running count for every date."""
        i = o - self.base
        if i < 0:
            return _weekdays_through(o) - self.w_before
        if i >= self.span:
            return self.total + _weekdays_through(o) - self.w_end
        return self.count[i]

    def working_at(self, o: int) -> bool:
        i = o - self.base
        if 0 <= i < self.span:
            return self.working[i] == 1
        return (o - 1) % 7 < 5

    def kth(self, k: int) -> int:
        """The ordinal of the working day whose running count is k."""
        if 1 <= k <= self.total:
            return self.ordinals[k - 1]
        if k > self.total:
            return _nth_weekday(self.w_end + k - self.total)
        return _nth_weekday(self.w_before + k)


_lock = threading.Lock()
# Set by services when this process changed the override table, so that tests know to recompile
# (conftest's `_fresh_calendar`); `reset_cache()` clears it, `invalidate()` leaves it.
dirty = False
_table: _Table | None = None
_table_version: object = None
_checked_at = 0.0


def _load_overrides() -> tuple[dict[dt.date, tuple[bool, str]], set[int]] | None:
    """The override table and the confirmed years, or None when there is no database to read (before the
    first migrate, or in a test without database access): the package alone is still right then."""
    from fazhi.workdays.models import CalendarOverride, CalendarYear

    try:
        overrides = {
            d: (w, name) for d, w, name in CalendarOverride.objects.values_list("date", "is_working_day", "name")
        }
        years = set(CalendarYear.objects.filter(confirmed=True).values_list("year", flat=True))
    except (DatabaseError, RuntimeError):  # RuntimeError: pytest-django's "Database access not allowed"
        return None
    return overrides, years


def table() -> _Table:
    global _table, _table_version, _checked_at
    current = _table  # one read: another thread may invalidate meanwhile
    if current is not None and time.monotonic() - _checked_at < RECHECK_SECONDS:
        return current
    with _lock:
        if _table is not None and time.monotonic() - _checked_at < RECHECK_SECONDS:
            return _table
        loaded = _load_overrides()
        # The loaded rows themselves are the version: any edit, however made, is noticed.
        version = None if loaded is None else (frozenset(loaded[0].items()), frozenset(loaded[1]))
        if _table is None or version != _table_version:
            overrides, years = loaded if loaded is not None else ({}, set())
            _table = _Table(overrides, years)
            _table_version = version
        _checked_at = time.monotonic()
        return _table


def invalidate() -> None:
    """Recompile on the next call (services call this after an override change commits)."""
    global _table, _checked_at
    with _lock:
        _table = None
        _checked_at = 0.0


def reset_cache() -> None:
    """Forget the compiled table and the dirty flag (tests, after the override table changed)."""
    global dirty
    invalidate()
    dirty = False


def is_working_day(day: dt.date) -> bool:
    return table().working_at(day.toordinal())


def confirmed_years() -> frozenset[int]:
    """Years with an official schedule: the package's years plus the years an admin confirmed."""
    return table().confirmed_years


def is_confirmed(*days: dt.date) -> bool:
    """True when every year from the first to the last of `days` has an official schedule."""
    years = table().confirmed_years
    if len(days) == 2:
        lo, hi = days[0].year, days[1].year
        if lo > hi:
            lo, hi = hi, lo
    else:
        lo, hi = min(d.year for d in days), max(d.year for d in days)
    if lo == hi:
        return lo in years
    return all(y in years for y in range(lo, hi + 1))


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The n-th working day after `day`: day 1 is the first working day after `day`, so the start day
    itself never counts (行政处罚法第八十五条: its 二日/三日/五日/七日 limits are working days).

    n = 0 gives `day` itself if it is a working day, else the next working day. Negative n counts
    backwards: -1 is the last working day before `day`. Never lands on a rest day.
    """
    t = table()
    o = day.toordinal()
    i = o - t.base
    if 0 <= i < t.span:
        k = t.count[i] + n
        if n <= 0 and not t.working[i]:
            k += 1
        if 1 <= k <= t.total:
            return dt.date.fromordinal(t.ordinals[k - 1])
    else:
        k = t.count_at(o) + n
        if n <= 0 and not t.working_at(o):
            k += 1
    return dt.date.fromordinal(t.kth(k))


def working_days_between(a: dt.date, b: dt.date) -> int:
    """Working days in (a, b]: the inverse of add_working_days, so that
    working_days_between(d, add_working_days(d, n)) == n for n ≥ 1. Negative when b < a."""
    t = table()
    oa, ob = a.toordinal() - t.base, b.toordinal() - t.base
    if 0 <= oa < t.span and 0 <= ob < t.span:
        return t.count[ob] - t.count[oa]
    return t.count_at(b.toordinal()) - t.count_at(a.toordinal())


def next_working_day(day: dt.date) -> dt.date:
    """`day` itself if it is a working day, otherwise the first working day after it."""
    return add_working_days(day, 0)


def add_calendar_days(day: dt.date, n: int, *, roll_forward: bool = True) -> dt.date:
    """A natural-day limit: `day` + n days (the start day does not count).

    With `roll_forward` (the default) a limit whose last day is a rest day (a statutory holiday or a
    weekend that is not an adjusted working day) moves to the first working day after it. This is the
    rule of 《中华人民共和国民事诉讼法》第八十五条 (期间届满的最后一日是法定休假日的，以法定休假日后的第一日为
    期间届满的日期), which 《行政诉讼法》第一百零一条 and 《行政复议法》第八十八条 apply to litigation and
    reconsideration, and which the courts apply to weekends as rest days.
    Pass roll_forward=False for limits that are plain calendar counts (internal policy limits).
    """
    end = day + dt.timedelta(days=n)
    return next_working_day(end) if roll_forward else end


def deadline_working_days(start: dt.date, n: int) -> Deadline:
    end = add_working_days(start, n)
    return Deadline(start=start, deadline=end, confirmed=is_confirmed(start, end))


def deadline_calendar_days(start: dt.date, n: int, *, roll_forward: bool = True) -> Deadline:
    """Only the days from the nominal end to the (moved) deadline depend on the holiday schedule."""
    nominal = start + dt.timedelta(days=n)
    end = next_working_day(nominal) if roll_forward else nominal
    confirmed = is_confirmed(nominal, end) if roll_forward else True
    return Deadline(start=start, deadline=end, confirmed=confirmed, nominal=nominal)


def working_days_in(a: dt.date, b: dt.date) -> list[dt.date]:
    """The working days in [a, b], for calendar pages."""
    if b < a:
        return []
    t = table()
    days = []
    current = a
    while current <= b:
        if t.working_at(current.toordinal()):
            days.append(current)
        current += dt.timedelta(days=1)
    return days


def special_days(a: dt.date, b: dt.date) -> list[SpecialDay]:
    """Holidays and adjusted working days (package or override) in [a, b], in date order."""
    t = table()
    lo = bisect.bisect_left(t.special_sorted, a)
    hi = bisect.bisect_right(t.special_sorted, b)
    return [t.special[d] for d in t.special_sorted[lo:hi]]


def day_kind(day: dt.date) -> str:
    """workday / weekend / holiday / adjusted, for colouring a calendar."""
    t = table()
    working = t.working_at(day.toordinal())
    if day.weekday() < 5:
        return WORKDAY if working else HOLIDAY
    return ADJUSTED_WORKDAY if working else WEEKEND


def package_is_working_day(day: dt.date) -> bool | None:
    """The package's answer alone (no overrides), or None for a year the package does not carry."""
    if day.year not in PACKAGE_YEARS:
        return None
    return day in _PACKAGE_WORKDAYS or (day.weekday() < 5 and day not in _PACKAGE_HOLIDAYS)
