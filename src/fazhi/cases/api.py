"""API of penalty cases, their stages, extensions, compliance statistics and public disclosures.

`POST /cases/check` checks a case described wholly in the request (nothing stored). Same permissions and scope as the pages:
case.view to read, case.handle to write, case.supervise for statistics, disclosure.manage to withdraw (else
403 `{"detail": "无权访问"}`); a case outside the caller's scope is 404; bad input 422 naming the field.
`GET /cases/{id}` carries `checks` exactly as `POST /cases/check` computes them (same facts, same rules).
`POST /cases/{id}/advance` takes JSON or multipart (stage, data, attachments files); `POST /cases/{id}/attachments`
adds files to the case timeline. Files are checked and stored by `fazhi.core.attachments` (type, size, SM3).
`GET /disclosures` is public (no login), masked at publication.
"""

import datetime as dt
import json
from typing import Any

from ninja import Body, Router, Schema, Status
from pydantic import ValidationError as PydanticError

from fazhi.cases import selectors, services
from fazhi.cases import stages as stage_rules
from fazhi.cases.checks import facts_from_payload
from fazhi.cases.rules import check_case, rule_catalogue
from fazhi.core.apitypes import Limit, Offset
from fazhi.core.audit import client_ip
from fazhi.core.errors import DomainError
from fazhi.core.normalize import parse_date
from fazhi.core.tokens import PermissionAuth, PublicAuth

router = Router(tags=["行政处罚案件"])
MAX_LIMIT = 500


def _day(value, field: str) -> dt.date | None:
    return parse_date(value, field=field) if value not in (None, "") else None


# ---------------------------------------------------------------- schemas


class FindingOut(Schema):
    rule: str
    severity: str
    message: str
    citation: str


class HandlerOut(Schema):
    id: int
    name: str
    certificate: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    certificate_status: str | None


class CaseListOut(Schema):
    id: int
    number: str
    title: str
    agency_id: int
    agency: str
    power_item_id: int
    procedure: str
    stage: str
    stage_label: str
    party_kind: str
    filed_on: dt.date
    decision_number: str
    decided_on: dt.date | None
    fine: str | None
    check_errors: int
    check_rules: list[str]
    checked_at: dt.datetime | None


class CaseOut(CaseListOut):
    power_item: str
    party_name: str
    party_code: str
    violation_ended_on: dt.date | None
    limitation_extended: bool
    major: bool
    extension_days: int
    notified_on: dt.date | None
    hearing_requested: bool
    hearing_notice_on: dt.date | None
    hearing_on: dt.date | None
    legal_review_on: dt.date | None
    outcome: str
    penalty_kinds: list[str]
    tier_id: int | None
    list_entry_id: int | None
    served_on: dt.date | None
    disclosed_on: dt.date | None
    executed_on: dt.date | None
    closed_on: dt.date | None
    deadline: dt.date | None
    deadline_source: str
    next_stages: list[str]
    handlers: list[HandlerOut]
    checks: list[FindingOut]


class CaseIn(Schema):
    agency_id: int | None = None
    power_item_id: int
    title: str
    procedure: str = "general"
    party_kind: str
    party_name: str
    party_id_number: str = ""
    party_uscc: str = ""
    filed_on: str
    handlers: list[int]
    violation_ended_on: str | None = None
    limitation_extended: bool = False
    major: bool = False
    number: str = ""
    comment: str = ""


class AdvanceIn(Schema):
    stage: str
    data: dict[str, Any] = {}


class ExtensionIn(Schema):
    days: int
    reason: str
    approver: str
    approved_on: str | None = None


class ExtensionOut(Schema):
    id: int
    case_id: int
    days: int
    reason: str
    approver: str
    approved_on: dt.date
    total_extension_days: int
    deadline: dt.date | None


class ComplianceAgencyOut(Schema):
    agency_id: int
    agency: str
    checked: int
    errors: int
    rate: float | None


class ComplianceRuleOut(Schema):
    rule: str
    title: str
    citation: str
    checked: int
    errors: int
    rate: float | None


class ComplianceOut(Schema):
    by_agency: list[ComplianceAgencyOut]
    by_rule: list[ComplianceRuleOut]


class DisclosureOut(Schema):
    id: int
    agency_id: int
    agency: str
    published_on: dt.date
    decision_number: str
    party_kind: str
    party: str
    party_code: str
    summary: str
    fine: str | None
    withdrawn: bool


class DisclosurePageOut(Schema):
    items: list[DisclosureOut]
    next_cursor: str


