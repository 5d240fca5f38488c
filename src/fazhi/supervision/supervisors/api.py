"""API of 特邀行政执法监督员 (/api/v1/supervision/invited/… and the portal's /api/v1/supervision/public/invited/…):
parse, call a service or selector, serialise — nothing else. Personal data is always masked here (the unmasked
view is a logged page action)."""

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Header, Query, Router, Schema, Status

from fazhi.core.apitypes import MAX_OFFSET, Year
from fazhi.core.audit import client_ip
from fazhi.core.errors import DomainError, NotFound
from fazhi.core.tokens import PermissionAuth, PublicAuth
from fazhi.supervision.supervisors import permissions as perms
from fazhi.supervision.supervisors import rules, selectors, services

router = Router(tags=["特邀行政执法监督员"])

VIEW, MANAGE, DUTY = "invited.view", "invited.manage", "invited.duty"
WRONG = {"detail": "查询码或查询密码不正确"}
Limit = Query(50, ge=1, le=500)
Offset = Query(0, ge=0, le=MAX_OFFSET)


def _status_of(exc: DomainError) -> int:
    return 429 if exc.field == "rate" else 422


# ---------------------------------------------------------------- schemas


class InvitedConditionsIO(Schema):
    min_age: int = Field(..., ge=0, le=120)
    max_age: int = Field(..., ge=0, le=120, description="0 表示不限")
    min_residency_years: int = Field(..., ge=0, le=80)
    exclude_functionaries: bool = True
    require_no_sanctions: bool = True


class InvitedCampaignIn(Schema):
    title: str
    year: Year
    quota: int = Field(..., ge=1, le=1000)
    apply_from: dt.date
    apply_until: dt.date
    announcement: str = ""
    organiser_id: int | None = Field(None, description="组织单位（默认本人所在单位）")
    conditions: InvitedConditionsIO | None = Field(None, description="招募条件（默认按本地配置）")
    publicity_days: int | None = Field(None, ge=1, le=30)
    term_years: int | None = Field(None, ge=1, le=10)


class InvitedEventOut(Schema):
    seq: int
    at: dt.datetime
    actor: str
    unit: str
    action: str
    label: str
    comment: str


class InvitedDocumentOut(Schema):
    id: int
    title: str
    number: str
    created_at: dt.datetime
    url: str = Field(..., description="下载地址（网页路由，按对象的数据范围检查）")


class InvitedCampaignOut(Schema):
    id: int
    title: str
    organiser: str
    year: int
    quota: int
    announcement: str
    conditions: InvitedConditionsIO
    conditions_text: list[str]
    apply_from: dt.date
    apply_until: dt.date
    publicity_days: int
    publicity_start: dt.date | None
    publicity_end: dt.date | None
    term_years: int
    status: str
    status_label: str
    counts: dict[str, int] = {}
    actions: list[str] = []
    timeline: list[InvitedEventOut] = Field([], description="时间线（详情）")
    documents: list[InvitedDocumentOut] = Field([], description="文书（详情）")


class InvitedApplicantIn(Schema):
    name: str
    id_number: str
    phone: str
    address: str
    residency_years: int = Field(..., ge=0, le=100)
    occupation: str = ""
    employer: str = ""
    is_functionary: bool
    has_sanctions: bool
    statement: str = ""


class InvitedStaffApplicationIn(InvitedApplicantIn):
    route: str = Field(..., description="unit 单位推荐 / invite 定向邀请（函询）")
    recommender: str = ""


class InvitedPublicApplicationIn(InvitedApplicantIn):
    consent: bool = Field(False, description="同意个人信息处理说明（必须为 true）")
    idempotency_key: str = Field("", max_length=64, description="客户端生成的唯一键；重复提交返回同一报名")


class InvitedFailureOut(Schema):
    code: str
    field: str
    message: str


class InvitedApplicationOut(Schema):
    id: int
    tracking_code: str
    campaign_id: int
    route: str
    route_label: str
    status: str
    status_label: str
    name: str
    id_number: str
    phone: str
    gender: str
    birth_year_month: str
    residency_years: int
    occupation: str
    employer: str
    is_functionary: bool
    has_sanctions: bool
    recommender: str
    invitation_number: str
    eligible: bool
    eligibility: list[InvitedFailureOut]
    review_reason: str
    review_deadline: dt.date | None
    received_at: dt.datetime
    actions: list[str] = []
    timeline: list[InvitedEventOut] = Field([], description="时间线（详情）")
    documents: list[InvitedDocumentOut] = Field([], description="文书（详情）")


class InvitedReviewIn(Schema):
    passed: bool
    reason: str = ""


class InvitedInviteReplyIn(Schema):
    accepted: bool
    note: str = ""


class InvitedObjectionIn(Schema):
    content: str
    name: str = ""
    phone: str = ""


class InvitedPublicObjectionIn(InvitedObjectionIn):
    application_id: int
    idempotency_key: str = Field("", max_length=64)


class InvitedObjectionOut(Schema):
    id: int
    campaign_id: int
    application_id: int
    candidate: str
    channel: str
    content: str
    status: str
    upheld: bool | None
    answer: str
    received_at: dt.datetime


