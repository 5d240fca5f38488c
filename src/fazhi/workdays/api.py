import datetime as dt

from ninja import Router, Schema

from fazhi.core.errors import DomainError
from fazhi.core.normalize import parse_date
from fazhi.workdays.calendar import deadline_calendar_days, deadline_working_days

router = Router(tags=["工作日"])

MAX_DAYS = 3660


class DeadlineOut(Schema):
    start: dt.date
    deadline: dt.date
    confirmed: bool
    working_days: int | None = None
    calendar_days: int | None = None


def _days(value: str | None, field: str, label: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        n = int(str(value).strip())
    except ValueError:
        raise DomainError(f"{label}“{value}”应为整数", field=field) from None
    if not 0 <= n <= MAX_DAYS:
        raise DomainError(f"{label}应在 0 到 {MAX_DAYS} 之间", field=field)
    return n


@router.get("/deadline", response=DeadlineOut, summary="期限计算")
def deadline(request, start: str = "", working_days: str | None = None, calendar_days: str | None = None):
    """`working_days=N`: the N-th working day after `start`. `calendar_days=N`: start + N natural days,
    moved to the next working day when it ends on a rest day (民事诉讼法第八十五条)."""
    if not start:
        raise DomainError("起算日期 start 必填，格式 YYYY-MM-DD", field="start")
    start_date = parse_date(start, field="start", label="起算日期")
    wd = _days(working_days, "working_days", "工作日天数")
    cd = _days(calendar_days, "calendar_days", "自然日天数")
    if (wd is None) == (cd is None):
        raise DomainError("working_days 与 calendar_days 须且只能提供一个", field="working_days")
    if wd is not None:
        result = deadline_working_days(start_date, wd)
    else:
        result = deadline_calendar_days(start_date, cd)
    return {"start": result.start, "deadline": result.deadline, "confirmed": result.confirmed,
            "working_days": wd, "calendar_days": cd}
