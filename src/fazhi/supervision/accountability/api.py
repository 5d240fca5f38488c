"""API of 专项监督与责任追究 (under /api/v1/supervision): parse, call a service or selector, serialise — nothing
else. Every route declares its permission; objects are read through the scoped selectors (404 outside the scope)."""

import datetime as dt
import json

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field
from pydantic import ValidationError as PydanticError

from fazhi.core.apitypes import MAX_OFFSET, Year
from fazhi.core.attachments import attachment_response
from fazhi.core.audit import client_ip
from fazhi.core.errors import DomainError
from fazhi.core.tokens import PermissionAuth, PublicAuth
from fazhi.supervision.accountability import rules, selectors, services
from fazhi.supervision.accountability.permissions import (
    investigation_actions,
    proposal_actions,
    record_actions,
    typical_case_actions,
)

router = Router(tags=["专项监督与责任追究"])

NS = "supervision:accountability"


# ---------------------------------------------------------------- schemas


class AccAttachmentOut(Schema):
    id: int
    name: str
    size: int
    sm3: str
    url: str


class AccEventOut(Schema):
    seq: int
    at: dt.datetime
    actor: str
    actor_unit: str
    action: str
    action_label: str
    comment: str
    attachments: list[AccAttachmentOut]
    hash: str


class AccDocumentOut(Schema):
    id: int
    title: str
    number: str
    created_at: dt.datetime
    sm3: str
    url: str = Field(..., description="下载（本 API，令牌）")
    page_url: str = Field(..., description="下载（页面，登录会话）")


class AccStepOut(Schema):
    id: int
    kind: str
    kind_label: str
    done_on: dt.date
    text: str
    by: str
    unit: str
    attachments: list[AccAttachmentOut]


class AccFollowUpOut(Schema):
    on: dt.date
    text: str
    by: str


class AccReferralOut(Schema):
    id: int
    organ: str
    reason: str
    referred_on: dt.date
    letter_number: str
    status: str
    status_label: str
    result: str
    result_on: dt.date | None
    follow_ups: list[AccFollowUpOut]


class AccInvestigationOut(Schema):
    id: int
    title: str
    basis_kind: str
    basis_id: int
    basis_label: str
    case_id: int | None
    unit: str
    unit_id: int
    status: str
    status_label: str
    opened_on: dt.date
    deadline: dt.date
    deadline_source: str
    light: str
    notice_number: str
    conclusion: str
    conclusion_label: str
    concluded_on: dt.date | None
    investigators: list[str]
    actions: list[str]


class AccInvestigationDetailOut(AccInvestigationOut):
    reason: str
    findings: str
    measures: str
    steps: list[AccStepOut]
    referrals: list[AccReferralOut]
    documents: list[AccDocumentOut]
    timeline: list[AccEventOut]


class AccInvestigationIn(Schema):
    basis_kind: str = Field(..., description="case 行政处罚案件 / complaint 投诉举报或问题线索")
    basis_id: int = Field(..., ge=1, le=2**62, description="关联对象的编号")
    title: str = Field(..., description="调查事项")
    reason: str = Field(..., description="调查事由，至少 10 字")
    investigators: list[int] = Field(..., description=f"调查人员的用户编号，不少于 {rules.INVESTIGATORS_MIN} 人")
    unit_id: int | None = Field(None, ge=1, le=2**62, description="被调查单位（关联记录无承办单位时）")


class AccStepIn(Schema):
    kind: str = Field(
        ..., description="file_review 调阅案卷 / interview 询问 / site_check 现场核查 / explanation 听取说明 …"
    )
    done_on: dt.date
    text: str


class AccStatementIn(Schema):
    text: str


class AccConcludeIn(Schema):
    conclusion: str = Field(..., description="substantiated 问题属实 / partly 部分属实 / unsubstantiated 不属实")
    findings: str
    measures: str = ""
    propose: bool = Field(False, description="提出错案责任追究建议（结论属实或部分属实时）")


class AccExtendIn(Schema):
    days: int = Field(..., ge=-1000, le=1000)
    reason: str


class AccReferIn(Schema):
    organ: str
    reason: str
    referred_on: dt.date | None = None


class AccFollowUpIn(Schema):
    text: str
    result: str = ""
    on: dt.date | None = None


class AccProposalOut(Schema):
    id: int
    source_kind: str
    source_id: int
    source_label: str
    source_url: str
    unit: str
    unit_id: int
    case_id: int | None
    reason: str
    proposed_on: dt.date
    deadline: dt.date
    light: str
    status: str
    status_label: str
    dismiss_reason: str
    record_id: int | None
    actions: list[str]


