"""API of 监督文书: parse, call a service or selector, serialise — nothing else. Mounted under /api/v1/supervision."""

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from fazhi.core.apitypes import MAX_OFFSET
from fazhi.core.attachments import ALLOWED_TYPES, attachment_response
from fazhi.core.audit import client_ip
from fazhi.core.tokens import PermissionAuth
from fazhi.supervision.instruments import rules, selectors, services
from fazhi.supervision.instruments.permissions import instrument_actions, risk_actions

router = Router(tags=["监督文书"])

VIEW = PermissionAuth("instrument.view", "instrument.issue")
# A download answers with the file's own type (never inline): every type an attachment may have.
FILE_CONTENT = {t: {"schema": {"type": "string", "format": "binary"}} for t in sorted(set(ALLOWED_TYPES.values()))}


# ---------------------------------------------------------------- schemas


class InstrumentBasisIn(Schema):
    kind: str = Field(
        ..., description="关联类型：case 行政处罚案件、complaint 投诉举报/问题线索、instrument 监督文书等"
    )
    id: int = Field(..., ge=1, le=2**62)


class InstrumentIn(Schema):
    kind: str = Field(
        ...,
        description="opinion 意见书 / recommendation 建议书 / reminder 工作提示函 / interview 约谈 / decision 决定书 / bulletin 通报",
    )
    title: str = Field(..., max_length=rules.TITLE_MAX)
    facts: str = Field(..., max_length=rules.TEXT_MAX)
    requirements: str = Field("", max_length=rules.TEXT_MAX)
    recipient_id: int | None = Field(None, ge=1, le=2**62, description="主送单位编号（通报可空）")
    bases: list[InstrumentBasisIn] = Field(default_factory=list, max_length=20)
    decision_kind: str = Field(
        "", description="决定书：perform 责令履行 / correct 责令改正 / revoke 撤销 / confirm_illegal 确认违法"
    )
    interview_at: dt.datetime | None = None
    interview_place: str = Field("", max_length=200)
    reply_required: bool = Field(True, description="约谈：是否要求约谈后书面报告")


class InstrumentUpdateIn(Schema):
    title: str = Field(..., max_length=rules.TITLE_MAX)
    facts: str = Field(..., max_length=rules.TEXT_MAX)
    requirements: str = Field("", max_length=rules.TEXT_MAX)
    recipient_id: int | None = Field(None, ge=1, le=2**62)
    decision_kind: str = ""
    interview_at: dt.datetime | None = None
    interview_place: str = Field("", max_length=200)
    reply_required: bool = True


class InstrumentBasisOut(Schema):
    id: int
    kind: str
    kind_label: str
    object_id: int
    label: str
    url: str


class InstrumentOut(Schema):
    id: int
    kind: str
    kind_label: str
    decision_kind: str
    status: str
    status_label: str
    number: str
    title: str
    issuing_unit: str
    recipient_id: int | None
    recipient: str | None
    facts: str
    requirements: str
    issued_on: dt.date | None
    needs_reply: bool
    deadline: dt.date | None
    deadline_source: str
    light: str | None
    returns: int
    origin: str
    proposal_reason: str
    follows_id: int | None
    interview_at: dt.datetime | None
    interview_place: str
    bases: list[InstrumentBasisOut]
    actions: list[str]


class InstrumentRow(Schema):
    id: int
    kind: str
    kind_label: str
    status: str
    status_label: str
    number: str
    title: str
    recipient: str | None
    issued_on: dt.date | None
    deadline: dt.date | None
    light: str | None
    origin: str


class InstrumentIssueIn(Schema):
    decision_kind: str = Field("", description="决定书的决定种类（草稿已选时可空）")


class InstrumentReasonIn(Schema):
    reason: str = Field(..., max_length=rules.REASON_MAX)


class InstrumentReviewIn(Schema):
    comment: str = Field("", max_length=rules.REASON_MAX)


class InstrumentReplyIn(Schema):
    findings: str = Field(..., max_length=rules.TEXT_MAX)
    measures: str = Field(..., max_length=rules.TEXT_MAX)


class InstrumentInterviewIn(Schema):
    held_at: dt.datetime
    place: str = Field(..., max_length=200)
    participants: str = Field(..., max_length=1000)
    content: str = Field(..., max_length=rules.TEXT_MAX)


