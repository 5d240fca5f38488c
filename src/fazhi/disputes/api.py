"""争议化解 API: reconsiderations (the contract of issue #12), their events, hearings, committee referrals, opinion
letters, 附带审查, publication; litigation with hearings and heads' appearance, appeal, effect and enforcement;
judicial and procuratorial suggestions, the heads' lists and the committees, the statistics; the portal's
application (with files), status query and published decisions. Parse, call a service or selector, serialise;
every route declares the same permission as its page and calls the same service."""

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, File, Form, Header, Query, Router, Schema, Status
from ninja.files import UploadedFile

from fazhi.core.apitypes import MAX_OFFSET, Year
from fazhi.core.attachments import ALLOWED_TYPES, attachment_response
from fazhi.core.audit import client_ip
from fazhi.core.errors import DomainError, NotFound
from fazhi.core.tokens import PermissionAuth, PublicAuth
from fazhi.disputes import rules, selectors, services
from fazhi.tracking.api import ClockOut, clock_out

router = Router(tags=["争议化解"])

CONTRACT_CLOCKS = ("acceptance_review", "correction_reply", "respondent_answer", "decision")


# ---------------------------------------------------------------- schemas


class ApplicantIn(Schema):
    kind: str = Field(..., description="person 自然人 / organisation 法人或其他组织")
    name: str
    id_number: str = Field("", description="居民身份证号（自然人）")
    uscc: str = Field("", description="统一社会信用代码（法人或其他组织）")
    phone: str = ""
    address: str = ""


class ReconsiderationIn(Schema):
    applicant: ApplicantIn
    respondent: str = Field(..., description="被申请人：执法主体的单位全称")
    act: str = Field(..., description="被申请复议的行政行为")
    known_on: dt.date = Field(..., description="知道或应当知道行政行为之日")
    received_on: dt.date = Field(..., description="行政复议机关收到申请之日")
    procedure: str = Field("ordinary", description="ordinary 普通程序 / simple 简易程序（第五十三条）")
    amount: Decimal | None = Field(None, description="涉及款额（元）", ge=0, le=Decimal("999999999999"))
    channel: str = Field("api", description="window / post / oral / forwarded / api")
    submitted_on: dt.date | None = Field(None, description="提出申请之日（转送时为处罚机关收到之日）")
    forwarded_on: dt.date | None = None
    act_kind: str = "penalty"
    act_number: str = ""
    act_date: dt.date | None = None
    act_on_the_spot: bool = False
    act_is_warning: bool = False
    parties_agree_simple: bool = False
    real_property: bool = False
    told_of_right: bool = True
    right_known_on: dt.date | None = None
    obstacle_from: dt.date | None = Field(
        None, description="因不可抗力或其他正当理由耽误申请期限的起日（第二十条第二款）"
    )
    obstacle_to: dt.date | None = None
    obstacle_reason: str = ""
    request: str = ""
    facts: str = ""
    agent_name: str = Field("", description="委托代理人")
    agent_kind: str = Field("", description="代理人身份：律师、基层法律服务工作者或其他")
    third_parties: str = Field("", description="第三人，一行一个")
    case_id: int | None = Field(None, description="被申请的行政处罚案件（cases）编号")


class EventIn(Schema):
    kind: str = Field(
        ...,
        description="correction_requested / correction_received / accepted / suspended / resumed / extended / decided，"
        "以及 refused / correction_extended / switched / copied / answered / terminated / served",
    )
    on: dt.date
    days: int | None = Field(None, description="延长的天数（extended、correction_extended）", ge=0, le=10000)
    reason: str = ""
    outcome: str = Field("", description="决定类型（decided）：varied、annulled、unlawful、perform、void、upheld …")
    ground: str = Field("", description="不予受理、中止、终止的情形")
    competent_body: str = ""
    approver: str = ""
    procedure: str = ""
    redo: bool = False
    received_on: dt.date | None = Field(None, description="对方收到之日（补正通知、申请书副本）")


class WarningOut(Schema):
    rule: str
    message: str
    citation: str


class DisputeEventOut(Schema):
    at: dt.datetime
    actor: str
    action: str
    action_label: str
    comment: str


class DisputeAttachmentOut(Schema):
    id: int = Field(..., description="下载：GET /api/v1/dispute-attachments/{id}")
    name: str


class DocumentOut(Schema):
    title: str
    number: str
    url: str
    download: str


class ReconsiderationOut(Schema):
    id: int
    tracking_code: str
    status: str
    status_label: str
    procedure: str
    channel: str
    applicant: str
    respondent: str
    act: str
    known_on: dt.date
    received_on: dt.date
    period_deadline: dt.date | None
    accepted_on: dt.date | None
    decided_on: dt.date | None
    outcome: str
    decision_number: str
    corrected: bool
    case_id: int | None
    warnings: list[WarningOut]
    clocks: list[ClockOut]
    other_clocks: list[ClockOut]


class ReconsiderationDetailOut(ReconsiderationOut):
    timeline: list[DisputeEventOut]
    documents: list[DocumentOut]


class ReconsiderationRowOut(Schema):
    id: int
    tracking_code: str
    status: str
    procedure: str
    applicant: str
    respondent: str
    received_on: dt.date
    decided_on: dt.date | None
    outcome: str
    light: str | None


class HearingIn(Schema):
    notice_on: dt.date
    held_on: dt.date
    place: str
    matters: str


class NormativeIn(Schema):
    document_title: str
    document_number: str = ""
    issuer: str
    articles: str
    source: str = Field(..., description="applicant（第五十六条）/ ex_officio（第五十七条）")
    competent: bool = True
    started_on: dt.date


class NormativeHandlingOut(Schema):
    id: int = Field(..., description="依法决策模块的附带审查编号（/rulemaking/incidental-reviews/{id}）")
    unit: str
    path: str
    status: str


class NormativeOut(Schema):
    id: int
    reconsideration_id: int
    document_title: str
    issuer: str
    articles: str
    source: str
    status: str
    result: str
    handling: NormativeHandlingOut | None = Field(None, description="依法决策模块的办理情况（该模块负责办理和计时）")
    clocks: list[ClockOut]


class PartyIn(Schema):
    kind: str
    name: str
    id_number: str = ""
    uscc: str = ""


class LitigationIn(Schema):
    court: str
    case_number: str
    instance: str = "first"
    plaintiff: PartyIn
    defendant: str = Field(..., description="被告：执法主体的单位全称")
    act: str
    filed_on: dt.date
    served_on: dt.date = Field(..., description="收到起诉状副本之日（答辩期自此起算）")
    known_on: dt.date | None = None
    decision_received_on: dt.date | None = None
    act_date: dt.date | None = None
    real_property: bool = False
    case_id: int | None = None
    reconsideration_id: int | None = None


class CourtHearingIn(Schema):
    held_on: dt.date
    summons_received_on: dt.date | None = None
    head_summoned: bool = False


class AppearanceIn(Schema):
    head_id: int | None = Field(None, description="出庭的负责人（负责人名单中的编号）")
    staff_name: str = ""
    lawyer_name: str = ""
    absence_ground: str = Field("", description="1 不可抗力 / 2 意外事件 / 3 不能替代的公务 / 4 其他正当事由")
    absence_reason: str = ""