class AccProposalDetailOut(AccProposalOut):
    timeline: list[AccEventOut]


class AccReasonIn(Schema):
    reason: str


class AccOfficerOut(Schema):
    officer_id: int
    name: str
    post: str
    certificate: str | None
    fault: str
    fault_label: str
    responsibilities: list[str]
    responsibility_labels: list[str]
    exempt: bool
    exemption_ground: str
    exemption_ground_label: str
    exemption_reason: str
    decided: bool


class AccRecordOut(Schema):
    id: int
    unit: str
    unit_id: int
    case_id: int | None
    case_label: str
    source_kind: str
    source_label: str
    proposal_id: int | None
    reason: str
    status: str
    status_label: str
    opened_on: dt.date
    deadline: dt.date
    deadline_source: str
    light: str
    notice_number: str
    decision: str
    decision_organ: str
    decision_on: dt.date | None
    officers: list[AccOfficerOut]
    actions: list[str]


class AccRecordDetailOut(AccRecordOut):
    documents: list[AccDocumentOut]
    timeline: list[AccEventOut]


class AccRecordIn(Schema):
    proposal_id: int | None = Field(None, ge=1, le=2**62, description="由追责建议立案时")
    case_id: int | None = Field(None, ge=1, le=2**62, description="直接对行政处罚案件立案时")
    officers: list[int] = Field(..., description="责任人员（执法人员库编号）")
    reason: str


class AccOutcomeIn(Schema):
    officer: int
    fault: str = Field("", description="intent 故意 / gross 重大过失 / ordinary 一般过失")
    responsibilities: list[str] = Field(default_factory=list, description="责任种类代码")
    exempt: bool = False
    exemption_ground: str = ""
    exemption_reason: str = ""


class AccDecideIn(Schema):
    outcomes: list[AccOutcomeIn]
    decision: str
    decision_organ: str
    decision_on: dt.date


class AccStatRowOut(Schema):
    unit_id: int
    unit: str
    records: int
    decided: int
    officers: int
    exempt: int
    responsibilities: dict[str, int]


class AccStatsOut(Schema):
    year: int
    kinds: dict[str, str]
    rows: list[AccStatRowOut]
    totals: AccStatRowOut


class AccTypicalOut(Schema):
    id: int
    title: str
    case_id: int
    case_label: str
    record_id: int | None
    unit: str
    status: str
    status_label: str
    marked_on: dt.date
    deadline: dt.date
    light: str
    published_on: dt.date | None
    withdrawn_on: dt.date | None
    withdraw_reason: str
    actions: list[str]


class AccTypicalDetailOut(AccTypicalOut):
    summary: str
    lesson: str
    handling: str
    public_title: str
    public_summary: str
    public_lesson: str
    public_handling: str
    public_party: str
    public_officers: str
    documents: list[AccDocumentOut]
    timeline: list[AccEventOut]


class AccTypicalIn(Schema):
    case_id: int | None = Field(None, ge=1, le=2**62)
    record_id: int | None = Field(None, ge=1, le=2**62)
    title: str
    summary: str
    lesson: str
    handling: str


class AccTypicalEditIn(Schema):
    title: str
    summary: str
    lesson: str
    handling: str


class AccPublicTypicalOut(Schema):
    id: int
    title: str
    agency: str
    published_on: dt.date
    summary: str


class AccPublicTypicalDetailOut(AccPublicTypicalOut):
    case_number: str
    party: str
    officers: str
    lesson: str
    handling: str


# ---------------------------------------------------------------- serialisers


def _attachments(files) -> list[dict]:
    return [
        {
            "id": a.pk,
            "name": a.name,
            "size": a.size,
            "sm3": a.sm3,
            "url": reverse("tracking:attachment_download", args=[a.pk]),
        }
        for a in files
    ]


def _timeline(item_ids) -> list[dict]:
    return [
        {
            "seq": e.seq,
            "at": e.at,
            "actor": e.actor_name,
            "actor_unit": e.actor_unit,
            "action": e.action,
            "action_label": e.action_label,
            "comment": e.comment,
            "attachments": _attachments(e.attachments.all()),
            "hash": e.hash,
        }
        for e in selectors.timeline(item_ids=item_ids)
    ]