class CaseAttachmentOut(Schema):
    id: int
    name: str
    size: int
    sm3: str


class CaseAttachmentsOut(Schema):
    case_id: int
    attachments: list[CaseAttachmentOut]


class WithdrawIn(Schema):
    reason: str


# ---------------------------------------------------------------- serialisers


def _list_out(c) -> dict:
    result = selectors.case_check_result(c)
    return {
        "id": c.pk,
        "number": c.number,
        "title": c.title,
        "agency_id": c.agency_id,
        "agency": c.agency.unit.name,
        "power_item_id": c.power_item_id,
        "procedure": c.procedure,
        "stage": c.stage,
        "stage_label": stage_rules.STAGE_LABELS.get(c.stage, c.stage),
        "party_kind": c.party_kind,
        "filed_on": c.filed_on,
        "decision_number": c.decision_number,
        "decided_on": c.decided_on,
        "fine": None if c.fine is None else str(c.fine),
        "check_errors": result.errors if result else 0,
        "check_rules": list(result.rules) if result else [],
        "checked_at": result.checked_at if result else None,
    }


def _case_out(request, c) -> dict:
    handlers = [
        {
            "id": h.officer.pk,
            "name": h.officer.name,
            "certificate": h.certificate.number if h.certificate else None,
            "valid_from": h.certificate.valid_from if h.certificate else None,
            "valid_to": h.certificate.valid_to if h.certificate else None,
            "certificate_status": h.certificate.status if h.certificate else None,
        }
        for h in selectors.case_handlers(case=c)
    ]
    return {
        **_list_out(c),
        "power_item": f"{c.power_item.code} {c.power_item.name}",
        "party_name": c.party_name,
        "party_code": selectors.case_party_display(user=request.auth, case=c, ip=client_ip(request)),
        "violation_ended_on": c.violation_ended_on,
        "limitation_extended": c.limitation_extended,
        "major": c.major,
        "extension_days": c.extension_days,
        "notified_on": c.notified_on,
        "hearing_requested": c.hearing_requested,
        "hearing_notice_on": c.hearing_notice_on,
        "hearing_on": c.hearing_on,
        "legal_review_on": c.legal_review_on,
        "outcome": c.outcome,
        "penalty_kinds": list(c.penalty_kinds or []),
        "tier_id": c.tier_id,
        "list_entry_id": c.list_entry_id,
        "served_on": c.served_on,
        "disclosed_on": c.disclosed_on,
        "executed_on": c.executed_on,
        "closed_on": c.closed_on,
        "deadline": c.item.deadline if c.item_id else None,
        "deadline_source": c.item.deadline_source if c.item_id else "",
        "next_stages": stage_rules.next_stages(c),
        "handlers": handlers,
        "checks": [f.as_dict() for f in selectors.case_checks(case=c)],
    }


def _disclosure_out(d) -> dict:
    return {
        "id": d.pk,
        "agency_id": d.agency_id,
        "agency": d.agency.unit.name,
        "published_on": d.published_on,
        "decision_number": d.decision_number,
        "party_kind": d.party_kind,
        "party": d.party_display,
        "party_code": d.party_code_display,
        "summary": d.summary,
        "fine": None if d.fine is None else str(d.fine),
        "withdrawn": d.withdrawn_at is not None,
    }


def _fresh(request, pk):
    return selectors.case_get(user=request.auth, pk=pk)


# ---------------------------------------------------------------- endpoints


class CheckOut(Schema):
    rule: str
    severity: str
    message: str
    citation: str


class ChecksOut(Schema):
    checks: list[CheckOut]


class RuleOut(Schema):
    rule: str
    title: str
    citation: str


@router.post("/cases/check", response=ChecksOut, summary="案件法定规则预检（不保存）", auth=PermissionAuth("case.view"))
def cases_check(request, payload: dict = Body(...)):
    """Check a case described wholly in the request against the statutory rules. Nothing is stored.
    Absent optional fields skip the rules that need them."""
    facts = facts_from_payload(payload)
    return {"checks": [f.as_dict() for f in check_case(facts)]}


class CheckAllOut(Schema):
    job_id: int
    status: str
    url: str
    api_url: str


