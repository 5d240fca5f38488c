"""API of 建议提案 and 依申请公开: parse, call a service or selector, serialise — nothing else.

The disclosure routes keep the exact shapes the contract fixes:
`POST /disclosure-requests` → 201, `POST /disclosure-requests/{id}/events` → 200 (422 for what the law or the
request's state does not allow), `GET /disclosure-requests/{id}` → id, status, deadline (the answer deadline as the
law counts it), paused, clocks."""

import datetime as dt
from typing import Annotated

from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from fazhi.core.apitypes import Limit, Year
from fazhi.core.audit import client_ip
from fazhi.core.errors import DomainError, NotFound
from fazhi.core.tokens import PermissionAuth, PublicAuth
from fazhi.requests import permissions as perms
from fazhi.requests import rules, selectors, services
from fazhi.requests.models import Proposal
from fazhi.tracking.api import ClockOut, clock_out

router = Router(tags=["建议提案与依申请公开"])

Days = Annotated[int, Field(ge=-10_000, le=10_000)]
Months = Annotated[int, Field(ge=-1_000, le=1_000)]
Term = Annotated[int, Field(ge=0, le=1_000)]


# ================================================================ disclosure requests


class DisclosureRequestApplicantIn(Schema):
    kind: str  # "person" | "organisation"
    name: str
    org_type: str = ""  # business / research / charity / legal / other (organisations)
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


class DisclosureRequestIn(Schema):
    applicant: DisclosureRequestApplicantIn
    agency: str  # the unit's full name
    content: str
    received_on: dt.date  # 收到申请之日 as 第三十一条 fixes it for the channel
    channel: str  # online / window / post (also letter: 平常信函, fax)
    submitted_on: dt.date | None = None
    form_wanted: str = ""


class DisclosureRequestEventIn(Schema):
    kind: str
    on: dt.date
    days: Days | None = None  # extended: working days added; correction_requested: the correction period
    answer: str = ""  # answered: disclosed / partial / withheld / not_exist / not_held / repeat / not_processed / …
    reason: str = ""
    ground: str = ""  # withheld / not_processed: the ground (rules.WITHHELD_GROUNDS / NOT_PROCESSED_GROUNDS)
    competent_body: str = ""  # not_held: the body responsible for the information
    party: str = ""  # consultation_started: third_party (default) / agency
    party_name: str = ""
    method: str = ""  # delivered: how


class DisclosureRequestClockOut(ClockOut):
    pass


class DisclosureRequestOut(Schema):
    id: int
    status: str
    deadline: dt.date | None
    paused: bool
    clocks: list[DisclosureRequestClockOut]
    tracking_code: str
    status_label: str
    agency: str
    channel: str
    applicant_kind: str
    submitted_on: dt.date
    received_on: dt.date | None
    extended_days: int
    answer: str
    answer_label: str
    answer_ground: str
    answered_on: dt.date | None
    answer_number: str
    on_time: bool | None
    delivered_on: dt.date | None
    concluded_on: dt.date | None
    actions: list[str]


class DisclosureRequestCreatedOut(DisclosureRequestOut):
    query_password: str


class DisclosureRequestListOut(Schema):
    items: list[DisclosureRequestOut]
    next_after: int | None


def _disclosure(r, *, user) -> dict:
    clocks = selectors.disclosure_clocks(request=r)
    answer = next((c for c in clocks if c.name == "answer"), None)
    return {
        "id": r.pk,
        "status": r.status,
        "deadline": answer.deadline if answer else None,
        "paused": bool(answer and answer.paused),
        "clocks": [clock_out(c) for c in clocks],
        "tracking_code": r.tracking_code,
        "status_label": r.get_status_display(),
        "agency": r.agency.name,
        "channel": r.channel,
        "applicant_kind": r.applicant_kind,
        "submitted_on": r.submitted_on,
        "received_on": r.received_on,
        "extended_days": r.extended_days,
        "answer": r.answer_kind,
        "answer_label": rules.ANSWER[r.answer_kind].label if r.answer_kind in rules.ANSWER else "",
        "answer_ground": r.answer_ground,
        "answered_on": r.answered_on,
        "answer_number": r.answer_number,
        "on_time": r.on_time,
        "delivered_on": r.delivered_on,
        "concluded_on": r.concluded_on,
        "actions": sorted(perms.disclosure_request_actions(user=user, obj=r)) if user else [],
    }