class InvitedObjectionAnswerIn(Schema):
    upheld: bool
    answer: str


class InvitedAppointOut(Schema):
    supervisor_id: int
    number: str
    username: str
    initial_password: str | None = Field(None, description="初始密码，只返回这一次；首次登录须修改")
    term_end: dt.date


class InvitedSupervisorOut(Schema):
    id: int
    name: str
    number: str
    unit: str
    campaign_id: int
    employer: str
    phone: str
    appointed_on: dt.date
    term_end: dt.date
    status: str
    status_label: str
    ended_on: dt.date | None
    end_reason: str
    username: str
    actions: list[str] = []
    timeline: list[InvitedEventOut] = Field([], description="时间线（详情）")
    documents: list[InvitedDocumentOut] = Field([], description="文书（详情）")


class InvitedAnnualReviewIn(Schema):
    year: Year
    grade: str = Field(..., description="excellent 优秀 / competent 称职 / basic 基本称职 / incompetent 不称职")
    comment: str = ""


class InvitedAnnualReviewOut(Schema):
    id: int
    supervisor_id: int
    year: int
    grade: str
    grade_label: str
    comment: str


class InvitedEndIn(Schema):
    ending: str = Field(..., description="dismissed 解聘 / resigned 辞任 / expired 期满")
    reason: str = ""


class InvitedDutyAssignIn(Schema):
    supervisor_id: int
    kind: str = Field(..., description="observation 现场观摩 / inspection 参加执法检查")
    link_kind: str = Field(..., description="case 行政处罚案件 / inspection_record 涉企检查记录")
    link_id: int
    planned_on: dt.date
    place: str = ""
    note: str = ""


class InvitedDutyRecordIn(Schema):
    observed_on: dt.date
    findings: str
    opinion: str = ""


class InvitedSelfRecordIn(InvitedDutyRecordIn):
    kind: str
    subject: str
    agency: str = Field("", description="执法单位全称（可空）")
    place: str = ""


class InvitedReasonIn(Schema):
    reason: str


class InvitedDutyOut(Schema):
    id: int
    supervisor_id: int
    supervisor: str
    kind: str
    kind_label: str
    status: str
    subject: str
    link_kind: str
    link_id: int | None
    agency: str | None
    planned_on: dt.date
    place: str
    deadline: dt.date | None
    observed_on: dt.date | None
    findings: str
    opinion: str
    actions: list[str] = []
    timeline: list[InvitedEventOut] = Field([], description="时间线（详情）")
    documents: list[InvitedDocumentOut] = Field([], description="文书（详情）")


class InvitedSubmissionIn(Schema):
    kind: str = Field(..., description="opinion 意见建议 / problem 问题反映（登记为问题线索）")
    content: str
    category: str = Field("", description="问题类别（问题反映时）：执法不作为等，或其代码")
    agency: str = Field("", description="涉及的执法部门全称（可空）")
    place: str = ""
    party: str = ""
    occurred_on: dt.date | None = None


class InvitedFeedbackOut(Schema):
    status: str
    reply: dict | None = None


class InvitedSubmissionOut(Schema):
    id: int
    supervisor_id: int
    supervisor: str
    kind: str
    kind_label: str
    content: str
    agency: str | None
    submitted_at: dt.datetime
    clue_code: str
    answer: str
    deadline: dt.date | None
    feedback: InvitedFeedbackOut
    actions: list[str] = []
    timeline: list[InvitedEventOut] = Field([], description="时间线（详情）")
    documents: list[InvitedDocumentOut] = Field([], description="文书（详情）")


class InvitedAnswerIn(Schema):
    answer: str


class InvitedTrainingIn(Schema):
    topic: str
    held_on: dt.date
    hours: Decimal = Field(..., ge=0, le=1000)
    place: str = ""
    note: str = ""
    attendee_ids: list[int] = []


class InvitedAttendIn(Schema):
    attendee_ids: list[int]


class InvitedTrainingOut(Schema):
    id: int
    topic: str
    held_on: dt.date
    hours: float
    place: str
    unit: str
    attendees: list[int]


class InvitedLedgerRowOut(Schema):
    supervisor_id: int
    name: str
    status: str
    counts: dict[str, int]
    hours: float
    total: int
    grade: str


class InvitedLedgerOut(Schema):
    year: int
    columns: dict[str, str]
    rows: list[InvitedLedgerRowOut]


class InvitedMineOut(Schema):
    supervisor: InvitedSupervisorOut | None
    duties: list[InvitedDutyOut]
    sources: dict[str, list[dict]]
    submissions: list[InvitedSubmissionOut]
    trainings: list[InvitedTrainingOut]


class InvitedReceiptOut(Schema):
    tracking_code: str
    query_password: str


class InvitedPublicStageOut(Schema):
    tracking_code: str
    campaign: str
    route: str
    stage: str
    received_on: dt.date
    reasons: list[str]
    publicity: str


class InvitedPublicCandidateOut(Schema):
    id: int
    name: str
    gender: str
    birth_year_month: str
    employer: str
    status: str