class CourtHearingOut(Schema):
    id: int
    held_on: dt.date
    head_summoned: bool
    recorded: bool
    head: str
    head_appeared: bool
    staff_name: str
    lawyer_name: str
    absence_reason: str
    summons_files: list[dict]  # the court's 出庭通知书: id and name (download: /api/v1/dispute-attachments/{id})


class JudgmentIn(Schema):
    kind: str = Field(..., description="、".join(f"{k} {v[0]}" for k, v in rules.JUDGMENTS.items()))
    judgment_on: dt.date
    served_on: dt.date | None = None


class DateIn(Schema):
    on: dt.date


class LitigationOut(Schema):
    id: int
    court: str
    case_number: str
    instance: str
    status: str
    plaintiff: str
    defendant: str
    act: str
    filed_on: dt.date
    served_on: dt.date
    defence_on: dt.date | None
    judgment_kind: str
    judgment_on: dt.date | None
    lost: bool
    warnings: list[WarningOut]
    clocks: list[ClockOut]
    hearings: list[CourtHearingOut]


class LitigationDetailOut(LitigationOut):
    timeline: list[DisputeEventOut]


class SuggestionIn(Schema):
    kind: str = Field(..., description="judicial 司法建议 / procuratorial 检察建议")
    issuer: str
    number: str
    agency: str = Field(..., description="被建议单位：执法主体的单位全称")
    content: str
    received_on: dt.date
    urgent: bool = False
    days: int | None = Field(None, ge=0, le=366)
    months: int | None = Field(None, ge=0, le=12)


class SuggestionReplyIn(Schema):
    reply: str
    replied_on: dt.date


class DisputeSuggestionOut(Schema):
    id: int
    kind: str
    issuer: str
    number: str
    agency: str
    received_on: dt.date
    urgent: bool
    deadline: dt.date | None
    status: str
    replied_on: dt.date | None
    on_time: bool | None
    attachments: list[DisputeAttachmentOut]
    clocks: list[ClockOut]


class DisputeSuggestionDetailOut(DisputeSuggestionOut):
    timeline: list[DisputeEventOut]


class HeadIn(Schema):
    agency: str = Field(..., description="执法主体的单位全称")
    name: str
    post: str
    kind: str = Field(..., description="principal 正职 / deputy 副职 / in_charge 分管负责人")


class HeadOut(Schema):
    id: int
    agency: str
    name: str
    post: str
    kind: str


class DisputeStatRowOut(Schema):
    key: str
    label: str
    applications: int
    accepted: int
    refused: int
    concluded: int
    decided: int
    corrected: int
    correction_rate: float | None
    on_time: int
    on_time_rate: float | None
    outcomes: dict[str, int]
    suits: int
    judged: int
    lost: int
    loss_rate: float | None
    hearings: int
    head_hearings: int
    appearance_rate: float | None
    suggestions: int
    suggestions_due: int
    replied_on_time: int
    reply_rate: float | None


class PublicApplicationIn(Schema):
    applicant: ApplicantIn
    respondent: str
    act: str
    known_on: dt.date
    request: str
    facts: str
    act_number: str = ""
    told_of_right: bool = True
    consent: bool = Field(False, description="同意个人信息处理说明（必须为 true）")
    idempotency_key: str = Field("", max_length=64)


class ReconsiderationReceiptOut(Schema):
    tracking_code: str
    query_password: str


class ReconsiderationPublicOut(Schema):
    tracking_code: str
    status: str
    status_label: str
    respondent: str
    received_on: dt.date
    correction_items: str
    refusal_reason: str
    competent_body: str
    outcome: str
    decision_number: str
    decided_on: dt.date | None


# ---------------------------------------------------------------- serialisers


def _rc_out(rc, *, detail: bool = False) -> dict:
    clocks = selectors.reconsideration_clocks(rc=rc)
    data = {
        "id": rc.pk,
        "tracking_code": rc.tracking_code,
        "status": rc.status,
        "status_label": rc.get_status_display(),
        "procedure": rc.procedure,
        "channel": rc.channel,
        "applicant": rc.applicant_name,
        "respondent": rc.respondent_unit.name,
        "act": rc.act,
        "known_on": rc.known_on,
        "received_on": rc.received_on,
        "period_deadline": rc.period_deadline,
        "accepted_on": rc.accepted_on,
        "decided_on": rc.decided_on,
        "outcome": rc.outcome,
        "decision_number": rc.decision_number,
        "corrected": rc.corrected,
        "case_id": rc.case_id,
        "warnings": [w.as_dict() for w in selectors.reconsideration_warnings(rc=rc)],
        "clocks": [clock_out(c) for c in clocks if c.name in CONTRACT_CLOCKS],
        "other_clocks": [clock_out(c) for c in clocks if c.name not in CONTRACT_CLOCKS],
    }
    if detail:
        data["timeline"] = _events_out(selectors.reconsideration_timeline(rc=rc))
        data["documents"] = [
            {
                "title": d.title,
                "number": d.number,
                "url": reverse("disputes:reconsideration_document", args=[rc.pk, d.pk]),
                "download": f"/api/v1/reconsiderations/{rc.pk}/documents/{d.pk}",
            }
            for d in selectors.reconsideration_documents(rc=rc)
        ]
    return data


def _events_out(events) -> list[dict]:
    return [
        {"at": e.at, "actor": e.actor_name, "action": e.action, "action_label": e.action_label, "comment": e.comment}
        for e in events
    ]


def _fresh(request, pk) -> dict:
    return _rc_out(selectors.reconsideration_get(user=request.auth, pk=pk), detail=True)


def _lit_out(lit) -> dict:
    return {
        "id": lit.pk,
        "court": lit.court,
        "case_number": lit.case_number,
        "instance": lit.instance,
        "status": lit.status,
        "plaintiff": lit.plaintiff_name,
        "defendant": lit.defendant_unit.name,
        "act": lit.act,
        "filed_on": lit.filed_on,
        "served_on": lit.served_on,
        "defence_on": lit.defence_on,
        "judgment_kind": lit.judgment_kind,
        "judgment_on": lit.judgment_on,
        "lost": lit.lost,
        "warnings": [w.as_dict() for w in selectors.litigation_warnings(lit=lit)],
        "clocks": [clock_out(c) for c in selectors.litigation_clocks(lit=lit)],
        "hearings": [
            {
                "id": h.pk,
                "held_on": h.held_on,
                "head_summoned": h.head_summoned,
                "recorded": h.recorded,
                "head": str(h.head) if h.head_id else "",
                "head_appeared": h.head_appeared,
                "staff_name": h.staff_name,
                "lawyer_name": h.lawyer_name,
                "absence_reason": h.absence_reason,
                "summons_files": [{"id": a.pk, "name": a.name} for a in h.summons_files.all()],
            }
            for h in selectors.litigation_hearings(lit=lit)
        ],
    }


def _suggestion_out(s) -> dict:
    return {
        "id": s.pk,
        "kind": s.kind,
        "issuer": s.issuer,
        "number": s.number,
        "agency": s.agency_unit.name,
        "received_on": s.received_on,
        "urgent": s.urgent,
        "deadline": s.deadline,
        "status": s.status,
        "replied_on": s.replied_on,
        "on_time": s.on_time,
        "attachments": [{"id": a.pk, "name": a.name} for a in s.attachments.all()],
        "clocks": [clock_out(c) for c in selectors.item_clocks_of(s.item_id)],
    }


