"""API of 法律顾问 (/api/v1/legalservices/advisers/…): parse, call a service or selector, serialise."""

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from fazhi.core.apitypes import MAX_OFFSET
from fazhi.core.errors import DomainError
from fazhi.core.masking import mask_phone
from fazhi.core.models import Division, Unit
from fazhi.core.tokens import PermissionAuth
from fazhi.legalservices.advisers import rules, selectors, services
from fazhi.legalservices.advisers.permissions import adviser_actions, in_scope, opinion_actions

router = Router(tags=["法律顾问"])

VIEW = PermissionAuth("adviser.view", "adviser.manage")
MANAGE = PermissionAuth("adviser.manage")
OPINIONS = PermissionAuth("adviser.view", "adviser.manage", "opinion.request")
REQUEST = PermissionAuth("adviser.manage", "opinion.request")
ID = Field(..., ge=1, le=2**62)


def _unit(user, pk, field="unit_id") -> Unit:
    unit = Unit.objects.filter(pk=pk, is_active=True).first()
    if unit is None or not in_scope(user, unit):
        raise DomainError("单位不存在或不在本单位范围内", field=field)
    return unit


class AdviserIn(Schema):
    kind: str = Field(..., description="government 政府法律顾问 / gov_lawyer 公职律师 / village 村（居）法律顾问")
    name: str = Field(..., max_length=rules.NAME_MAX)
    firm: str = Field("", max_length=100)
    license_no: str = Field("", max_length=30)
    phone: str = Field("", max_length=20)
    unit_id: int = ID


class AdviserContractIn(Schema):
    start: dt.date
    end: dt.date
    village_id: int | None = Field(None, ge=1, le=2**62)
    fee: Decimal = Field(Decimal(0), ge=0, le=Decimal("9999999999"))
    note: str = Field("", max_length=300)


class AdviserServiceIn(Schema):
    kind: str = Field(..., description="consultation / lecture / document_review / contract_review / mediation / other")
    on: dt.date
    count: int = Field(1, ge=1, le=100000)
    note: str = Field("", max_length=500)
    village_id: int | None = Field(None, ge=1, le=2**62)


class AdviserVillageIn(Schema):
    name: str = Field(..., max_length=100)
    kind: str = "village"
    unit_id: int = ID
    division_id: int = ID


class LegalOpinionIn(Schema):
    unit_id: int = ID
    kind: str = Field(..., description="contract / major_decision / normative_document / litigation / other")
    subject: str = Field(..., max_length=200)
    question: str = Field(..., max_length=rules.TEXT_MAX)
    deadline: dt.date | None = None
    related_kind: str = Field("", description="decision 重大行政决策 / normative 规范性文件 / litigation 行政应诉")
    related_id: int | None = Field(None, ge=1, le=2**62)


class LegalOpinionRouteIn(Schema):
    adviser_id: int = ID


class LegalOpinionAnswerIn(Schema):
    text: str = Field(..., max_length=rules.TEXT_MAX)
    suggestions: int = Field(0, ge=0, le=1000)
    answered_on: dt.date | None = None


class AdviserContractOut(Schema):
    id: int
    start: dt.date
    end: dt.date
    unit: str
    village: str
    terminated_on: dt.date | None = None
    termination_reason: str = ""


class AdviserTerminateIn(Schema):
    on: dt.date
    reason: str = Field(..., max_length=300)


class AdviserUpdateIn(Schema):
    name: str = Field(..., max_length=rules.NAME_MAX)
    firm: str = Field("", max_length=100)
    license_no: str = Field("", max_length=30)
    phone: str = Field("", max_length=20)


class AdviserActiveIn(Schema):
    active: bool = Field(..., description="false 出册（停用）；true 重新在册")


class AdviserOut(Schema):
    id: int
    kind: str
    kind_label: str
    name: str
    firm: str
    license_no: str
    phone: str
    unit: str
    is_active: bool = True
    contracts: list[AdviserContractOut] = []
    actions: list[str] = []


class AdviserCoverageOut(Schema):
    division_id: int
    code: str
    name: str
    level: str
    villages: int
    covered: int
    rate: float | None
    light: str
    goal: float


class AdviserVillageOut(Schema):
    id: int
    name: str
    kind: str
    unit: str
    division: str


class LegalOpinionOut(Schema):
    id: int
    unit: str
    kind: str
    subject: str
    question: str
    adviser: str
    requested_on: dt.date
    deadline: dt.date
    status: str
    opinion: str
    suggestions: int
    answered_on: dt.date | None
    document_id: int | None
    related_kind: str
    related_id: int | None
    actions: list[str]


class AdviserCountsOut(Schema):
    year: int
    opinions: int
    contracts_reviewed: int
    documents_reviewed: int
    suggestions: int
    consultations: int
    lectures: int