def _documents(documents, url_name: str, api_path: str, pk: int) -> list[dict]:
    return [
        {
            "id": d.pk,
            "title": d.title,
            "number": d.number,
            "created_at": d.created_at,
            "sm3": d.attachment.sm3,
            "url": f"/api/v1/supervision/{api_path}/{pk}/documents/{d.pk}",
            "page_url": reverse(f"{NS}:{url_name}", args=[pk, d.pk]),
        }
        for d in documents
    ]


def _light(obj) -> str:
    return "closed" if obj.item.status == "closed" else getattr(obj, "light", "")


def _investigation(user, i) -> dict:
    return {
        "id": i.pk,
        "title": i.title,
        "basis_kind": i.basis_kind,
        "basis_id": i.basis_id,
        "basis_label": i.basis_label,
        "case_id": i.case_id,
        "unit": i.unit.name,
        "unit_id": i.unit_id,
        "status": i.status,
        "status_label": i.get_status_display(),
        "opened_on": i.opened_on,
        "deadline": i.item.deadline,
        "deadline_source": i.item.deadline_source,
        "light": _light(i),
        "notice_number": i.notice_number,
        "conclusion": i.conclusion,
        "conclusion_label": i.get_conclusion_display(),
        "concluded_on": i.concluded_on,
        "investigators": [u.display_name for u in i.investigators.all()],
        "actions": sorted(investigation_actions(user=user, obj=i)),
    }


def _investigation_detail(request, pk: int) -> dict:
    user = request.auth
    i = selectors.investigation_get(user=user, pk=pk)
    return {
        **_investigation(user, i),
        "reason": i.reason,
        "findings": i.findings,
        "measures": i.measures,
        "steps": [
            {
                "id": s.pk,
                "kind": s.kind,
                "kind_label": s.get_kind_display(),
                "done_on": s.done_on,
                "text": s.text,
                "by": s.by.display_name if s.by_id else "",
                "unit": s.unit.name if s.unit_id else "",
                "attachments": _attachments(s.attachments.all()),
            }
            for s in selectors.investigation_steps(investigation=i)
        ],
        "referrals": [
            {
                "id": r.pk,
                "organ": r.organ,
                "reason": r.reason,
                "referred_on": r.referred_on,
                "letter_number": r.letter_number,
                "status": r.status,
                "status_label": r.get_status_display(),
                "result": r.result,
                "result_on": r.result_on,
                "follow_ups": [
                    {"on": fu.on, "text": fu.text, "by": fu.by.display_name if fu.by_id else ""}
                    for fu in r.follow_ups.all()
                ],
            }
            for r in selectors.investigation_referrals(investigation=i)
        ],
        "documents": _documents(
            selectors.investigation_documents(investigation=i), "investigation_document", "investigations", i.pk
        ),
        "timeline": _timeline([i.item_id]),
    }


def _proposal(user, p) -> dict:
    record = getattr(p, "record", None) if p.status == "opened" else None
    return {
        "id": p.pk,
        "source_kind": p.source_kind,
        "source_id": p.source_id,
        "source_label": p.source_label,
        "source_url": p.source_url,
        "unit": p.unit.name,
        "unit_id": p.unit_id,
        "case_id": p.case_id,
        "reason": p.reason,
        "proposed_on": p.proposed_on,
        "deadline": p.item.deadline,
        "light": _light(p),
        "status": p.status,
        "status_label": p.get_status_display(),
        "dismiss_reason": p.dismiss_reason,
        "record_id": record.pk if record else None,
        "actions": sorted(proposal_actions(user=user, obj=p)),
    }


def _officer(e) -> dict:
    from fazhi.registry.selectors import officer_certificate_on

    kinds = [s.kind for s in e.sanctions.all()]
    labels = dict(rules.RESPONSIBILITY_CHOICES)
    certificate = officer_certificate_on(officer=e.officer, day=timezone.localdate())
    return {
        "officer_id": e.officer_id,
        "name": e.officer.name,
        "post": e.officer.post,
        "certificate": certificate.number if certificate else None,
        "fault": e.fault,
        "fault_label": e.get_fault_display(),
        "responsibilities": kinds,
        "responsibility_labels": [labels[k] for k in kinds],
        "exempt": e.exempt,
        "exemption_ground": e.exemption_ground,
        "exemption_ground_label": e.get_exemption_ground_display(),
        "exemption_reason": e.exemption_reason,
        "decided": e.decided,
    }