class InvitedPublicCampaignOut(Schema):
    id: int
    title: str
    organiser: str
    quota: int
    announcement: str
    conditions_text: list[str]
    apply_from: dt.date
    apply_until: dt.date
    status: str
    status_label: str
    publicity_start: dt.date | None
    publicity_end: dt.date | None
    candidates: list[InvitedPublicCandidateOut] = []


class InvitedRosterOut(Schema):
    name: str
    number: str
    unit: str
    employer: str
    appointed_on: dt.date
    term_end: dt.date


# ---------------------------------------------------------------- serialisers


def _campaign(c, *, user=None, counts: bool = False) -> dict:
    cond = c.conditions
    return {
        "id": c.pk,
        "title": c.title,
        "organiser": c.organiser.name,
        "year": c.year,
        "quota": c.quota,
        "announcement": c.announcement,
        "conditions": cond.__dict__,
        "conditions_text": rules.conditions_text(cond),
        "apply_from": c.apply_from,
        "apply_until": c.apply_until,
        "publicity_days": c.publicity_days,
        "publicity_start": c.publicity_start,
        "publicity_end": c.publicity_end,
        "term_years": c.term_years,
        "status": c.status,
        "status_label": c.get_status_display(),
        "counts": selectors.campaign_counts(campaign=c) if counts else {},
        "actions": sorted(perms.campaign_actions(user=user, obj=c)) if user else [],
    }


def _application(a, *, user) -> dict:
    shown = selectors.masked_applicant(a)
    return {
        "id": a.pk,
        "tracking_code": a.tracking_code,
        "campaign_id": a.campaign_id,
        "route": a.route,
        "route_label": a.get_route_display(),
        "status": a.status,
        "status_label": a.get_status_display(),
        "name": shown.name,
        "id_number": shown.id_number,
        "phone": shown.phone,
        "gender": a.gender,
        "birth_year_month": f"{a.birth_date:%Y-%m}",
        "residency_years": a.residency_years,
        "occupation": a.occupation,
        "employer": a.employer,
        "is_functionary": a.is_functionary,
        "has_sanctions": a.has_sanctions,
        "recommender": a.recommender,
        "invitation_number": a.invitation_number,
        "eligible": a.eligible,
        "eligibility": a.eligibility,
        "review_reason": a.review_reason,
        "review_deadline": a.item.deadline if a.item_id else None,
        "received_at": a.received_at,
        "actions": sorted(perms.application_actions(user=user, obj=a)),
    }


def _objection(o) -> dict:
    return {
        "id": o.pk,
        "campaign_id": o.campaign_id,
        "application_id": o.application_id,
        "candidate": o.application.name,
        "channel": o.channel,
        "content": o.content,
        "status": o.status,
        "upheld": o.upheld,
        "answer": o.answer,
        "received_at": o.received_at,
    }


def _supervisor(s, *, user) -> dict:
    from fazhi.core.masking import mask_phone

    return {
        "id": s.pk,
        "name": s.name,
        "number": s.number,
        "unit": s.unit.name,
        "campaign_id": s.campaign_id,
        "employer": s.application.employer,
        "phone": mask_phone(s.application.phone),
        "appointed_on": s.appointed_on,
        "term_end": s.term_end,
        "status": s.status,
        "status_label": s.get_status_display(),
        "ended_on": s.ended_on,
        "end_reason": s.end_reason,
        "username": s.user.username,
        "actions": sorted(perms.supervisor_actions(user=user, obj=s)),
    }


def _duty(d, *, user) -> dict:
    return {
        "id": d.pk,
        "supervisor_id": d.supervisor_id,
        "supervisor": d.supervisor.name,
        "kind": d.kind,
        "kind_label": d.get_kind_display(),
        "status": d.status,
        "subject": d.subject,
        "link_kind": d.link_kind,
        "link_id": d.link_id,
        "agency": d.agency.name if d.agency_id else None,
        "planned_on": d.planned_on,
        "place": d.place,
        "deadline": d.item.deadline if d.item_id else None,
        "observed_on": d.observed_on,
        "findings": d.findings,
        "opinion": d.opinion,
        "actions": sorted(perms.duty_actions(user=user, obj=d)),
    }


def _submission(s, *, user) -> dict:
    feedback = selectors.submission_feedback(user=user, submission=s)
    return {
        "id": s.pk,
        "supervisor_id": s.supervisor_id,
        "supervisor": s.supervisor.name,
        "kind": s.kind,
        "kind_label": s.get_kind_display(),
        "content": s.content,
        "agency": s.agency.name if s.agency_id else None,
        "submitted_at": s.submitted_at,
        "clue_code": s.clue_code,
        "answer": s.answer,
        "deadline": s.item.deadline if s.item_id else None,
        "feedback": {"status": feedback.status, "reply": feedback.reply},
        "actions": sorted(perms.submission_actions(user=user, obj=s)),
    }