def _adviser(request, a, *, full=False) -> dict:
    out = {
        "id": a.pk,
        "kind": a.kind,
        "kind_label": a.get_kind_display(),
        "name": a.name,
        "firm": a.firm,
        "license_no": a.license_no,
        "phone": mask_phone(a.phone) if a.phone else "",
        "unit": a.unit.name,
        "is_active": a.is_active,
    }
    if full:
        out["contracts"] = [
            {
                "id": c.pk,
                "start": c.start,
                "end": c.end,
                "unit": c.unit.name,
                "village": c.village.name if c.village_id else "",
                "terminated_on": c.terminated_on,
                "termination_reason": c.termination_reason,
            }
            for c in selectors.adviser_contracts(adviser=a)
        ]
        out["actions"] = sorted(adviser_actions(user=request.auth, obj=a))
    return out


def _opinion(request, o) -> dict:
    return {
        "id": o.pk,
        "unit": o.unit.name,
        "kind": o.kind,
        "subject": o.subject,
        "question": o.question,
        "adviser": o.adviser.name if o.adviser_id else "",
        "requested_on": o.requested_on,
        "deadline": o.deadline,
        "status": o.status,
        "opinion": o.opinion,
        "suggestions": o.suggestions,
        "answered_on": o.answered_on,
        "document_id": o.document_id,
        "related_kind": o.related_kind,
        "related_id": o.related_id,
        "actions": sorted(opinion_actions(user=request.auth, obj=o)),
    }


