"""API of 法治督察 (/api/v1/assessment/oversight/…): parse, call a service or selector, serialise."""

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from fazhi.assessment.oversight import rules, selectors, services
from fazhi.assessment.oversight.importers import ProblemImporter
from fazhi.assessment.oversight.permissions import campaign_actions, rectification_actions
from fazhi.core.apitypes import MAX_OFFSET
from fazhi.core.audit import client_ip
from fazhi.core.errors import DomainError, Forbidden
from fazhi.core.models import Unit
from fazhi.core.tokens import PermissionAuth
from fazhi.tracking.rules import light as light_rule
from fazhi.tracking.selectors import yellow_until

router = Router(tags=["法治督察"])

VIEW = PermissionAuth("oversight.view", "oversight.manage")
MANAGE = PermissionAuth("oversight.manage")
RECTIFY = PermissionAuth("oversight.rectify")
ID = Field(..., ge=1, le=2**62)


class OversightCampaignIn(Schema):
    kind: str = Field(..., description="field 实地督察 / special 专项督察")
    title: str = Field(..., max_length=rules.TITLE_MAX)
    period_start: dt.date
    period_end: dt.date
    unit_ids: list[int] = Field(..., max_length=500, description="被督察单位编号")
    scope: str = Field("", max_length=rules.TEXT_MAX)
    team: str = Field("", max_length=1000)


class OversightCampaignOut(Schema):
    id: int
    kind: str
    title: str
    lead_unit: str
    period_start: dt.date
    period_end: dt.date
    status: str
    units: list[str]
    actions: list[str]


class LinkIn(Schema):
    kind: str = Field(..., description="关联类型：case、complaint、instrument 等")
    id: int = ID


class ProblemIn(Schema):
    aspect: str = Field(..., max_length=rules.TITLE_MAX)
    description: str = Field(..., max_length=rules.TEXT_MAX)
    requirement: str = Field("", max_length=rules.TEXT_MAX)
    unit_ids: list[int] = Field(..., max_length=100)
    deadline: dt.date
    bases: list[LinkIn] = Field(default_factory=list, max_length=20)


class ProblemOut(Schema):
    id: int
    order: int
    aspect: str
    description: str
    rectification_ids: list[int]


class OversightImportOut(Schema):
    committed: bool
    rows: int
    errors: list[str]


class RectificationRow(Schema):
    id: int
    campaign_id: int
    campaign: str
    aspect: str
    problem: str
    unit_id: int
    unit: str
    deadline: dt.date
    deadline_source: str
    status: str
    status_label: str
    light: str
    signed_off_on: dt.date | None
    returns: int


class OversightReportOut(Schema):
    id: int
    text: str
    submitted: bool
    at: dt.datetime
    attachments: list[str]


class RectificationOut(RectificationRow):
    requirement: str
    plan: str
    reports: list[OversightReportOut]
    links: list[str]
    actions: list[str]


class OversightPlanIn(Schema):
    plan: str = Field(..., max_length=rules.TEXT_MAX)


class OversightReportIn(Schema):
    text: str = Field(..., max_length=rules.TEXT_MAX)
    submit: bool = False


class OversightCommentIn(Schema):
    comment: str = Field("", max_length=1000)


class OversightReasonIn(Schema):
    reason: str = Field(..., max_length=1000)


class ClueIn(Schema):
    recipient: str = Field(..., max_length=200)
    summary: str = Field(..., max_length=rules.TEXT_MAX)
    referred_on: dt.date | None = None


class ClueOut(Schema):
    id: int
    recipient: str
    summary: str
    referred_on: dt.date
    status: str


class CountsOut(Schema):
    open: int
    overdue: int


def _units(user, ids: list[int], field: str) -> list[Unit]:
    units = list(Unit.objects.filter(pk__in=ids))
    if len(units) != len(set(ids)):
        raise DomainError("单位编号不存在", field=field)
    return units


def _campaign(request, c) -> dict:
    return {
        "id": c.pk,
        "kind": c.kind,
        "title": c.title,
        "lead_unit": c.lead_unit.name,
        "period_start": c.period_start,
        "period_end": c.period_end,
        "status": c.status,
        "units": [u.name for u in c.units.all()],
        "actions": sorted(campaign_actions(user=request.auth, obj=c)),
    }