def _agency_by_name(request, name: str, field: str):
    from fazhi.registry.selectors import agency_by_name

    return agency_by_name(user=request.auth, name=name, field=field)


# ---------------------------------------------------------------- reconsideration


def _register(request, data: dict, applicant: dict, files=()):
    respondent, refused = None, []
    try:
        respondent = selectors.respondent_by_name(name=data.pop("respondent"))
    except DomainError as exc:
        refused.append(exc)
    case = None
    case_id = data.pop("case_id", None)
    if case_id is not None:
        try:
            case = selectors.case_for_link(user=request.auth, pk=case_id, field="case_id")
        except DomainError as exc:
            refused.append(exc)
    rc = services.reconsideration_register(
        by=request.auth,
        applicant=applicant,
        respondent=respondent,
        case=case,
        refused=refused,
        files=files,
        ip=client_ip(request),
        **data,
    )
    return Status(201, _fresh(request, rc.pk))


@router.post(
    "/reconsiderations",
    auth=PermissionAuth("reconsideration.manage"),
    response={201: ReconsiderationDetailOut},
    summary="登记行政复议申请（检查申请期限，开始受理审查计时）",
)
def reconsideration_create(request: HttpRequest, payload: ReconsiderationIn):
    data = payload.dict()
    return _register(request, data, data.pop("applicant"))


class ReconsiderationFormIn(ReconsiderationIn):
    """The same application as form fields (multipart, with `attachments`): the applicant flattened."""

    applicant: None = Field(None, exclude=True)
    applicant_kind: str = Field(..., description="person / organisation")
    applicant_name: str
    applicant_id_number: str = ""
    applicant_uscc: str = ""
    applicant_phone: str = ""
    applicant_address: str = ""


@router.post(
    "/reconsiderations/upload",
    auth=PermissionAuth("reconsideration.manage"),
    response={201: ReconsiderationDetailOut},
    summary="登记行政复议申请并上传申请材料（multipart：字段同上，申请人字段展开为 applicant_*，附件 attachments）",
)
def reconsideration_create_upload(
    request: HttpRequest, payload: Form[ReconsiderationFormIn], attachments: File[list[UploadedFile]] = None
):
    data = payload.dict()
    data.pop("applicant", None)
    applicant = {k: data.pop(f"applicant_{k}") for k in ("kind", "name", "id_number", "uscc", "phone", "address")}
    try:
        return _register(request, data, applicant, attachments or [])
    except DomainError as exc:
        raise _flat(exc) from None


