"""Parsing of the calculator's and the calendar admin's inputs, shared by pages and API. Errors name the field."""

import datetime as dt

from fazhi.core.errors import DomainError
from fazhi.core.normalize import clean_text, parse_date
from fazhi.workdays import calendar

MAX_DAYS = 3660
# Arithmetic works for any year; this keeps results (start + 3660 days) inside what a date can hold.
START_YEAR_MIN, START_YEAR_MAX = 1900, 2199
KINDS = {"working": "工作日", "calendar": "自然日"}


def parse_start(value, *, field: str = "start", label: str = "起算日期") -> dt.date:
    """A date within START_YEAR_MIN..START_YEAR_MAX. The API passes labels that carry the parameter name."""
    if value is None or clean_text(value) == "":
        raise DomainError(f"{label}必填，格式 YYYY-MM-DD", field=field)
    day = parse_date(value, field=field, label=label)
    if not START_YEAR_MIN <= day.year <= START_YEAR_MAX:
        raise DomainError(f"{label}应在 {START_YEAR_MIN} 至 {START_YEAR_MAX} 年之间", field=field)
    return day


def parse_days(value, *, field: str, label: str, required: bool = False) -> int | None:
    """A day count 0..MAX_DAYS; None when absent and not required."""
    text = clean_text(value)
    if text == "":
        if required:
            raise DomainError(f"{label}必填", field=field)
        return None
    try:
        n = int(text)
    except ValueError:
        raise DomainError(f"{label}“{text}”应为整数", field=field) from None
    if not 0 <= n <= MAX_DAYS:
        raise DomainError(f"{label}应在 0 到 {MAX_DAYS} 之间", field=field)
    return n


def parse_kind(value, *, field: str = "kind") -> str:
    kind = clean_text(value) or "working"
    if kind not in KINDS:
        raise DomainError("计算方式应为“工作日”或“自然日”", field=field)
    return kind


def parse_is_working_day(value, *, field: str = "is_working_day") -> bool:
    text = clean_text(value)
    if text in ("1", "true", "上班"):
        return True
    if text in ("0", "false", "休息"):
        return False
    raise DomainError("类型应为“休息”或“上班”", field=field)


def parse_year(value, *, default: int, field: str = "year") -> int:
    """A calendar year the admin pages can show (the compiled range of the calendar)."""
    text = clean_text(value)
    if text == "":
        return default
    try:
        year = int(text)
    except ValueError:
        raise DomainError(f"年份“{text}”应为四位整数", field=field) from None
    lo, hi = calendar.RANGE_START.year, calendar.RANGE_END.year
    if not lo <= year <= hi:
        raise DomainError(f"年份应在 {lo} 至 {hi} 年之间", field=field)
    return year
