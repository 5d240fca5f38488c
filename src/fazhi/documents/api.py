"""API of 公文: the 发文字号 registers, under /api/v1/documents. Parse, call a service or selector, serialise."""

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from fazhi.core.apitypes import MAX_OFFSET, Year
from fazhi.core.audit import client_ip
from fazhi.core.errors import DomainError
from fazhi.core.tokens import PermissionAuth
from fazhi.documents import selectors, services
from fazhi.documents.permissions import register_actions

router = Router(tags=["发文字号"])
VIEW = PermissionAuth("document.view", "document.manage")


class DocumentRegisterIn(Schema):
    unit_id: int = Field(..., ge=1, le=2**62, description="发文机关（单位编号）")
    doc_type: str = Field(..., max_length=40, description="文种，如 行政执法监督意见书")
    year: Year = Field(..., description="当年或以后的年份")
    prefix: str = Field(..., max_length=20, description="发文机关代字，如 示司监")


class DocumentRegisterOut(Schema):
    id: int
    unit_id: int
    unit: str
    doc_type: str
    year: int
    prefix: str
    last_number: int
    taken: int
    next_number: str
    created_at: dt.datetime
    actions: list[str]


class DocumentNumberOut(Schema):
    number: int
    text: str
    taken_by: str
    taken_at: dt.datetime


def _out(request, r) -> dict:
    return {
        "id": r.pk,
        "unit_id": r.unit_id,
        "unit": r.unit.name,
        "doc_type": r.doc_type,
        "year": r.year,
        "prefix": r.prefix,
        "last_number": r.last_number,
        "taken": getattr(r, "taken", None) if getattr(r, "taken", None) is not None else r.numbers.count(),
        "next_number": f"{r.prefix}〔{r.year}〕{r.last_number + 1}号",
        "created_at": r.created_at,
        "actions": sorted(register_actions(user=request.auth, obj=r)),
    }


@router.get("/registers", auth=VIEW, response=list[DocumentRegisterOut], summary="发文字号登记簿（按数据范围）")
def register_list(
    request: HttpRequest,
    q: str = "",
    year: Year | None = None,
    unit_id: int | None = Query(None, ge=1, le=2**62),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    qs = selectors.register_list(user=request.auth, q=q, year=year, unit=unit_id)
    return [_out(request, r) for r in qs[offset : offset + limit]]


@router.post(
    "/registers",
    auth=PermissionAuth("document.manage"),
    response={201: DocumentRegisterOut},
    summary="新建登记簿（当年或以后的年份）",
)
def register_create(request: HttpRequest, payload: DocumentRegisterIn):
    unit = selectors.register_unit_choices(user=request.auth).filter(pk=payload.unit_id).first()
    if unit is None:
        raise DomainError(f"单位“{payload.unit_id}”不存在或不在本人管辖范围内", field="unit_id")
    register = services.register_create(
        by=request.auth,
        unit=unit,
        doc_type=payload.doc_type,
        year=payload.year,
        prefix=payload.prefix,
        ip=client_ip(request),
    )
    return Status(201, _out(request, selectors.register_get(user=request.auth, pk=register.pk)))


@router.get("/registers/{int:pk}", auth=VIEW, response=DocumentRegisterOut, summary="登记簿详情")
def register_detail(request: HttpRequest, pk: int):
    return _out(request, selectors.register_get(user=request.auth, pk=pk))


@router.get(
    "/registers/{int:pk}/numbers", auth=VIEW, response=list[DocumentNumberOut], summary="已取的发文字号（取号人、时间）"
)
def register_numbers(
    request: HttpRequest,
    pk: int,
    q: str = "",
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    register = selectors.register_get(user=request.auth, pk=pk)
    qs = selectors.register_numbers(register=register, q=q)
    return [
        {
            "number": n.number,
            "text": n.text,
            "taken_by": n.taken_by.display_name if n.taken_by_id else "系统",
            "taken_at": n.taken_at,
        }
        for n in qs[offset : offset + limit]
    ]