def _record(user, r) -> dict:
    return {
        "id": r.pk,
        "unit": r.unit.name,
        "unit_id": r.unit_id,
        "case_id": r.case_id,
        "case_label": r.case_label,
        "source_kind": r.source_kind,
        "source_label": r.source_label,
        "proposal_id": r.proposal_id,
        "reason": r.reason,
        "status": r.status,
        "status_label": r.get_status_display(),
        "opened_on": r.opened_on,
        "deadline": r.item.deadline,
        "deadline_source": r.item.deadline_source,
        "light": _light(r),
        "notice_number": r.notice_number,
        "decision": r.decision,
        "decision_organ": r.decision_organ,
        "decision_on": r.decision_on,
        "officers": [_officer(e) for e in r.officers.select_related("officer").prefetch_related("sanctions")],
        "actions": sorted(record_actions(user=user, obj=r)),
    }


def _record_detail(request, pk: int) -> dict:
    user = request.auth
    r = selectors.record_get(user=user, pk=pk)
    return {
        **_record(user, r),
        "documents": _documents(
            selectors.record_documents(record=r), "record_document", "accountability/records", r.pk
        ),
        "timeline": _timeline([r.proposal.item_id if r.proposal_id else None, r.item_id]),
    }


def _stat(row) -> dict:
    return {
        "unit_id": row.unit_id,
        "unit": row.unit,
        "records": row.records,
        "decided": row.decided,
        "officers": row.officers,
        "exempt": row.exempt,
        "responsibilities": {code: row.kinds.get(code, 0) for code, _ in rules.RESPONSIBILITY_CHOICES},
    }


def _typical(user, t) -> dict:
    return {
        "id": t.pk,
        "title": t.title,
        "case_id": t.case_id,
        "case_label": t.case_label,
        "record_id": t.record_id,
        "unit": t.unit.name,
        "status": t.status,
        "status_label": t.get_status_display(),
        "marked_on": t.marked_on,
        "deadline": t.item.deadline,
        "light": _light(t),
        "published_on": t.published_on,
        "withdrawn_on": t.withdrawn_on,
        "withdraw_reason": t.withdraw_reason,
        "actions": sorted(typical_case_actions(user=user, obj=t)),
    }


def _typical_detail(request, pk: int) -> dict:
    user = request.auth
    t = selectors.typical_get(user=user, pk=pk)
    return {
        **_typical(user, t),
        "summary": t.summary,
        "lesson": t.lesson,
        "handling": t.handling,
        "public_title": t.public_title,
        "public_summary": t.public_summary,
        "public_lesson": t.public_lesson,
        "public_handling": t.public_handling,
        "public_party": t.public_party,
        "public_officers": t.public_officers,
        "documents": _documents(selectors.typical_documents(typical=t), "typical_document", "typical-cases", t.pk),
        "timeline": _timeline([t.item_id]),
    }


def _window(limit: int, offset: int) -> slice:
    return slice(offset, offset + limit)


# ---------------------------------------------------------------- investigations


