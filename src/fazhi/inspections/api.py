"""双随机、一公开 API: enterprises, plans, draws (commitment, seed, result), verification, inspection records,
burden statistics. Parse, call a service or selector, serialise — nothing else."""

import datetime as dt

from django.utils import timezone
from ninja import Router, Schema, Status

from fazhi.core.apitypes import Limit, Offset, Year
from fazhi.core.audit import client_ip
from fazhi.core.masking import mask_name
from fazhi.core.tokens import PermissionAuth, PublicAuth
from fazhi.inspections import permissions, selectors, services
from fazhi.inspections.models import RISK_LABELS

router = Router(tags=["双随机、一公开"])


# ---------------------------------------------------------------- schemas


class EnterpriseIn(Schema):
    uscc: str
    name: str
    kind: str = "llc"
    industry: str = ""
    division_code: str
    address: str = ""
    legal_representative: str = ""
    risk_level: str = "b_general"
    credit_grade: str = "B"
    group: str = ""


class EnterpriseOut(Schema):
    id: int
    uscc: str
    name: str
    kind: str
    industry: str
    division_code: str
    division: str
    address: str
    legal_representative: str
    risk_level: str
    risk_level_label: str
    credit_grade: str
    group: str
    is_active: bool


class EnterpriseListOut(Schema):
    items: list[EnterpriseOut]
    next_after: int | None


class PlanIn(Schema):
    agency_id: int
    year: Year
    name: str
    item_ids: list[int]
    proportions: dict[str, float | str]
    period_start: dt.date
    period_end: dt.date
    exclusion_days: int = 365
    inspectors_per_enterprise: int = 2
    joint_agencies: list[int] = []


class PlanItemOut(Schema):
    id: int
    agency_id: int
    name: str
    targets: str
    scope_industries: list[str] = []
    scope_risk_levels: list[str] = []
    method: str
    basis: str


class InspectionItemOut(PlanItemOut):
    power_item_id: int
    is_active: bool


class InspectionItemIn(Schema):
    power_item_id: int
    targets: str
    name: str = ""
    method: str = "onsite"
    basis: str = ""
    scope_industries: str = ""  # GB/T 4754 codes or prefixes, "C13、C14" or "C13,C14"; empty = any industry
    scope_risk_levels: list[str] = []  # a_low / b_general / c_elevated / d_high; empty = any level


class PlanOut(Schema):
    id: int
    agency_id: int
    agency: str
    year: int
    name: str
    items: list[PlanItemOut]
    proportions_percent: dict[str, float]
    period_start: dt.date
    period_end: dt.date
    exclusion_days: int
    inspectors_per_enterprise: int
    is_joint: bool
    joint_agencies: list[int]
    status: str
    published_at: dt.datetime | None
    actions: list[str] = []  # what the caller may do with it (permissions.plan_actions)


class CommitIn(Schema):
    item_id: int | None = None  # not needed for a joint plan: its draw covers every item


class RedrawIn(Schema):
    reason: str


class DrawAssignmentOut(Schema):
    id: int
    position: int
    enterprise_id: int
    enterprise: str
    uscc: str
    risk_level: str
    inspector_ids: list[int]
    inspectors: list[str]
    inspector_agency_ids: list[int]
    record_id: int | None


class DrawOut(Schema):
    id: int
    plan_id: int
    plan: str
    item_id: int
    item: str
    status: str
    algorithm: str
    commitment: str
    seed_hash: str
    candidates_hash: str
    inspectors_hash: str
    conflicts_hash: str
    params_hash: str
    candidate_count: int
    inspector_count: int
    seed: str | None
    result_hash: str | None
    committed_at: dt.datetime
    drawn_at: dt.datetime | None
    published_at: dt.datetime | None
    redraw_of: int | None
    superseded_reason: str
    assignments: list[DrawAssignmentOut]
    actions: list[str] = []  # permissions.draw_actions


class VerificationOut(Schema):
    id: int
    algorithm: str
    status: str
    plan: str
    agency: str
    item: str
    committed_at: dt.datetime
    drawn_at: dt.datetime | None
    published_at: dt.datetime | None
    commitment: str
    seed_hash: str
    candidates_hash: str
    inspectors_hash: str
    conflicts_hash: str
    params_hash: str
    params: str
    candidate_count: int
    inspector_count: int
    redraw_of: int | None
    superseded_reason: str
    seed: str | None
    candidates: str | None
    inspectors: str | None
    conflicts: str | None
    result: str | None
    result_hash: str | None
    lead_agency_id: int
    inspector_agencies: dict[str, int] | None  # officer id → agency id, once revealed
    verified: bool | None
    problems: list[str]


