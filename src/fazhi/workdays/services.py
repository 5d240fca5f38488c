"""Every write to the working-day calendar: overrides, confirmed years and the import of a year's schedule.

Each write runs in one transaction, logs the operation, and after the commit recompiles the calendar of this
process and enqueues the recomputation of stored deadlines (design.md §4: deadlines are recomputed when the
calendar changes).
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from fazhi.core.audit import log_operation
from fazhi.core.errors import DomainError
from fazhi.core.normalize import clean_text, parse_date
from fazhi.workdays import calendar
from fazhi.workdays.models import CalendarOverride, CalendarYear
from fazhi.workdays.signals import calendar_changed

YEAR_MIN = calendar.RANGE_START.year
YEAR_MAX = calendar.RANGE_END.year
NAME_MAX = CalendarOverride._meta.get_field("name").max_length
SOURCE_MAX = CalendarYear._meta.get_field("source").max_length


def _require(by, action: str, obj) -> None:
    """The service checks the predicate again (`by=None` is the system: imports of the official schedule)."""
    from fazhi.core.errors import Forbidden
    from fazhi.workdays.permissions import override_actions

    if by is not None and action not in override_actions(user=by, obj=obj):
        raise Forbidden()


def _after_calendar_change() -> None:
    """Mark the calendar dirty now (tests roll back instead of committing) and, once committed, recompile it
    in this process and recompute stored deadlines."""
    calendar.dirty = True
    # One recompilation and one recompute per transaction, however many rows an import wrote.
    pending = transaction.get_connection().run_on_commit
    if not any(isinstance(func, _CalendarCommitted) and not func.done for _, func, _ in pending):
        transaction.on_commit(_CalendarCommitted())


class _CalendarCommitted:
    done = False

    def __call__(self) -> None:
        self.done = True
        calendar.invalidate()
        calendar_changed.send(sender=_CalendarCommitted)


def _check_year(year: int, *, field_name: str, label: str) -> None:
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise DomainError(f"{label}应在 {YEAR_MIN} 至 {YEAR_MAX} 年之间", field=field_name)


def _base_is_working(day: dt.date) -> bool:
    """The day's status without any override: the package's schedule, or Monday–Friday beyond it."""
    base = calendar.package_is_working_day(day)
    return day.weekday() < 5 if base is None else base


def override_validate(
    *, date, is_working_day, name, instance: CalendarOverride | None = None
) -> tuple[dt.date, bool, str]:
    """Normalised (date, is_working_day, name), or DomainError naming the field."""
    if date in (None, ""):
        raise DomainError("日期不能为空", field="date")
    day = parse_date(date, field="date", label="日期")
    _check_year(day.year, field_name="date", label="日期")
    if not isinstance(is_working_day, bool):
        raise DomainError("类型应为“休息”或“上班”", field="is_working_day")
    name = clean_text(name)
    if not name:
        raise DomainError("名称不能为空（例：春节、国庆节调休上班）", field="name")
    if len(name) > NAME_MAX:
        raise DomainError(f"名称不能超过 {NAME_MAX} 个字", field="name")
    others = CalendarOverride.objects.filter(date=day)
    if instance is not None:
        others = others.exclude(pk=instance.pk)
    if others.exists():
        raise DomainError(f"日期 {day:%Y-%m-%d} 已有调整记录，请修改原记录", field="date")
    if is_working_day and _base_is_working(day):
        raise DomainError(f"日期 {day:%Y-%m-%d} 本来就是工作日，无需设为“上班”", field="is_working_day")
    return day, is_working_day, name


@transaction.atomic
def override_save(
    *, by, date, is_working_day: bool, name: str, instance: CalendarOverride | None = None, ip=None
) -> CalendarOverride:
    _require(by, "edit" if instance else "create", instance)
    day, working, name = override_validate(date=date, is_working_day=is_working_day, name=name, instance=instance)
    override = instance or CalendarOverride()
    old = str(instance) if instance else ""
    override.date, override.is_working_day, override.name = day, working, name
    override.updated_at = timezone.now()
    override.save()
    summary = f"{old} → {override}" if old else str(override)
    log_operation(
        user=by, action="修改节假日调整" if instance else "新增节假日调整", obj=override, summary=summary, ip=ip
    )
    _after_calendar_change()
    return override


@transaction.atomic
def override_delete(*, by, override: CalendarOverride, ip=None) -> None:
    _require(by, "delete", override)
    summary = str(override)
    log_operation(user=by, action="删除节假日调整", obj=override, summary=summary, ip=ip)
    override.delete()
    _after_calendar_change()


@transaction.atomic
def calendar_year_save(*, by, year, source: str, confirmed: bool = True, ip=None) -> CalendarYear:
    """Record that an admin entered `year`'s State Council schedule (results in it become confirmed)."""
    _require(by, "create", None)
    try:
        year = int(clean_text(year))
    except ValueError:
        raise DomainError(f"年份“{year}”应为四位整数", field="year") from None
    _check_year(year, field_name="year", label="年份")
    source = clean_text(source)
    if confirmed and not source:
        raise DomainError("确认年度须填写依据（例：国办发明电〔2026〕号）", field="source")
    if len(source) > SOURCE_MAX:
        raise DomainError(f"依据不能超过 {SOURCE_MAX} 个字", field="source")
    record, created = CalendarYear.objects.select_for_update().get_or_create(
        year=year, defaults={"source": source, "confirmed": bool(confirmed)}
    )
    if not created:
        record.source, record.confirmed = source, bool(confirmed)
        record.updated_at = timezone.now()
        record.save()
    state = "已确认" if record.confirmed else "未确认"
    log_operation(
        user=by,
        action="确认日历年度" if record.confirmed else "取消确认日历年度",
        obj=record,
        summary=f"{year} {state} {source}",
        ip=ip,
    )
    _after_calendar_change()
    return record


# ---------------------------------------------------------------- import of a year's schedule


def override_import_row(*, by, date, is_working_day: bool, name: str, ip=None) -> CalendarOverride:
    """One row of an imported schedule (fazhi.workdays.imports). A row identical to the stored override of
    its date is accepted unchanged, so the same file can be imported twice; a different one is a duplicate."""
    day = parse_date(date, field="date", label="日期")
    existing = CalendarOverride.objects.filter(date=day).first()
    if existing is not None and (existing.is_working_day, existing.name) == (is_working_day, clean_text(name)):
        return existing
    return override_save(by=by, date=day, is_working_day=is_working_day, name=name, ip=ip)
