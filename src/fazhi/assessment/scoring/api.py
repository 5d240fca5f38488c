"""API of 考核评价 (/api/v1/assessment/…): parse, call a service or selector, serialise."""

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from fazhi.assessment.scoring import indicators, rules, selectors, services
from fazhi.assessment.scoring.permissions import framework_actions, member_actions, run_actions
from fazhi.core.apitypes import MAX_OFFSET
from fazhi.core.errors import DomainError
from fazhi.core.tokens import PermissionAuth

router = Router(tags=["考核评价"])

VIEW = PermissionAuth("assessment.view", "assessment.manage")
MANAGE = PermissionAuth("assessment.manage")
APPEAL = PermissionAuth("assessment.appeal")


class RunOut(Schema):
    id: int
    name: str
    year: int
    quarter: int | None
    framework_id: int
    status: str
    status_label: str
    period_start: dt.date
    period_end: dt.date
    appeal_until: dt.date | None
    actions: list[str]


class RunIn(Schema):
    framework_id: int = Field(..., ge=1, le=2**62)
    name: str = Field(..., max_length=100)
    quarter: int | None = Field(None, ge=1, le=4)
    appeal_days: int = Field(5, ge=0, le=30)
    top_adjust: list[Decimal] | None = Field(None, max_length=5)
    bottom_adjust: list[Decimal] | None = Field(None, max_length=5)


class ScoringMemberOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    group: str
    total: Decimal
    rank: int | None
    vetoed: bool
    adjustment: Decimal


class ScoreOut(Schema):
    id: int
    indicator_code: str
    indicator_name: str
    method: str
    source: str
    available: bool
    value: Decimal | None
    numerator: int | None
    denominator: int | None
    points: Decimal | None
    max_points: Decimal
    path_weight: Decimal
    note: str
    actions: list[str]


class ScoreIn(Schema):
    points: Decimal = Field(..., ge=0, le=100000)
    note: str = Field("", max_length=500)


class ScoringAppealIn(Schema):
    reason: str = Field(..., max_length=2000)


class AppealOut(Schema):
    id: int
    score_id: int
    status: str
    reason: str
    filed_on: dt.date
    answer: str


class ScoringAnswerIn(Schema):
    upheld: bool
    answer: str = Field(..., max_length=2000)
    points: Decimal | None = Field(None, ge=0, le=100000)


class RankingOut(Schema):
    unit_id: int
    unit_name: str
    group: str
    score: Decimal
    rank: int


class SourceOut(Schema):
    key: str
    label: str
    area: str
    unit: str
    kind: str
    higher_is_better: bool
    available: bool
    description: str


class FrameworkOut(Schema):
    id: int
    year: int
    name: str
    total_points: Decimal
    note: str


class ScoringFrameworkIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    name: str = Field(..., max_length=100)
    total_points: Decimal = Field(Decimal(100), gt=0, le=100000)
    note: str = Field("", max_length=300)


class ScoringIndicatorOut(Schema):
    id: int
    parent_id: int | None
    parent_code: str
    level: int
    code: str
    name: str
    points: Decimal
    weight: Decimal
    path_weight: Decimal
    method: str
    source: str
    mapping: str
    params: str
    target: Decimal | None
    cap: Decimal | None
    criteria: str


class ScoringFrameworkDetailOut(Schema):
    id: int
    year: int
    name: str
    total_points: Decimal
    weighted_full_marks: Decimal
    note: str
    actions: list[str]
    gaps: list[str]
    indicators: list[ScoringIndicatorOut]


class ScoringIndicatorIn(Schema):
    """A node in the import's columns (strings are parsed and checked as an Excel row is). `parent`: the parent's
    code when adding a node (empty: 一级); ignored when changing one."""

    parent: str = Field("", max_length=20)
    code: str = Field(..., max_length=20)
    name: str = Field(..., max_length=200)
    points: str = Field(..., max_length=12)
    weight: str = Field("1", max_length=12)
    method: str = Field(..., max_length=10)
    source: str = Field("", max_length=60)
    mapping: str = Field("", max_length=10)
    params: str = Field("", max_length=200)
    target: str = Field("", max_length=12)
    cap: str = Field("", max_length=12)
    criteria: str = Field("", max_length=500)