def _training(t) -> dict:
    return {
        "id": t.pk,
        "topic": t.topic,
        "held_on": t.held_on,
        "hours": float(t.hours),
        "place": t.place,
        "unit": t.unit.name,
        "attendees": list(t.attendance.values_list("supervisor_id", flat=True)),
    }


def _history(events, *, kind: str = "", pk: int | None = None, url_name: str = "") -> dict:
    """The timeline and the documents of an object, for its detail route."""
    from django.urls import reverse

    docs = selectors.documents(kind=kind, pk=pk) if kind else []
    return {
        "timeline": [
            {
                "seq": e.seq,
                "at": e.at,
                "actor": e.actor_name,
                "unit": e.actor_unit,
                "action": e.action,
                "label": e.action_label,
                "comment": e.comment,
            }
            for e in events
        ],
        "documents": [
            {
                "id": d.pk,
                "title": d.title,
                "number": d.number,
                "created_at": d.created_at,
                "url": reverse(f"supervision:supervisors:{url_name}", args=[pk, d.pk]),
            }
            for d in docs
        ],
    }


def _supervisors_ref(user, ids: list[int], field: str = "attendee_ids"):
    return [selectors.supervisor_ref(user=user, pk=pk, field=field) for pk in ids]


def _agency(name: str):
    from fazhi.complaints.selectors import agency_by_name

    return agency_by_name(name=name) if (name or "").strip() else None


# ---------------------------------------------------------------- campaigns


@router.get(
    "/invited/campaigns", response=list[InvitedCampaignOut], summary="特邀监督员招募列表", auth=PermissionAuth(VIEW)
)
def campaigns_list(
    request, q: str = "", status: str = "", year: Year | None = None, limit: int = Limit, offset: int = Offset
):
    user = request.auth
    qs = selectors.campaign_list(user=user, q=q, status=status, year=year)
    return [_campaign(c, user=user) for c in qs[offset : offset + limit]]


@router.post(
    "/invited/campaigns",
    response={201: InvitedCampaignOut},
    summary="新建招募公告（草稿）",
    auth=PermissionAuth(MANAGE),
)
def campaigns_create(request, payload: InvitedCampaignIn):
    user = request.auth
    organiser = None
    if payload.organiser_id is not None:
        organiser = selectors.organiser_units(user=user).filter(pk=payload.organiser_id).first()
        if organiser is None:
            raise DomainError(f"组织单位（id={payload.organiser_id}）不存在或不在本人管辖范围内", field="organiser_id")
    campaign = services.campaign_create(
        by=user,
        title=payload.title,
        year=payload.year,
        quota=payload.quota,
        apply_from=payload.apply_from,
        apply_until=payload.apply_until,
        announcement=payload.announcement,
        organiser=organiser,
        conditions=rules.Conditions(**payload.conditions.model_dump()) if payload.conditions else None,
        publicity_days=payload.publicity_days,
        term_years=payload.term_years,
        ip=client_ip(request),
    )
    return Status(201, _campaign(campaign, user=user, counts=True))


@router.get("/invited/campaigns/{pk}", response=InvitedCampaignOut, summary="招募详情", auth=PermissionAuth(VIEW))
def campaigns_get(request, pk: int):
    user = request.auth
    c = selectors.campaign_get(user=user, pk=pk)
    history = _history(
        selectors.timeline(item_ids=[c.item_id]), kind="invited_campaign", pk=c.pk, url_name="campaign_document"
    )
    return _campaign(c, user=user, counts=True) | history


def _step(request, pk: int, call):
    user = request.auth
    call(by=user, campaign=selectors.campaign_get(user=user, pk=pk), ip=client_ip(request))
    return _campaign(selectors.campaign_get(user=user, pk=pk), user=user, counts=True)


@router.post(
    "/invited/campaigns/{pk}/publish", response=InvitedCampaignOut, summary="发布招募公告", auth=PermissionAuth(MANAGE)
)
def campaigns_publish(request, pk: int):
    return _step(request, pk, services.campaign_publish)


@router.post(
    "/invited/campaigns/{pk}/publicity",
    response=InvitedCampaignOut,
    summary="开始公示（所有报名已初审；公示期按工作日计算）",
    auth=PermissionAuth(MANAGE),
)
def campaigns_publicity(request, pk: int):
    return _step(request, pk, services.campaign_publicity_start)


@router.post(
    "/invited/campaigns/{pk}/close",
    response=InvitedCampaignOut,
    summary="公示期满后结束招募",
    auth=PermissionAuth(MANAGE),
)
def campaigns_close(request, pk: int):
    return _step(request, pk, services.campaign_close)


@router.post(
    "/invited/campaigns/{pk}/applications",
    response={201: InvitedApplicationOut},
    summary="登记单位推荐或定向邀请（函询）；不符合条件的照样登记，并列出不符合的条件",
    auth=PermissionAuth(MANAGE),
)
def applications_enter(request, pk: int, payload: InvitedStaffApplicationIn):
    user = request.auth
    campaign = selectors.campaign_get(user=user, pk=pk)
    data = payload.model_dump()
    application = services.application_enter(
        by=user, campaign=campaign, route=data.pop("route"), data=data, ip=client_ip(request)
    )
    return Status(201, _application(selectors.application_get(user=user, pk=application.pk), user=user))


