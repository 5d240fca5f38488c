"""Complaints API: public intake and status (no login), 12345 hotline work orders (token), routing suggestions,
staff reads and handling steps, statistics. Parse, call a service or selector, serialise."""

from django.http import HttpRequest
from ninja import Header, Query, Router, Status

from fazhi.complaints import routing, schemas, selectors, services
from fazhi.core.apitypes import MAX_OFFSET
from fazhi.core.audit import client_ip
from fazhi.core.errors import DomainError, NotFound
from fazhi.core.tokens import PermissionAuth, PublicAuth

router = Router(tags=["投诉举报"])

WRONG = {"detail": "查询码或查询密码不正确"}


def _limited(exc: DomainError):
    return 429 if exc.field == "rate" else 422


def _public(complaint) -> dict:
    view = selectors.public_view(complaint=complaint)
    return {**view.__dict__}


# ---------------------------------------------------------------- public


@router.post(
    "/public/complaints",
    auth=PublicAuth(),
    response={201: schemas.ReceiptOut, 422: dict, 429: dict},
    summary="公众提交投诉（无需登录）",
)
def public_submit(request: HttpRequest, payload: schemas.PublicComplaintIn):
    try:
        agency = selectors.agency_by_name(name=payload.agency)
        complaint, password = services.complaint_submit(
            channel="api",
            category=payload.category,
            description=payload.description,
            place=payload.place,
            party=payload.party,
            occurred_on=payload.occurred_on,
            agency_named=agency,
            anonymous=payload.anonymous,
            name=payload.name,
            phone=payload.phone,
            email=payload.email,
            consent=payload.consent,
            ip=client_ip(request),
            submit_token=f"api:{payload.idempotency_key}" if payload.idempotency_key else None,
        )
    except DomainError as exc:
        return Status(_limited(exc), exc.as_dict())
    return Status(201, {"tracking_code": complaint.tracking_code, "query_password": password})


@router.get(
    "/public/complaints/{tracking_code}",
    auth=PublicAuth(),
    response={200: schemas.PublicStatusOut, 404: dict, 429: dict},
    summary="公众查询办理进展和答复",
)
def public_status_get(
    request: HttpRequest,
    tracking_code: str,
    password: str = "",
    x_query_password: str = Header("", alias="X-Query-Password"),
):
    """The password goes in the `X-Query-Password` header (preferred) or the `password` query parameter."""
    try:
        complaint = services.complaint_public_query(
            code=tracking_code, password=x_query_password or password, ip=client_ip(request)
        )
    except NotFound:
        return Status(404, WRONG)
    except DomainError as exc:
        return Status(429, exc.as_dict())
    return Status(200, _public(complaint))


@router.post(
    "/public/complaints/{tracking_code}/rating",
    auth=PublicAuth(),
    response={200: schemas.PublicStatusOut, 404: dict, 422: dict, 429: dict},
    summary="公众评价答复",
)
def public_rate(request: HttpRequest, tracking_code: str, payload: schemas.RatingIn):
    try:
        complaint = services.complaint_public_query(
            code=tracking_code, password=payload.password, ip=client_ip(request)
        )
        complaint = services.complaint_rate(
            complaint=complaint, satisfaction=payload.satisfaction, comment=payload.comment, ip=client_ip(request)
        )
    except NotFound:
        return Status(404, WRONG)
    except DomainError as exc:
        return Status(_limited(exc), exc.as_dict())
    return Status(200, _public(complaint))


# ---------------------------------------------------------------- 12345 hotline


def _hotline_out(complaint, created: bool) -> dict:
    view = selectors.public_view(complaint=complaint)
    return {
        "work_order_no": complaint.work_order_no,
        "tracking_code": complaint.tracking_code,
        "created": created,
        "status": view.status,
        "status_label": view.status_label,
        "reply": view.reply,
    }


@router.post(
    "/complaints/hotline",
    auth=PermissionAuth("complaint.import"),
    response={200: schemas.HotlineOut, 201: schemas.HotlineOut},
    summary="推送12345热线工单（按工单编号幂等）",
)
def hotline_push(request: HttpRequest, payload: schemas.HotlineIn):
    complaint, created = services.hotline_upsert(
        by=request.auth,
        work_order_no=payload.work_order_no,
        received_at=payload.received_at,
        content=payload.content,
        caller_name=payload.caller_name,
        caller_phone=payload.caller_phone,
        handling_unit=payload.handling_unit,
        category=payload.category,
    )
    return Status((201 if created else 200), _hotline_out(complaint, created))


@router.get(
    "/complaints/hotline/{work_order_no}",
    auth=PermissionAuth("complaint.import"),
    response=schemas.HotlineOut,
    summary="查询12345工单办理状态和答复",
)
def hotline_status(request: HttpRequest, work_order_no: str):
    return _hotline_out(selectors.hotline_get(work_order_no=work_order_no), False)


@router.post(
    "/complaints/hotline/{work_order_no}/rating",
    auth=PermissionAuth("complaint.import"),
    response=schemas.HotlineOut,
    summary="回传12345回访评价（满意/基本满意/不满意）",
)
def hotline_rate(request: HttpRequest, work_order_no: str, payload: schemas.HotlineRatingIn):
    complaint = selectors.hotline_get(work_order_no=work_order_no)
    complaint = services.complaint_rate(
        complaint=complaint,
        satisfaction=payload.satisfaction,
        comment=payload.comment,
        by=request.auth,
        ip=client_ip(request),
    )
    return _hotline_out(complaint, False)