def _row(r) -> dict:
    light = getattr(r, "light", None)
    if light is None and r.item_id:
        today = timezone.localdate()
        light = light_rule(
            status=r.item.status, deadline=r.item.deadline, today=today, yellow_until=yellow_until(today)
        )
    return {
        "id": r.pk,
        "campaign_id": r.problem.campaign_id,
        "campaign": r.problem.campaign.title,
        "aspect": r.problem.aspect.title,
        "problem": r.problem.description,
        "unit_id": r.unit_id,
        "unit": r.unit.name,
        "deadline": r.deadline,
        "deadline_source": r.item.deadline_source if r.item_id else "",
        "status": r.status,
        "status_label": r.get_status_display(),
        "light": light or "",
        "signed_off_on": r.signed_off_on,
        "returns": r.returns,
    }


def _detail(request, pk: int) -> dict:
    r = selectors.rectification_get(user=request.auth, pk=pk)
    return {
        **_row(r),
        "requirement": r.problem.requirement,
        "plan": r.plan,
        "reports": [
            {
                "id": x.pk,
                "text": x.text,
                "submitted": x.submitted,
                "at": x.at,
                "attachments": [a.name for a in x.attachments.all()],
            }
            for x in selectors.rectification_reports(rectification=r)
        ],
        "links": [x["link"].label for x in selectors.problem_links(user=request.auth, problem=r.problem)],
        "actions": sorted(rectification_actions(user=request.auth, obj=r)),
    }