# ---------------------------------------------------------------- applications and objections


@router.get(
    "/invited/applications",
    response=list[InvitedApplicationOut],
    summary="报名列表（个人信息脱敏）",
    auth=PermissionAuth(VIEW),
)
def applications_list(
    request,
    q: str = "",
    campaign_id: int | None = None,
    route: str = "",
    status: str = "",
    eligible: str = "",
    limit: int = Limit,
    offset: int = Offset,
):
    user = request.auth
    filters = selectors.ApplicationFilters(q=q, campaign=campaign_id, route=route, status=status, eligible=eligible)
    return [
        _application(a, user=user)
        for a in selectors.application_list(user=user, filters=filters)[offset : offset + limit]
    ]


@router.get(
    "/invited/applications/{pk}",
    response=InvitedApplicationOut,
    summary="报名详情（个人信息脱敏）",
    auth=PermissionAuth(VIEW),
)
def applications_get(request, pk: int):
    user = request.auth
    a = selectors.application_get(user=user, pk=pk)
    history = _history(
        selectors.timeline(item_ids=[a.item_id]), kind="invited_application", pk=a.pk, url_name="application_document"
    )
    return _application(a, user=user) | history


@router.post(
    "/invited/applications/{pk}/review", response=InvitedApplicationOut, summary="资格初审", auth=PermissionAuth(MANAGE)
)
def applications_review(request, pk: int, payload: InvitedReviewIn):
    user = request.auth
    application = selectors.application_get(user=user, pk=pk)
    services.application_review(
        by=user, application=application, passed=payload.passed, reason=payload.reason, ip=client_ip(request)
    )
    return _application(selectors.application_get(user=user, pk=pk), user=user)


@router.post(
    "/invited/applications/{pk}/invite-reply",
    response=InvitedApplicationOut,
    summary="登记函询回复",
    auth=PermissionAuth(MANAGE),
)
def applications_invite_reply(request, pk: int, payload: InvitedInviteReplyIn):
    user = request.auth
    application = selectors.application_get(user=user, pk=pk)
    services.application_invite_reply(
        by=user, application=application, accepted=payload.accepted, note=payload.note, ip=client_ip(request)
    )
    return _application(selectors.application_get(user=user, pk=pk), user=user)


@router.post(
    "/invited/applications/{pk}/objections",
    response={201: InvitedObjectionOut},
    summary="登记公示异议（来信来电）",
    auth=PermissionAuth(MANAGE),
)
def applications_objection(request, pk: int, payload: InvitedObjectionIn):
    user = request.auth
    application = selectors.application_get(user=user, pk=pk)
    objection = services.objection_enter(
        by=user,
        application=application,
        content=payload.content,
        name=payload.name,
        phone=payload.phone,
        ip=client_ip(request),
    )
    return Status(201, _objection(objection))


@router.post(
    "/invited/applications/{pk}/appoint",
    response={201: InvitedAppointOut},
    summary="聘任：生成聘书，开通账号（初始密码只返回一次）",
    auth=PermissionAuth(MANAGE),
)
def applications_appoint(request, pk: int):
    user = request.auth
    application = selectors.application_get(user=user, pk=pk)
    supervisor, password = services.supervisor_appoint(by=user, application=application, ip=client_ip(request))
    return Status(
        201,
        {
            "supervisor_id": supervisor.pk,
            "number": supervisor.number,
            "username": supervisor.user.username,
            "initial_password": password,
            "term_end": supervisor.term_end,
        },
    )


@router.get("/invited/objections", response=list[InvitedObjectionOut], summary="公示异议", auth=PermissionAuth(VIEW))
def objections_list(
    request, q: str = "", campaign_id: int | None = None, status: str = "", limit: int = Limit, offset: int = Offset
):
    qs = selectors.objection_list(user=request.auth, q=q, campaign=campaign_id, status=status)
    return [_objection(o) for o in qs[offset : offset + limit]]


@router.get("/invited/objections/{pk}", response=InvitedObjectionOut, summary="公示异议详情", auth=PermissionAuth(VIEW))
def objections_get(request, pk: int):
    return _objection(selectors.objection_get(user=request.auth, pk=pk))


@router.post(
    "/invited/objections/{pk}/answer",
    response=InvitedObjectionOut,
    summary="核查答复公示异议",
    auth=PermissionAuth(MANAGE),
)
def objections_answer(request, pk: int, payload: InvitedObjectionAnswerIn):
    user = request.auth
    objection = selectors.objection_get(user=user, pk=pk)
    objection = services.objection_answer(
        by=user, objection=objection, answer=payload.answer, upheld=payload.upheld, ip=client_ip(request)
    )
    return _objection(objection)


# ---------------------------------------------------------------- supervisors


@router.get(
    "/invited/supervisors", response=list[InvitedSupervisorOut], summary="特邀监督员名册", auth=PermissionAuth(VIEW)
)
def supervisors_list(
    request, q: str = "", status: str = "", campaign_id: int | None = None, limit: int = Limit, offset: int = Offset
):
    user = request.auth
    qs = selectors.supervisor_list(user=user, q=q, status=status, campaign=campaign_id)
    return [_supervisor(s, user=user) for s in qs[offset : offset + limit]]


