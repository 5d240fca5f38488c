"""API of 调解 (/api/v1/legalservices/mediation/…): parse, call a service or selector, serialise. Parties are
masked as on the pages."""

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from fazhi.core.apitypes import MAX_OFFSET
from fazhi.core.masking import mask_name, mask_phone
from fazhi.core.tokens import PermissionAuth
from fazhi.legalservices.mediation import rules, selectors, services
from fazhi.legalservices.mediation.permissions import case_actions, org_actions

router = Router(tags=["调解"])

VIEW = PermissionAuth("mediation.view", "mediation.manage")
MANAGE = PermissionAuth("mediation.manage")
ID = Field(..., ge=1, le=2**62)


class MediationCaseIn(Schema):
    org_id: int = ID
    kind: str = Field(
        ...,
        description="marriage 婚姻家庭 / neighbour 邻里 / land / contract / damage / labour / medical / traffic / property / other",
    )
    source: str = Field(
        ...,
        description="walk_in 来访 / grid 网格 / court 法院委派 / agency 行政调解 / hotline 12345 / complaint 投诉转来",
    )
    applicant: str = Field(..., max_length=rules.NAME_MAX)
    applicant_phone: str = Field("", max_length=20)
    respondent: str = Field(..., max_length=rules.NAME_MAX)
    facts: str = Field(..., max_length=rules.TEXT_MAX)
    amount: Decimal = Field(Decimal(0), ge=0, le=rules.AMOUNT_MAX)
    received_on: dt.date | None = None
    complaint_id: int | None = Field(None, ge=1, le=2**62)
    court_name: str = Field("", max_length=100)
    court_case_no: str = Field("", max_length=60)
    court_referred_on: dt.date | None = None


class MediationSessionIn(Schema):
    held_on: dt.date
    place: str = Field("", max_length=200)
    notes: str = Field(..., max_length=rules.TEXT_MAX)


class MediationCloseIn(Schema):
    outcome: str = Field("", description="success 调解成功 / failed 调解不成功")
    closed_on: dt.date | None = None
    agreement: str = Field("", max_length=rules.TEXT_MAX)
    performance_terms: str = Field("", max_length=500)
    next_channel: str = Field(
        "", description="litigation 诉讼 / arbitration 仲裁 / adjudication 行政裁决 / petition 信访"
    )
    failure_reason: str = Field("", max_length=500)


class MediationFollowUpIn(Schema):
    performance: str = Field(..., description="performed 已履行 / partly 部分履行 / not_performed 未履行")
    note: str = Field("", max_length=500)
    checked_on: dt.date | None = None


class MediationCourtReturnIn(Schema):
    returned_on: dt.date | None = None


class MediationCourtExtendIn(Schema):
    days: int
    ground: str
    reason: str
    on: dt.date | None = None


class MediationCaseRow(Schema):
    id: int
    number: str
    org: str
    division: str
    kind: str
    kind_label: str
    source: str
    applicant: str
    respondent: str
    amount: float
    received_on: dt.date
    status: str
    status_label: str
    closed_on: dt.date | None


class MediationSessionOut(Schema):
    held_on: dt.date
    place: str
    notes: str


class MediationCaseOut(MediationCaseRow):
    facts: str
    court_name: str
    court_referred_on: dt.date | None
    court_due: dt.date | None
    court_returned_on: dt.date | None
    court_extended_days: int
    court_extension_ground: str
    court_extension_reason: str
    complaint_id: int | None
    agreement: str
    next_channel: str
    performance: str
    document_id: int | None
    sessions: list[MediationSessionOut]
    actions: list[str]


class MediationStatOut(Schema):
    key: str
    label: str
    received: int
    mediated: int
    success: int
    success_rate: float | None
    amount: float
    success_amount: float


class MediationOrgOut(Schema):
    id: int
    name: str
    kind: str
    unit: str
    division: str
    mediators: int
    is_active: bool


class MediationMediatorOut(Schema):
    id: int
    name: str
    phone: str = Field(..., description="脱敏")
    is_full_time: bool
    is_active: bool


class MediationOrgDetailOut(MediationOrgOut):
    mediator_list: list[MediationMediatorOut]
    actions: list[str]


class MediationOrgUpdateIn(Schema):
    name: str = Field(..., max_length=100)
    kind: str
    division_id: int = Field(..., ge=1, le=2**62)


class MediationActiveIn(Schema):
    active: bool = Field(..., description="false 停用（调解员：离任）；true 重新启用（复任）")


class MediationMediatorIn(Schema):
    name: str = Field(..., max_length=50)
    phone: str = Field("", max_length=20)
    is_full_time: bool = False