class InstrumentBasisRemoveIn(Schema):
    basis_id: int = Field(..., ge=1, le=2**62)


class InstrumentFileOut(Schema):
    id: int
    name: str
    size: int
    sm3: str
    download: str


class InstrumentReplyOut(Schema):
    id: int
    unit: str
    by: str
    at: dt.datetime
    replied_on: dt.date
    on_time: bool
    status: str
    findings: str
    measures: str
    review_comment: str
    attachments: list[InstrumentFileOut]


class InstrumentEventOut(Schema):
    seq: int
    at: dt.datetime
    actor_name: str
    actor_unit: str
    action: str
    action_label: str
    comment: str
    hash: str
    attachments: list[InstrumentFileOut]


class InstrumentDocumentOut(Schema):
    id: int
    title: str
    number: str
    created_at: dt.datetime
    sm3: str
    download: str


class InstrumentRiskOut(Schema):
    id: int
    unit_id: int
    unit: str
    period_start: dt.date
    period_end: dt.date
    warnings: int
    warnings_threshold: int
    complaints: int
    complaints_threshold: int
    reasons: str
    status: str
    status_label: str
    reminder_id: int | None
    dismissed_reason: str
    actions: list[str]


class InstrumentScanOut(Schema):
    created: int


class InstrumentStatOut(Schema):
    unit_id: int
    unit: str
    issued: int
    replied_on_time: int
    overdue: int
    open: int
    on_time_rate: float | None


# ---------------------------------------------------------------- serialisers


def _light(inst) -> str | None:
    if not inst.item_id or not inst.needs_reply:
        return None
    light = getattr(inst, "light", None)
    if light is None:
        from fazhi.tracking.rules import light as light_rule
        from fazhi.tracking.selectors import yellow_until

        today = timezone.localdate()
        light = light_rule(
            status=inst.item.status, deadline=inst.item.deadline, today=today, yellow_until=yellow_until(today)
        )
    return light


def _row(inst) -> dict:
    return {
        "id": inst.pk,
        "kind": inst.kind,
        "kind_label": inst.kind_label,
        "status": inst.status,
        "status_label": inst.get_status_display(),
        "number": inst.number,
        "title": inst.title,
        "recipient": inst.recipient.name if inst.recipient_id else None,
        "issued_on": inst.issued_on,
        "deadline": inst.item.deadline if inst.item_id and inst.needs_reply else None,
        "light": _light(inst),
        "origin": inst.origin,
    }


def _out(request, inst) -> dict:
    user = request.auth
    return {
        **_row(inst),
        "decision_kind": inst.decision_kind,
        "issuing_unit": inst.issuing_unit.name,
        "recipient_id": inst.recipient_id,
        "facts": inst.facts,
        "requirements": inst.requirements,
        "needs_reply": inst.needs_reply,
        "deadline_source": inst.item.deadline_source if inst.item_id and inst.needs_reply else "",
        "returns": inst.returns,
        "proposal_reason": inst.proposal_reason,
        "follows_id": inst.follows_id,
        "interview_at": inst.interview_at,
        "interview_place": inst.interview_place,
        "bases": [
            {
                "id": b.basis.pk,
                "kind": b.basis.kind,
                "kind_label": b.kind_label,
                "object_id": b.basis.object_id,
                "label": b.link.label if b.link else b.basis.label,
                "url": b.link.url if b.link else "",
            }
            for b in selectors.instrument_bases(user=user, instrument=inst)
        ],
        "actions": sorted(instrument_actions(user=user, obj=inst)),
    }


def _file(inst, a) -> dict:
    return {
        "id": a.pk,
        "name": a.name,
        "size": a.size,
        "sm3": a.sm3,
        "download": f"/api/v1/supervision/instruments/{inst.pk}/files/{a.pk}",
    }


def _fresh(request, pk: int) -> dict:
    return _out(request, selectors.instrument_get(user=request.auth, pk=pk))


# ---------------------------------------------------------------- instruments