@router.get(
    "/reconsiderations",
    auth=PermissionAuth("reconsideration.view", "reconsideration.answer"),
    response=list[ReconsiderationRowOut],
    summary="行政复议案件列表（按数据范围；被申请人只见本单位的案件）",
)
def reconsideration_list(
    request: HttpRequest,
    q: str = "",
    status: str = "",
    procedure: str = "",
    outcome: str = "",
    year: Year | None = None,
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    qs = selectors.reconsideration_list(
        user=request.auth,
        filters=selectors.ReconsiderationFilters(q=q, status=status, procedure=procedure, outcome=outcome, year=year),
    )
    return [
        {
            "id": r.pk,
            "tracking_code": r.tracking_code,
            "status": r.status,
            "procedure": r.procedure,
            "applicant": r.applicant_name,
            "respondent": r.respondent_unit.name,
            "received_on": r.received_on,
            "decided_on": r.decided_on,
            "outcome": r.outcome,
            "light": getattr(r, "light", None),
        }
        for r in qs[offset : offset + limit]
    ]


@router.get(
    "/reconsiderations/{int:reconsideration_id}",
    auth=PermissionAuth("reconsideration.view", "reconsideration.answer"),
    response=ReconsiderationDetailOut,
    summary="行政复议案件：状态、程序、提示（含法律依据）、法定期限、时间线、文书",
)
def reconsideration_detail(request: HttpRequest, reconsideration_id: int):
    return _fresh(request, reconsideration_id)


@router.post(
    "/reconsiderations/{int:reconsideration_id}/events",
    auth=PermissionAuth("reconsideration.manage", "reconsideration.answer"),
    response=ReconsiderationDetailOut,
    summary="办理行政复议：补正、受理、中止、恢复、延长、决定等（法律不允许的事件返回 422）",
)
def reconsideration_event(request: HttpRequest, reconsideration_id: int, payload: EventIn):
    rc = selectors.reconsideration_get(user=request.auth, pk=reconsideration_id)
    services.reconsideration_event(
        by=request.auth,
        reconsideration=rc,
        kind=payload.kind,
        on=payload.on,
        reason=payload.reason,
        days=payload.days,
        outcome=payload.outcome,
        ground=payload.ground,
        competent_body=payload.competent_body,
        approver=payload.approver,
        procedure=payload.procedure,
        redo=payload.redo,
        received_on=payload.received_on,
        ip=client_ip(request),
    )
    return _fresh(request, reconsideration_id)


@router.post(
    "/reconsiderations/{int:reconsideration_id}/hearings",
    auth=PermissionAuth("reconsideration.manage"),
    response=ReconsiderationDetailOut,
    summary="通知听证（五个工作日前书面通知）",
)
def reconsideration_hearing(request: HttpRequest, reconsideration_id: int, payload: HearingIn):
    rc = selectors.reconsideration_get(user=request.auth, pk=reconsideration_id)
    services.reconsideration_hearing_add(by=request.auth, reconsideration=rc, ip=client_ip(request), **payload.dict())
    return _fresh(request, reconsideration_id)


@router.post(
    "/reconsiderations/{int:reconsideration_id}/normative-reviews",
    auth=PermissionAuth("reconsideration.manage"),
    response={201: NormativeOut},
    summary="规范性文件附带审查（登记、分流，案件中止）",
)
def normative_open(request: HttpRequest, reconsideration_id: int, payload: NormativeIn):
    rc = selectors.reconsideration_get(user=request.auth, pk=reconsideration_id)
    review = services.normative_review_open(
        by=request.auth, reconsideration=rc, ip=client_ip(request), **payload.dict()
    )
    return Status(201, _normative_out(review))


def _normative_out(review, state: dict | None = None) -> dict:
    if state is None:
        state = selectors.normative_review_states([review]).get(review.pk)
    return {
        "id": review.pk,
        "reconsideration_id": review.reconsideration_id,
        "document_title": review.document_title,
        "issuer": review.issuer,
        "articles": review.articles,
        "source": review.source,
        "status": review.status,
        "result": review.result,
        "handling": {k: state[k] for k in ("id", "unit", "path", "status")} if state else None,
        "clocks": [clock_out(c) for c in (state["clocks"] if state else selectors.item_clocks_of(review.item_id))],
    }


@router.get(
    "/normative-reviews",
    auth=PermissionAuth("reconsideration.manage"),
    response=list[NormativeOut],
    summary="规范性文件附带审查列表",
)
def normative_list(
    request: HttpRequest,
    status: str = "",
    q: str = Query("", max_length=100, description="文件名称、文号或制定机关"),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    reviews = list(selectors.normative_list(user=request.auth, status=status, q=q)[offset : offset + limit])
    states = selectors.normative_review_states(reviews)
    return [_normative_out(r, states.get(r.pk, {})) for r in reviews]


# ---------------------------------------------------------------- litigation


@router.post(
    "/litigations",
    auth=PermissionAuth("litigation.manage"),
    response={201: LitigationOut},
    summary="登记行政应诉案件（检查起诉期限，开始答辩计时）",
)
def litigation_create(request: HttpRequest, payload: LitigationIn):
    refused: list[DomainError] = []

    def resolved(fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except DomainError as exc:
            refused.append(exc)
            return None

    defendant = resolved(_agency_by_name, request, payload.defendant, "defendant")
    case = resolved(selectors.case_for_link, user=request.auth, pk=payload.case_id) if payload.case_id else None
    rc = (
        resolved(
            selectors.reconsideration_ref, user=request.auth, pk=payload.reconsideration_id, field="reconsideration_id"
        )
        if payload.reconsideration_id
        else None
    )
    lit = services.litigation_register(
        by=request.auth,
        court=payload.court,
        case_number=payload.case_number,
        instance=payload.instance,
        plaintiff=payload.plaintiff.dict(),
        defendant=defendant,
        act=payload.act,
        filed_on=payload.filed_on,
        served_on=payload.served_on,
        known_on=payload.known_on,
        decision_received_on=payload.decision_received_on,
        act_date=payload.act_date,
        real_property=payload.real_property,
        case=case,
        reconsideration=rc,
        ip=client_ip(request),
        refused=refused,
    )
    return Status(201, _lit_out(selectors.litigation_get(user=request.auth, pk=lit.pk)))


@router.get(
    "/litigations",
    auth=PermissionAuth("litigation.view"),
    response=list[LitigationOut],
    summary="行政应诉案件列表（按数据范围）",
)
def litigation_list(
    request: HttpRequest,
    q: str = "",
    status: str = "",
    year: Year | None = None,
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    qs = selectors.litigation_list(
        user=request.auth, filters=selectors.LitigationFilters(q=q, status=status, year=year)
    )
    return [_lit_out(lit) for lit in qs[offset : offset + limit]]


@router.get(
    "/litigations/{int:litigation_id}",
    auth=PermissionAuth("litigation.view"),
    response=LitigationDetailOut,
    summary="行政应诉案件：期限、开庭与负责人出庭、裁判，及其时间线",
)
def litigation_detail(request: HttpRequest, litigation_id: int):
    lit = selectors.litigation_get(user=request.auth, pk=litigation_id)
    return _lit_out(lit) | {"timeline": _events_out(selectors.timeline_of(lit.item_id))}


@router.post(
    "/litigations/{int:litigation_id}/defence",
    auth=PermissionAuth("litigation.manage"),
    response=LitigationOut,
    summary="提交答辩状和证据",
)
def litigation_defence(request: HttpRequest, litigation_id: int, payload: DateIn):
    lit = selectors.litigation_get(user=request.auth, pk=litigation_id)
    services.litigation_defence(by=request.auth, litigation=lit, on=payload.on, ip=client_ip(request))
    return _lit_out(selectors.litigation_get(user=request.auth, pk=litigation_id))


@router.post(
    "/litigations/{int:litigation_id}/hearings",
    auth=PermissionAuth("litigation.manage"),
    response=LitigationOut,
    summary="登记开庭（multipart：held_on、summons_received_on、head_summoned 与出庭通知书扫描件 summons）",
)
def litigation_hearing(
    request: HttpRequest,
    litigation_id: int,
    payload: Form[CourtHearingIn],
    summons: File[list[UploadedFile]] = None,
):
    lit = selectors.litigation_get(user=request.auth, pk=litigation_id)
    services.court_hearing_add(
        by=request.auth, litigation=lit, files=summons or [], ip=client_ip(request), **payload.dict()
    )
    return _lit_out(selectors.litigation_get(user=request.auth, pk=litigation_id))


@router.post(
    "/court-hearings/{int:hearing_id}/appearance",
    auth=PermissionAuth("litigation.manage"),
    response=LitigationOut,
    summary="登记负责人出庭应诉情况（multipart：字段与证明材料 attachments；核对负责人名单；仅委托律师不视为出庭）",
)
def court_appearance(
    request: HttpRequest,
    hearing_id: int,
    payload: Form[AppearanceIn],
    attachments: File[list[UploadedFile]] = None,
):
    hearing = selectors.court_hearing_get(user=request.auth, pk=hearing_id)
    head = None
    if payload.head_id is not None:
        head = selectors.heads_of(agency=hearing.litigation.defendant).filter(pk=payload.head_id).first()
        if head is None:
            raise DomainError(
                f"负责人（id={payload.head_id}）不在{hearing.litigation.defendant_unit.name}的负责人名单中",
                field="head_id",
            )
    services.court_hearing_record(
        by=request.auth,
        hearing=hearing,
        head=head,
        staff_name=payload.staff_name,
        lawyer_name=payload.lawyer_name,
        absence_ground=payload.absence_ground,
        absence_reason=payload.absence_reason,
        files=attachments or [],
        ip=client_ip(request),
    )
    return _lit_out(selectors.litigation_get(user=request.auth, pk=hearing.litigation_id))


@router.post(
    "/litigations/{int:litigation_id}/judgment",
    auth=PermissionAuth("litigation.manage"),
    response=LitigationOut,
    summary="登记判决或裁定（上诉期计时）",
)
def litigation_judgment(request: HttpRequest, litigation_id: int, payload: JudgmentIn):
    lit = selectors.litigation_get(user=request.auth, pk=litigation_id)
    services.litigation_judgment(
        by=request.auth,
        litigation=lit,
        kind=payload.kind,
        judgment_on=payload.judgment_on,
        served_on=payload.served_on,
        ip=client_ip(request),
    )
    return _lit_out(selectors.litigation_get(user=request.auth, pk=litigation_id))


# ---------------------------------------------------------------- suggestions and heads


@router.post(
    "/suggestions",
    auth=PermissionAuth("suggestion.manage"),
    response={201: DisputeSuggestionOut},
    summary="登记司法建议或检察建议（答复期限计时）",
)
def suggestion_create(request: HttpRequest, payload: SuggestionIn):
    agency = _agency_by_name(request, payload.agency, "agency")
    data = payload.dict()
    data.pop("agency")
    s = services.suggestion_register(by=request.auth, agency=agency, ip=client_ip(request), **data)
    return Status(201, _suggestion_out(selectors.suggestion_get(user=request.auth, pk=s.pk)))


@router.get(
    "/suggestions",
    auth=PermissionAuth("suggestion.view"),
    response=list[DisputeSuggestionOut],
    summary="司法建议和检察建议列表（按数据范围）",
)
def suggestion_list(
    request: HttpRequest,
    q: str = "",
    kind: str = "",
    status: str = "",
    year: Year | None = None,
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    qs = selectors.suggestion_list(
        user=request.auth, filters=selectors.SuggestionFilters(q=q, kind=kind, status=status, year=year)
    )
    return [_suggestion_out(s) for s in qs[offset : offset + limit]]


@router.get(
    "/suggestions/{int:suggestion_id}",
    auth=PermissionAuth("suggestion.view"),
    response=DisputeSuggestionDetailOut,
    summary="司法建议或检察建议，及其时间线",
)
def suggestion_detail(request: HttpRequest, suggestion_id: int):
    s = selectors.suggestion_get(user=request.auth, pk=suggestion_id)
    return _suggestion_out(s) | {"timeline": _events_out(selectors.timeline_of(s.item_id))}


@router.post(
    "/suggestions/{int:suggestion_id}/reply",
    auth=PermissionAuth("suggestion.manage"),
    response=DisputeSuggestionOut,
    summary="书面答复司法建议或检察建议（multipart：reply、replied_on 与证明材料 attachments）",
)
def suggestion_reply(
    request: HttpRequest,
    suggestion_id: int,
    payload: Form[SuggestionReplyIn],
    attachments: File[list[UploadedFile]] = None,
):
    s = selectors.suggestion_get(user=request.auth, pk=suggestion_id)
    services.suggestion_reply(
        by=request.auth,
        suggestion=s,
        reply=payload.reply,
        replied_on=payload.replied_on,
        files=attachments or [],
        ip=client_ip(request),
    )
    return _suggestion_out(selectors.suggestion_get(user=request.auth, pk=suggestion_id))


@router.get(
    "/agency-heads",
    auth=PermissionAuth("litigation.view"),
    response=list[HeadOut],
    summary="行政机关负责人名单（正职、副职、分管负责人）",
)
def head_list(
    request: HttpRequest,
    q: str = Query("", max_length=100, description="姓名、职务或单位名称"),
    limit: int = Query(200, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    return [
        {"id": h.pk, "agency": h.agency.unit.name, "name": h.name, "post": h.post, "kind": h.kind}
        for h in selectors.head_list(user=request.auth, q=q)[offset : offset + limit]
    ]


@router.post(
    "/agency-heads",
    auth=PermissionAuth("litigation.manage"),
    response={201: HeadOut},
    summary="加入负责人名单",
)
def head_create(request: HttpRequest, payload: HeadIn):
    agency = _agency_by_name(request, payload.agency, "agency")
    h = services.head_save(
        by=request.auth, agency=agency, name=payload.name, post=payload.post, kind=payload.kind, ip=client_ip(request)
    )
    return Status(201, {"id": h.pk, "agency": agency.unit.name, "name": h.name, "post": h.post, "kind": h.kind})


@router.get(
    "/disputes/stats",
    auth=PermissionAuth("dispute.stats"),
    response=list[DisputeStatRowOut],
    summary="行政争议统计：申请、受理、决定、纠错率、按期决定、诉讼、出庭率、败诉率、建议按期答复（按单位、区划、年度）",
)
def dispute_stats(request: HttpRequest, dimension: str = "agency", year: Year | None = None):
    if dimension not in selectors.DIMENSIONS:
        raise DomainError("统计维度应为 agency（单位）、division（区划）或 year（年度）", field="dimension")
    return [r.as_dict() for r in selectors.dispute_stats(user=request.auth, dimension=dimension, year=year)]


# ---------------------------------------------------------------- public (the portal)

WRONG = {"detail": "查询码或查询密码不正确"}


@router.post(
    "/public/reconsiderations",
    auth=PublicAuth(),
    response={201: ReconsiderationReceiptOut, 422: dict, 429: dict},
    summary="网上申请行政复议（无需登录）",
)
def public_apply(request: HttpRequest, payload: PublicApplicationIn):
    try:
        rc, password = services.reconsideration_apply_online(
            applicant=payload.applicant.dict(),
            respondent_name=payload.respondent,
            act=payload.act,
            known_on=payload.known_on,
            request=payload.request,
            facts=payload.facts,
            act_number=payload.act_number,
            told_of_right=payload.told_of_right,
            consent=payload.consent,
            ip=client_ip(request),
            submit_token=f"api:{payload.idempotency_key}" if payload.idempotency_key else None,
        )
    except DomainError as exc:
        return Status(429 if exc.field == "rate" else 422, exc.as_dict())
    return Status(201, {"tracking_code": rc.tracking_code, "query_password": password})


@router.get(
    "/public/reconsiderations/{tracking_code}",
    auth=PublicAuth(),
    response={200: ReconsiderationPublicOut, 404: dict, 429: dict},
    summary="申请人查询行政复议办理进展（查询码 + 查询密码）",
)
def public_status(
    request: HttpRequest,
    tracking_code: str,
    password: str = "",
    x_query_password: str = Header("", alias="X-Query-Password"),
):
    try:
        rc = services.reconsideration_public_query(
            code=tracking_code, password=x_query_password or password, ip=client_ip(request)
        )
    except NotFound:
        return Status(404, WRONG)
    except DomainError as exc:
        return Status(429, exc.as_dict())
    view = selectors.public_view(rc=rc)
    view.pop("steps")
    return Status(200, view)


# ---------------------------------------------------------------- the rest of what the pages do
# Each route below is the page's action with the same permission and the same service.


class EventUploadIn(Schema):
    kind: str = Field(..., description="correction_received（补正材料）/ answered（答复与证据）等，与 events 相同")
    on: dt.date
    reason: str = ""
    received_on: dt.date | None = None


class HearingRecordIn(Schema):
    head_attended: bool = Field(..., description="被申请人负责人是否参加听证（第五十一条第三款）")
    head_id: int | None = Field(None, description="参加听证的负责人（负责人名单中的编号）")
    stand_in: str = Field("", description="负责人不能参加时受委托参加的工作人员")
    absence_reason: str = ""
    record: str = Field("", description="听证笔录摘要")


class HearingOut(Schema):
    id: int
    notice_on: dt.date
    held_on: dt.date
    place: str
    matters: str
    head_attended: bool | None
    head: str
    stand_in: str
    absence_reason: str


class ReferIn(Schema):
    ground: str = Field(..., description="提请情形（第五十二条第二款第一项至第四项）")
    referred_on: dt.date


class ReferralOpinionIn(Schema):
    opinion: str
    opinion_on: dt.date


class ReferralOut(Schema):
    id: int
    committee: str
    ground: str
    referred_on: dt.date
    opinion: str
    opinion_on: dt.date | None


class OpinionIssueIn(Schema):
    agency: str = Field(..., description="制发对象：被申请人或其他下级行政机关的单位全称")
    content: str
    issued_on: dt.date
    received_on: dt.date | None = None


class OpinionReportIn(Schema):
    report: str
    reported_on: dt.date


class DisputeOpinionOut(Schema):
    id: int
    reconsideration_id: int
    agency: str
    number: str
    issued_on: dt.date
    received_on: dt.date
    content: str
    reported_on: dt.date | None
    report: str
    attachments: list[DisputeAttachmentOut]
    clocks: list[ClockOut]


class CaseLinkIn(Schema):
    case_id: int = Field(..., description="行政处罚案件（cases）编号")


class ParticularsIn(Schema):
    """Only the fields sent are changed (services.PARTICULARS)."""

    agent_name: str | None = Field(None, max_length=100)
    agent_kind: str | None = Field(None, max_length=30)
    third_parties: str | None = Field(None, max_length=2000, description="一行一个")
    act_kind: str | None = Field(None, description="penalty / coercion / licence / inaction / disclosure / other")
    act_number: str | None = Field(None, max_length=80)
    act_date: dt.date | None = None
    amount: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    act_on_the_spot: bool | None = None
    act_is_warning: bool | None = None
    parties_agree_simple: bool | None = None
    real_property: bool | None = None
    request: str | None = Field(None, max_length=2000)
    facts: str | None = Field(None, max_length=2000)
    reason: str = Field("", max_length=200, description="更正说明（记入时间线）")


class AppealIn(Schema):
    on: dt.date
    appealed_by: str = Field(..., description="原告 / 被告 / 第三人")


class EnforcementIn(Schema):
    enforcement: str = Field(..., description="pending 履行中 / done 已履行 / none 无需履行")
    note: str = ""
    on: dt.date | None = Field(None, description="履行完毕之日（done）")


class CommitteeIn(Schema):
    name: str = "行政复议委员会"
    term_from: dt.date
    term_to: dt.date


class MemberIn(Schema):
    name: str
    kind: str
    organisation: str


class MemberOut(Schema):
    id: int
    name: str
    kind: str
    organisation: str


class CommitteeOut(Schema):
    id: int
    unit: str
    name: str
    term_from: dt.date
    term_to: dt.date
    members: list[MemberOut]


class PublicApplicationFormIn(Schema):
    """The portal's application as form fields (multipart, with `attachments`): the applicant flattened."""

    applicant_kind: str = Field(..., description="person / organisation")
    applicant_name: str
    applicant_id_number: str = ""
    applicant_uscc: str = ""
    applicant_phone: str = ""
    applicant_address: str = ""
    respondent: str
    act: str
    known_on: dt.date
    request: str
    facts: str
    act_number: str = ""
    told_of_right: bool = True
    consent: bool = False
    idempotency_key: str = Field("", max_length=64)


class PublishedDecisionOut(Schema):
    id: int
    decision_number: str
    respondent: str
    outcome: str
    decided_on: dt.date | None
    published_on: dt.date
    text: str


def _hearing_out(h) -> dict:
    return {
        "id": h.pk,
        "notice_on": h.notice_on,
        "held_on": h.held_on,
        "place": h.place,
        "matters": h.matters,
        "head_attended": h.head_attended,
        "head": str(h.head) if h.head_id else "",
        "stand_in": h.stand_in,
        "absence_reason": h.absence_reason,
    }


def _referral_out(r) -> dict:
    return {
        "id": r.pk,
        "committee": r.committee.name,
        "ground": r.ground,
        "referred_on": r.referred_on,
        "opinion": r.opinion,
        "opinion_on": r.opinion_on,
    }


def _opinion_out(o) -> dict:
    return {
        "id": o.pk,
        "reconsideration_id": o.reconsideration_id,
        "agency": o.agency_unit.name,
        "number": o.number,
        "issued_on": o.issued_on,
        "received_on": o.received_on,
        "content": o.content,
        "reported_on": o.reported_on,
        "report": o.report,
        "attachments": [{"id": a.pk, "name": a.name} for a in o.attachments.all()],
        "clocks": [clock_out(c) for c in selectors.item_clocks_of(o.item_id)],
    }


def _committee_out(c) -> dict:
    return {
        "id": c.pk,
        "unit": c.unit.name,
        "name": c.name,
        "term_from": c.term_from,
        "term_to": c.term_to,
        "members": [
            {"id": m.pk, "name": m.name, "kind": m.kind, "organisation": m.organisation}
            for m in c.members.filter(is_active=True)
        ],
    }


@router.post(
    "/reconsiderations/{int:reconsideration_id}/events/upload",
    auth=PermissionAuth("reconsideration.manage", "reconsideration.answer"),
    response=ReconsiderationDetailOut,
    summary="带附件的办理事件（multipart：补正材料 correction_received、被申请人答复与证据 answered）",
)
def reconsideration_event_upload(
    request: HttpRequest,
    reconsideration_id: int,
    payload: Form[EventUploadIn],
    attachments: File[list[UploadedFile]] = None,
):
    rc = selectors.reconsideration_get(user=request.auth, pk=reconsideration_id)
    services.reconsideration_event(
        by=request.auth,
        reconsideration=rc,
        kind=payload.kind,
        on=payload.on,
        reason=payload.reason,
        received_on=payload.received_on,
        files=attachments or [],
        ip=client_ip(request),
    )
    return _fresh(request, reconsideration_id)


@router.get(
    "/reconsiderations/{int:reconsideration_id}/hearings",
    auth=PermissionAuth("reconsideration.view", "reconsideration.answer"),
    response=list[HearingOut],
    summary="听证及被申请人负责人参加情况",
)
def reconsideration_hearing_list(request: HttpRequest, reconsideration_id: int):
    rc = selectors.reconsideration_get(user=request.auth, pk=reconsideration_id)
    return [_hearing_out(h) for h in selectors.reconsideration_hearings(rc=rc)]


@router.post(
    "/reconsiderations/{int:reconsideration_id}/hearings/{int:hearing_id}/record",
    auth=PermissionAuth("reconsideration.manage"),
    response=HearingOut,
    summary="记录听证：被申请人负责人参加，或不能参加的理由与受委托的工作人员（第五十一条第三款）",
)
def reconsideration_hearing_record(
    request: HttpRequest, reconsideration_id: int, hearing_id: int, payload: HearingRecordIn
):
    rc = selectors.reconsideration_get(user=request.auth, pk=reconsideration_id)
    hearing = rc.hearings.filter(pk=hearing_id).first()
    if hearing is None:
        raise NotFound()
    head = None
    if payload.head_attended and payload.head_id is None:
        raise DomainError("请从被申请人的负责人名单中选择参加听证的负责人", field="head_id")
    if payload.head_id is not None:
        head = selectors.heads_of(agency=rc.respondent).filter(pk=payload.head_id).first()
        if head is None:
            raise DomainError(f"负责人（id={payload.head_id}）不在被申请人的负责人名单中", field="head_id")
    hearing = services.reconsideration_hearing_record(
        by=request.auth,
        hearing=hearing,
        head_attended=payload.head_attended,
        head=head,
        stand_in=payload.stand_in,
        absence_reason=payload.absence_reason,
        record=payload.record,
        ip=client_ip(request),
    )
    return _hearing_out(hearing)


@router.get(
    "/reconsiderations/{int:reconsideration_id}/referrals",
    auth=PermissionAuth("reconsideration.view", "reconsideration.answer"),
    response=list[ReferralOut],
    summary="提请行政复议委员会咨询及其意见",
)
def referral_list(request: HttpRequest, reconsideration_id: int):
    rc = selectors.reconsideration_get(user=request.auth, pk=reconsideration_id)
    return [_referral_out(r) for r in selectors.reconsideration_referrals(rc=rc)]


@router.post(
    "/reconsiderations/{int:reconsideration_id}/referrals",
    auth=PermissionAuth("reconsideration.manage"),
    response={201: ReferralOut},
    summary="提请行政复议委员会提出咨询意见（第五十二条第二款）",
)
def reconsideration_refer(request: HttpRequest, reconsideration_id: int, payload: ReferIn):
    rc = selectors.reconsideration_get(user=request.auth, pk=reconsideration_id)
    referral = services.reconsideration_refer(
        by=request.auth, reconsideration=rc, ip=client_ip(request), **payload.dict()
    )
    return Status(201, _referral_out(referral))


@router.post(
    "/reconsiderations/{int:reconsideration_id}/referrals/{int:referral_id}/opinion",
    auth=PermissionAuth("reconsideration.manage"),
    response=ReferralOut,
    summary="记录行政复议委员会的咨询意见",
)
def referral_opinion(request: HttpRequest, reconsideration_id: int, referral_id: int, payload: ReferralOpinionIn):
    rc = selectors.reconsideration_get(user=request.auth, pk=reconsideration_id)
    referral = rc.referrals.select_related("committee").filter(pk=referral_id).first()
    if referral is None:
        raise NotFound()
    referral = services.referral_opinion(by=request.auth, referral=referral, ip=client_ip(request), **payload.dict())
    return _referral_out(referral)


@router.post(
    "/reconsiderations/{int:reconsideration_id}/opinions",
    auth=PermissionAuth("reconsideration.manage"),
    response={201: DisputeOpinionOut},
    summary="制发行政复议意见书（第七十六条；被申请人六十日内报送纠正情况，计时）",
)
def opinion_issue(request: HttpRequest, reconsideration_id: int, payload: OpinionIssueIn):
    rc = selectors.reconsideration_get(user=request.auth, pk=reconsideration_id)
    agency = selectors.respondent_by_name(name=payload.agency, field="agency")
    opinion = services.opinion_issue(
        by=request.auth,
        reconsideration=rc,
        agency=agency,
        content=payload.content,
        issued_on=payload.issued_on,
        received_on=payload.received_on,
        ip=client_ip(request),
    )
    return Status(201, _opinion_out(selectors.opinion_get(user=request.auth, pk=opinion.pk)))


@router.get(
    "/opinions/{int:opinion_id}",
    auth=PermissionAuth("reconsideration.view", "reconsideration.answer"),
    response=DisputeOpinionOut,
    summary="行政复议意见书及纠正情况报告",
)
def opinion_detail(request: HttpRequest, opinion_id: int):
    return _opinion_out(selectors.opinion_get(user=request.auth, pk=opinion_id))


@router.post(
    "/opinions/{int:opinion_id}/report",
    auth=PermissionAuth("reconsideration.answer"),
    response=DisputeOpinionOut,
    summary="报送行政复议意见书的纠正情况（multipart：report、reported_on 与材料 attachments）",
)
def opinion_report(
    request: HttpRequest,
    opinion_id: int,
    payload: Form[OpinionReportIn],
    attachments: File[list[UploadedFile]] = None,
):
    opinion = selectors.opinion_get(user=request.auth, pk=opinion_id)
    services.opinion_report(
        by=request.auth,
        opinion=opinion,
        report=payload.report,
        reported_on=payload.reported_on,
        files=attachments or [],
        ip=client_ip(request),
    )
    return _opinion_out(selectors.opinion_get(user=request.auth, pk=opinion_id))


@router.get(
    "/normative-reviews/{int:review_id}",
    auth=PermissionAuth("reconsideration.view"),
    response=NormativeOut,
    summary="规范性文件附带审查：状态、结果；办理与期限在依法决策模块",
)
def normative_detail(request: HttpRequest, review_id: int):
    return _normative_out(selectors.normative_get(user=request.auth, pk=review_id))


@router.post(
    "/reconsiderations/{int:reconsideration_id}/particulars",
    auth=PermissionAuth("reconsideration.manage"),
    response=ReconsiderationDetailOut,
    summary="补充或更正申请信息（作出决定前；只改所发送的字段，重新检查申请期限，记入时间线）",
)
def reconsideration_particulars(request: HttpRequest, reconsideration_id: int, payload: ParticularsIn):
    rc = selectors.reconsideration_get(user=request.auth, pk=reconsideration_id)
    changes = payload.dict(exclude_unset=True)
    reason = changes.pop("reason", "")
    services.reconsideration_particulars(
        by=request.auth, reconsideration=rc, changes=changes, reason=reason, ip=client_ip(request)
    )
    return _fresh(request, reconsideration_id)


@router.post(
    "/reconsiderations/{int:reconsideration_id}/link-case",
    auth=PermissionAuth("reconsideration.manage"),
    response=ReconsiderationDetailOut,
    summary="关联被申请复议的行政处罚案件",
)
def reconsideration_link_case(request: HttpRequest, reconsideration_id: int, payload: CaseLinkIn):
    rc = selectors.reconsideration_get(user=request.auth, pk=reconsideration_id)
    case = selectors.case_for_link(user=request.auth, pk=payload.case_id, field="case_id")
    services.reconsideration_link_case(by=request.auth, reconsideration=rc, case=case, ip=client_ip(request))
    return _fresh(request, reconsideration_id)


@router.post(
    "/reconsiderations/{int:reconsideration_id}/publish",
    auth=PermissionAuth("reconsideration.manage"),
    response=ReconsiderationDetailOut,
    summary="在门户网站公开行政复议决定书（第七十九条；个人信息脱敏）",
)
def reconsideration_publish(request: HttpRequest, reconsideration_id: int):
    rc = selectors.reconsideration_get(user=request.auth, pk=reconsideration_id)
    services.reconsideration_publish(by=request.auth, reconsideration=rc, ip=client_ip(request))
    return _fresh(request, reconsideration_id)


@router.get(
    "/committees",
    auth=PermissionAuth("reconsideration.manage"),
    response=list[CommitteeOut],
    summary="行政复议委员会（届次与委员）",
)
def committee_list(request: HttpRequest):
    return [_committee_out(c) for c in selectors.committees(user=request.auth)]


@router.post(
    "/committees",
    auth=PermissionAuth("reconsideration.manage"),
    response={201: CommitteeOut},
    summary="设立一届行政复议委员会",
)
def committee_create(request: HttpRequest, payload: CommitteeIn):
    c = services.committee_save(by=request.auth, ip=client_ip(request), **payload.dict())
    return Status(201, _committee_out(c))


@router.post(
    "/committees/{int:committee_id}/members",
    auth=PermissionAuth("reconsideration.manage"),
    response={201: CommitteeOut},
    summary="增加行政复议委员会委员",
)
def committee_member(request: HttpRequest, committee_id: int, payload: MemberIn):
    committee = selectors.committee_get(user=request.auth, pk=committee_id)
    services.committee_member_add(by=request.auth, committee=committee, ip=client_ip(request), **payload.dict())
    return Status(201, _committee_out(selectors.committee_get(user=request.auth, pk=committee_id)))


@router.post(
    "/agency-heads/{int:head_id}/deactivate",
    auth=PermissionAuth("litigation.manage"),
    response=HeadOut,
    summary="移出负责人名单",
)
def head_deactivate(request: HttpRequest, head_id: int):
    h = selectors.head_get(user=request.auth, pk=head_id)
    services.head_deactivate(by=request.auth, head=h, ip=client_ip(request))
    return {"id": h.pk, "agency": h.agency.unit.name, "name": h.name, "post": h.post, "kind": h.kind}


@router.post(
    "/litigations/{int:litigation_id}/appeal",
    auth=PermissionAuth("litigation.manage"),
    response=LitigationOut,
    summary="登记上诉（上诉期内；转入二审）",
)
def litigation_appeal(request: HttpRequest, litigation_id: int, payload: AppealIn):
    lit = selectors.litigation_get(user=request.auth, pk=litigation_id)
    services.litigation_appeal(
        by=request.auth, litigation=lit, appealed_on=payload.on, appealed_by=payload.appealed_by, ip=client_ip(request)
    )
    return _lit_out(selectors.litigation_get(user=request.auth, pk=litigation_id))


@router.post(
    "/litigations/{int:litigation_id}/effective",
    auth=PermissionAuth("litigation.manage"),
    response=LitigationOut,
    summary="上诉期届满未上诉：登记裁判生效",
)
def litigation_effective(request: HttpRequest, litigation_id: int):
    lit = selectors.litigation_get(user=request.auth, pk=litigation_id)
    services.litigation_effective(by=request.auth, litigation=lit, ip=client_ip(request))
    return _lit_out(selectors.litigation_get(user=request.auth, pk=litigation_id))


@router.post(
    "/litigations/{int:litigation_id}/enforcement",
    auth=PermissionAuth("litigation.manage"),
    response=LitigationOut,
    summary="登记履行生效裁判的情况",
)
def litigation_enforcement(request: HttpRequest, litigation_id: int, payload: EnforcementIn):
    lit = selectors.litigation_get(user=request.auth, pk=litigation_id)
    services.litigation_enforcement(
        by=request.auth,
        litigation=lit,
        enforcement=payload.enforcement,
        note=payload.note,
        enforced_on=payload.on,
        ip=client_ip(request),
    )
    return _lit_out(selectors.litigation_get(user=request.auth, pk=litigation_id))


@router.post(
    "/litigations/{int:litigation_id}/link-case",
    auth=PermissionAuth("litigation.manage"),
    response=LitigationOut,
    summary="关联被诉的行政处罚案件",
)
def litigation_link_case(request: HttpRequest, litigation_id: int, payload: CaseLinkIn):
    lit = selectors.litigation_get(user=request.auth, pk=litigation_id)
    case = selectors.case_for_link(user=request.auth, pk=payload.case_id, field="case_id")
    services.litigation_link_case(by=request.auth, litigation=lit, case=case, ip=client_ip(request))
    return _lit_out(selectors.litigation_get(user=request.auth, pk=litigation_id))


@router.post(
    "/public/reconsideration-applications",
    auth=PublicAuth(),
    response={201: ReconsiderationReceiptOut, 422: dict, 429: dict},
    summary="网上申请行政复议并上传材料（multipart：申请人字段展开，附件 attachments；无需登录）",
)
def public_apply_with_files(
    request: HttpRequest,
    payload: Form[PublicApplicationFormIn],
    attachments: File[list[UploadedFile]] = None,
):
    try:
        rc, password = services.reconsideration_apply_online(
            applicant={
                "kind": payload.applicant_kind,
                "name": payload.applicant_name,
                "id_number": payload.applicant_id_number,
                "uscc": payload.applicant_uscc,
                "phone": payload.applicant_phone,
                "address": payload.applicant_address,
            },
            respondent_name=payload.respondent,
            act=payload.act,
            known_on=payload.known_on,
            request=payload.request,
            facts=payload.facts,
            act_number=payload.act_number,
            told_of_right=payload.told_of_right,
            consent=payload.consent,
            files=attachments or [],
            ip=client_ip(request),
            submit_token=f"api:{payload.idempotency_key}" if payload.idempotency_key else None,
        )
    except DomainError as exc:
        return Status(429 if exc.field == "rate" else 422, _flat(exc).as_dict())
    return Status(201, {"tracking_code": rc.tracking_code, "query_password": password})


def _flat(exc: DomainError) -> DomainError:
    """The service names nested inputs "applicant.name"; the form fields are "applicant_name"."""
    errors = [{**e, "field": (e.get("field") or "").replace(".", "_")} for e in exc.errors]
    return DomainError(exc.message, field=exc.field.replace(".", "_"), errors=errors)


def _published_out(rc) -> dict:
    return {
        "id": rc.pk,
        "decision_number": rc.decision_number,
        "respondent": rc.respondent_unit.name,
        "outcome": rules.OUTCOMES[rc.outcome][0] if rc.outcome in rules.OUTCOMES else "",
        "decided_on": rc.decided_on,
        "published_on": rc.published_on,
        "text": rc.published_text,
    }


@router.get(
    "/public/reconsideration-decisions",
    auth=PublicAuth(),
    response=list[PublishedDecisionOut],
    summary="网上公开的行政复议决定书（第七十九条；个人信息已脱敏）",
)
def public_decision_list(
    request: HttpRequest,
    q: str = "",
    limit: int = Query(20, ge=1, le=100),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    return [_published_out(rc) for rc in selectors.public_decisions(q=q)[offset : offset + limit]]


@router.get(
    "/public/reconsideration-decisions/{int:decision_id}",
    auth=PublicAuth(),
    response=PublishedDecisionOut,
    summary="一份公开的行政复议决定书",
)
def public_decision_detail(request: HttpRequest, decision_id: int):
    return _published_out(selectors.public_decision_get(pk=decision_id))


# ---------------------------------------------------------------- downloads
# A download answers with the file's own type (never inline): every type an attachment may have.
FILE_CONTENT = {t: {"schema": {"type": "string", "format": "binary"}} for t in sorted(set(ALLOWED_TYPES.values()))}
DOWNLOAD = {"responses": {"200": {"description": "文件（附件下载）", "content": FILE_CONTENT}}}


@router.get(
    "/reconsiderations/{int:reconsideration_id}/documents/{int:document_id}",
    auth=PermissionAuth("reconsideration.view", "reconsideration.answer"),
    response={200: None},
    summary="下载行政复议文书（决定书、意见书等；与存档逐字节相同）",
    openapi_extra=DOWNLOAD,
)
def reconsideration_document(request: HttpRequest, reconsideration_id: int, document_id: int):
    document = selectors.reconsideration_document(user=request.auth, pk=reconsideration_id, doc_pk=document_id)
    return attachment_response(document.attachment)


@router.get(
    "/dispute-attachments/{int:attachment_id}",
    auth=PermissionAuth("reconsideration.view", "litigation.view", "suggestion.view"),
    response={200: None},
    summary="下载申请材料、答复证据、出庭证明、答复材料等附件（按所属案件的数据范围）",
    openapi_extra=DOWNLOAD,
)
def dispute_attachment(request: HttpRequest, attachment_id: int):
    return attachment_response(selectors.reconsideration_attachment(user=request.auth, pk=attachment_id))


# ---------------------------------------------------------------- the applicant's personal data


class DisputeRevealIn(Schema):
    reveal_reason: str = Field(..., description="查看完整个人信息的理由（记入操作日志）")


class ApplicantOut(Schema):
    name: str
    code: str
    phone: str
    address: str
    masked: bool


@router.get(
    "/reconsiderations/{int:reconsideration_id}/applicant",
    auth=PermissionAuth("reconsideration.view", "reconsideration.answer"),
    response=ApplicantOut,
    summary="申请人信息（身份证号、电话已脱敏）",
)
def reconsideration_applicant(request: HttpRequest, reconsideration_id: int):
    rc = selectors.reconsideration_get(user=request.auth, pk=reconsideration_id)
    return selectors.applicant_display(user=request.auth, rc=rc)


@router.post(
    "/reconsiderations/{int:reconsideration_id}/applicant/reveal",
    auth=PermissionAuth("reconsideration.manage"),
    response=ApplicantOut,
    summary="查看申请人完整个人信息（仅行政复议机构；须填写理由，记入操作日志）",
)
def reconsideration_applicant_reveal(request: HttpRequest, reconsideration_id: int, payload: DisputeRevealIn):
    from fazhi.core.errors import Forbidden
    from fazhi.disputes.permissions import reconsideration_actions

    rc = selectors.reconsideration_get(user=request.auth, pk=reconsideration_id)
    if "reveal" not in reconsideration_actions(user=request.auth, obj=rc):
        raise Forbidden()
    return selectors.applicant_display(
        user=request.auth, rc=rc, reveal_reason=payload.reveal_reason, ip=client_ip(request)
    )