@router.get("/oversight/campaigns", auth=MANAGE, response=list[OversightCampaignOut], summary="法治督察列表")
def campaign_list(
    request: HttpRequest,
    q: str = "",
    kind: str = "",
    year: int | None = Query(None, ge=2000, le=2100),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    qs = selectors.campaign_list(user=request.auth, q=q, kind=kind, year=year).prefetch_related("units")
    return [_campaign(request, c) for c in qs[offset : offset + limit]]


@router.post("/oversight/campaigns", auth=MANAGE, response={201: OversightCampaignOut}, summary="新建法治督察")
def campaign_create(request: HttpRequest, payload: OversightCampaignIn):
    c = services.campaign_create(
        by=request.auth,
        kind=payload.kind,
        title=payload.title,
        period_start=payload.period_start,
        period_end=payload.period_end,
        units=_units(request.auth, payload.unit_ids, "units"),
        scope=payload.scope,
        team=payload.team,
        ip=client_ip(request),
    )
    return Status(201, _campaign(request, c))


@router.get("/oversight/campaigns/{int:pk}", auth=MANAGE, response=OversightCampaignOut, summary="法治督察详情")
def campaign_detail(request: HttpRequest, pk: int):
    return _campaign(request, selectors.campaign_get(user=request.auth, pk=pk))


@router.post("/oversight/campaigns/{int:pk}/problems", auth=MANAGE, response={201: ProblemOut}, summary="交办督察问题")
def problem_add(request: HttpRequest, pk: int, payload: ProblemIn):
    campaign = selectors.campaign_get(user=request.auth, pk=pk)
    p = services.problem_add(
        by=request.auth,
        campaign=campaign,
        aspect=payload.aspect,
        description=payload.description,
        requirement=payload.requirement,
        units=_units(request.auth, payload.unit_ids, "units"),
        deadline=payload.deadline,
        bases=[(b.kind, b.id) for b in payload.bases],
        ip=client_ip(request),
    )
    return Status(
        201,
        {
            "id": p.pk,
            "order": p.order,
            "aspect": p.aspect.title,
            "description": p.description,
            "rectification_ids": list(p.rectifications.values_list("pk", flat=True)),
        },
    )


@router.post(
    "/oversight/campaigns/{int:pk}/import",
    auth=MANAGE,
    response=OversightImportOut,
    summary="导入问题清单（commit=false 只预检；全部无误才写入）",
)
def problem_import(request: HttpRequest, pk: int, file: File[UploadedFile], commit: Form[bool] = False):
    campaign = selectors.campaign_get(user=request.auth, pk=pk)
    if "import" not in campaign_actions(user=request.auth, obj=campaign):
        raise Forbidden()
    name = (file.name or "").lower()
    if not name.endswith(".xlsx"):
        raise DomainError("只支持 .xlsx 文件", field="file")
    result = ProblemImporter(campaign).run(file, by=request.auth, ip=client_ip(request), commit=commit)
    return {"committed": result.committed, "rows": result.row_count, "errors": result.messages}


@router.get("/oversight/problems", auth=VIEW, response=list[RectificationRow], summary="督察整改台账（按数据范围）")
def problem_list(
    request: HttpRequest,
    q: str = "",
    status: str = "",
    light: str = "",
    campaign_id: int | None = Query(None, ge=1, le=2**62),
    unit_id: int | None = Query(None, ge=1, le=2**62),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    filters = selectors.LedgerFilters(q=q, status=status, light=light, campaign=campaign_id, unit=unit_id)
    return [_row(r) for r in selectors.ledger(user=request.auth, filters=filters)[offset : offset + limit]]


@router.get("/oversight/problems/counts", auth=VIEW, response=CountsOut, summary="未销号与逾期的督察问题数")
def problem_counts(request: HttpRequest):
    return selectors.open_problem_counts(user=request.auth)


@router.get("/oversight/problems/{int:pk}", auth=VIEW, response=RectificationOut, summary="督察问题整改详情")
def problem_detail(request: HttpRequest, pk: int):
    return _detail(request, pk)


@router.post("/oversight/problems/{int:pk}/plan", auth=RECTIFY, response=RectificationOut, summary="填报整改方案")
def problem_plan(request: HttpRequest, pk: int, payload: OversightPlanIn):
    r = selectors.rectification_get(user=request.auth, pk=pk)
    services.rectification_plan(by=request.auth, rectification=r, plan=payload.plan, ip=client_ip(request))
    return _detail(request, pk)


@router.post(
    "/oversight/problems/{int:pk}/report",
    auth=RECTIFY,
    response=RectificationOut,
    summary="报告整改进展并上传佐证材料（submit=true 申请销号）",
)
def problem_report(
    request: HttpRequest, pk: int, payload: Form[OversightReportIn], attachments: File[list[UploadedFile]] = None
):
    r = selectors.rectification_get(user=request.auth, pk=pk)
    services.rectification_report(
        by=request.auth,
        rectification=r,
        text=payload.text,
        files=attachments or [],
        submit=payload.submit,
        ip=client_ip(request),
    )
    return _detail(request, pk)


@router.post("/oversight/problems/{int:pk}/signoff", auth=MANAGE, response=RectificationOut, summary="对账销号")
def problem_signoff(request: HttpRequest, pk: int, payload: OversightCommentIn):
    r = selectors.rectification_get(user=request.auth, pk=pk)
    services.rectification_signoff(by=request.auth, rectification=r, comment=payload.comment, ip=client_ip(request))
    return _detail(request, pk)


@router.post("/oversight/problems/{int:pk}/return", auth=MANAGE, response=RectificationOut, summary="退回重新整改")
def problem_return(request: HttpRequest, pk: int, payload: OversightReasonIn):
    r = selectors.rectification_get(user=request.auth, pk=pk)
    services.rectification_return(by=request.auth, rectification=r, reason=payload.reason, ip=client_ip(request))
    return _detail(request, pk)


@router.post("/oversight/problems/{int:pk}/links", auth=MANAGE, response=RectificationOut, summary="关联问题来源记录")
def problem_link(request: HttpRequest, pk: int, payload: LinkIn):
    r = selectors.rectification_get(user=request.auth, pk=pk)
    services.problem_link_add(by=request.auth, rectification=r, kind=payload.kind, object_id=payload.id)
    return _detail(request, pk)


@router.post(
    "/oversight/problems/{int:pk}/clues", auth=MANAGE, response={201: ClueOut}, summary="移送问题线索至纪检监察机关"
)
def problem_clue(request: HttpRequest, pk: int, payload: ClueIn):
    r = selectors.rectification_get(user=request.auth, pk=pk)
    c = services.clue_refer(
        by=request.auth,
        rectification=r,
        recipient=payload.recipient,
        summary=payload.summary,
        referred_on=payload.referred_on,
        ip=client_ip(request),
    )
    return Status(
        201,
        {"id": c.pk, "recipient": c.recipient, "summary": c.summary, "referred_on": c.referred_on, "status": c.status},
    )
