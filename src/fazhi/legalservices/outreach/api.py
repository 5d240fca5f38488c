"""API of 普法 (/api/v1/legalservices/outreach/…): parse, call a service or selector, serialise."""

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from fazhi.core.apitypes import MAX_OFFSET
from fazhi.core.errors import DomainError
from fazhi.core.tokens import PermissionAuth
from fazhi.legalservices.outreach import selectors, services

router = Router(tags=["普法"])

VIEW = PermissionAuth("outreach.view")
EDIT = PermissionAuth("outreach.edit", "outreach.manage")


class ListIn(Schema):
    year: int = Field(..., ge=2000, le=2100)


class OutreachItemIn(Schema):
    content: str = Field(..., max_length=300)
    laws: str = Field("", max_length=300)
    target_groups: list[str] = Field(..., min_length=1, max_length=20)
    deadline: dt.date


class OutreachItemOut(Schema):
    id: int
    content: str
    laws: str
    target_groups: list[str]
    deadline: dt.date
    done_on: dt.date | None
    tracked_item_id: int | None


class ListOut(Schema):
    id: int
    unit: str
    year: int
    status: str
    items: list[OutreachItemOut]


class CompleteIn(Schema):
    done_on: dt.date | None = None
    comment: str = Field("", max_length=500)


class ActivityIn(Schema):
    kind: str = Field(
        ...,
        description="six_into 法律“六进” / constitution_week 宪法宣传周 / case_explain 以案释法 / culture_site 法治文化阵地 / other",
    )
    venue: str = Field("", description="六进：organ / village / community / school / enterprise / unit")
    title: str = Field(..., max_length=200)
    held_on: dt.date
    place: str = Field("", max_length=200)
    attendance: int = Field(0, ge=0, le=1_000_000)
    laws: str = Field("", max_length=300)
    summary: str = Field("", max_length=5000)
    duty_item_id: int | None = Field(None, ge=1, le=2**62)


class ActivityOut(Schema):
    id: int
    unit: str
    kind: str
    venue: str
    title: str
    held_on: dt.date
    place: str
    attendance: int
    laws: str
    duty_item_id: int | None
    files: list[str]


class LiterateOut(Schema):
    id: int
    division: str
    township: str
    village: str
    name: str = Field(..., description="已脱敏")
    id_number: str = Field(..., description="已脱敏")
    phone: str = Field(..., description="已脱敏")
    occupation: str


class CompletionOut(Schema):
    unit_id: int
    unit_name: str
    published: bool
    total: int
    done: int
    done_on_time: int
    overdue: int
    rate: Decimal | None
    activities: int
    attendance: int
    light: str


def _list(duty_list) -> dict:
    return {
        "id": duty_list.pk,
        "unit": duty_list.unit.name,
        "year": duty_list.year,
        "status": duty_list.status,
        "items": [
            {
                "id": i.pk,
                "content": i.content,
                "laws": i.laws,
                "target_groups": i.target_groups,
                "deadline": i.deadline,
                "done_on": i.done_on,
                "tracked_item_id": i.item_id,
            }
            for i in selectors.duty_items(duty_list=duty_list)
        ],
    }


def _activity(a) -> dict:
    return {
        "id": a.pk,
        "unit": a.unit.name,
        "kind": a.kind,
        "venue": a.venue,
        "title": a.title,
        "held_on": a.held_on,
        "place": a.place,
        "attendance": a.attendance,
        "laws": a.laws,
        "duty_item_id": a.duty_item_id,
        "files": [f.name for f in a.attachments.order_by("pk")],
    }