@router.get(
    "/invited/supervisors/{pk}",
    response=InvitedSupervisorOut,
    summary="特邀监督员详情",
    auth=PermissionAuth(VIEW, DUTY),
)
def supervisors_get(request, pk: int):
    user = request.auth
    s = selectors.supervisor_get(user=user, pk=pk)
    history = _history(
        selectors.supervisor_timeline(user=user, supervisor=s),
        kind="invited_supervisor",
        pk=s.pk,
        url_name="supervisor_document",
    )
    return _supervisor(s, user=user) | history


@router.post(
    "/invited/supervisors/{pk}/reviews",
    response={201: InvitedAnnualReviewOut},
    summary="年度履职考核（每年一次）",
    auth=PermissionAuth(MANAGE),
)
def supervisors_review(request, pk: int, payload: InvitedAnnualReviewIn):
    user = request.auth
    supervisor = selectors.supervisor_get(user=user, pk=pk)
    review = services.annual_review_record(
        by=user,
        supervisor=supervisor,
        year=payload.year,
        grade=payload.grade,
        comment=payload.comment,
        ip=client_ip(request),
    )
    return Status(
        201,
        {
            "id": review.pk,
            "supervisor_id": supervisor.pk,
            "year": review.year,
            "grade": review.grade,
            "grade_label": review.get_grade_display(),
            "comment": review.comment,
        },
    )


@router.post(
    "/invited/supervisors/{pk}/end",
    response=InvitedSupervisorOut,
    summary="解聘、辞任或期满离任",
    auth=PermissionAuth(MANAGE),
)
def supervisors_end(request, pk: int, payload: InvitedEndIn):
    user = request.auth
    supervisor = selectors.supervisor_get(user=user, pk=pk)
    services.supervisor_end(
        by=user, supervisor=supervisor, ending=payload.ending, reason=payload.reason, ip=client_ip(request)
    )
    return _supervisor(selectors.supervisor_get(user=user, pk=pk), user=user)


# ---------------------------------------------------------------- duties


@router.get("/invited/duties", response=list[InvitedDutyOut], summary="现场观摩与参加检查", auth=PermissionAuth(VIEW))
def duties_list(
    request,
    q: str = "",
    kind: str = "",
    status: str = "",
    supervisor_id: int | None = None,
    limit: int = Limit,
    offset: int = Offset,
):
    user = request.auth
    filters = selectors.DutyFilters(q=q, kind=kind, status=status, supervisor=supervisor_id)
    return [_duty(d, user=user) for d in selectors.duty_list(user=user, filters=filters)[offset : offset + limit]]


@router.post(
    "/invited/duties", response={201: InvitedDutyOut}, summary="安排现场观摩或参加执法检查", auth=PermissionAuth(MANAGE)
)
def duties_assign(request, payload: InvitedDutyAssignIn):
    user = request.auth
    supervisor = selectors.supervisor_ref(user=user, pk=payload.supervisor_id, field="supervisor_id")
    duty = services.duty_assign(
        by=user,
        supervisor=supervisor,
        kind=payload.kind,
        link_kind=payload.link_kind,
        link_id=payload.link_id,
        planned_on=payload.planned_on,
        place=payload.place,
        note=payload.note,
        ip=client_ip(request),
    )
    return Status(201, _duty(selectors.duty_get(user=user, pk=duty.pk), user=user))


@router.get("/invited/duties/{pk}", response=InvitedDutyOut, summary="观摩与检查详情", auth=PermissionAuth(VIEW, DUTY))
def duties_get(request, pk: int):
    user = request.auth
    d = selectors.duty_get(user=user, pk=pk)
    return _duty(d, user=user) | _history(selectors.timeline(item_ids=[d.item_id]))


@router.post(
    "/invited/duties/{pk}/record", response=InvitedDutyOut, summary="特邀监督员记录观摩情况", auth=PermissionAuth(DUTY)
)
def duties_record(request, pk: int, payload: InvitedDutyRecordIn):
    user = request.auth
    duty = selectors.duty_get(user=user, pk=pk)
    services.duty_record(
        by=user,
        duty=duty,
        observed_on=payload.observed_on,
        findings=payload.findings,
        opinion=payload.opinion,
        ip=client_ip(request),
    )
    return _duty(selectors.duty_get(user=user, pk=pk), user=user)


@router.post("/invited/duties/{pk}/cancel", response=InvitedDutyOut, summary="取消安排", auth=PermissionAuth(MANAGE))
def duties_cancel(request, pk: int, payload: InvitedReasonIn):
    user = request.auth
    duty = selectors.duty_get(user=user, pk=pk)
    services.duty_cancel(by=user, duty=duty, reason=payload.reason, ip=client_ip(request))
    return _duty(selectors.duty_get(user=user, pk=pk), user=user)


# ---------------------------------------------------------------- submissions