@router.post(
    "/cases/check-all",
    response={202: CheckAllOut},
    summary="立即对全部案件进行法定规则批量检查（后台任务）",
    auth=PermissionAuth("case.supervise"),
)
def cases_check_all_start(request):
    """Start the bulk statutory check of every case as a job of the caller (我的任务); follow it at `api_url`."""
    from django.urls import reverse

    from fazhi.cases.bulk_checks import cases_check_all_start as start

    job = start(by=request.auth)
    return Status(
        202,
        {
            "job_id": job.pk,
            "status": job.status,
            "url": reverse("core:job_detail", args=[job.pk]),
            "api_url": reverse("api:job_detail", kwargs={"job_id": job.pk}),
        },
    )


@router.get("/cases/rules", response=list[RuleOut], summary="规则目录", auth=PermissionAuth("case.view"))
def rules(request):
    return rule_catalogue()


@router.get("/cases", response=list[CaseListOut], summary="案件列表（筛选）", auth=PermissionAuth("case.view"))
def case_list(
    request,
    agency: int | None = None,
    stage: str = "",
    procedure: str = "",
    party_kind: str = "",
    date_from: str | None = None,
    date_to: str | None = None,
    q: str = "",
    has_errors: bool | None = None,
    rule: str = "",
    limit: Limit = 100,
    offset: Offset = 0,
):
    filters = selectors.CaseFilters(
        agency=agency,
        stage=stage,
        procedure=procedure,
        party_kind=party_kind,
        date_from=_day(date_from, "date_from"),
        date_to=_day(date_to, "date_to"),
        q=q,
        has_errors=has_errors,
        rule=rule,
    )
    limit, offset = max(1, min(limit, MAX_LIMIT)), max(0, offset)
    qs = selectors.case_list(user=request.auth, filters=filters)[offset : offset + limit]
    return [_list_out(c) for c in qs]


@router.post("/cases", response={201: CaseOut}, summary="立案", auth=PermissionAuth("case.handle"))
def case_create(request, payload: CaseIn):
    agency = None
    if payload.agency_id is not None:
        agency = selectors.case_agency_choices(user=request.auth).filter(pk=payload.agency_id).first()
        if agency is None:
            raise DomainError("办案机关不存在或不在本人管辖范围内", field="agency_id")
    data = payload.dict()
    data.pop("agency_id")
    data["power_item"] = data.pop("power_item_id")
    case = services.case_file(by=request.auth, agency=agency, ip=client_ip(request), **data)
    return Status(201, _case_out(request, _fresh(request, case.pk)))


@router.get(
    "/cases/compliance",
    response=ComplianceOut,
    summary="合规统计（按办案机关、按规则）",
    auth=PermissionAuth("case.supervise"),
)
def case_compliance(request, date_from: str | None = None, date_to: str | None = None):
    kwargs = {"date_from": _day(date_from, "date_from"), "date_to": _day(date_to, "date_to")}
    return {
        "by_agency": selectors.compliance_by_agency(user=request.auth, **kwargs),
        "by_rule": selectors.compliance_by_rule(user=request.auth, **kwargs),
    }


@router.get(
    "/cases/{int:case_id}", response=CaseOut, summary="案件详情（含法定规则校验）", auth=PermissionAuth("case.view")
)
def case_detail(request, case_id: int):
    return _case_out(request, _fresh(request, case_id))


@router.patch("/cases/{int:case_id}", response=CaseOut, summary="修改案件信息", auth=PermissionAuth("case.handle"))
def case_update(request, case_id: int, payload: dict = Body(...)):
    case = _fresh(request, case_id)
    data = dict(payload)
    if "power_item_id" in data:
        data["power_item"] = data.pop("power_item_id")
    services.case_update(by=request.auth, case=case, data=data, ip=client_ip(request))
    return _case_out(request, _fresh(request, case_id))


FILES_SCHEMA = {"type": "array", "items": {"type": "string", "format": "binary"}}
ADVANCE_BODY = {
    "requestBody": {
        "content": {
            "application/json": {"schema": AdvanceIn.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "stage": {"type": "string"},
                        "data": {"type": "string", "description": "该阶段的登记内容，JSON 对象"},
                        "attachments": FILES_SCHEMA,
                    },
                    "required": ["stage"],
                }
            },
        },
        "required": True,
    }
}
ATTACH_BODY = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"comment": {"type": "string"}, "attachments": FILES_SCHEMA},
                    "required": ["attachments"],
                }
            }
        },
        "required": True,
    }
}