@router.get("/outreach/lists", auth=VIEW, response=list[ListOut], summary="普法责任清单")
def list_index(
    request: HttpRequest,
    year: int | None = Query(None, ge=2000, le=2100),
    q: str = "",
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    return [_list(dl) for dl in selectors.duty_lists(user=request.auth, year=year, q=q)[offset : offset + limit]]


@router.post("/outreach/lists", auth=EDIT, response={201: ListOut}, summary="编制本单位年度普法责任清单")
def list_create(request: HttpRequest, payload: ListIn):
    return Status(201, _list(services.duty_list_create(by=request.auth, year=payload.year)))


@router.get("/outreach/lists/{int:pk}", auth=VIEW, response=ListOut, summary="清单详情")
def list_detail(request: HttpRequest, pk: int):
    return _list(selectors.duty_list_get(user=request.auth, pk=pk))


@router.post("/outreach/lists/{int:pk}/items", auth=EDIT, response={201: ListOut}, summary="添加清单事项")
def list_item_add(request: HttpRequest, pk: int, payload: OutreachItemIn):
    duty_list = selectors.duty_list_get(user=request.auth, pk=pk)
    services.duty_item_add(by=request.auth, duty_list=duty_list, **payload.dict())
    return Status(201, _list(duty_list))


@router.post("/outreach/lists/{int:pk}/publish", auth=EDIT, response=ListOut, summary="公布清单（事项进入督办）")
def list_publish(request: HttpRequest, pk: int):
    duty_list = selectors.duty_list_get(user=request.auth, pk=pk)
    return _list(services.duty_list_publish(by=request.auth, duty_list=duty_list))


@router.post("/outreach/lists/{int:pk}/items/{int:item_pk}/complete", auth=EDIT, response=ListOut, summary="事项完成")
def list_item_complete(request: HttpRequest, pk: int, item_pk: int, payload: CompleteIn):
    duty_list = selectors.duty_list_get(user=request.auth, pk=pk)
    entry = selectors.duty_item_get(user=request.auth, duty_list=duty_list, pk=item_pk)
    services.duty_item_complete(by=request.auth, entry=entry, done_on=payload.done_on, comment=payload.comment)
    return _list(duty_list)


@router.get("/outreach/activities", auth=VIEW, response=list[ActivityOut], summary="普法活动")
def activity_list(
    request: HttpRequest,
    q: str = "",
    kind: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    filters = selectors.ActivityFilters(q=q, kind=kind, date_from=date_from, date_to=date_to)
    return [_activity(a) for a in selectors.activity_list(user=request.auth, filters=filters)[offset : offset + limit]]


@router.post("/outreach/activities", auth=EDIT, response={201: ActivityOut}, summary="登记普法活动")
def activity_create(request: HttpRequest, payload: ActivityIn):
    data = payload.dict()
    item_id = data.pop("duty_item_id")
    item = selectors.open_items_of_unit(user=request.auth).filter(pk=item_id).first() if item_id else None
    if item_id and item is None:
        raise DomainError("普法责任事项不存在或已完成", field="duty_item_id")
    return Status(201, _activity(services.activity_save(by=request.auth, duty_item=item, **data)))


@router.get("/outreach/activities/{int:pk}", auth=VIEW, response=ActivityOut, summary="普法活动详情")
def activity_detail(request: HttpRequest, pk: int):
    return _activity(selectors.activity_get(user=request.auth, pk=pk))


@router.post("/outreach/activities/{int:pk}/files", auth=EDIT, response={201: ActivityOut}, summary="上传材料和照片")
def activity_files(request: HttpRequest, pk: int, files: list[UploadedFile] = File(...)):
    activity = selectors.activity_get(user=request.auth, pk=pk)
    services.activity_attach(by=request.auth, activity=activity, files=files)
    return Status(201, _activity(activity))


@router.get("/outreach/literates", auth=VIEW, response=list[LiterateOut], summary="法律明白人名册（脱敏）")
def literate_list(
    request: HttpRequest, q: str = "", limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0, le=MAX_OFFSET)
):
    rows = selectors.literate_rows(selectors.literate_list(user=request.auth, q=q)[offset : offset + limit])
    return [
        {
            "id": r.pk,
            "division": r.division,
            "township": r.township,
            "village": r.village,
            "name": r.name,
            "id_number": r.id_number,
            "phone": r.phone,
            "occupation": r.occupation,
        }
        for r in rows
    ]


@router.get(
    "/outreach/completion", auth=VIEW, response=list[CompletionOut], summary="谁执法谁普法年度完成情况（按单位，亮牌）"
)
def completion(request: HttpRequest, year: int = Query(..., ge=2000, le=2100)):
    return [{**r.__dict__, "rate": r.rate} for r in selectors.outreach_completion(year=year, user=request.auth)]


class OutreachMonthOut(Schema):
    month: int
    activities: int
    attendance: int


@router.get(
    "/outreach/activities-by-month",
    auth=VIEW,
    response=list[OutreachMonthOut],
    summary="普法活动按月统计（次数、参加人次，本人数据范围）",
)
def activities_by_month(request: HttpRequest, year: int = Query(..., ge=2000, le=2100)):
    return selectors.activities_by_month(year=year, user=request.auth)