@router.post(
    "/disclosure-requests",
    response={201: DisclosureRequestCreatedOut},
    summary="登记政府信息公开申请（窗口、邮寄、传真或其他系统推送）",
    auth=PermissionAuth("disclosure_request.handle"),
)
def disclosure_create(request, payload: DisclosureRequestIn):
    user = request.auth
    agency = selectors.unit_by_name(name=payload.agency, field="agency")
    a = payload.applicant
    r, password = services.disclosure_register(
        by=user,
        agency=agency,
        applicant_kind=a.kind,
        applicant_name=a.name,
        org_type=a.org_type,
        id_number=a.id_number,
        phone=a.phone,
        email=a.email,
        address=a.address,
        content=payload.content,
        channel=payload.channel,
        received_on=payload.received_on,
        submitted_on=payload.submitted_on,
        form_wanted=payload.form_wanted,
        source="api",
    )
    return Status(201, {**_disclosure(r, user=user), "query_password": password})


@router.get(
    "/disclosure-requests",
    response=DisclosureRequestListOut,
    summary="政府信息公开申请（按 id 倒序键集分页）",
    auth=PermissionAuth("disclosure_request.view"),
)
def disclosure_list(
    request,
    q: str = "",
    status: str = "",
    agency_id: int | None = None,
    year: Year | None = None,
    before: int = 0,
    limit: Limit = 50,
):
    user = request.auth
    filters = selectors.DisclosureFilters(q=q, status=status, agency=agency_id, year=year)
    qs = selectors.disclosure_list(user=user, filters=filters).order_by("-id")
    if before:
        qs = qs.filter(id__lt=before)
    limit = max(1, min(limit, 500))
    rows = list(qs[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": [_disclosure(r, user=user) for r in rows], "next_after": rows[-1].id if more else None}


@router.get(
    "/disclosure-requests/{pk}",
    response=DisclosureRequestOut,
    summary="政府信息公开申请详情：状态、答复期限（法定计算）、是否中止、各法定期限",
    auth=PermissionAuth("disclosure_request.view"),
)
def disclosure_get(request, pk: int):
    user = request.auth
    return _disclosure(selectors.disclosure_get(user=user, pk=pk), user=user)


@router.post(
    "/disclosure-requests/{pk}/events",
    response=DisclosureRequestOut,
    summary="办理事件：确认收到、告知补正、收到补正、征求意见、收到意见、延长、答复、送达、视为放弃、撤回",
    auth=PermissionAuth("disclosure_request.handle"),
)
def disclosure_events(request, pk: int, payload: DisclosureRequestEventIn):
    user = request.auth
    r = selectors.disclosure_get(user=user, pk=pk)
    services.disclosure_event(by=user, request=r, **payload.dict())
    return _disclosure(selectors.disclosure_get(user=user, pk=pk), user=user)


class DisclosureRequestReportRowOut(Schema):
    key: str
    label: str
    figures: dict[str, int]


class DisclosureRequestUnitOut(Schema):
    unit_id: int
    unit: str
    received: int
    carried_in: int
    disclosed: int
    partial: int
    withheld: int
    unavailable: int
    not_processed: int
    other: int
    concluded: int
    on_time_rate: float | None
    carried_out: int
    reconsiderations: int | None  # None: not available (no counter registered by the disputes app)
    suits: int | None


class DisclosureRequestReportOut(Schema):
    year: int
    columns: list[list[str]]
    received: dict[str, int]
    carried_in: dict[str, int]
    results: list[DisclosureRequestReportRowOut]
    total: dict[str, int]
    carried_out: dict[str, int]
    reconsiderations: int | None
    suits: int | None
    units: list[DisclosureRequestUnitOut]
    basis: str


@router.get(
    "/disclosure-reports",
    response=DisclosureRequestReportOut,
    summary="政府信息公开工作年度报告数据（收到和处理申请情况、复议诉讼），按单位和年度",
    auth=PermissionAuth("disclosure_request.view"),
)
def disclosure_report(request, year: Year | None = None, unit_id: int | None = None):
    user = request.auth
    unit = None
    if unit_id is not None:
        unit = selectors.disclosure_report_units(user=user).filter(pk=unit_id).first()
        if unit is None:
            raise NotFound()
    year = year or timezone.localdate().year
    rep = selectors.disclosure_report(user=user, year=year, unit=unit)
    return {
        "year": year,
        "columns": [list(c) for c in rules.REPORT_COLUMNS],
        "received": rep.received,
        "carried_in": rep.carried_in,
        "results": [{"key": k, "label": label, "figures": rep.results[k]} for k, label in rules.REPORT_ROWS],
        "total": rep.results["total"],
        "carried_out": rep.carried_out,
        "reconsiderations": rep.disputes["reconsiderations"] if rep.disputes is not None else None,
        "suits": rep.disputes["suits"] if rep.disputes is not None else None,
        "units": [
            {
                "unit_id": u["agency_id"],
                "unit": u["agency__name"],
                **{
                    k: u[k]
                    for k in (
                        "received",
                        "carried_in",
                        "disclosed",
                        "partial",
                        "withheld",
                        "unavailable",
                        "not_processed",
                        "other",
                        "concluded",
                        "on_time_rate",
                        "carried_out",
                    )
                },
                "reconsiderations": u["disputes"]["reconsiderations"] if u["disputes"] is not None else None,
                "suits": u["disputes"]["suits"] if u["disputes"] is not None else None,
            }
            for u in rep.per_unit
        ],
        "basis": rules.REPORT_BASIS,
    }


# ================================================================ sessions and proposals


class ProposalSessionIn(Schema):
    body: str  # npc / cppcc
    term: Term
    meeting: Term
    year: Year
    opened_on: dt.date | None = None


class ProposalSessionOut(Schema):
    id: int
    body: str
    name: str
    term: int
    meeting: int
    year: int
    opened_on: dt.date | None


def _session(s) -> dict:
    return {
        "id": s.pk,
        "body": s.body,
        "name": s.name,
        "term": s.term,
        "meeting": s.meeting,
        "year": s.year,
        "opened_on": s.opened_on,
    }


@router.get(
    "/proposal-sessions", response=list[ProposalSessionOut], summary="会议届次", auth=PermissionAuth("proposal.view")
)
def sessions_list(request):
    return [_session(s) for s in selectors.session_list()]


@router.post(
    "/proposal-sessions",
    response={201: ProposalSessionOut},
    summary="登记会议届次",
    auth=PermissionAuth("proposal.manage"),
)
def sessions_create(request, payload: ProposalSessionIn):
    s = services.session_create(by=request.auth, **payload.dict())
    return Status(201, _session(s))


class ProposerIn(Schema):
    name: str
    delegation: str = ""
    phone: str = ""


class ProposalIn(Schema):
    session_id: int
    number: str
    title: str
    text: str
    proposers: list[ProposerIn]  # the first one is the lead (领衔)
    registered_on: dt.date | None = None


class ProposerOut(Schema):
    id: int
    name: str
    delegation: str
    is_lead: bool


class ProposalUnitOut(Schema):
    id: int
    unit: str
    role: str
    status: str
    active: bool
    assigned_on: dt.date
    view_deadline: dt.date | None
    view_on: dt.date | None
    return_reason: str


class ProposalReplyOut(Schema):
    round: int
    status: str
    unit: str
    classification: str
    signer: str
    issued_on: dt.date | None
    number: str
    published: bool
    attitude: str
    result: str
    rated_on: dt.date | None


class ProposalOut(Schema):
    id: int
    session_id: int
    session: str
    kind: str
    number: str
    title: str
    text: str
    status: str
    status_label: str
    proposers: list[ProposerOut]
    lead_unit: str | None
    units: list[ProposalUnitOut]
    assigned_on: dt.date | None
    reply_deadline: dt.date | None
    extension_months: int
    extension_requested: int
    extension_consent: str
    first_replied_on: dt.date | None
    on_time: bool | None
    classification: str
    attitude: str
    result: str
    secret: bool
    replies: list[ProposalReplyOut]
    clocks: list[ClockOut]
    actions: list[str]


class ProposalListOut(Schema):
    items: list[ProposalOut]
    next_after: int | None


def _proposal(p, *, user) -> dict:
    return {
        "id": p.pk,
        "session_id": p.session_id,
        "session": p.session.name,
        "kind": p.kind,
        "number": p.number,
        "title": p.title,
        "text": p.text,
        "status": p.status,
        "status_label": p.get_status_display(),
        "proposers": [
            {"id": x.pk, "name": x.name, "delegation": x.delegation, "is_lead": x.is_lead} for x in p.proposers.all()
        ],
        "lead_unit": p.lead_unit.name if p.lead_unit_id else None,
        "units": [
            {
                "id": u.pk,
                "unit": u.unit.name,
                "role": u.role,
                "status": u.status,
                "active": u.active,
                "assigned_on": u.assigned_on,
                "view_deadline": u.view_deadline,
                "view_on": u.view_on,
                "return_reason": u.return_reason,
            }
            for u in p.units.all()
        ],
        "assigned_on": p.assigned_on,
        "reply_deadline": p.reply_deadline,
        "extension_months": p.extension_months,
        "extension_requested": p.extension_requested,
        "extension_consent": p.extension_consent,
        "first_replied_on": p.first_replied_on,
        "on_time": p.on_time,
        "classification": p.classification,
        "attitude": p.attitude,
        "result": p.result,
        "secret": p.secret,
        "replies": [
            {
                "round": r.round,
                "status": r.status,
                "unit": r.unit.name,
                "classification": r.classification,
                "signer": r.signer,
                "issued_on": r.issued_on,
                "number": r.number,
                "published": r.published,
                "attitude": r.attitude,
                "result": r.result,
                "rated_on": r.rated_on,
            }
            for r in sorted(p.replies.all(), key=lambda r: r.round)
        ],
        "clocks": [clock_out(c) for c in selectors.proposal_clocks(proposal=p)],
        "actions": sorted(perms.proposal_actions(user=user, obj=p)),
    }


def _get(request, pk) -> Proposal:
    return selectors.proposal_get(user=request.auth, pk=pk)


def _out(request, pk) -> dict:
    return _proposal(_get(request, pk), user=request.auth)


@router.get(
    "/proposals", response=ProposalListOut, summary="建议提案（按 id 键集分页）", auth=PermissionAuth("proposal.view")
)
def proposals_list(
    request,
    q: str = "",
    session_id: int | None = None,
    kind: str = "",
    status: str = "",
    after: int = 0,
    limit: Limit = 50,
):
    user = request.auth
    filters = selectors.ProposalFilters(q=q, session=session_id, kind=kind, status=status)
    qs = selectors.proposal_list(user=user, filters=filters).order_by("id").filter(id__gt=after)
    limit = max(1, min(limit, 100))
    rows = list(selectors.proposals_with_relations(qs)[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": [_proposal(p, user=user) for p in rows], "next_after": rows[-1].pk if more else None}


@router.post("/proposals", response={201: ProposalOut}, summary="登记建议提案", auth=PermissionAuth("proposal.manage"))
def proposals_create(request, payload: ProposalIn):
    user = request.auth
    session = selectors.session_get(pk=payload.session_id)
    p = services.proposal_register(
        by=user,
        session=session,
        number=payload.number,
        title=payload.title,
        text=payload.text,
        proposers=[x.dict() for x in payload.proposers],
        registered_on=payload.registered_on,
    )
    return Status(201, _out(request, p.pk))


@router.get("/proposals/{pk}", response=ProposalOut, summary="建议提案详情", auth=PermissionAuth("proposal.view"))
def proposals_get(request, pk: int):
    return _out(request, pk)


class ProposalAssignIn(Schema):
    lead_unit: str  # full name
    co_units: list[str] = []
    on: dt.date | None = None
    comment: str = ""


@router.post(
    "/proposals/{pk}/assign",
    response=ProposalOut,
    summary="交办（主办、协办单位）",
    auth=PermissionAuth("proposal.manage"),
)
def proposals_assign(request, pk: int, payload: ProposalAssignIn):
    p = _get(request, pk)
    lead = selectors.unit_by_name(name=payload.lead_unit, field="lead_unit")
    co = [selectors.unit_by_name(name=n, field="co_units") for n in payload.co_units]
    services.proposal_assign(
        by=request.auth, proposal=p, lead_unit=lead, co_units=co, on=payload.on, comment=payload.comment
    )
    return _out(request, pk)


def _row(p, unit_name: str, *, field: str = "unit"):
    """The unit's active share of the proposal (the lead's when no unit is named)."""
    rows = [u for u in p.units.all() if u.status != "returned"]
    if not unit_name:
        row = next((u for u in rows if u.role == "lead" and u.active), None)
    else:
        row = next((u for u in rows if u.unit.name == unit_name.strip()), None)
    if row is None:
        raise DomainError(f"“{unit_name or '主办单位'}”不是本件的承办单位", field=field)
    return row


class ProposalReturnIn(Schema):
    reason: str
    unit: str = ""  # a co-unit's full name; empty: the lead unit
    on: dt.date | None = None


@router.post(
    "/proposals/{pk}/return",
    response=ProposalOut,
    summary="申请退回（交办不当）",
    auth=PermissionAuth("proposal.reply"),
)
def proposals_return(request, pk: int, payload: ProposalReturnIn):
    p = _get(request, pk)
    services.proposal_return_request(by=request.auth, row=_row(p, payload.unit), reason=payload.reason, on=payload.on)
    return _out(request, pk)


class ProposalReturnDecisionIn(Schema):
    accept: bool
    unit: str = ""
    new_unit: str = ""
    comment: str = ""
    on: dt.date | None = None


@router.post(
    "/proposals/{pk}/return-decision",
    response=ProposalOut,
    summary="交办机关处理退回申请",
    auth=PermissionAuth("proposal.manage"),
)
def proposals_return_decide(request, pk: int, payload: ProposalReturnDecisionIn):
    p = _get(request, pk)
    new_unit = selectors.unit_by_name(name=payload.new_unit, field="new_unit") if payload.new_unit else None
    services.proposal_return_decide(
        by=request.auth,
        row=_row(p, payload.unit),
        accept=payload.accept,
        new_unit=new_unit,
        comment=payload.comment,
        on=payload.on,
    )
    return _out(request, pk)


class ProposalExtensionIn(Schema):
    months: Months
    reason: str
    on: dt.date | None = None


@router.post(
    "/proposals/{pk}/extension",
    response=ProposalOut,
    summary="申请延期答复（最长至交办之日起六个月）",
    auth=PermissionAuth("proposal.reply"),
)
def proposals_extension(request, pk: int, payload: ProposalExtensionIn):
    services.proposal_extension_request(by=request.auth, proposal=_get(request, pk), **payload.dict())
    return _out(request, pk)


class ProposalDecisionIn(Schema):
    approve: bool
    comment: str = ""
    on: dt.date | None = None


@router.post(
    "/proposals/{pk}/extension-decision",
    response=ProposalOut,
    summary="交办机关同意或不同意延期",
    auth=PermissionAuth("proposal.manage"),
)
def proposals_extension_decide(request, pk: int, payload: ProposalDecisionIn):
    services.proposal_extension_decide(by=request.auth, proposal=_get(request, pk), **payload.dict())
    return _out(request, pk)


class ProposalCoViewIn(Schema):
    text: str
    unit: str = ""  # the co-unit's full name; empty: the caller's own co-unit share
    on: dt.date | None = None


@router.post(
    "/proposals/{pk}/co-view",
    response=ProposalOut,
    summary="协办单位提出协办意见",
    auth=PermissionAuth("proposal.reply"),
)
def proposals_co_view(request, pk: int, payload: ProposalCoViewIn):
    p = _get(request, pk)
    user = request.auth
    if payload.unit:
        row = _row(p, payload.unit)
    else:
        row = next(
            (u for u in p.units.all() if u.role == "co" and u.active and perms.unit_is_users(user, u.unit)), None
        )
        if row is None:
            raise DomainError("本单位不是本件的协办单位", field="unit")
    services.proposal_co_view_submit(by=user, row=row, text=payload.text, on=payload.on)
    return _out(request, pk)


class ProposalReplyIn(Schema):
    text: str
    classification: str  # A / B / C
    c_reason: str = ""
    contact: str = ""


@router.post(
    "/proposals/{pk}/reply", response=ProposalOut, summary="起草（修改）答复", auth=PermissionAuth("proposal.reply")
)
def proposals_reply(request, pk: int, payload: ProposalReplyIn):
    services.proposal_reply_save(by=request.auth, proposal=_get(request, pk), **payload.dict())
    return _out(request, pk)


class ProposalApproveIn(Schema):
    signer: str
    on: dt.date | None = None


def _current_reply(p):
    reply = selectors.proposal_current_reply(p)
    if reply is None:
        raise DomainError("尚未起草答复", field="status")
    return reply


@router.post(
    "/proposals/{pk}/reply/approve", response=ProposalOut, summary="签发答复", auth=PermissionAuth("proposal.approve")
)
def proposals_reply_approve(request, pk: int, payload: ProposalApproveIn):
    reply = _current_reply(_get(request, pk))
    services.proposal_reply_approve(by=request.auth, reply=reply, signer=payload.signer, on=payload.on)
    return _out(request, pk)


class ProposalIssueIn(Schema):
    on: dt.date | None = None


@router.post(
    "/proposals/{pk}/reply/issue",
    response=ProposalOut,
    summary="印发答复（取文号、生成公文）",
    auth=PermissionAuth("proposal.approve"),
)
def proposals_reply_issue(request, pk: int, payload: ProposalIssueIn):
    reply = _current_reply(_get(request, pk))
    services.proposal_reply_issue(by=request.auth, reply=reply, on=payload.on)
    return _out(request, pk)


class ProposalRatingRecordIn(Schema):
    proposer_id: int
    attitude: str  # satisfied / basic / dissatisfied
    result: str
    comment: str = ""
    on: dt.date | None = None


@router.post(
    "/proposals/{pk}/rating",
    response=ProposalOut,
    summary="登记提出人书面反馈的评价（征询意见表）",
    auth=PermissionAuth("proposal.manage", "proposal.reply"),
)
def proposals_rating_record(request, pk: int, payload: ProposalRatingRecordIn):
    data = payload.dict()
    services.proposal_rating_record(
        by=request.auth, proposal=_get(request, pk), proposer=data.pop("proposer_id"), **data
    )
    return _out(request, pk)


class ProposalSecretIn(Schema):
    secret: bool
    reason: str = ""


@router.post(
    "/proposals/{pk}/secret",
    response=ProposalOut,
    summary="设定答复是否在门户公开",
    auth=PermissionAuth("proposal.manage"),
)
def proposals_secret(request, pk: int, payload: ProposalSecretIn):
    services.proposal_secret_set(
        by=request.auth, proposal=_get(request, pk), secret=payload.secret, reason=payload.reason
    )
    return _out(request, pk)


class ProposalRateOut(Schema):
    value: float | None
    light: str


class ProposalStatsRowOut(Schema):
    key: int | None
    label: str
    total: int
    replied: int
    due: int
    on_time: int
    overdue_open: int
    a: int
    b: int
    c: int
    rated: int
    attitude_ok: int
    result_ok: int
    first_dissatisfied: int
    rates: dict[str, ProposalRateOut]


class ProposalStatsOut(Schema):
    goal: int
    rows: list[ProposalStatsRowOut]
    total: ProposalStatsRowOut


@router.get(
    "/proposal-stats",
    response=ProposalStatsOut,
    summary="建议提案办理统计（按承办单位或会议届次）",
    auth=PermissionAuth("proposal.view"),
)
def proposals_stats(
    request, group: str = "unit", session_id: int | None = None, year: Year | None = None, kind: str = ""
):
    rows, total = selectors.proposal_stats(
        user=request.auth, group="session" if group == "session" else "unit", session=session_id, year=year, kind=kind
    )
    return {"goal": rules.GOAL_PERCENT, "rows": [r.__dict__ for r in rows], "total": total.__dict__}


# ---------------------------------------------------------------- public: the proposer's rating through his link


class ProposalPublicRatingIn(Schema):
    token: str
    attitude: str
    result: str
    comment: str = ""


class ProposalPublicRatingOut(Schema):
    proposal: str
    attitude: str
    result: str
    rated_on: dt.date


@router.post(
    "/public/proposals/{pk}/rating",
    response={200: ProposalPublicRatingOut, 404: dict, 422: dict, 429: dict},
    summary="代表或委员凭签名链接评价答复（无需登录）",
    auth=PublicAuth(),
)
def proposals_public_rate(request, pk: int, payload: ProposalPublicRatingIn):
    try:
        services.public_rate_check(ip=client_ip(request), scope="proposal-rating")
        proposal = selectors.public_rating_proposal(pk=pk)
        reply = services.proposal_rate_by_link(
            proposal=proposal,
            token=payload.token,
            attitude=payload.attitude,
            result=payload.result,
            comment=payload.comment,
            ip=client_ip(request),
        )
    except NotFound:
        return Status(404, {"detail": "记录不存在或无权访问"})
    except DomainError as exc:
        return Status(429 if exc.field == "rate" else 422, exc.as_dict())
    return Status(
        200,
        {
            "proposal": f"第{proposal.number}号{proposal.kind_word}",
            "attitude": reply.attitude,
            "result": reply.result,
            "rated_on": reply.rated_on,
        },
    )
