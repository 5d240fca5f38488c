"""Reads for the calculator and the calendar admin. The calendar is not scoped data: everyone sees it."""

import calendar as pycal
import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from fazhi.workdays import calendar
from fazhi.workdays.models import CalendarOverride, CalendarYear
from fazhi.workdays.rules import NOTE_CALENDAR, NOTE_WORKING

WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


@dataclass(frozen=True)
class DeadlineExplained:
    kind: str  # "working" or "calendar"
    n: int
    start: dt.date
    deadline: dt.date
    confirmed: bool
    weekday: str
    legal_note: str
    crossed: list[calendar.SpecialDay]
    nominal: dt.date | None = None  # natural days: the day the count ends on before moving off a rest day
    unconfirmed_years: tuple[int, ...] = ()

    @property
    def rolled(self) -> bool:
        return self.nominal is not None and self.nominal != self.deadline

    @property
    def nominal_weekday(self) -> str:
        return WEEKDAYS[self.nominal.weekday()] if self.nominal else ""


def deadline_explain(*, start: dt.date, n: int, kind: str) -> DeadlineExplained:
    """The deadline with what a clerk needs to check it: weekday, legal note, holidays crossed."""
    if kind == "calendar":
        result = calendar.deadline_calendar_days(start, n)
        note = NOTE_CALENDAR
    else:
        result = calendar.deadline_working_days(start, n)
        note = NOTE_WORKING
    lo, hi = sorted((start, result.deadline))
    crossed = calendar.special_days(lo + dt.timedelta(days=1), hi)
    years = calendar.confirmed_years()
    unconfirmed = tuple(y for y in range(lo.year, hi.year + 1) if y not in years)
    return DeadlineExplained(
        kind=kind,
        n=n,
        start=start,
        deadline=result.deadline,
        confirmed=result.confirmed,
        weekday=WEEKDAYS[result.deadline.weekday()],
        legal_note=note,
        crossed=crossed,
        nominal=result.nominal,
        unconfirmed_years=unconfirmed if not result.confirmed else (),
    )


def day_status(*, day: dt.date) -> dict:
    """One day: working or not, its kind and name, and whether its year is confirmed."""
    sp = calendar.special_days(day, day)
    kind = calendar.day_kind(day)
    return {
        "date": day,
        "is_working_day": calendar.is_working_day(day),
        "kind": kind,
        "kind_label": calendar.KIND_LABELS[kind],
        "name": sp[0].name if sp else "",
        "confirmed": calendar.is_confirmed(day),
    }


def override_list(*, year: int | None = None) -> QuerySet[CalendarOverride]:
    qs = CalendarOverride.objects.all()
    if year is not None:
        qs = qs.filter(date__year=year)
    return qs.order_by("date")


def override_get(*, pk) -> CalendarOverride | None:
    try:
        return CalendarOverride.objects.get(pk=pk)
    except (CalendarOverride.DoesNotExist, ValueError, TypeError):
        return None


@dataclass(frozen=True)
class YearStatus:
    year: int
    in_package: bool
    record: CalendarYear | None

    @property
    def confirmed(self) -> bool:
        return self.in_package or bool(self.record and self.record.confirmed)

    @property
    def label(self) -> str:
        if self.in_package:
            return "已确认（系统内置的国务院办公厅节假日安排）"
        if self.record and self.record.confirmed:
            return f"已确认（{self.record.source}）"
        return "未确认：按周末推算，期限结果标为未确认"


def year_status(*, year: int) -> YearStatus:
    return YearStatus(
        year=year, in_package=year in calendar.PACKAGE_YEARS, record=CalendarYear.objects.filter(year=year).first()
    )


def year_choices(*, around: int) -> list[int]:
    lo = max(calendar.RANGE_START.year, min(calendar.PACKAGE_YEARS))
    hi = calendar.RANGE_END.year
    return list(range(max(lo, around - 8), min(hi, around + 5) + 1))


def year_grid(*, year: int) -> list[dict]:
    """Twelve months, each a list of weeks (Monday first) of cells {date, kind, name} or None (padding)."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    names = {sp.date: sp.name for sp in calendar.special_days(first, last)}
    months = []
    for month in range(1, 13):
        weeks = []
        for week in pycal.Calendar(firstweekday=0).monthdatescalendar(year, month):
            weeks.append(
                [
                    {"date": d, "kind": calendar.day_kind(d), "name": names.get(d, "")} if d.month == month else None
                    for d in week
                ]
            )
        months.append({"month": month, "weeks": weeks})
    return months