@router.get("/instruments", auth=VIEW, response=list[InstrumentRow], summary="监督文书列表（按数据范围）")
def instrument_list(
    request: HttpRequest,
    q: str = "",
    kind: str = "",
    status: str = "",
    light: str = "",
    origin: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    recipient_id: int | None = Query(None, ge=1, le=2**62),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    filters = selectors.InstrumentFilters(
        q=q,
        kind=kind,
        status=status,
        light=light,
        origin=origin,
        recipient=recipient_id,
        date_from=date_from,
        date_to=date_to,
    )
    qs = selectors.instrument_list(user=request.auth, filters=filters)
    return [_row(i) for i in qs[offset : offset + limit]]


@router.post(
    "/instruments",
    auth=PermissionAuth("instrument.issue"),
    response={201: InstrumentOut},
    summary="拟制监督文书（草稿，不取号）",
)
def instrument_create(request: HttpRequest, payload: InstrumentIn):
    user = request.auth
    inst = services.instrument_create(
        by=user,
        kind=payload.kind,
        title=payload.title,
        facts=payload.facts,
        requirements=payload.requirements,
        recipient=selectors.recipient_ref(user=user, pk=payload.recipient_id),
        bases=[(b.kind, b.id) for b in payload.bases],
        decision_kind=payload.decision_kind,
        interview_at=payload.interview_at,
        interview_place=payload.interview_place,
        reply_required=payload.reply_required,
        ip=client_ip(request),
    )
    return Status(201, _fresh(request, inst.pk))


@router.get("/instruments/stats", auth=VIEW, response=list[InstrumentStatOut], summary="按主送单位统计回复情况")
def instrument_stats(request: HttpRequest, date_from: dt.date | None = None, date_to: dt.date | None = None):
    rows = selectors.instrument_reply_stats(date_from=date_from, date_to=date_to, user=request.auth)
    return [{**r.__dict__, "on_time_rate": r.on_time_rate} for r in rows]


@router.get("/instruments/{int:pk}", auth=VIEW, response=InstrumentOut, summary="监督文书详情")
def instrument_detail(request: HttpRequest, pk: int):
    return _fresh(request, pk)


@router.put(
    "/instruments/{int:pk}", auth=PermissionAuth("instrument.issue"), response=InstrumentOut, summary="修改草稿"
)
def instrument_update(request: HttpRequest, pk: int, payload: InstrumentUpdateIn):
    user = request.auth
    inst = selectors.instrument_get(user=user, pk=pk)
    services.instrument_update(
        by=user,
        instrument=inst,
        title=payload.title,
        facts=payload.facts,
        requirements=payload.requirements,
        recipient=selectors.recipient_ref(user=user, pk=payload.recipient_id),
        decision_kind=payload.decision_kind,
        interview_at=payload.interview_at,
        interview_place=payload.interview_place,
        reply_required=payload.reply_required,
        ip=client_ip(request),
    )
    return _fresh(request, pk)


@router.post(
    "/instruments/{int:pk}/bases", auth=PermissionAuth("instrument.issue"), response=InstrumentOut, summary="添加依据"
)
def instrument_basis_add(request: HttpRequest, pk: int, payload: InstrumentBasisIn):
    inst = selectors.instrument_get(user=request.auth, pk=pk)
    services.instrument_basis_add(by=request.auth, instrument=inst, kind=payload.kind, pk=payload.id)
    return _fresh(request, pk)


@router.post(
    "/instruments/{int:pk}/bases/remove",
    auth=PermissionAuth("instrument.issue"),
    response=InstrumentOut,
    summary="移除依据",
)
def instrument_basis_remove(request: HttpRequest, pk: int, payload: InstrumentBasisRemoveIn):
    inst = selectors.instrument_get(user=request.auth, pk=pk)
    services.instrument_basis_remove(by=request.auth, instrument=inst, basis_id=payload.basis_id)
    return _fresh(request, pk)


@router.post(
    "/instruments/{int:pk}/issue",
    auth=PermissionAuth("instrument.issue"),
    response=InstrumentOut,
    summary="签发（取发文字号、生成公文、送达）",
)
def instrument_issue(request: HttpRequest, pk: int, payload: InstrumentIssueIn):
    inst = selectors.instrument_get(user=request.auth, pk=pk)
    services.instrument_issue(
        by=request.auth, instrument=inst, decision_kind=payload.decision_kind or None, ip=client_ip(request)
    )
    return _fresh(request, pk)


@router.post(
    "/instruments/{int:pk}/discard", auth=PermissionAuth("instrument.issue"), response=InstrumentOut, summary="撤销草稿"
)
def instrument_discard(request: HttpRequest, pk: int, payload: InstrumentReasonIn):
    inst = selectors.instrument_get(user=request.auth, pk=pk)
    services.instrument_discard(by=request.auth, instrument=inst, reason=payload.reason, ip=client_ip(request))
    return _fresh(request, pk)


@router.post(
    "/instruments/{int:pk}/acknowledge",
    auth=PermissionAuth("instrument.reply"),
    response=InstrumentOut,
    summary="主送单位签收",
)
def instrument_acknowledge(request: HttpRequest, pk: int):
    inst = selectors.instrument_get(user=request.auth, pk=pk)
    services.instrument_acknowledge(by=request.auth, instrument=inst, ip=client_ip(request))
    return _fresh(request, pk)


@router.post(
    "/instruments/{int:pk}/reply",
    auth=PermissionAuth("instrument.reply"),
    response=InstrumentOut,
    summary="主送单位书面回复（multipart：findings、measures 与证明材料 attachments）",
)
def instrument_reply(
    request: HttpRequest,
    pk: int,
    payload: Form[InstrumentReplyIn],
    attachments: File[list[UploadedFile]] = None,
):
    inst = selectors.instrument_get(user=request.auth, pk=pk)
    services.instrument_reply(
        by=request.auth,
        instrument=inst,
        findings=payload.findings,
        measures=payload.measures,
        files=attachments or [],
        ip=client_ip(request),
    )
    return _fresh(request, pk)


@router.post(
    "/instruments/{int:pk}/accept",
    auth=PermissionAuth("instrument.issue"),
    response=InstrumentOut,
    summary="采纳回复，办结",
)
def instrument_accept(request: HttpRequest, pk: int, payload: InstrumentReviewIn):
    inst = selectors.instrument_get(user=request.auth, pk=pk)
    services.instrument_accept(by=request.auth, instrument=inst, comment=payload.comment, ip=client_ip(request))
    return _fresh(request, pk)


@router.post(
    "/instruments/{int:pk}/return", auth=PermissionAuth("instrument.issue"), response=InstrumentOut, summary="退回回复"
)
def instrument_return(request: HttpRequest, pk: int, payload: InstrumentReasonIn):
    inst = selectors.instrument_get(user=request.auth, pk=pk)
    services.instrument_return(by=request.auth, instrument=inst, reason=payload.reason, ip=client_ip(request))
    return _fresh(request, pk)


@router.post(
    "/instruments/{int:pk}/interview",
    auth=PermissionAuth("instrument.issue"),
    response=InstrumentOut,
    summary="填写约谈记录",
)
def instrument_interview(request: HttpRequest, pk: int, payload: InstrumentInterviewIn):
    inst = selectors.instrument_get(user=request.auth, pk=pk)
    services.instrument_record_interview(
        by=request.auth,
        instrument=inst,
        held_at=payload.held_at,
        place=payload.place,
        participants=payload.participants,
        content=payload.content,
        ip=client_ip(request),
    )
    return _fresh(request, pk)


@router.get("/instruments/{int:pk}/replies", auth=VIEW, response=list[InstrumentReplyOut], summary="回复及证明材料")
def instrument_replies(request: HttpRequest, pk: int):
    inst = selectors.instrument_get(user=request.auth, pk=pk)
    return [
        {
            "id": r.pk,
            "unit": r.unit.name,
            "by": r.by.display_name if r.by_id else "",
            "at": r.at,
            "replied_on": r.replied_on,
            "on_time": r.on_time,
            "status": r.status,
            "findings": r.findings,
            "measures": r.measures,
            "review_comment": r.review_comment,
            "attachments": [_file(inst, a) for a in r.attachments.all()],
        }
        for r in selectors.instrument_replies(instrument=inst)
    ]


@router.get("/instruments/{int:pk}/timeline", auth=VIEW, response=list[InstrumentEventOut], summary="SM3 时间线")
def instrument_timeline(request: HttpRequest, pk: int):
    inst = selectors.instrument_get(user=request.auth, pk=pk)
    return [
        {
            "seq": e.seq,
            "at": e.at,
            "actor_name": e.actor_name,
            "actor_unit": e.actor_unit,
            "action": e.action,
            "action_label": e.action_label,
            "comment": e.comment,
            "hash": e.hash,
            "attachments": [_file(inst, a) for a in e.attachments.all()],
        }
        for e in selectors.instrument_timeline(instrument=inst)
    ]


@router.get("/instruments/{int:pk}/documents", auth=VIEW, response=list[InstrumentDocumentOut], summary="生成的公文")
def instrument_documents(request: HttpRequest, pk: int):
    inst = selectors.instrument_get(user=request.auth, pk=pk)
    return [
        {
            "id": d.pk,
            "title": d.title,
            "number": d.number,
            "created_at": d.created_at,
            "sm3": d.attachment.sm3,
            "download": f"/api/v1/supervision/instruments/{inst.pk}/files/{d.attachment_id}",
        }
        for d in selectors.instrument_documents(instrument=inst)
    ]


@router.get(
    "/instruments/{int:pk}/files/{int:attachment_pk}",
    auth=VIEW,
    response={200: None},
    summary="下载文书或证明材料（逐字节与存档相同，SM3 校验）",
    openapi_extra={"responses": {"200": {"description": "文件（附件下载）", "content": FILE_CONTENT}}},
)
def instrument_file(request: HttpRequest, pk: int, attachment_pk: int):
    return attachment_response(selectors.instrument_file_get(user=request.auth, pk=pk, attachment_pk=attachment_pk))


# ---------------------------------------------------------------- 执法风险预警提醒


def _risk(request, p) -> dict:
    return {
        "id": p.pk,
        "unit_id": p.unit_id,
        "unit": p.unit.name,
        "period_start": p.period_start,
        "period_end": p.period_end,
        "warnings": p.warnings,
        "warnings_threshold": p.warnings_threshold,
        "complaints": p.complaints,
        "complaints_threshold": p.complaints_threshold,
        "reasons": p.reasons,
        "status": p.status,
        "status_label": p.get_status_display(),
        "reminder_id": p.reminder_id,
        "dismissed_reason": p.dismissed_reason,
        "actions": sorted(risk_actions(user=request.auth, obj=p)),
    }


@router.get(
    "/instrument-risks",
    auth=PermissionAuth("instrument.issue"),
    response=list[InstrumentRiskOut],
    summary="执法风险预警提醒",
)
def risk_list(
    request: HttpRequest,
    q: str = "",
    status: str = "",
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    qs = selectors.risk_list(user=request.auth, filters=selectors.RiskFilters(q=q, status=status))
    return [_risk(request, p) for p in qs[offset : offset + limit]]


@router.post(
    "/instrument-risks/scan",
    auth=PermissionAuth("instrument.issue"),
    response=InstrumentScanOut,
    summary="立即计算执法风险预警（幂等）",
)
def risk_scan(request: HttpRequest):
    return services.risks_scan(by=request.auth)


@router.get(
    "/instrument-risks/{int:pk}",
    auth=PermissionAuth("instrument.issue"),
    response=InstrumentRiskOut,
    summary="预警提醒详情",
)
def risk_detail(request: HttpRequest, pk: int):
    return _risk(request, selectors.risk_get(user=request.auth, pk=pk))


@router.post(
    "/instrument-risks/{int:pk}/draft",
    auth=PermissionAuth("instrument.issue"),
    response={201: InstrumentOut},
    summary="拟制工作提示函草稿（预填统计数字）",
)
def risk_draft(request: HttpRequest, pk: int):
    proposal = selectors.risk_get(user=request.auth, pk=pk)
    reminder = services.risk_draft(by=request.auth, proposal=proposal, ip=client_ip(request))
    return Status(201, _fresh(request, reminder.pk))


@router.post(
    "/instrument-risks/{int:pk}/dismiss",
    auth=PermissionAuth("instrument.issue"),
    response=InstrumentRiskOut,
    summary="不予提示（说明理由）",
)
def risk_dismiss(request: HttpRequest, pk: int, payload: InstrumentReasonIn):
    proposal = selectors.risk_get(user=request.auth, pk=pk)
    services.risk_dismiss(by=request.auth, proposal=proposal, reason=payload.reason, ip=client_ip(request))
    return _risk(request, selectors.risk_get(user=request.auth, pk=pk))