def _row(c) -> dict:
    return {
        "id": c.pk,
        "number": c.number,
        "org": c.org.name,
        "division": c.division.name,
        "kind": c.kind,
        "kind_label": c.get_kind_display(),
        "source": c.source,
        "applicant": mask_name(c.applicant),
        "respondent": mask_name(c.respondent),
        "amount": float(c.amount),
        "received_on": c.received_on,
        "status": c.status,
        "status_label": c.get_status_display(),
        "closed_on": c.closed_on,
    }


def _out(request, pk) -> dict:
    c = selectors.case_get(user=request.auth, pk=pk)
    return {
        **_row(c),
        "facts": c.facts,
        "court_name": c.court_name,
        "court_referred_on": c.court_referred_on,
        "court_due": c.court_due,
        "court_returned_on": c.court_returned_on,
        "court_extended_days": c.court_extended_days,
        "court_extension_ground": c.court_extension_ground,
        "court_extension_reason": c.court_extension_reason,
        "complaint_id": c.complaint_id,
        "agreement": c.agreement,
        "next_channel": c.next_channel,
        "performance": c.performance,
        "document_id": c.document_id,
        "sessions": [
            {"held_on": s.held_on, "place": s.place, "notes": s.notes} for s in selectors.case_sessions(case=c)
        ],
        "actions": sorted(case_actions(user=request.auth, obj=c)),
    }


def _case(request, pk):
    return selectors.case_get(user=request.auth, pk=pk)