class ConflictIn(Schema):
    enterprise_id: int
    reason: str
    officer_id: int | None = None


class ConflictOut(Schema):
    id: int
    officer_id: int
    enterprise_id: int
    reason: str
    declared_at: dt.datetime


class RecordIn(Schema):
    assignment_id: int | None = None
    enterprise_id: int | None = None
    agency_id: int | None = None
    item_id: int | None = None
    source: str = "random"
    reason: str = ""
    inspected_on: dt.date
    result: str = "ok"
    problems: str = ""
    measures: str = ""
    inspector_ids: list[int] = []


class RecordOut(Schema):
    id: int
    enterprise_id: int
    enterprise: str
    uscc: str
    agency_id: int
    agency: str
    item: str | None
    source: str
    non_plan: bool
    reason: str
    inspected_on: dt.date
    result: str
    problems: str
    measures: str
    inspector_ids: list[int]
    published_on: dt.date | None
    publication_deadline: dt.date | None
    draw_id: int | None
    actions: list[str] = []  # permissions.record_actions
    feedback_rating: str | None


class RecordListOut(Schema):
    items: list[RecordOut]
    total: int


class BurdenEnterpriseOut(Schema):
    enterprise_id: int
    name: str
    uscc: str
    inspections: int
    non_plan: int
    agencies: int
    over: bool


class BurdenAgencyOut(Schema):
    agency_id: int
    name: str
    inspections: int
    non_plan: int


class BurdenOut(Schema):
    date_from: dt.date
    date_to: dt.date
    threshold: int
    total: int
    non_plan: int
    enterprises: int
    over_threshold: int
    by_enterprise: list[BurdenEnterpriseOut]
    by_agency: list[BurdenAgencyOut]


# ---------------------------------------------------------------- serialisers


def _enterprise(e, *, user) -> dict:
    return {
        "id": e.id,
        "uscc": e.uscc,
        "name": e.name,
        "kind": e.kind,
        "industry": e.industry,
        "division_code": e.division.code,
        "division": e.division.name,
        "address": e.address,
        "legal_representative": mask_name(e.legal_representative),
        "risk_level": e.risk_level,
        "risk_level_label": RISK_LABELS.get(e.risk_level, ""),
        "credit_grade": e.credit_grade,
        "group": e.group,
        "is_active": e.is_active,
    }


def _item(i) -> dict:
    return {
        "id": i.id,
        "agency_id": i.agency_id,
        "power_item_id": i.power_item_id,
        "name": i.name,
        "targets": i.targets,
        "scope_industries": [c for c in i.scope_industries.split("、") if c],
        "scope_risk_levels": list(i.scope_risk_levels or []),
        "method": i.get_method_display(),
        "basis": i.basis,
        "is_active": i.is_active,
    }


def _plan(p, *, user) -> dict:
    return {
        "actions": sorted(permissions.plan_actions(user=user, obj=p)),
        "id": p.id,
        "agency_id": p.agency_id,
        "agency": p.agency.unit.name,
        "year": p.year,
        "name": p.name,
        "items": [_item(i) for i in p.items.all()],
        "proportions_percent": {k: v / 100 for k, v in p.proportions.items()},
        "period_start": p.period_start,
        "period_end": p.period_end,
        "exclusion_days": p.exclusion_days,
        "inspectors_per_enterprise": p.inspectors_per_enterprise,
        "is_joint": p.is_joint,
        "joint_agencies": [a.pk for a in p.joint_agencies.all()],
        "status": p.status,
        "published_at": p.published_at,
    }


def _draw(d, *, user, with_assignments: bool = True) -> dict:
    revealed = d.drawn_at is not None
    assignments = []
    if with_assignments and revealed:
        for a in selectors.draw_assignments(draw=d):
            officers = list(a.inspectors.all())
            assignments.append(
                {
                    "id": a.id,
                    "position": a.position,
                    "enterprise_id": a.enterprise_id,
                    "enterprise": a.enterprise.name,
                    "uscc": a.enterprise.uscc,
                    "risk_level": a.risk_level,
                    "inspector_ids": [o.id for o in officers],
                    "inspectors": [o.name for o in officers],
                    "inspector_agency_ids": [o.agency_id for o in officers],
                    "record_id": getattr(getattr(a, "record", None), "pk", None),
                }
            )
    return {
        "id": d.id,
        "plan_id": d.plan_id,
        "plan": d.plan.name,
        "item_id": d.item_id,
        "item": d.item.name,
        "status": d.status,
        "algorithm": d.algorithm,
        "commitment": d.commitment,
        "seed_hash": d.seed_hash,
        "candidates_hash": d.candidates_hash,
        "inspectors_hash": d.inspectors_hash,
        "conflicts_hash": d.conflicts_hash,
        "params_hash": d.params_hash,
        "candidate_count": d.candidate_count,
        "inspector_count": d.inspector_count,
        "seed": d.seed if revealed else None,
        "result_hash": d.result_hash or None,
        "committed_at": d.committed_at,
        "drawn_at": d.drawn_at,
        "published_at": d.published_at,
        "redraw_of": d.redraw_of_id,
        "superseded_reason": d.superseded_reason,
        "assignments": assignments,
        "actions": sorted(permissions.draw_actions(user=user, obj=d)),
    }