def _advance_input(request) -> tuple[AdvanceIn, list]:
    """JSON `{"stage", "data"}`, or multipart: `stage`, `data` (a JSON object) and `attachments` files."""
    files = []
    if request.content_type == "multipart/form-data":
        raw: Any = {"stage": request.POST.get("stage")}
        try:
            raw["data"] = json.loads(request.POST.get("data") or "{}")
        except ValueError:
            raise DomainError("阶段登记内容 data 应为 JSON 对象", field="data") from None
        files = request.FILES.getlist("attachments")
    else:
        try:
            raw = json.loads(request.body or b"{}")
        except ValueError:
            raise DomainError("请求体不是有效的 JSON", field="body") from None
    if not isinstance(raw, dict):
        raise DomainError("请求体应为 JSON 对象", field="body")
    try:
        return AdvanceIn.model_validate(raw), files
    except PydanticError as exc:
        field = ".".join(str(p) for p in exc.errors()[0].get("loc", ())) or "body"
        label = {"stage": "阶段", "data": "阶段登记内容"}.get(field, field)
        raise DomainError(f"参数“{label}”无效或缺失", field=field) from None


@router.post(
    "/cases/{int:case_id}/advance",
    response=CaseOut,
    summary="办理下一阶段（可附文书）",
    openapi_extra=ADVANCE_BODY,
    auth=PermissionAuth("case.handle"),
)
def case_advance(request, case_id: int):
    case = _fresh(request, case_id)
    payload, files = _advance_input(request)
    services.case_advance(
        case=case, by=request.auth, stage=payload.stage, data=payload.data, attachments=files, ip=client_ip(request)
    )
    return _case_out(request, _fresh(request, case_id))


@router.post(
    "/cases/{int:case_id}/attachments",
    response={201: CaseAttachmentsOut},
    summary="补充材料（附件记入案件时间线，返回 SM3 摘要）",
    openapi_extra=ATTACH_BODY,
    auth=PermissionAuth("case.handle"),
)
def case_attach(request, case_id: int):
    case = _fresh(request, case_id)
    if request.content_type != "multipart/form-data":
        raise DomainError("请以 multipart/form-data 上传附件", field="attachments")
    stored = services.case_attach(
        case=case,
        by=request.auth,
        attachments=request.FILES.getlist("attachments"),
        comment=request.POST.get("comment") or "",
        ip=client_ip(request),
    )
    return Status(
        201,
        {
            "case_id": case.pk,
            "attachments": [{"id": a.pk, "name": a.name, "size": a.size, "sm3": a.sm3} for a in stored],
        },
    )


@router.post(
    "/cases/{int:case_id}/extensions",
    response={201: ExtensionOut},
    summary="延长办案期限",
    auth=PermissionAuth("case.handle"),
)
def case_extend(request, case_id: int, payload: ExtensionIn):
    case = _fresh(request, case_id)
    ext = services.case_extend(
        case=case,
        by=request.auth,
        days=payload.days,
        reason=payload.reason,
        approver=payload.approver,
        approved_on=payload.approved_on,
        ip=client_ip(request),
    )
    case = _fresh(request, case_id)
    return Status(
        201,
        {
            "id": ext.pk,
            "case_id": case.pk,
            "days": ext.days,
            "reason": ext.reason,
            "approver": ext.approver,
            "approved_on": ext.approved_on,
            "total_extension_days": case.extension_days,
            "deadline": case.item.deadline if case.item_id else None,
        },
    )


@router.get("/disclosures", response=DisclosurePageOut, auth=PublicAuth(), summary="执法决定公示查询（公开）")
def disclosure_search(
    request,
    agency: int | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    party_kind: str = "",
    q: str = "",
    cursor: str = "",
    limit: Limit = 20,
):
    page = selectors.disclosure_search(
        agency=agency,
        date_from=_day(date_from, "date_from"),
        date_to=_day(date_to, "date_to"),
        party_kind=party_kind,
        q=q,
        cursor=cursor,
        limit=max(1, min(limit, 100)),
    )
    return {"items": [_disclosure_out(d) for d in page.rows], "next_cursor": page.next_cursor}


@router.post(
    "/disclosures/{int:disclosure_id}/withdraw",
    response=DisclosureOut,
    summary="撤回公示（须说明理由）",
    auth=PermissionAuth("disclosure.manage"),
)
def disclosure_withdraw(request, disclosure_id: int, payload: WithdrawIn):
    disclosure = selectors.disclosure_get(user=request.auth, pk=disclosure_id)
    disclosure = services.disclosure_withdraw(
        disclosure=disclosure, by=request.auth, reason=payload.reason, ip=client_ip(request)
    )
    return _disclosure_out(disclosure)
