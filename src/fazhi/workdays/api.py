import datetime as dt

from ninja import Router, Schema, Status
from ninja.errors import HttpError

from fazhi.core.apitypes import Year
from fazhi.core.audit import client_ip
from fazhi.core.errors import DomainError
from fazhi.core.tokens import PermissionAuth
from fazhi.workdays import calendar
from fazhi.workdays.forms import parse_days, parse_start
from fazhi.workdays.selectors import day_status, override_get, override_list
from fazhi.workdays.services import override_delete, override_save

router = Router(tags=["工作日"])


class DeadlineOut(Schema):
    start: dt.date
    deadline: dt.date
    confirmed: bool


class DayOut(Schema):
    date: dt.date
    is_working_day: bool
    kind: str
    kind_label: str
    name: str
    confirmed: bool


class BetweenOut(Schema):
    start: dt.date
    end: dt.date
    working_days: int
    confirmed: bool


class OverrideOut(Schema):
    id: int
    date: dt.date
    is_working_day: bool
    name: str


class OverrideIn(Schema):
    date: str
    is_working_day: bool
    name: str


@router.get("/deadline", response=DeadlineOut, summary="期限计算", auth=PermissionAuth("workdays.use"))
def deadline(request, start: str = "", working_days: str | None = None, calendar_days: str | None = None):
    """`working_days=N`: the N-th working day after `start`. `calendar_days=N`: start + N natural days,
    moved to the next working day when it ends on a rest day (民事诉讼法第八十五条)."""
    start_date = parse_start(start, field="start", label="起算日期 start ")
    wd = parse_days(working_days, field="working_days", label="工作日天数 working_days ")
    cd = parse_days(calendar_days, field="calendar_days", label="自然日天数 calendar_days ")
    if (wd is None) == (cd is None):
        raise DomainError(
            "working_days（工作日天数）与 calendar_days（自然日天数）须且只能提供一个", field="working_days"
        )
    if wd is not None:
        result = calendar.deadline_working_days(start_date, wd)
    else:
        result = calendar.deadline_calendar_days(start_date, cd)
    return {"start": result.start, "deadline": result.deadline, "confirmed": result.confirmed}


@router.get("/is-working-day", response=DayOut, summary="是否工作日", auth=PermissionAuth("workdays.use"))
def is_working_day(request, date: str = ""):
    return day_status(day=parse_start(date, field="date", label="日期 date "))


@router.get("/between", response=BetweenOut, summary="两日之间的工作日数", auth=PermissionAuth("workdays.use"))
def between(request, start: str = "", end: str = ""):
    """Working days in (start, end]; negative when end is before start."""
    a = parse_start(start, field="start", label="起始日期 start ")
    b = parse_start(end, field="end", label="截止日期 end ")
    return {
        "start": a,
        "end": b,
        "working_days": calendar.working_days_between(a, b),
        "confirmed": calendar.is_confirmed(a, b),
    }


@router.get(
    "/overrides",
    response=list[OverrideOut],
    summary="节假日调整列表",
    auth=PermissionAuth("workdays.use", "calendar.manage"),
)
def overrides(request, year: Year | None = None):
    return list(override_list(year=year))


@router.post(
    "/overrides", response={201: OverrideOut}, summary="新增节假日调整", auth=PermissionAuth("calendar.manage")
)
def override_create(request, payload: OverrideIn):
    override = override_save(
        by=request.auth,
        date=payload.date,
        is_working_day=payload.is_working_day,
        name=payload.name,
        ip=client_ip(request),
    )
    return Status(201, override)


@router.delete(
    "/overrides/{override_id}", response={204: None}, summary="删除节假日调整", auth=PermissionAuth("calendar.manage")
)
def override_remove(request, override_id: int):
    override = override_get(pk=override_id)
    if override is None:
        raise HttpError(404, "记录不存在")
    override_delete(by=request.auth, override=override, ip=client_ip(request))
    return Status(204, None)