def _record(r, *, user) -> dict:
    item = r.publication_item
    return {
        "actions": sorted(permissions.record_actions(user=user, obj=r)),
        "id": r.id,
        "enterprise_id": r.enterprise_id,
        "enterprise": r.enterprise.name,
        "uscc": r.enterprise.uscc,
        "agency_id": r.agency_id,
        "agency": r.agency.unit.name,
        "item": r.item.name if r.item_id else None,
        "source": r.source,
        "non_plan": r.is_non_plan,
        "reason": r.reason,
        "inspected_on": r.inspected_on,
        "result": r.result,
        "problems": r.problems,
        "measures": r.measures,
        "inspector_ids": [o.pk for o in r.inspectors.all()],
        "published_on": r.published_on,
        "publication_deadline": item.deadline if item else None,
        "draw_id": r.assignment.draw_id if r.assignment_id else None,
        "feedback_rating": getattr(getattr(r, "feedback", None), "rating", None),
    }


# ---------------------------------------------------------------- enterprises


@router.get(
    "/enterprises",
    response=EnterpriseListOut,
    summary="市场主体（按 id 键集分页）",
    auth=PermissionAuth("inspection.view"),
)
def enterprises_list(
    request,
    q: str = "",
    division_code: str = "",
    risk_level: str = "",
    industry: str = "",
    after: int = 0,
    limit: Limit = 50,
):
    user = request.auth
    division = selectors.division_by_code(code=division_code) if division_code else None
    qs = selectors.enterprise_list(user=user, q=q, division=division, risk_level=risk_level, industry=industry)
    limit = max(1, min(limit, 500))
    rows = list(qs.filter(id__gt=after)[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": [_enterprise(e, user=user) for e in rows], "next_after": rows[-1].id if more else None}


@router.post(
    "/enterprises", response={201: EnterpriseOut}, summary="登记市场主体", auth=PermissionAuth("inspection.manage")
)
def enterprises_create(request, payload: EnterpriseIn):
    user = request.auth
    data = payload.dict()
    division = selectors.division_by_code(code=data.pop("division_code"))
    e = services.enterprise_create(by=user, division=division, ip=client_ip(request), **data)
    return Status(201, _enterprise(e, user=user))


@router.get("/enterprises/{pk}", response=EnterpriseOut, summary="市场主体详情", auth=PermissionAuth("inspection.view"))
def enterprises_get(request, pk: int):
    user = request.auth
    return _enterprise(selectors.enterprise_get(user=user, pk=pk), user=user)


# ---------------------------------------------------------------- inspection items


@router.get(
    "/inspection-items",
    response=list[InspectionItemOut],
    summary="抽查事项清单（含抽查对象范围）",
    auth=PermissionAuth("inspection.view"),
)
def inspection_items_list(request):
    return [_item(i) for i in selectors.item_list(user=request.auth)]


@router.post(
    "/inspection-items",
    response={201: InspectionItemOut},
    summary="添加或修改抽查事项（按权责清单事项；含抽查对象范围）",
    auth=PermissionAuth("inspection.manage"),
)
def inspection_items_save(request, payload: InspectionItemIn):
    user = request.auth
    data = payload.dict()
    power_item = selectors.inspection_power_item_get(user=user, pk=data.pop("power_item_id"))
    item = services.inspection_item_save(
        by=user, agency=power_item.agency, power_item=power_item, ip=client_ip(request), **data
    )
    return Status(201, _item(item))


# ---------------------------------------------------------------- plans and draws


@router.get("/plans", response=list[PlanOut], summary="抽查计划", auth=PermissionAuth("inspection.view"))
def plans_list(request, year: Year | None = None, status: str = ""):
    user = request.auth
    return [
        _plan(p, user=user) for p in selectors.plan_list(user=user, year=year, status=status).prefetch_related("items")
    ]


@router.post(
    "/plans",
    response={201: PlanOut},
    summary="制定抽查计划（比例为百分数，0–100）",
    auth=PermissionAuth("inspection.manage"),
)
def plans_create(request, payload: PlanIn):
    user = request.auth
    agency = selectors.agency_ref(user=user, pk=payload.agency_id)
    joint = selectors.joint_agencies_ref(pks=payload.joint_agencies)
    items = selectors.items_for_plan(user=user, agency=agency, joint_agencies=joint, pks=payload.item_ids)
    plan = services.plan_create(
        by=user,
        agency=agency,
        year=payload.year,
        name=payload.name,
        items=items,
        proportions=payload.proportions,
        period_start=payload.period_start,
        period_end=payload.period_end,
        exclusion_days=payload.exclusion_days,
        inspectors_per_enterprise=payload.inspectors_per_enterprise,
        joint_agencies=joint,
        ip=client_ip(request),
    )
    return Status(201, _plan(plan, user=user))


@router.get("/plans/{pk}", response=PlanOut, summary="抽查计划详情", auth=PermissionAuth("inspection.view"))
def plans_get(request, pk: int):
    user = request.auth
    return _plan(selectors.plan_get(user=user, pk=pk), user=user)


@router.post(
    "/plans/{pk}/publish",
    response=PlanOut,
    summary="公示抽查计划（须在抽查期开始前）",
    auth=PermissionAuth("inspection.manage"),
)
def plans_publish(request, pk: int):
    user = request.auth
    plan = services.plan_publish(by=user, plan=selectors.plan_get(user=user, pk=pk), ip=client_ip(request))
    return _plan(selectors.plan_get(user=user, pk=plan.pk), user=user)


@router.post(
    "/plans/{pk}/draws",
    response={201: DrawOut},
    summary="抽取承诺：冻结名录，公布种子哈希和名录哈希",
    auth=PermissionAuth("inspection.manage"),
)
def plans_commit_draw(request, pk: int, payload: CommitIn):
    user = request.auth
    plan = selectors.plan_get(user=user, pk=pk)
    item = None
    if payload.item_id is not None:
        item = selectors.items_ref(user=user, agency=plan.agency, pks=[payload.item_id], field="item_id")[0]
    draw = services.draw_commit(by=user, plan=plan, item=item, ip=client_ip(request))
    return Status(201, _draw(draw, user=user))


@router.get("/draws", response=list[DrawOut], summary="抽取记录", auth=PermissionAuth("inspection.view"))
def draws_list(request, plan_id: int | None = None, status: str = ""):
    user = request.auth
    return [
        _draw(d, user=user, with_assignments=False) for d in selectors.draw_list(user=user, plan=plan_id, status=status)
    ]


@router.get(
    "/draws/{pk}", response=DrawOut, summary="抽取详情（抽取后含种子和结果）", auth=PermissionAuth("inspection.view")
)
def draws_get(request, pk: int):
    user = request.auth
    return _draw(selectors.draw_get(user=user, pk=pk), user=user)


@router.post("/draws/{pk}/draw", response=DrawOut, summary="按公布的算法抽取", auth=PermissionAuth("inspection.manage"))
def draws_perform(request, pk: int):
    user = request.auth
    draw = services.draw_perform(by=user, draw=selectors.draw_get(user=user, pk=pk), ip=client_ip(request))
    return _draw(selectors.draw_get(user=user, pk=draw.pk), user=user)


@router.post(
    "/draws/{pk}/publish",
    response=DrawOut,
    summary="公布种子、名录和抽取结果",
    auth=PermissionAuth("inspection.manage"),
)
def draws_publish(request, pk: int):
    user = request.auth
    draw = services.draw_publish(by=user, draw=selectors.draw_get(user=user, pk=pk), ip=client_ip(request))
    return _draw(selectors.draw_get(user=user, pk=draw.pk), user=user)


@router.post(
    "/draws/{pk}/redraw",
    response={201: DrawOut},
    summary="重新抽取（须说明理由，理由公开）",
    auth=PermissionAuth("inspection.manage"),
)
def draws_redraw(request, pk: int, payload: RedrawIn):
    user = request.auth
    draw = services.draw_redraw(
        by=user, draw=selectors.draw_get(user=user, pk=pk), reason=payload.reason, ip=client_ip(request)
    )
    return Status(201, _draw(draw, user=user))


@router.get(
    "/draws/{pk}/verification",
    response=VerificationOut,
    auth=PublicAuth(),
    summary="公开核验数据：承诺值、种子、名录及其哈希、抽取结果（足以离线重新抽取）",
)
def draws_verification(request, pk: int):
    draw = selectors.public_draw_get(pk=pk)
    data = selectors.draw_verification(draw=draw)
    if selectors.draw_revealed(draw):
        ok, problems = selectors.draw_verify(draw=draw)
        data.update(verified=ok, problems=problems)
    else:
        data.update(verified=None, problems=[])
    return data


@router.post(
    "/conflicts",
    response={201: ConflictOut},
    summary="申报利害关系（执法人员本人申报时可不填 officer_id；法制员可为本单位人员申报）",
    auth=PermissionAuth("inspection.view"),
)
def conflicts_create(request, payload: ConflictIn):
    user = request.auth
    if payload.officer_id is None:
        officer = selectors.officer_of_user(user=user)
    else:
        officer = selectors.officer_ref(user=user, pk=payload.officer_id)
    enterprise = selectors.enterprise_ref(pk=payload.enterprise_id, field="enterprise_id")
    decl = services.conflict_declare(
        by=user, officer=officer, enterprise=enterprise, reason=payload.reason, ip=client_ip(request)
    )
    return Status(
        201,
        {
            "id": decl.pk,
            "officer_id": decl.officer_id,
            "enterprise_id": decl.enterprise_id,
            "reason": decl.reason,
            "declared_at": decl.declared_at,
        },
    )


# ---------------------------------------------------------------- inspection records


@router.get("/inspection-records", response=RecordListOut, summary="检查记录", auth=PermissionAuth("inspection.view"))
def records_list(
    request,
    q: str = "",
    source: str = "",
    published: str = "",
    agency_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    offset: Offset = 0,
    limit: Limit = 50,
):
    user = request.auth
    qs = selectors.record_list(
        user=user,
        filters=selectors.RecordFilters(
            q=q, source=source, published=published, agency=agency_id, date_from=date_from, date_to=date_to
        ),
    )
    limit = max(1, min(limit, 500))
    rows = qs.prefetch_related("inspectors").select_related("assignment")[max(0, offset) : max(0, offset) + limit]
    return {"items": [_record(r, user=user) for r in rows], "total": qs.count()}


@router.post(
    "/inspection-records",
    response={201: RecordOut},
    summary="登记检查记录（双随机或计划外）",
    auth=PermissionAuth("inspection.manage"),
)
def records_create(request, payload: RecordIn):
    user = request.auth
    assignment = selectors.assignment_get(user=user, pk=payload.assignment_id) if payload.assignment_id else None
    enterprise = (
        selectors.enterprise_ref(pk=payload.enterprise_id, field="enterprise_id") if payload.enterprise_id else None
    )
    agency = selectors.agency_ref(user=user, pk=payload.agency_id, field="agency_id") if payload.agency_id else None
    item = None
    if payload.item_id and agency:
        item = selectors.items_ref(user=user, agency=agency, pks=[payload.item_id], field="item_id")[0]
    inspectors = [selectors.officer_ref(user=user, pk=pk, field="inspector_ids") for pk in payload.inspector_ids]
    record = services.inspection_record_create(
        by=user,
        assignment=assignment,
        enterprise=enterprise,
        agency=agency,
        item=item,
        source=payload.source,
        reason=payload.reason,
        inspected_on=payload.inspected_on,
        result=payload.result,
        problems=payload.problems,
        measures=payload.measures,
        inspectors=inspectors,
        ip=client_ip(request),
    )
    return Status(201, _record(selectors.record_get(user=user, pk=record.pk), user=user))


@router.post(
    "/inspection-records/{pk}/publish",
    response=RecordOut,
    summary="公示检查结果",
    auth=PermissionAuth("inspection.manage"),
)
def records_publish(request, pk: int):
    user = request.auth
    record = services.inspection_record_publish(
        by=user, record=selectors.record_get(user=user, pk=pk), ip=client_ip(request)
    )
    return _record(selectors.record_get(user=user, pk=record.pk), user=user)


# ---------------------------------------------------------------- burden


@router.get(
    "/inspections/burden",
    response=BurdenOut,
    summary="涉企检查频次：按企业、按部门排名",
    auth=PermissionAuth("inspection.supervise"),
)
def burden(
    request,
    year: Year | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    threshold: int | None = None,
):
    user = request.auth
    year = year or timezone.localdate().year
    start = date_from or dt.date(year, 1, 1)
    end = date_to or dt.date(year, 12, 31)
    b = selectors.burden_statistics(user=user, date_from=start, date_to=end, threshold=threshold)
    return b.__dict__