@router.get(
    "/invited/submissions", response=list[InvitedSubmissionOut], summary="意见建议与问题反映", auth=PermissionAuth(VIEW)
)
def submissions_list(
    request, q: str = "", kind: str = "", answered: str = "", limit: int = Limit, offset: int = Offset
):
    user = request.auth
    qs = selectors.submission_list(user=user, q=q, kind=kind, answered=answered)
    return [_submission(s, user=user) for s in qs[offset : offset + limit]]


@router.get(
    "/invited/submissions/{pk}",
    response=InvitedSubmissionOut,
    summary="意见建议或问题反映详情及办理情况",
    auth=PermissionAuth(VIEW, DUTY),
)
def submissions_get(request, pk: int):
    user = request.auth
    s = selectors.submission_get(user=user, pk=pk)
    return _submission(s, user=user) | _history(selectors.timeline(item_ids=[s.item_id]))


@router.post(
    "/invited/submissions/{pk}/answer",
    response=InvitedSubmissionOut,
    summary="答复意见建议",
    auth=PermissionAuth(MANAGE),
)
def submissions_answer(request, pk: int, payload: InvitedAnswerIn):
    user = request.auth
    submission = selectors.submission_get(user=user, pk=pk)
    services.submission_answer(by=user, submission=submission, answer=payload.answer, ip=client_ip(request))
    return _submission(selectors.submission_get(user=user, pk=pk), user=user)


# ---------------------------------------------------------------- trainings and the ledger


@router.get(
    "/invited/trainings", response=list[InvitedTrainingOut], summary="特邀监督员培训", auth=PermissionAuth(VIEW)
)
def trainings_list(request, q: str = "", year: Year | None = None, limit: int = Limit, offset: int = Offset):
    qs = selectors.training_list(user=request.auth, q=q, year=year)
    return [_training(t) for t in qs[offset : offset + limit]]


@router.post("/invited/trainings", response={201: InvitedTrainingOut}, summary="登记培训", auth=PermissionAuth(MANAGE))
def trainings_create(request, payload: InvitedTrainingIn):
    user = request.auth
    training = services.training_create(
        by=user,
        topic=payload.topic,
        held_on=payload.held_on,
        hours=payload.hours,
        place=payload.place,
        note=payload.note,
        attendees=_supervisors_ref(user, payload.attendee_ids),
        ip=client_ip(request),
    )
    return Status(201, _training(training))


@router.get("/invited/trainings/{pk}", response=InvitedTrainingOut, summary="培训详情", auth=PermissionAuth(VIEW))
def trainings_get(request, pk: int):
    return _training(selectors.training_get(user=request.auth, pk=pk))


@router.post(
    "/invited/trainings/{pk}/attendees",
    response=InvitedTrainingOut,
    summary="增加参训人员",
    auth=PermissionAuth(MANAGE),
)
def trainings_attend(request, pk: int, payload: InvitedAttendIn):
    user = request.auth
    training = selectors.training_get(user=user, pk=pk)
    services.training_attend(
        by=user, training=training, attendees=_supervisors_ref(user, payload.attendee_ids), ip=client_ip(request)
    )
    return _training(training)


def _ledger_row(r) -> dict:
    return {
        "supervisor_id": r.supervisor.pk,
        "name": r.supervisor.name,
        "status": r.supervisor.status,
        "counts": r.counts | r.sources,
        "hours": r.hours,
        "total": r.total,
        "grade": r.grade,
    }


@router.get(
    "/invited/ledger", response=InvitedLedgerOut, summary="履职台账：每人每年各类履职次数", auth=PermissionAuth(VIEW)
)
def ledger(request, year: Year, q: str = ""):
    rows = selectors.ledger(user=request.auth, year=year, q=q)
    return {"year": year, "columns": dict(selectors.ledger_columns()), "rows": [_ledger_row(r) for r in rows]}


# ---------------------------------------------------------------- the invited supervisor's own


@router.get(
    "/invited/mine", response=InvitedMineOut, summary="我的监督工作（特邀监督员本人）", auth=PermissionAuth(DUTY)
)
def mine(request):
    user = request.auth
    work = selectors.my_work(user=user)
    return {
        "supervisor": _supervisor(work.record, user=user) if work.record else None,
        "duties": [_duty(d, user=user) for d in work.duties],
        "sources": {label: [r.__dict__ for r in rows] for label, rows in work.source_rows},
        "submissions": [_submission(s, user=user) for s, _ in work.submissions],
        "trainings": [_training(t) for t in work.trainings],
    }


@router.post(
    "/invited/mine/duties",
    response={201: InvitedDutyOut},
    summary="自行记录现场观摩或参加检查",
    auth=PermissionAuth(DUTY),
)
def mine_record(request, payload: InvitedSelfRecordIn):
    user = request.auth
    duty = services.duty_self_record(
        by=user,
        kind=payload.kind,
        subject=payload.subject,
        agency=_agency(payload.agency),
        place=payload.place,
        observed_on=payload.observed_on,
        findings=payload.findings,
        opinion=payload.opinion,
        ip=client_ip(request),
    )
    return Status(201, _duty(selectors.duty_get(user=user, pk=duty.pk), user=user))