@router.get("/mediation/cases", auth=VIEW, response=list[MediationCaseRow], summary="矛盾纠纷调解列表（按数据范围）")
def case_list(
    request: HttpRequest,
    q: str = Query("", max_length=100),
    kind: str = "",
    source: str = "",
    status: str = "",
    org_id: int | None = Query(None, ge=1, le=2**62),
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    filters = selectors.CaseFilters(
        q=q, kind=kind, source=source, status=status, org=org_id, date_from=date_from, date_to=date_to
    )
    return [_row(c) for c in selectors.case_list(user=request.auth, filters=filters)[offset : offset + limit]]


@router.post("/mediation/cases", auth=MANAGE, response={201: MediationCaseOut}, summary="登记矛盾纠纷")
def case_create(request: HttpRequest, payload: MediationCaseIn):
    user = request.auth
    case = services.case_register(
        by=user,
        org=selectors.org_ref(user=user, pk=payload.org_id, field="org_id"),
        kind=payload.kind,
        source=payload.source,
        applicant=payload.applicant,
        applicant_phone=payload.applicant_phone,
        respondent=payload.respondent,
        facts=payload.facts,
        amount=payload.amount,
        received_on=payload.received_on,
        complaint_id=payload.complaint_id,
        court_name=payload.court_name,
        court_case_no=payload.court_case_no,
        court_referred_on=payload.court_referred_on,
    )
    return Status(201, _out(request, case.pk))


@router.get("/mediation/cases/{pk}", auth=VIEW, response=MediationCaseOut, summary="矛盾纠纷调解详情")
def case_detail(request: HttpRequest, pk: int):
    return _out(request, pk)


@router.post("/mediation/cases/{pk}/sessions", auth=MANAGE, response=MediationCaseOut, summary="记录调解过程")
def case_session(request: HttpRequest, pk: int, payload: MediationSessionIn):
    services.session_add(
        by=request.auth, case=_case(request, pk), held_on=payload.held_on, place=payload.place, notes=payload.notes
    )
    return _out(request, pk)


@router.post(
    "/mediation/cases/{pk}/close", auth=MANAGE, response=MediationCaseOut, summary="调结（成功生成调解协议书）"
)
def case_close(request: HttpRequest, pk: int, payload: MediationCloseIn):
    services.case_close(by=request.auth, case=_case(request, pk), **payload.dict())
    return _out(request, pk)


@router.post("/mediation/cases/{pk}/follow-up", auth=MANAGE, response=MediationCaseOut, summary="回访履行情况")
def case_follow_up(request: HttpRequest, pk: int, payload: MediationFollowUpIn):
    services.case_follow_up(by=request.auth, case=_case(request, pk), **payload.dict())
    return _out(request, pk)


@router.post(
    "/mediation/cases/{pk}/court-return", auth=MANAGE, response=MediationCaseOut, summary="诉前调解结果反馈法院"
)
def case_court_return(request: HttpRequest, pk: int, payload: MediationCourtReturnIn):
    services.court_return(by=request.auth, case=_case(request, pk), returned_on=payload.returned_on)
    return _out(request, pk)


@router.post(
    "/mediation/cases/{pk}/court-extend",
    auth=MANAGE,
    response=MediationCaseOut,
    summary="延长诉前调解（委派调解）期限（一次）",
)
def case_court_extend(request: HttpRequest, pk: int, payload: MediationCourtExtendIn):
    services.court_extend(
        by=request.auth,
        case=_case(request, pk),
        days=payload.days,
        ground=payload.ground,
        reason=payload.reason,
        on=payload.on,
    )
    return _out(request, pk)


@router.get("/mediation/orgs", auth=VIEW, response=list[MediationOrgOut], summary="调解组织")
def org_list(
    request: HttpRequest,
    q: str = Query("", max_length=100),
    active: str = Query("1", description="1 启用（默认）/ 0 已停用 / all 全部"),
):
    return [
        {
            "id": o.pk,
            "name": o.name,
            "kind": o.kind,
            "unit": o.unit.name,
            "division": o.division.name,
            "mediators": o.n_mediators,
            "is_active": o.is_active,
        }
        for o in selectors.org_list(user=request.auth, q=q, active={"1": True, "0": False}.get(active))[:500]
    ]


def _org_out(request, org) -> dict:
    org = selectors.org_get(user=request.auth, pk=org.pk)
    mediators = list(selectors.org_mediators(org=org, active=None))
    return {
        "id": org.pk,
        "name": org.name,
        "kind": org.kind,
        "unit": org.unit.name,
        "division": org.division.name,
        "mediators": sum(1 for m in mediators if m.is_active),
        "is_active": org.is_active,
        "mediator_list": [
            {
                "id": m.pk,
                "name": m.name,
                "phone": mask_phone(m.phone) if m.phone else "",
                "is_full_time": m.is_full_time,
                "is_active": m.is_active,
            }
            for m in mediators
        ],
        "actions": sorted(org_actions(user=request.auth, obj=org)),
    }


@router.get("/mediation/orgs/{pk}", auth=VIEW, response=MediationOrgDetailOut, summary="调解组织及其调解员")
def org_get(request: HttpRequest, pk: int):
    return _org_out(request, selectors.org_get(user=request.auth, pk=pk))


@router.put("/mediation/orgs/{pk}", auth=MANAGE, response=MediationOrgDetailOut, summary="修改调解组织")
def org_update(request: HttpRequest, pk: int, payload: MediationOrgUpdateIn):
    from fazhi.core.models import Division

    org = selectors.org_get(user=request.auth, pk=pk)
    division = Division.objects.filter(pk=payload.division_id, is_active=True).first()
    services.org_update(by=request.auth, org=org, name=payload.name, kind=payload.kind, division=division)
    return _org_out(request, org)


@router.post(
    "/mediation/orgs/{pk}/active", auth=MANAGE, response=MediationOrgDetailOut, summary="停用或重新启用调解组织"
)
def org_active(request: HttpRequest, pk: int, payload: MediationActiveIn):
    org = selectors.org_get(user=request.auth, pk=pk)
    services.org_set_active(by=request.auth, org=org, active=payload.active)
    return _org_out(request, org)


@router.post("/mediation/orgs/{pk}/mediators", auth=MANAGE, response={201: MediationOrgDetailOut}, summary="添加调解员")
def mediator_add(request: HttpRequest, pk: int, payload: MediationMediatorIn):
    org = selectors.org_get(user=request.auth, pk=pk)
    services.mediator_add(by=request.auth, org=org, **payload.dict())
    return Status(201, _org_out(request, org))


@router.put(
    "/mediation/orgs/{pk}/mediators/{mediator_pk}", auth=MANAGE, response=MediationOrgDetailOut, summary="修改调解员"
)
def mediator_update(request: HttpRequest, pk: int, mediator_pk: int, payload: MediationMediatorIn):
    org = selectors.org_get(user=request.auth, pk=pk)
    mediator = selectors.mediator_get(org=org, pk=mediator_pk)
    services.mediator_update(by=request.auth, mediator=mediator, **payload.dict())
    return _org_out(request, org)


@router.post(
    "/mediation/orgs/{pk}/mediators/{mediator_pk}/active",
    auth=MANAGE,
    response=MediationOrgDetailOut,
    summary="调解员离任或复任",
)
def mediator_active(request: HttpRequest, pk: int, mediator_pk: int, payload: MediationActiveIn):
    org = selectors.org_get(user=request.auth, pk=pk)
    mediator = selectors.mediator_get(org=org, pk=mediator_pk)
    services.mediator_set_active(by=request.auth, mediator=mediator, active=payload.active)
    return _org_out(request, org)


@router.get(
    "/mediation/stats", auth=VIEW, response=list[MediationStatOut], summary="调解统计（按组织、区划、类型或月份）"
)
def stats(
    request: HttpRequest,
    dimension: str = "org",
    start: dt.date | None = None,
    end: dt.date | None = None,
):
    rows = selectors.mediation_stats(user=request.auth, dimension=dimension, start=start, end=end)
    return [{**r.__dict__, "success_rate": r.success_rate} for r in rows]