def _run(request, run) -> dict:
    return {
        "id": run.pk,
        "name": run.name,
        "year": run.year,
        "quarter": run.quarter,
        "framework_id": run.framework_id,
        "status": run.status,
        "status_label": run.get_status_display(),
        "period_start": run.period_start,
        "period_end": run.period_end,
        "appeal_until": run.appeal_until,
        "actions": sorted(run_actions(user=request.auth, obj=run)),
    }


def _member(m) -> dict:
    return {
        "id": m.pk,
        "unit_id": m.unit_id,
        "unit_name": m.unit.name,
        "group": m.group,
        "total": m.total,
        "rank": m.rank,
        "vetoed": m.vetoed,
        "adjustment": m.adjustment,
    }


def _score(s, actions, weights: dict | None = None) -> dict:
    ind = s.indicator
    weights = weights if weights is not None else selectors.framework_weights(framework_id=ind.framework_id)
    return {
        "id": s.pk,
        "indicator_code": ind.code,
        "indicator_name": ind.name,
        "method": ind.method,
        "source": ind.source,
        "available": s.available,
        "value": s.value,
        "numerator": s.numerator,
        "denominator": s.denominator,
        "points": s.points,
        "max_points": ind.cap if ind.cap is not None else ind.points,
        "path_weight": weights.get(ind.pk, rules.WEIGHT_DEFAULT),
        "note": s.note,
        "actions": sorted(actions),
    }


def _appeal(a) -> dict:
    return {
        "id": a.pk,
        "score_id": a.score_id,
        "status": a.status,
        "reason": a.reason,
        "filed_on": a.filed_on,
        "answer": a.answer,
    }