# ---------------------------------------------------------------- routing


@router.post(
    "/complaints/suggest",
    auth=PermissionAuth("complaint.triage", "complaint.view", "clue.create"),
    response=schemas.SuggestOut,
    summary="分办建议：承办单位和类别（前 3 个，含理由）",
)
def suggest(request: HttpRequest, payload: schemas.SuggestIn):
    text = payload.text.strip()
    if not text:
        raise DomainError("文本不能为空", field="text")
    if len(text) > 5000:
        raise DomainError("文本不能超过 5000 字", field="text")
    return {"suggestions": [s.as_dict() for s in routing.suggest(text)]}


# ---------------------------------------------------------------- staff


def _out(c) -> dict:
    return {
        "id": c.pk,
        "tracking_code": c.tracking_code,
        "channel": c.channel,
        "category": c.category,
        "status": c.status,
        "status_label": c.get_status_display(),
        "agency": c.agency.name if c.agency_id else None,
        "received_at": c.received_at,
        "deadline": c.item.deadline if c.item_id else None,
        "light": getattr(c, "light", None) if c.item_id else None,
        "description": c.description,
        "place": c.place,
        "party": c.party,
    }


def _with_identity(request, c) -> dict:
    """The complainant always masked in the API (the unmasked view is a logged page action)."""
    ident = selectors.complainant_identity(user=request.auth, complaint=c)
    return {**_out(c), "complainant_name": ident.name, "complainant_phone": ident.phone}


@router.get(
    "/complaints",
    auth=PermissionAuth("complaint.view"),
    response=list[schemas.ComplaintOut],
    summary="投诉列表（按数据范围）",
)
def complaint_list(
    request: HttpRequest,
    q: str = "",
    status: str = "",
    category: str = "",
    channel: str = "",
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    qs = selectors.complaint_list(
        user=request.auth,
        filters=selectors.ComplaintFilters(q=q, status=status, category=category, channel=channel),
        first=offset + limit,
    )
    return [_with_identity(request, c) for c in qs[offset : offset + limit]]


@router.get(
    "/complaints/stats",
    auth=PermissionAuth("complaint.stats"),
    response=list[schemas.StatRowOut],
    summary="投诉统计（渠道、类别、承办单位、区划、月份）",
)
def complaint_stats(request: HttpRequest, dimension: str = "agency", date_from: str = "", date_to: str = ""):
    from fazhi.core.normalize import parse_date

    d_from = parse_date(date_from, field="date_from", label="开始日期") if date_from else None
    d_to = parse_date(date_to, field="date_to", label="结束日期") if date_to else None
    return [
        r.__dict__
        for r in selectors.complaint_stats(user=request.auth, dimension=dimension, date_from=d_from, date_to=d_to)
    ]


@router.get(
    "/complaints/{int:pk}", auth=PermissionAuth("complaint.view"), response=schemas.ComplaintOut, summary="投诉详情"
)
def complaint_detail(request: HttpRequest, pk: int):
    return _with_identity(request, selectors.complaint_get(user=request.auth, pk=pk))


@router.post(
    "/complaints/{int:pk}/assign",
    auth=PermissionAuth("complaint.triage"),
    response=schemas.ComplaintOut,
    summary="受理并交办",
)
def complaint_assign(request: HttpRequest, pk: int, payload: schemas.ComplaintAssignIn):
    complaint = selectors.complaint_get(user=request.auth, pk=pk)
    agency = selectors.agency_by_name(name=payload.agency)
    if agency is None:
        raise DomainError("请填写承办单位全称", field="agency")
    services.complaint_assign(
        by=request.auth,
        complaint=complaint,
        agency=agency,
        category=payload.category,
        comment=payload.comment,
        ip=client_ip(request),
    )
    return _with_identity(request, selectors.complaint_get(user=request.auth, pk=pk))


@router.post(
    "/complaints/{int:pk}/reply",
    auth=PermissionAuth("complaint.handle"),
    response=schemas.ComplaintOut,
    summary="承办单位答复",
)
def complaint_reply(request: HttpRequest, pk: int, payload: schemas.ReplyIn):
    complaint = selectors.complaint_get(user=request.auth, pk=pk)
    services.complaint_reply(
        by=request.auth,
        complaint=complaint,
        findings=payload.findings,
        measures=payload.measures,
        ip=client_ip(request),
    )
    return _with_identity(request, selectors.complaint_get(user=request.auth, pk=pk))


@router.post(
    "/complaints/{int:pk}/approve",
    auth=PermissionAuth("complaint.triage"),
    response=schemas.ComplaintOut,
    summary="审核通过答复",
)
def complaint_approve(request: HttpRequest, pk: int, payload: schemas.ReasonIn):
    complaint = selectors.complaint_get(user=request.auth, pk=pk)
    services.complaint_approve(by=request.auth, complaint=complaint, comment=payload.comment, ip=client_ip(request))
    return _with_identity(request, selectors.complaint_get(user=request.auth, pk=pk))


@router.post(
    "/complaints/{int:pk}/return",
    auth=PermissionAuth("complaint.triage"),
    response=schemas.ComplaintOut,
    summary="退回答复",
)
def complaint_return(request: HttpRequest, pk: int, payload: schemas.ReasonIn):
    complaint = selectors.complaint_get(user=request.auth, pk=pk)
    services.complaint_return(by=request.auth, complaint=complaint, reason=payload.reason, ip=client_ip(request))
    return _with_identity(request, selectors.complaint_get(user=request.auth, pk=pk))