@router.post(
    "/invited/mine/submissions",
    response={201: InvitedSubmissionOut},
    summary="提出意见建议或反映问题（问题登记为问题线索）",
    auth=PermissionAuth(DUTY),
)
def mine_submit(request, payload: InvitedSubmissionIn):
    user = request.auth
    submission = services.submission_create(
        by=user,
        kind=payload.kind,
        content=payload.content,
        category=payload.category,
        agency=_agency(payload.agency),
        place=payload.place,
        party=payload.party,
        occurred_on=payload.occurred_on,
        ip=client_ip(request),
    )
    return Status(201, _submission(selectors.submission_get(user=user, pk=submission.pk), user=user))


# ---------------------------------------------------------------- public (the portal)


def _candidate(a) -> dict:
    return {
        "id": a.pk,
        "name": a.name,
        "gender": a.gender,
        "birth_year_month": f"{a.birth_date:%Y-%m}",
        "employer": a.employer,
        "status": a.get_status_display(),
    }


def _public_campaign(c, *, candidates: bool = False) -> dict:
    return {
        **{k: v for k, v in _campaign(c).items() if k in InvitedPublicCampaignOut.model_fields},
        "candidates": [_candidate(a) for a in selectors.public_candidates(campaign=c)] if candidates else [],
    }


@router.get(
    "/public/invited/campaigns", response=list[InvitedPublicCampaignOut], summary="招募公告（公开）", auth=PublicAuth()
)
def public_campaigns(request, limit: int = Limit, offset: int = Offset):
    return [_public_campaign(c) for c in selectors.public_campaigns()[offset : offset + limit]]


@router.get(
    "/public/invited/campaigns/{pk}",
    response=InvitedPublicCampaignOut,
    summary="招募公告及公示名单（公开）",
    auth=PublicAuth(),
)
def public_campaign(request, pk: int):
    return _public_campaign(selectors.public_campaign_get(pk=pk), candidates=True)


@router.post(
    "/public/invited/campaigns/{pk}/applications",
    response={201: InvitedReceiptOut, 422: dict, 429: dict},
    summary="个人自荐报名（无需登录）：不符合条件的逐条说明，不予登记",
    auth=PublicAuth(),
)
def public_apply(request: HttpRequest, pk: int, payload: InvitedPublicApplicationIn):
    campaign = selectors.public_campaign_get(pk=pk)
    data = payload.model_dump()
    consent, key = data.pop("consent"), data.pop("idempotency_key")
    try:
        application, password = services.application_submit_public(
            campaign=campaign,
            data=data,
            consent=consent,
            ip=client_ip(request),
            submit_token=f"api:{key}" if key else None,
        )
    except DomainError as exc:
        return Status(_status_of(exc), exc.as_dict())
    return Status(201, {"tracking_code": application.tracking_code, "query_password": password})


@router.get(
    "/public/invited/applications/{tracking_code}",
    response={200: InvitedPublicStageOut, 404: dict, 429: dict},
    summary="报名进展查询（查询码和查询密码；未通过的说明理由）",
    auth=PublicAuth(),
)
def public_status(
    request: HttpRequest,
    tracking_code: str,
    password: str = "",
    x_query_password: str = Header("", alias="X-Query-Password"),
):
    """The password goes in the `X-Query-Password` header (preferred) or the `password` query parameter."""
    try:
        application = services.application_public_query(
            code=tracking_code, password=x_query_password or password, ip=client_ip(request)
        )
    except NotFound:
        return Status(404, WRONG)
    except DomainError as exc:
        return Status(429, exc.as_dict())
    return Status(200, selectors.public_stage(application=application).__dict__)


@router.post(
    "/public/invited/campaigns/{pk}/objections",
    response={201: dict, 422: dict, 429: dict},
    summary="公示期间对拟聘任人员提出异议（无需登录）",
    auth=PublicAuth(),
)
def public_objection(request: HttpRequest, pk: int, payload: InvitedPublicObjectionIn):
    campaign = selectors.public_campaign_get(pk=pk)
    try:
        services.objection_submit_public(
            campaign=campaign,
            application_id=payload.application_id,
            content=payload.content,
            name=payload.name,
            phone=payload.phone,
            ip=client_ip(request),
            submit_token=f"api:{payload.idempotency_key}" if payload.idempotency_key else None,
        )
    except DomainError as exc:
        return Status(_status_of(exc), exc.as_dict())
    return Status(201, {"detail": "异议已收到，核查后答复"})


@router.get(
    "/public/invited/roster", response=list[InvitedRosterOut], summary="在聘特邀监督员名册（公开）", auth=PublicAuth()
)
def public_roster(request, limit: int = Limit, offset: int = Offset):
    return [
        {
            "name": s.name,
            "number": s.number,
            "unit": s.unit.name,
            "employer": s.application.employer,
            "appointed_on": s.appointed_on,
            "term_end": s.term_end,
        }
        for s in selectors.public_roster()[offset : offset + limit]
    ]