@router.get(
    "/investigations",
    auth=PermissionAuth("investigation.view"),
    response=list[AccInvestigationOut],
    summary="专项监督调查列表（按数据范围；特邀监督员只见其参加的调查）",
)
def investigation_list(
    request: HttpRequest,
    q: str = "",
    status: str = "",
    light: str = "",
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    qs = selectors.investigation_list(
        user=request.auth, filters=selectors.InvestigationFilters(q=q, status=status, light=light)
    ).prefetch_related("investigators")
    return [_investigation(request.auth, i) for i in qs[_window(limit, offset)]]


@router.post(
    "/investigations",
    auth=PermissionAuth("investigation.manage"),
    response={201: AccInvestigationDetailOut},
    summary="专项监督调查立项（关联案件、投诉或问题线索）",
)
def investigation_create(request: HttpRequest, payload: AccInvestigationIn):
    unit = None
    if payload.unit_id is not None:
        unit = selectors.investigation_units(user=request.auth).filter(pk=payload.unit_id).first()
        if unit is None:
            raise DomainError(f"单位（id={payload.unit_id}）不存在或不在您的管理范围内", field="unit_id")
    investigation = services.investigation_open(
        by=request.auth,
        basis_kind=payload.basis_kind,
        basis_id=payload.basis_id,
        title=payload.title,
        reason=payload.reason,
        investigators=payload.investigators,
        unit=unit,
        ip=client_ip(request),
    )
    return Status(201, _investigation_detail(request, investigation.pk))


@router.get(
    "/investigations/{int:pk}",
    auth=PermissionAuth("investigation.view"),
    response=AccInvestigationDetailOut,
    summary="专项监督调查详情（步骤、移送、文书、时间线）",
)
def investigation_detail(request: HttpRequest, pk: int):
    return _investigation_detail(request, pk)


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOWNLOAD = {
    "responses": {
        200: {
            "description": "文书（Word，按存档原样）",
            "content": {DOCX: {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


@router.get(
    "/investigations/{int:pk}/documents/{int:document_pk}",
    auth=PermissionAuth("investigation.view"),
    openapi_extra=DOWNLOAD,
    summary="下载专项监督调查的文书（调查通知书、调查报告、移送函）",
)
def investigation_document(request: HttpRequest, pk: int, document_pk: int):
    document = selectors.investigation_document_get(user=request.auth, pk=pk, document_pk=document_pk)
    return attachment_response(document.attachment)


STEP_BODY = {
    "requestBody": {
        "content": {
            "application/json": {"schema": AccStepIn.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "kind": {"type": "string"},
                        "done_on": {"type": "string", "format": "date"},
                        "text": {"type": "string"},
                        "attachments": {"type": "array", "items": {"type": "string", "format": "binary"}},
                    },
                    "required": ["kind", "done_on", "text"],
                }
            },
        },
        "required": True,
    }
}
STATEMENT_BODY = {
    "requestBody": {
        "content": {
            "application/json": {"schema": AccStatementIn.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "text": {"type": "string"},
                        "attachments": {"type": "array", "items": {"type": "string", "format": "binary"}},
                    },
                    "required": ["text"],
                }
            },
        },
        "required": True,
    }
}
LABELS = {"kind": "调查方式", "done_on": "日期", "text": "内容"}


def _body(request, schema, fields: tuple[str, ...]):
    """JSON, or multipart form fields plus `attachments` files (materials of a step or a statement)."""
    if request.content_type == "multipart/form-data":
        raw = {k: request.POST.get(k) for k in fields if k in request.POST}
        files = request.FILES.getlist("attachments")
    else:
        try:
            raw = json.loads(request.body or b"{}")
        except ValueError:
            raise DomainError("请求体不是有效的 JSON", field="body") from None
        files = []
    if not isinstance(raw, dict):
        raise DomainError("请求体应为 JSON 对象", field="body")
    try:
        return schema.model_validate(raw), files
    except PydanticError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err.get("loc", ())) or "body"
        raise DomainError(f"参数“{LABELS.get(field, field)}”无效或缺失", field=field) from None


@router.post(
    "/investigations/{int:pk}/steps",
    auth=PermissionAuth("investigation.manage", "investigation.join"),
    response={201: AccInvestigationDetailOut},
    openapi_extra=STEP_BODY,
    summary="记录调查步骤（可附材料；监督人员或调查组成员）",
)
def investigation_step(request: HttpRequest, pk: int):
    investigation = selectors.investigation_get(user=request.auth, pk=pk)
    data, files = _body(request, AccStepIn, ("kind", "done_on", "text"))
    services.investigation_step_record(
        by=request.auth,
        investigation=investigation,
        kind=data.kind,
        done_on=data.done_on,
        text=data.text,
        files=files,
        ip=client_ip(request),
    )
    return Status(201, _investigation_detail(request, pk))


@router.post(
    "/investigations/{int:pk}/statement",
    auth=PermissionAuth("accountability.respond"),
    response={201: AccInvestigationDetailOut},
    openapi_extra=STATEMENT_BODY,
    summary="被调查单位提交说明（可附材料）",
)
def investigation_statement(request: HttpRequest, pk: int):
    investigation = selectors.investigation_get(user=request.auth, pk=pk)
    data, files = _body(request, AccStatementIn, ("text",))
    services.investigation_statement(
        by=request.auth, investigation=investigation, text=data.text, files=files, ip=client_ip(request)
    )
    return Status(201, _investigation_detail(request, pk))


@router.post(
    "/investigations/{int:pk}/notice",
    auth=PermissionAuth("investigation.manage"),
    response=AccInvestigationDetailOut,
    summary="签发调查通知书（签发时取发文字号）",
)
def investigation_notice(request: HttpRequest, pk: int):
    investigation = selectors.investigation_get(user=request.auth, pk=pk)
    services.investigation_notice_issue(by=request.auth, investigation=investigation, ip=client_ip(request))
    return _investigation_detail(request, pk)


@router.post(
    "/investigations/{int:pk}/extend",
    auth=PermissionAuth("investigation.manage"),
    response=AccInvestigationDetailOut,
    summary="延长调查期限（一次，本地规定的最长天数内）",
)
def investigation_extend(request: HttpRequest, pk: int, payload: AccExtendIn):
    investigation = selectors.investigation_get(user=request.auth, pk=pk)
    services.investigation_extend(
        by=request.auth, investigation=investigation, days=payload.days, reason=payload.reason, ip=client_ip(request)
    )
    return _investigation_detail(request, pk)


@router.post(
    "/investigations/{int:pk}/conclusion",
    auth=PermissionAuth("investigation.manage"),
    response=AccInvestigationDetailOut,
    summary="作出调查结论（生成调查报告；属实的可提出追责建议）",
)
def investigation_conclude(request: HttpRequest, pk: int, payload: AccConcludeIn):
    investigation = selectors.investigation_get(user=request.auth, pk=pk)
    services.investigation_conclude(
        by=request.auth,
        investigation=investigation,
        conclusion=payload.conclusion,
        findings=payload.findings,
        measures=payload.measures,
        propose=payload.propose,
        ip=client_ip(request),
    )
    return _investigation_detail(request, pk)


@router.post(
    "/investigations/{int:pk}/referrals",
    auth=PermissionAuth("investigation.manage"),
    response={201: AccInvestigationDetailOut},
    summary="移送纪检监察（生成移送函）",
)
def investigation_refer(request: HttpRequest, pk: int, payload: AccReferIn):
    investigation = selectors.investigation_get(user=request.auth, pk=pk)
    services.investigation_refer(
        by=request.auth,
        investigation=investigation,
        organ=payload.organ,
        reason=payload.reason,
        referred_on=payload.referred_on,
        ip=client_ip(request),
    )
    return Status(201, _investigation_detail(request, pk))


@router.post(
    "/investigation-referrals/{int:pk}/follow-ups",
    auth=PermissionAuth("investigation.manage"),
    response={201: AccInvestigationDetailOut},
    summary="跟踪移送纪检监察情况（填写处理结果后跟踪结束）",
)
def referral_follow_up(request: HttpRequest, pk: int, payload: AccFollowUpIn):
    referral = selectors.referral_get(user=request.auth, pk=pk)
    services.referral_follow_up(
        by=request.auth,
        referral=referral,
        text=payload.text,
        result=payload.result,
        on=payload.on,
        ip=client_ip(request),
    )
    return Status(201, _investigation_detail(request, referral.investigation_id))


# ---------------------------------------------------------------- proposals


@router.get(
    "/accountability/proposals",
    auth=PermissionAuth("accountability.manage"),
    response=list[AccProposalOut],
    summary="追责建议列表",
)
def proposal_list(
    request: HttpRequest,
    q: str = "",
    status: str = "",
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    qs = selectors.proposal_list(user=request.auth, q=q, status=status)
    return [_proposal(request.auth, p) for p in qs[_window(limit, offset)]]


@router.get(
    "/accountability/proposals/{int:pk}",
    auth=PermissionAuth("accountability.manage"),
    response=AccProposalDetailOut,
    summary="追责建议详情（含时间线）",
)
def proposal_detail(request: HttpRequest, pk: int):
    p = selectors.proposal_get(user=request.auth, pk=pk)
    return {**_proposal(request.auth, p), "timeline": _timeline([p.item_id])}


@router.post(
    "/accountability/proposals/{int:pk}/dismiss",
    auth=PermissionAuth("accountability.manage"),
    response=AccProposalDetailOut,
    summary="追责建议不予追责",
)
def proposal_dismiss(request: HttpRequest, pk: int, payload: AccReasonIn):
    p = selectors.proposal_get(user=request.auth, pk=pk)
    services.proposal_dismiss(by=request.auth, proposal=p, reason=payload.reason, ip=client_ip(request))
    p = selectors.proposal_get(user=request.auth, pk=pk)
    return {**_proposal(request.auth, p), "timeline": _timeline([p.item_id])}


# ---------------------------------------------------------------- records


@router.get(
    "/accountability/records",
    auth=PermissionAuth("accountability.view"),
    response=list[AccRecordOut],
    summary="错案责任追究台账（按数据范围）",
)
def record_list(
    request: HttpRequest,
    q: str = "",
    status: str = "",
    year: Year | None = None,
    light: str = "",
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    qs = selectors.record_list(
        user=request.auth, filters=selectors.RecordFilters(q=q, status=status, year=year, light=light)
    )
    return [_record(request.auth, r) for r in qs[_window(limit, offset)]]


@router.post(
    "/accountability/records",
    auth=PermissionAuth("accountability.manage"),
    response={201: AccRecordDetailOut},
    summary="错案责任追究立案（由追责建议，或直接对案件）",
)
def record_create(request: HttpRequest, payload: AccRecordIn):
    proposal = None
    if payload.proposal_id is not None:
        proposal = selectors.proposal_ref(user=request.auth, pk=payload.proposal_id, field="proposal_id")
    elif payload.case_id is None:
        raise DomainError("请填写追责建议编号（proposal_id）或行政处罚案件编号（case_id）", field="case_id")
    record = services.record_open(
        by=request.auth,
        officers=payload.officers,
        reason=payload.reason,
        proposal=proposal,
        case_id=None if proposal else payload.case_id,
        ip=client_ip(request),
    )
    return Status(201, _record_detail(request, record.pk))


@router.get(
    "/accountability/records/{int:pk}",
    auth=PermissionAuth("accountability.view"),
    response=AccRecordDetailOut,
    summary="错案责任追究记录详情（人员、文书、时间线）",
)
def record_detail(request: HttpRequest, pk: int):
    return _record_detail(request, pk)


@router.get(
    "/accountability/records/{int:pk}/documents/{int:document_pk}",
    auth=PermissionAuth("accountability.view"),
    openapi_extra=DOWNLOAD,
    summary="下载责任追究的文书（责任追究建议书）",
)
def record_document(request: HttpRequest, pk: int, document_pk: int):
    document = selectors.record_document_get(user=request.auth, pk=pk, document_pk=document_pk)
    return attachment_response(document.attachment)


@router.post(
    "/accountability/records/{int:pk}/decision",
    auth=PermissionAuth("accountability.manage"),
    response=AccRecordDetailOut,
    summary="登记追责决定（每名人员：过错与责任种类，或尽职免责）",
)
def record_decide(request: HttpRequest, pk: int, payload: AccDecideIn):
    record = selectors.record_get(user=request.auth, pk=pk)
    services.record_decide(
        by=request.auth,
        record=record,
        outcomes=[o.model_dump() for o in payload.outcomes],
        decision=payload.decision,
        decision_organ=payload.decision_organ,
        decision_on=payload.decision_on,
        ip=client_ip(request),
    )
    return _record_detail(request, pk)


@router.post(
    "/accountability/records/{int:pk}/notice",
    auth=PermissionAuth("accountability.manage"),
    response=AccRecordDetailOut,
    summary="签发责任追究建议书（签发时取发文字号）",
)
def record_notice(request: HttpRequest, pk: int):
    record = selectors.record_get(user=request.auth, pk=pk)
    services.record_notice_issue(by=request.auth, record=record, ip=client_ip(request))
    return _record_detail(request, pk)


@router.post(
    "/accountability/records/{int:pk}/statement",
    auth=PermissionAuth("accountability.respond"),
    response={201: AccRecordDetailOut},
    openapi_extra=STATEMENT_BODY,
    summary="责任单位提交说明（可附材料）",
)
def record_statement(request: HttpRequest, pk: int):
    record = selectors.record_get(user=request.auth, pk=pk)
    data, files = _body(request, AccStatementIn, ("text",))
    services.record_statement(by=request.auth, record=record, text=data.text, files=files, ip=client_ip(request))
    return Status(201, _record_detail(request, pk))


@router.get(
    "/accountability/stats",
    auth=PermissionAuth("accountability.view"),
    response=AccStatsOut,
    summary="错案责任追究统计（按责任单位、年度：记录、责任种类、尽职免责）",
)
def record_stats(request: HttpRequest, year: Year | None = None):
    year = year or timezone.localdate().year
    rows = selectors.accountability_stats(user=request.auth, year=year)
    return {
        "year": year,
        "kinds": dict(rules.RESPONSIBILITY_CHOICES),
        "rows": [_stat(r) for r in rows],
        "totals": _stat(selectors.stats_totals(rows)),
    }


# ---------------------------------------------------------------- typical cases


@router.get(
    "/typical-cases",
    auth=PermissionAuth("accountability.view"),
    response=list[AccTypicalOut],
    summary="典型案例通报列表",
)
def typical_list(
    request: HttpRequest,
    q: str = "",
    status: str = "",
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    qs = selectors.typical_list(user=request.auth, q=q, status=status)
    return [_typical(request.auth, t) for t in qs[_window(limit, offset)]]


@router.post(
    "/typical-cases",
    auth=PermissionAuth("accountability.manage"),
    response={201: AccTypicalDetailOut},
    summary="选定典型错案（案件或追责记录的案件），撰写面向公众的通报",
)
def typical_create(request: HttpRequest, payload: AccTypicalIn):
    record = None
    if payload.record_id is not None:
        record = selectors.record_ref(user=request.auth, pk=payload.record_id, field="record_id")
    typical = services.typical_mark(
        by=request.auth,
        case_id=payload.case_id,
        record=record,
        title=payload.title,
        summary=payload.summary,
        lesson=payload.lesson,
        handling=payload.handling,
        ip=client_ip(request),
    )
    return Status(201, _typical_detail(request, typical.pk))


@router.get(
    "/typical-cases/{int:pk}",
    auth=PermissionAuth("accountability.view"),
    response=AccTypicalDetailOut,
    summary="典型案例详情（含发布的脱敏内容和时间线）",
)
def typical_detail(request: HttpRequest, pk: int):
    return _typical_detail(request, pk)


@router.get(
    "/typical-cases/{int:pk}/documents/{int:document_pk}",
    auth=PermissionAuth("accountability.view"),
    openapi_extra=DOWNLOAD,
    summary="下载典型案例通报文书",
)
def typical_document(request: HttpRequest, pk: int, document_pk: int):
    document = selectors.typical_document_get(user=request.auth, pk=pk, document_pk=document_pk)
    return attachment_response(document.attachment)


@router.put(
    "/typical-cases/{int:pk}",
    auth=PermissionAuth("accountability.manage"),
    response=AccTypicalDetailOut,
    summary="修改待发布的通报内容",
)
def typical_edit(request: HttpRequest, pk: int, payload: AccTypicalEditIn):
    typical = selectors.typical_get(user=request.auth, pk=pk)
    services.typical_edit(
        by=request.auth,
        typical=typical,
        title=payload.title,
        summary=payload.summary,
        lesson=payload.lesson,
        handling=payload.handling,
        ip=client_ip(request),
    )
    return _typical_detail(request, pk)


@router.post(
    "/typical-cases/{int:pk}/publish",
    auth=PermissionAuth("accountability.manage"),
    response=AccTypicalDetailOut,
    summary="在公开平台发布（含当事人全名或身份证号的拒绝发布；个人信息脱敏）",
)
def typical_publish(request: HttpRequest, pk: int):
    typical = selectors.typical_get(user=request.auth, pk=pk)
    services.typical_publish(by=request.auth, typical=typical, ip=client_ip(request))
    return _typical_detail(request, pk)


@router.post(
    "/typical-cases/{int:pk}/withdraw",
    auth=PermissionAuth("accountability.manage"),
    response=AccTypicalDetailOut,
    summary="撤回通报（公开平台不再显示，理由记入时间线）",
)
def typical_withdraw(request: HttpRequest, pk: int, payload: AccReasonIn):
    typical = selectors.typical_get(user=request.auth, pk=pk)
    services.typical_withdraw(by=request.auth, typical=typical, reason=payload.reason, ip=client_ip(request))
    return _typical_detail(request, pk)


# ---------------------------------------------------------------- public (the portal's data)


def _public(t) -> dict:
    return {
        "id": t.pk,
        "title": t.public_title,
        "agency": t.public_agency,
        "published_on": t.published_on,
        "summary": t.public_summary,
    }


@router.get(
    "/public/typical-cases",
    auth=PublicAuth(),
    response=list[AccPublicTypicalOut],
    summary="典型案例通报（公开，个人信息已脱敏）",
)
def public_typical_list(
    request: HttpRequest,
    q: str = "",
    agency: str = "",
    year: Year | None = None,
    limit: int = Query(20, ge=1, le=100),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    qs = selectors.public_typical_list(q=q, agency=agency, year=year)
    return [_public(t) for t in qs[_window(limit, offset)]]


@router.get(
    "/public/typical-cases/{int:pk}",
    auth=PublicAuth(),
    response=AccPublicTypicalDetailOut,
    summary="典型案例通报详情（公开）",
)
def public_typical_detail(request: HttpRequest, pk: int):
    t = selectors.public_typical_get(pk=pk)
    return {
        **_public(t),
        "case_number": t.public_case_number,
        "party": t.public_party,
        "officers": t.public_officers,
        "lesson": t.public_lesson,
        "handling": t.public_handling,
    }