@router.get("/runs", auth=VIEW, response=list[RunOut], summary="考核列表（按数据范围）")
def run_list(
    request: HttpRequest,
    q: str = Query("", max_length=50),
    year: int | None = Query(None, ge=2000, le=2100),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    qs = selectors.run_list(user=request.auth, year=year, q=q)
    return [_run(request, r) for r in qs[offset : offset + limit]]


@router.post("/runs", auth=MANAGE, response={201: RunOut}, summary="组织考核（创建并计算）")
def run_create(request: HttpRequest, payload: RunIn):
    fw = next((f for f in selectors.framework_list() if f.pk == payload.framework_id), None)
    if fw is None:
        raise DomainError("指标体系不存在", field="framework_id")
    run = services.run_create(
        framework=fw,
        name=payload.name,
        quarter=payload.quarter,
        appeal_days=payload.appeal_days,
        top_adjust=payload.top_adjust,
        bottom_adjust=payload.bottom_adjust,
        by=request.auth,
    )
    return 201, _run(request, run)


@router.get("/runs/{int:pk}", auth=VIEW, response=RunOut, summary="考核详情")
def run_detail(request: HttpRequest, pk: int):
    return _run(request, selectors.run_get(user=request.auth, pk=pk))


@router.get(
    "/runs/{int:pk}/members", auth=VIEW, response=list[ScoringMemberOut], summary="考核单位与排名（按数据范围）"
)
def run_members(
    request: HttpRequest,
    pk: int,
    group: str = Query("", max_length=40),
    q: str = Query("", max_length=50),
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    run = selectors.run_get(user=request.auth, pk=pk)
    qs = selectors.run_members(user=request.auth, run=run, group=group, q=q)
    return [_member(m) for m in qs[offset : offset + limit]]


def _run_call(request, pk, fn):
    run = selectors.run_get(user=request.auth, pk=pk)
    fn(run)
    return _run(request, selectors.run_get(user=request.auth, pk=pk))


@router.post("/runs/{int:pk}/compute", auth=MANAGE, response=RunOut, summary="重新计算")
def run_compute(request: HttpRequest, pk: int):
    return _run_call(request, pk, lambda r: services.run_compute(run=r, by=request.auth))


@router.post("/runs/{int:pk}/publish", auth=MANAGE, response=RunOut, summary="公布结果，进入申诉期")
def run_publish(request: HttpRequest, pk: int):
    return _run_call(request, pk, lambda r: services.run_publish(run=r, by=request.auth))


@router.post("/runs/{int:pk}/finalise", auth=MANAGE, response=RunOut, summary="定档：排名、加减分、结果通报")
def run_finalise(request: HttpRequest, pk: int):
    return _run_call(request, pk, lambda r: services.run_finalise(run=r, by=request.auth))


@router.get("/runs/{int:pk}/appeals", auth=VIEW, response=list[AppealOut], summary="申诉列表")
def run_appeals(request: HttpRequest, pk: int, status: str = Query("", max_length=10)):
    run = selectors.run_get(user=request.auth, pk=pk)
    return [_appeal(a) for a in selectors.appeal_list(user=request.auth, run=run, status=status)[:500]]


@router.get("/members/{int:pk}/scores", auth=VIEW, response=list[ScoreOut], summary="单位各项指标得分与佐证")
def member_scores(request: HttpRequest, pk: int):
    member = selectors.member_get(user=request.auth, pk=pk)
    actions = member_actions(user=request.auth, obj=member)
    weights = selectors.framework_weights(framework_id=member.run.framework_id)
    return [_score(s, actions, weights) for s in selectors.member_scores(member=member)]


@router.put("/scores/{int:pk}", auth=MANAGE, response=ScoreOut, summary="评分（人工评分、修正、加减分、否决）")
def score_set(request: HttpRequest, pk: int, payload: ScoreIn):
    score = selectors.score_get(user=request.auth, pk=pk)
    services.score_set(score=score, points=payload.points, note=payload.note, by=request.auth)
    score = selectors.score_get(user=request.auth, pk=pk)
    return _score(score, member_actions(user=request.auth, obj=score.member))


@router.post("/scores/{int:pk}/appeals", auth=APPEAL, response={201: AppealOut}, summary="对本单位得分申诉")
def appeal_file(request: HttpRequest, pk: int, payload: ScoringAppealIn):
    score = selectors.score_get(user=request.auth, pk=pk)
    return 201, _appeal(services.appeal_file(score=score, reason=payload.reason, by=request.auth))


@router.post("/appeals/{int:pk}/answer", auth=MANAGE, response=AppealOut, summary="处理申诉")
def appeal_answer(request: HttpRequest, pk: int, payload: ScoringAnswerIn):
    appeal = selectors.appeal_get(user=request.auth, pk=pk)
    services.appeal_answer(
        appeal=appeal, upheld=payload.upheld, answer=payload.answer, points=payload.points, by=request.auth
    )
    return _appeal(selectors.appeal_get(user=request.auth, pk=pk))


@router.get("/ranking", auth=VIEW, response=list[RankingOut], summary="年度（季度）排名（按数据范围）")
def ranking(
    request: HttpRequest, year: int = Query(..., ge=2000, le=2100), quarter: int | None = Query(None, ge=1, le=4)
):
    rows = selectors.unit_ranking(year=year, quarter=quarter)
    if not rows:
        return []
    run = selectors.run_list(user=request.auth, year=year).filter(quarter=quarter).first()
    if run is None:
        return []
    visible = set(selectors.run_members(user=request.auth, run=run).values_list("unit_id", flat=True))
    return [r for r in rows if r["unit_id"] in visible]


@router.get("/frameworks", auth=MANAGE, response=list[FrameworkOut], summary="考核指标体系")
def framework_list(request: HttpRequest, q: str = Query("", max_length=50)):
    return list(selectors.framework_list(q=q)[:100])


def _node_out(n) -> dict:
    return {
        "id": n.pk,
        "parent_id": n.parent_id,
        "parent_code": n.parent.code if n.parent_id else "",
        "level": n.level,
        "path_weight": n.path_weight,
        "target": n.target,
        "cap": n.cap,
        **{k: v for k, v in services.indicator_initial(n).items() if k not in ("target", "cap")},
    }


def _framework_out(request, fw) -> dict:
    nodes = selectors.framework_tree(framework=fw)
    by_pk = {n.pk: n for n in nodes}
    for n in nodes:
        n.parent = by_pk.get(n.parent_id)
    actions = framework_actions(user=request.auth, obj=fw)
    return {
        "id": fw.pk,
        "year": fw.year,
        "name": fw.name,
        "total_points": fw.total_points,
        "weighted_full_marks": selectors.framework_full_marks(nodes=nodes),
        "note": fw.note,
        "actions": sorted(actions),
        "gaps": selectors.framework_gaps(framework=fw) if "edit" in actions else [],
        "indicators": [_node_out(n) for n in nodes],
    }


@router.post("/frameworks", auth=MANAGE, response={201: ScoringFrameworkDetailOut}, summary="新建考核指标体系（草稿）")
def framework_create(request: HttpRequest, payload: ScoringFrameworkIn):
    fw = services.framework_create(
        year=payload.year, name=payload.name, total_points=payload.total_points, note=payload.note, by=request.auth
    )
    return Status(201, _framework_out(request, fw))


@router.get(
    "/frameworks/{int:pk}", auth=MANAGE, response=ScoringFrameworkDetailOut, summary="指标体系详情（指标、权重）"
)
def framework_detail(request: HttpRequest, pk: int):
    return _framework_out(request, selectors.framework_get(user=request.auth, pk=pk))


@router.post(
    "/frameworks/{int:pk}/nodes",
    auth=MANAGE,
    response={201: ScoringIndicatorOut},
    summary="新增指标（草稿指标体系；与 Excel 导入相同的检查）",
)
def indicator_create(request: HttpRequest, pk: int, payload: ScoringIndicatorIn):
    fw = selectors.framework_get(user=request.auth, pk=pk)
    node = services.indicator_save(framework=fw, data=payload.dict(), by=request.auth)
    return Status(201, _node_out(_node_fresh(request, node.pk)))


def _node_fresh(request, pk):
    node = selectors.indicator_get(user=request.auth, pk=pk)
    node.path_weight = next(n.path_weight for n in selectors.framework_tree(framework=node.framework) if n.pk == pk)
    return node


@router.get("/nodes/{int:pk}", auth=MANAGE, response=ScoringIndicatorOut, summary="指标详情")
def indicator_detail(request: HttpRequest, pk: int):
    return _node_out(_node_fresh(request, pk))


@router.put("/nodes/{int:pk}", auth=MANAGE, response=ScoringIndicatorOut, summary="修改指标（草稿指标体系）")
def indicator_update(request: HttpRequest, pk: int, payload: ScoringIndicatorIn):
    node = selectors.indicator_get(user=request.auth, pk=pk)
    services.indicator_save(framework=node.framework, indicator=node, data=payload.dict(), by=request.auth)
    return _node_out(_node_fresh(request, pk))


@router.delete("/nodes/{int:pk}", auth=MANAGE, response={204: None}, summary="删除指标及其下级（草稿指标体系）")
def indicator_delete(request: HttpRequest, pk: int):
    node = selectors.indicator_get(user=request.auth, pk=pk)
    services.indicator_delete(indicator=node, by=request.auth)
    return Status(204, None)


@router.get("/indicators", auth=MANAGE, response=list[SourceOut], summary="可用的计算指标（未启用的模块标为不可用）")
def source_list(request: HttpRequest):
    return indicators.catalogue()