@router.get("/advisers", auth=VIEW, response=list[AdviserOut], summary="法律顾问名册")
def adviser_list(
    request: HttpRequest,
    q: str = Query("", max_length=100),
    kind: str = "",
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    return [
        _adviser(request, a) for a in selectors.adviser_list(user=request.auth, q=q, kind=kind)[offset : offset + limit]
    ]


@router.post("/advisers", auth=MANAGE, response={201: AdviserOut}, summary="登记法律顾问")
def adviser_create(request: HttpRequest, payload: AdviserIn):
    data = payload.dict()
    unit = _unit(request.auth, data.pop("unit_id"))
    a = services.adviser_create(by=request.auth, unit=unit, **data)
    return Status(201, _adviser(request, selectors.adviser_get(user=request.auth, pk=a.pk), full=True))


@router.get(
    "/advisers/coverage", auth=VIEW, response=list[AdviserCoverageOut], summary="村（居）法律顾问覆盖率（按区划）"
)
def coverage(request: HttpRequest, year: int = Query(None, ge=2000, le=2100)):
    rows = selectors.coverage_for(user=request.auth, year=year or timezone.localdate().year)
    return [c.as_dict() for c in rows]


@router.get("/advisers/counts", auth=VIEW, response=AdviserCountsOut, summary="年度审核文件、合同和意见建议数")
def counts(request: HttpRequest, year: int = Query(None, ge=2000, le=2100)):
    return selectors.yearly_counts(user=request.auth, year=year or timezone.localdate().year)


@router.get("/advisers/villages", auth=VIEW, response=list[AdviserVillageOut], summary="村（社区）")
def village_list(request: HttpRequest, q: str = Query("", max_length=100)):
    return [
        {"id": v.pk, "name": v.name, "kind": v.kind, "unit": v.unit.name, "division": v.division.name}
        for v in selectors.village_list(user=request.auth, q=q)[:1000]
    ]


@router.post("/advisers/villages", auth=MANAGE, response={201: AdviserVillageOut}, summary="登记村（社区）")
def village_create(request: HttpRequest, payload: AdviserVillageIn):
    division = Division.objects.filter(pk=payload.division_id, is_active=True).first()
    if division is None:
        raise DomainError("区划不存在", field="division_id")
    v = services.village_create(
        by=request.auth,
        name=payload.name,
        kind=payload.kind,
        unit=_unit(request.auth, payload.unit_id),
        division=division,
    )
    return Status(201, {"id": v.pk, "name": v.name, "kind": v.kind, "unit": v.unit.name, "division": v.division.name})


@router.get("/advisers/opinions", auth=OPINIONS, response=list[LegalOpinionOut], summary="法律意见请求")
def opinion_list(
    request: HttpRequest,
    q: str = Query("", max_length=100),
    status: str = "",
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    qs = selectors.opinion_list(user=request.auth, q=q, status=status)
    return [_opinion(request, o) for o in qs[offset : offset + limit]]


@router.post("/advisers/opinions", auth=REQUEST, response={201: LegalOpinionOut}, summary="提出法律意见请求")
def opinion_create(request: HttpRequest, payload: LegalOpinionIn):
    data = payload.dict()
    unit = Unit.objects.filter(pk=data.pop("unit_id"), is_active=True).first()
    o = services.opinion_request(by=request.auth, unit=unit, **data)
    return Status(201, _opinion(request, selectors.opinion_get(user=request.auth, pk=o.pk)))


def _opinion_get(request, pk):
    from fazhi.core.errors import NotFound

    o = selectors.opinion_get(user=request.auth, pk=pk)
    if "view" not in opinion_actions(user=request.auth, obj=o):
        raise NotFound()
    return o


@router.get("/advisers/opinions/{pk}", auth=OPINIONS, response=LegalOpinionOut, summary="法律意见详情")
def opinion_detail(request: HttpRequest, pk: int):
    return _opinion(request, _opinion_get(request, pk))


@router.post("/advisers/opinions/{pk}/route", auth=MANAGE, response=LegalOpinionOut, summary="分派法律顾问")
def opinion_route(request: HttpRequest, pk: int, payload: LegalOpinionRouteIn):
    o = _opinion_get(request, pk)
    adviser = selectors.adviser_ref(user=request.auth, pk=payload.adviser_id, field="adviser_id")
    services.opinion_route(by=request.auth, opinion=o, adviser=adviser)
    return _opinion(request, _opinion_get(request, pk))


@router.post(
    "/advisers/opinions/{pk}/answer", auth=MANAGE, response=LegalOpinionOut, summary="录入法律意见（生成法律意见书）"
)
def opinion_answer(request: HttpRequest, pk: int, payload: LegalOpinionAnswerIn):
    services.opinion_answer(by=request.auth, opinion=_opinion_get(request, pk), **payload.dict())
    return _opinion(request, _opinion_get(request, pk))


@router.get("/advisers/{pk}", auth=VIEW, response=AdviserOut, summary="法律顾问详情与合同")
def adviser_detail(request: HttpRequest, pk: int):
    return _adviser(request, selectors.adviser_get(user=request.auth, pk=pk), full=True)


@router.post(
    "/advisers/{pk}/contracts",
    auth=MANAGE,
    response={201: AdviserContractOut},
    summary="登记合同（一村一顾问，期间不重叠）",
)
def contract_create(request: HttpRequest, pk: int, payload: AdviserContractIn):
    adviser = selectors.adviser_get(user=request.auth, pk=pk)
    village = (
        selectors.village_ref(user=request.auth, pk=payload.village_id, field="village_id")
        if payload.village_id
        else None
    )
    c = services.contract_create(
        by=request.auth,
        adviser=adviser,
        start=payload.start,
        end=payload.end,
        village=village,
        fee=payload.fee,
        note=payload.note,
    )
    return Status(
        201,
        {"id": c.pk, "start": c.start, "end": c.end, "unit": c.unit.name, "village": village.name if village else ""},
    )


@router.post(
    "/advisers/{pk}/contracts/{contract_pk}/terminate",
    auth=MANAGE,
    response=AdviserOut,
    summary="提前终止合同（自终止日起不计入覆盖）",
)
def contract_terminate(request: HttpRequest, pk: int, contract_pk: int, payload: AdviserTerminateIn):
    adviser = selectors.adviser_get(user=request.auth, pk=pk)
    contract = selectors.contract_get(adviser=adviser, pk=contract_pk)
    services.contract_terminate(by=request.auth, contract=contract, on=payload.on, reason=payload.reason)
    return _adviser(request, selectors.adviser_get(user=request.auth, pk=pk), full=True)


@router.put("/advisers/{pk}", auth=MANAGE, response=AdviserOut, summary="修改法律顾问（姓名、单位、证号、电话）")
def adviser_update(request: HttpRequest, pk: int, payload: AdviserUpdateIn):
    adviser = selectors.adviser_get(user=request.auth, pk=pk)
    services.adviser_update(by=request.auth, adviser=adviser, **payload.dict())
    return _adviser(request, selectors.adviser_get(user=request.auth, pk=pk), full=True)


@router.post("/advisers/{pk}/active", auth=MANAGE, response=AdviserOut, summary="法律顾问出册或重新在册")
def adviser_active(request: HttpRequest, pk: int, payload: AdviserActiveIn):
    adviser = selectors.adviser_get(user=request.auth, pk=pk)
    services.adviser_set_active(by=request.auth, adviser=adviser, active=payload.active)
    return _adviser(request, selectors.adviser_get(user=request.auth, pk=pk), full=True)


@router.post("/advisers/{pk}/services", auth=MANAGE, response={201: dict}, summary="登记服务记录")
def service_create(request: HttpRequest, pk: int, payload: AdviserServiceIn):
    adviser = selectors.adviser_get(user=request.auth, pk=pk)
    village = (
        selectors.village_ref(user=request.auth, pk=payload.village_id, field="village_id")
        if payload.village_id
        else None
    )
    s = services.service_record(
        by=request.auth,
        adviser=adviser,
        kind=payload.kind,
        on=payload.on,
        count=payload.count,
        note=payload.note,
        village=village,
    )
    return Status(201, {"id": s.pk})
